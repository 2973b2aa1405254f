"""Front-end forms: enrolment in a program and the visitor's mentoring profile."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail_mentoring.inputs import MAX_TEXT_LENGTH
from wagtail_mentoring.programs.models import MAX_SENIORITY, Enrolment, MentoringProfile
from wagtail_mentoring.programs.services import (
    ENROLMENT_FIELDS,
    ROLE_FIELD_DEFAULTS,
    ROLE_FIELDS,
    fields_not_for,
    role_answer_errors,
)

PROFILE_FIELDS = ("job_title", "department", "location", "time_zone", "seniority", "career_goals")


class MentoringProfileForm(forms.ModelForm):
    """The visitor's own mentoring profile."""

    class Meta:
        model = MentoringProfile
        fields = [*PROFILE_FIELDS, "languages", "skills", "interests", "bio"]
        widgets = {"career_goals": forms.Textarea(attrs={"rows": 3}), "bio": forms.Textarea(attrs={"rows": 4})}


class EnrolmentForm(forms.ModelForm):
    """Apply to a program as mentor or mentee; also updates the applicant's profile fields."""

    role = forms.ChoiceField(
        label=_("I want to take part as"), choices=Enrolment.Role.choices, widget=forms.RadioSelect
    )
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    department = forms.CharField(label=_("Department"), max_length=200, required=False)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    time_zone = forms.CharField(label=_("Time zone"), max_length=64, required=False, help_text=_("e.g. Europe/Rome"))
    seniority = forms.IntegerField(
        label=_("Seniority (1-10)"), min_value=1, max_value=MAX_SENIORITY, initial=1, help_text=_("1 = entry level")
    )
    career_goals = forms.CharField(
        label=_("Career goals"), required=False, max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = Enrolment
        fields = [
            "role",
            "goals",
            "skills_sought",
            "skills_offered",
            "interests",
            "languages",
            "availability",
            "capacity",
        ]
        labels = {
            "goals": _("Your goals for this program"),
            "skills_sought": _("Skills you want to develop (mentees)"),
            "skills_offered": _("Skills you can offer (mentors)"),
            "interests": _("Interests"),
            "languages": _("Languages you can mentor or be mentored in"),
            "availability": _("Availability"),
            "capacity": _("How many mentees can you take? (mentors)"),
        }
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 4}),
            "availability": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, profile: MentoringProfile | None = None, **kwargs):
        if profile is not None:
            initial = kwargs.setdefault("initial", {})
            for name in PROFILE_FIELDS:
                initial.setdefault(name, getattr(profile, name))
            initial.setdefault("languages", profile.languages)
        super().__init__(*args, **kwargs)

    def clean(self):
        """The role decides the fields (``services.ROLE_FIELDS``): the other role's fields are ignored (their
        values and errors dropped, their defaults kept), and what an application lacks before matching
        is an error (``services.role_answer_errors``).

        A mentee's capacity is always ``MENTEE_CAPACITY`` (one mentor); a mentor sets their own.
        """
        cleaned = super().clean()
        role = cleaned.get("role")
        if role in ROLE_FIELDS:
            for name in self.fields_not_for(role):
                self._errors.pop(name, None)
                cleaned[name] = ROLE_FIELD_DEFAULTS[name]
        for name, message in role_answer_errors(role, cleaned).items():
            self.add_error(name, message)
        return cleaned

    fields_not_for = staticmethod(fields_not_for)

    def common_fields(self) -> list:
        """The bound fields of the application every applicant fills in (not the role's, not the profile's)."""
        own = {"role", *PROFILE_FIELDS, *(name for names in ROLE_FIELDS.values() for name in names)}
        return [field for field in self.visible_fields() if field.name not in own]

    def profile_bound_fields(self) -> list:
        """The bound fields that update the applicant's mentoring profile (:data:`PROFILE_FIELDS`)."""
        return [self[name] for name in PROFILE_FIELDS]

    def role_sections(self) -> list[dict]:
        """One section per role: ``role``, ``legend`` and the bound ``fields`` that only that role fills in."""
        legends = {
            Enrolment.Role.MENTEE: _("If you apply as a mentee"),
            Enrolment.Role.MENTOR: _("If you apply as a mentor"),
        }
        return [
            {"role": role, "legend": legends[role], "fields": [self[name] for name in names]}
            for role, names in ROLE_FIELDS.items()
        ]

    def enrolment_fields(self) -> dict:
        """The cleaned values that belong to the enrolment (for ``services.enrol``)."""
        return {name: self.cleaned_data[name] for name in ENROLMENT_FIELDS if name in self.cleaned_data}

    def profile_fields(self) -> dict:
        """The cleaned values that belong to the applicant's profile."""
        values = {name: self.cleaned_data[name] for name in PROFILE_FIELDS}
        if self.cleaned_data.get("languages"):
            values["languages"] = self.cleaned_data["languages"]
        return values


class MatchingActionForm(forms.Form):
    """Validates the coordinator's decisions on a matching proposal (checkboxes of proposed mentorships, swaps)."""

    action = forms.ChoiceField(
        choices=[
            ("run", _("Run matching")),
            ("approve", _("Approve selected")),
            ("reject", _("Reject selected")),
            ("discard", _("Discard the proposal")),
            ("stop", _("Stop the run")),
        ]
    )
    selected = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, mentorship_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].choices = [(str(pk), str(pk)) for pk in mentorship_ids]

    def clean(self):
        """Approving or rejecting needs at least one selected pair; running matching needs none."""
        cleaned = super().clean()
        if cleaned.get("action") in ("approve", "reject") and not cleaned.get("selected"):
            raise forms.ValidationError(_("Select at least one pair."))
        return cleaned


class ImportUploadForm(forms.Form):
    """The file of a bulk import (``programs.imports``): CSV or XLSX."""

    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("One row per enrolment, with a header row naming the columns (see the template)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
