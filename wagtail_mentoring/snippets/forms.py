"""Admin forms for OKRs: the objective, check-in and objective-template forms, saved through ``snippets.services``."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils.translation import gettext_lazy as _
from modelcluster.forms import BaseChildFormSet
from wagtail.admin.forms import WagtailAdminModelForm

from wagtail_mentoring.access import querysets as access
from wagtail_mentoring.people import display_name
from wagtail_mentoring.snippets import services
from wagtail_mentoring.snippets.limits import key_result_limit, template_key_result_limit, validate_key_result_count
from wagtail_mentoring.snippets.models import CheckIn, KeyResult
from wagtail_mentoring.snippets.validators import validate_check_in_value


class KeyResultFormSet(BaseChildFormSet):
    """Inline key results; rejects more of them than the objective's limit ("fewer is better")."""

    #: Set by :class:`ObjectiveAdminForm`: returns the limit for the submitted objective.
    get_limit = None

    def clean(self) -> None:
        """Count the key results that will remain (new, changed or kept, not deleted) against the limit.

        The limit comes from :attr:`get_limit` (the program chosen in this submission), else from
        ``snippets.limits.key_result_limit`` for the saved objective; ``validate_key_result_count`` raises.
        """
        super().clean()
        kept = [
            form
            for form in self.forms
            if not (self.can_delete and form.cleaned_data.get(DELETION_FIELD_NAME))
            and (form.instance.pk or form.has_changed())
        ]
        limit = self.get_limit() if self.get_limit else key_result_limit(self.instance)
        validate_key_result_count(len(kept), limit)


class ObjectiveAdminForm(WagtailAdminModelForm):
    """The objective's admin form: choices limited to what the user may see, and the key-result limit."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        user = self.for_user
        formset = self.formsets.get("key_results")
        if formset is not None:
            formset.get_limit = self._key_result_limit
        if user is not None:
            self._limit_choices(user)

    def _limit_choices(self, user) -> None:
        fields = self.fields
        if "owner" in fields:
            owners = Q(pk__in=access.objective_owners(user).values("pk"))
            if self.instance.pk and self.instance.owner_id:
                owners |= Q(pk=self.instance.owner_id)
            fields["owner"].queryset = get_user_model().objects.filter(owners)
            fields["owner"].label_from_instance = display_name
            if not self.instance.pk:
                fields["owner"].initial = user.pk
        if "mentorship" in fields:
            fields["mentorship"].queryset = access.objective_mentorships(user).select_related(
                "mentor", "mentee", "program"
            )
        if "parent" in fields:
            fields["parent"].queryset = access.alignment_parents(user, self.instance)
        if "cycle" in fields:
            cycles = Q(pk__in=access.visible_cycles(user).values("pk"))
            if self.instance.pk and self.instance.cycle_id:
                cycles |= Q(pk=self.instance.cycle_id)
            fields["cycle"].queryset = fields["cycle"].queryset.model.objects.filter(cycles)
        if "program" in fields:
            pairings = access.participating_mentorships(user)
            fields["program"].queryset = fields["program"].queryset.model.objects.filter(
                Q(pk__in=access.coordinated_programs(user).values("pk")) | Q(pk__in=pairings.values("program"))
            )
        for name in ("key_results", "initiatives"):
            formset = self.formsets.get(name)
            if formset is None:
                continue
            for form in [*formset.forms, formset.empty_form]:
                for field_name in ("owner", "assignee"):
                    if field_name in form.fields:
                        form.fields[field_name].queryset = self._people(user)
                        form.fields[field_name].label_from_instance = display_name

    def _people(self, user):
        """People one may name on a key result or initiative: oneself, one's pairing partners, and the
        pairs one may file objectives for (``access.objective_owners``)."""
        pairings = access.participating_mentorships(user)
        return get_user_model().objects.filter(
            Q(pk__in=access.objective_owners(user).values("pk"))
            | Q(pk__in=pairings.values("mentor"))
            | Q(pk__in=pairings.values("mentee"))
        )

    def _key_result_limit(self) -> int:
        data = getattr(self, "cleaned_data", None) or {}
        program = data.get("program")
        mentorship = data.get("mentorship")
        if program is None and mentorship is not None:
            program = mentorship.program
        if program is None and "program" not in self.fields and self.instance.program_id:
            program = self.instance.program
        return key_result_limit(program=program)

    def clean(self):
        """Someone else may own an objective only within one of their pairings; the pairing's objective limit.

        The limit is ``services.check_objective_limit`` (closed objectives and this one not counted),
        shown on the ``mentorship`` field when the form has one, else as a form error.
        """
        cleaned = super().clean()
        user = self.for_user
        owner = cleaned.get("owner")
        mentorship = cleaned.get("mentorship", self.instance.mentorship if self.instance.mentorship_id else None)
        if user is not None and owner is not None and owner != user:
            if not (self.instance.pk and owner.pk == self.instance.owner_id):
                if mentorship is None or owner.pk not in (mentorship.mentor_id, mentorship.mentee_id):
                    self.add_error("owner", _("Someone else's objective must belong to one of their pairings."))
        try:
            services.check_objective_limit(
                mentorship, cleaned.get("status", self.instance.status), exclude_pk=self.instance.pk
            )
        except ValidationError as exc:
            self.add_error(None if "mentorship" not in self.fields else "mentorship", exc.message_dict["mentorship"])
        return cleaned

    def save(self, commit: bool = True):
        """Save the objective and its inline key results and initiatives through ``services.save_objective``."""
        if not commit:
            return super().save(commit=False)
        return services.save_objective(self.instance, save=lambda: super(ObjectiveAdminForm, self).save(commit=True))


class CheckInAdminForm(WagtailAdminModelForm):
    """A check-in: key results limited to those the user may check in on; saved through the service."""

    class Meta:
        model = CheckIn
        fields = ["key_result", "value", "confidence", "note"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        user = self.for_user
        field = self.fields["key_result"]
        field.widget = forms.Select()
        if user is None:
            field.queryset = KeyResult.objects.none()
        else:
            field.queryset = access.check_in_key_results(user).select_related("objective")
        field.label_from_instance = lambda kr: f"{kr.objective.title} \u2014 {kr.title}"
        self.fields["confidence"].required = False

    def clean(self):
        """Check the value for the key result's kind (``validators.validate_check_in_value``) before saving."""
        cleaned = super().clean()
        key_result = cleaned.get("key_result")
        value = cleaned.get("value")
        if key_result is not None and value is not None:
            try:
                validate_check_in_value(key_result.kind, value)
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned

    def save(self, commit: bool = True) -> CheckIn:
        """Record the check-in through ``services.record_check_in`` (which sets the key result's value)."""
        if not commit:
            return super().save(commit=False)
        self.instance = services.record_check_in(
            self.cleaned_data["key_result"],
            self.for_user,
            self.cleaned_data["value"],
            confidence=self.cleaned_data.get("confidence"),
            note=self.cleaned_data.get("note", ""),
        )
        return self.instance


class ObjectiveTemplateAdminForm(WagtailAdminModelForm):
    """An objective template's admin form: its suggested key results within the limit of its programs
    (``limits.template_key_result_limit``, through :class:`KeyResultFormSet`)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        formset = self.formsets.get("key_results")
        if formset is not None:
            formset.get_limit = self._key_result_limit

    def _key_result_limit(self) -> int:
        data = getattr(self, "cleaned_data", None) or {}
        programs = data.get("programs")
        if programs is None:
            return self.instance.max_key_results()
        return template_key_result_limit(list(programs))


class StartFromTemplateForm(forms.Form):
    """The admin's "Start from this template": the pairing the draft objective is for, if any."""

    mentorship = forms.ModelChoiceField(
        label=_("Pairing"),
        queryset=None,
        required=False,
        empty_label=_("None: a personal objective"),
        help_text=_("A pairing template needs its pairing."),
    )

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentorship"].queryset = access.objective_mentorships(user).select_related(
            "mentor", "mentee", "program"
        )
