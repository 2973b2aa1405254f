"""Dashboard forms: one check-in form (optionally logging the session), sessions, scheduling, objectives, templates."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import inlineformset_factory
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from wagtail_mentoring.access.querysets import (
    alignment_parents,
    check_in_key_results,
    participating_mentorships,
    suggested_objective_templates,
)
from wagtail_mentoring.inputs import MAX_LINE_LENGTH, MAX_TEXT_LENGTH, validate_date_window, validate_place_or_link
from wagtail_mentoring.people import display_name
from wagtail_mentoring.programs.groups import log_group_session
from wagtail_mentoring.programs.models import (
    DEFAULT_SESSION_MINUTES,
    MAX_SESSION_MINUTES,
    MentoringSession,
    Mentorship,
)
from wagtail_mentoring.programs.services import add_availability, log_session, plan_session
from wagtail_mentoring.snippets.limits import key_result_limit, validate_key_result_count
from wagtail_mentoring.snippets.models import CheckIn, Initiative, KeyResult, Objective
from wagtail_mentoring.snippets.services import (
    check_objective_limit,
    objective_from_template,
    realign_key_result,
    record_check_in,
    save_initiative,
    save_objective,
)
from wagtail_mentoring.snippets.validators import (
    MAX_CONFIDENCE,
    MIN_CONFIDENCE,
    validate_check_in_value,
    validate_finite,
)


class KeyResultChoiceField(forms.ModelChoiceField):
    """A key result choice labelled "<objective> — <key result>", so that key results with the same title differ."""

    def label_from_instance(self, obj: KeyResult) -> str:
        """Label as "<objective title> — <key result title>" (needs ``objective`` selected to avoid a query per
        choice)."""
        return f"{obj.objective.title} \u2014 {obj.title}"


class DiscussedKeyResultsField(forms.ModelMultipleChoiceField):
    """Key results of the user's pairings, each named with its objective and mentee, so that equal titles differ."""

    def label_from_instance(self, obj: KeyResult) -> str:
        """Label as "<key result> — <objective> (<mentee>)" (needs ``objective__mentorship__mentee`` selected)."""
        mentorship = obj.objective.mentorship
        mentee = display_name(mentorship.mentee) if mentorship is not None else ""
        return (
            f"{obj.title} \u2014 {obj.objective.title} ({mentee})"
            if mentee
            else f"{obj.title} \u2014 {obj.objective.title}"
        )


def _text_field(label, rows: int = 2) -> forms.CharField:
    """An optional text area of at most ``MAX_TEXT_LENGTH`` characters (a session's agenda, notes, next steps)."""
    return forms.CharField(
        label=label, required=False, max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": rows})
    )


def _session_words_fields(notes_rows: int = 2) -> tuple[forms.CharField, forms.CharField, forms.CharField]:
    """The pair's own words about a session: ``(agenda, private notes, next steps)``."""
    return (
        _text_field(_("Agenda")),
        _text_field(_("Private notes (only the pair can read these)"), rows=notes_rows),
        _text_field(_("Next steps")),
    )


class SessionFieldsMixin(forms.Form):
    """The fields of a logged session (date, duration, format, agenda, private notes, next steps)."""

    session_date = forms.DateTimeField(
        label=_("Session date and time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        validators=[validate_date_window],
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=MAX_SESSION_MINUTES, initial=DEFAULT_SESSION_MINUTES
    )
    format = forms.ChoiceField(label=_("Format"), choices=MentoringSession.Format.choices)
    agenda, notes, next_steps = _session_words_fields()

    def session_fields(self) -> dict:
        """The cleaned session fields as keyword arguments for ``programs.services.log_session``.

        An empty date means now; empty text fields are empty strings.
        """
        data = self.cleaned_data
        return {
            "date": data.get("session_date") or timezone.now(),
            "duration_minutes": data["duration_minutes"],
            "format": data["format"],
            "agenda": data.get("agenda", ""),
            "notes": data.get("notes", ""),
            "next_steps": data.get("next_steps", ""),
        }


class CheckInForm(SessionFieldsMixin):
    """Check in on a key result the user may update, and optionally log the session it came from.

    Leaving the value empty records a comment: a check-in with the current value and a note.
    """

    key_result = KeyResultChoiceField(label=_("Key result"), queryset=KeyResult.objects.none())
    value = forms.FloatField(
        label=_("New value"),
        required=False,
        help_text=_("Leave empty to comment without changing the value."),
    )
    confidence = forms.IntegerField(
        label=_("Confidence (0-10)"), min_value=MIN_CONFIDENCE, max_value=MAX_CONFIDENCE, required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )
    log_session = forms.BooleanField(label=_("This came from a mentoring session: log it"), required=False)

    field_order = ["key_result", "value", "confidence", "note", "log_session"]

    def __init__(self, user, *args, key_results=None, **kwargs) -> None:
        kwargs.setdefault("auto_id", "wm-check-in-%s")
        super().__init__(*args, **kwargs)
        self.user = user
        queryset = check_in_key_results(user).select_related("objective__mentorship")
        if key_results is not None:
            queryset = queryset.filter(pk__in=key_results)
        self.fields["key_result"].queryset = queryset.order_by("objective__due_date", "objective_id", "sort_order")
        for name in ("duration_minutes", "format"):
            self.fields[name].required = False

    def clean(self) -> dict:
        """Complete and check the check-in, and the session when *log session* is ticked.

        An empty value with a note becomes a comment at the key result's current value (its start value if
        it has none); an empty value without a note is an error. The value is checked with
        ``snippets.validators.validate_check_in_value``. Logging a session requires the key result's
        pairing to be one the user participates in (``access.querysets.participating_mentorships``); the
        duration defaults to ``DEFAULT_SESSION_MINUTES`` and the format to video.
        """
        data = super().clean()
        kr = data.get("key_result")
        if kr is None:
            return data
        if data.get("value") is None:
            if not data.get("note"):
                raise ValidationError(_("Enter a new value, or a note to comment without changing the value."))
            data["value"] = kr.current_value if kr.current_value is not None else kr.start_value
        try:
            validate_check_in_value(kr.kind, data["value"])
        except ValidationError as exc:
            self.add_error(None, exc)
        if data.get("log_session"):
            mentorship = kr.objective.mentorship
            if mentorship is None or not participating_mentorships(self.user).filter(pk=mentorship.pk).exists():
                self.add_error("log_session", _("This key result is not part of an active pairing of yours."))
            data["duration_minutes"] = data.get("duration_minutes") or DEFAULT_SESSION_MINUTES
            data["format"] = data.get("format") or MentoringSession.Format.VIDEO
        return data

    def save(self) -> tuple[CheckIn, MentoringSession | None]:
        """Record the check-in and (if asked) the session, in one transaction."""
        data = self.cleaned_data
        kr = data["key_result"]
        with transaction.atomic():
            check_in = record_check_in(
                kr, self.user, data["value"], confidence=data.get("confidence"), note=data.get("note", "")
            )
            session = None
            if data.get("log_session"):
                session = log_session(kr.objective.mentorship, self.user, key_results=[kr], **self.session_fields())
        return check_in, session


class SessionForm(SessionFieldsMixin):
    """Log a session of one of the user's active pairings."""

    mentorship = forms.ModelChoiceField(label=_("Pairing"), queryset=Mentorship.objects.none())
    key_results_discussed = DiscussedKeyResultsField(
        label=_("Key results discussed"),
        queryset=KeyResult.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = ["mentorship", "session_date", "duration_minutes", "format", "agenda", "notes", "next_steps"]

    def __init__(self, user, *args, discussed: bool = True, **kwargs) -> None:
        """``discussed=False`` leaves out "Key results discussed" (the dashboard's short form; the pairing
        page offers it): an unbound form then renders no key result at all."""
        kwargs.setdefault("auto_id", "wm-session-%s")
        super().__init__(*args, **kwargs)
        self.user = user
        if not discussed and not self.is_bound:
            del self.fields["key_results_discussed"]
        pairings = participating_mentorships(user).select_related("mentor", "mentee", "program")
        self.fields["mentorship"].queryset = pairings
        self.fields["mentorship"].label_from_instance = str  # Mentorship.__str__: people by name
        if not self.is_bound and "mentorship" not in self.initial:
            only = list(pairings[:2])
            if len(only) == 1:  # the only pairing: preselected, no empty choice
                self.initial["mentorship"] = only[0].pk
                self.fields["mentorship"].empty_label = None
        if "key_results_discussed" in self.fields:
            self.fields["key_results_discussed"].queryset = (
                check_in_key_results(user)
                .filter(objective__mentorship__isnull=False)
                .select_related("objective__mentorship__mentee")
                .order_by("objective__mentorship_id", "objective__due_date", "objective_id", "sort_order", "pk")
            )

    def clean(self) -> dict:
        """Reject key results discussed that belong to another pairing than the one chosen."""
        data = super().clean()
        mentorship = data.get("mentorship")
        for kr in data.get("key_results_discussed") or []:
            if mentorship is not None and kr.objective.mentorship_id != mentorship.pk:
                self.add_error("key_results_discussed", _("Choose only key results of this pairing."))
                break
        return data

    def save(self) -> MentoringSession:
        """Log the session through ``programs.services.log_session`` (the one write path) and return it."""
        data = self.cleaned_data
        return log_session(
            data["mentorship"], self.user, key_results=data.get("key_results_discussed") or [], **self.session_fields()
        )


class GroupSessionForm(SessionFieldsMixin):
    """Log a meeting of a mentoring group or peer circle (its words are the group's own)."""

    def __init__(self, group, user, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "wm-group-session-%s")
        super().__init__(*args, **kwargs)
        self.group, self.user = group, user
        self.fields["notes"].label = _("Group notes")
        self.fields["notes"].help_text = _("Only the group can read these.")

    def save(self):
        """Log the session through ``programs.groups.log_group_session`` (the one write path) and return it."""
        return log_group_session(self.group, self.user, **self.session_fields())


class InitiativeToggleForm(forms.Form):
    """Tick an initiative off (or back on)."""

    done = forms.BooleanField(label=_("Done"), required=False)


class PeopleChoiceField(forms.ModelChoiceField):
    """People by the name the intranet shows (``people.display_name``), not their username."""

    def label_from_instance(self, obj) -> str:
        """The person's full name, else their username."""
        return display_name(obj)


class InitiativeForm(forms.Form):
    """Add a step to an objective's action plan (``snippets.services.save_initiative``): what, who and by when.

    Whom it may be assigned to is the objective's team (``Objective.team_ids``): the owner and, for a pairing's
    objective, the mentor and the mentee.
    """

    title = forms.CharField(label=_("Step"), max_length=Initiative._meta.get_field("title").max_length)
    assignee = PeopleChoiceField(
        label=_("Who does it"), queryset=get_user_model().objects.none(), required=False, empty_label=_("Not assigned")
    )
    due_date = forms.DateField(
        label=_("By when"),
        required=False,
        validators=[validate_date_window],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, objective: Objective, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", f"wm-plan-{objective.pk}-%s")
        super().__init__(*args, **kwargs)
        self.objective = objective
        self.fields["assignee"].queryset = (
            get_user_model().objects.filter(pk__in=objective.team_ids()).order_by("first_name", "last_name", "pk")
        )

    def save(self) -> Initiative:
        """The new step, written through ``save_initiative`` (under the objective's lock).

        Raises:
            ValidationError: the service refused a field.
        """
        data = self.cleaned_data
        return save_initiative(
            Initiative(objective=self.objective, sort_order=self.objective.initiatives.count()),
            title=data["title"],
            assignee=data.get("assignee"),
            due_date=data.get("due_date"),
        )


class ObjectiveForm(forms.ModelForm):
    """An objective the user owns, or the pair's shared objective they co-edit; its pairing is one of theirs.

    Within a pairing, an objective is the owner's own (level mentee or mentor, by their part in the pairing) or,
    ticked ``shared``, the pair's shared objective (level pairing) that mentor and mentee both edit
    (``access.editable_objectives``). A co-editor changes neither its pairing nor whether it is shared.
    """

    shared = forms.BooleanField(
        label=_("Our shared objective"),
        required=False,
        help_text=_(
            "The pair's “why”: one objective that you and your mentor or mentee both edit. "
            "Leave it unticked for an objective of your own within the pairing."
        ),
    )

    class Meta:
        model = Objective
        fields = ["title", "description", "category", "mentorship", "parent", "start_date", "due_date", "status"]
        labels = {"parent": _("Aligned to")}
        help_texts = {
            "parent": _(
                "The objective this one serves: your pair's shared objective, or one of your program's or "
                "organisation's that you can see."
            )
        }
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        pairings = participating_mentorships(user).select_related("mentor", "mentee", "program")
        self.fields["mentorship"].queryset = pairings
        self.fields["mentorship"].required = False
        self.fields["mentorship"].label = _("Pairing")
        self.fields["mentorship"].label_from_instance = str  # Mentorship.__str__: people by name
        self.fields["status"].choices = [c for c in Objective.Status.choices if c[0] != Objective.Status.ARCHIVED]
        self.co_editor = self.instance.pk is not None and self.instance.owner_id != user.pk
        if self.co_editor:
            self.fields["mentorship"].disabled = True
            del self.fields["shared"]
        else:
            self.fields["shared"].initial = self.instance.level == Objective.Level.PAIRING
        if not pairings.exists():
            self.fields.pop("shared", None)
        # The pairing, then whether it is shared, right after it.
        self.fields["parent"].queryset = alignment_parents(user, self.instance).order_by("level", "title", "pk")
        self.fields["parent"].label_from_instance = lambda o: f"{o.title} ({o.get_level_display()})"
        self.order_fields(["title", "description", "category", "mentorship", "shared", "parent"])

    def max_key_results(self) -> int:
        """The key-result limit of the objective being saved (``snippets.limits.key_result_limit``)."""
        mentorship = self.cleaned_data.get("mentorship")
        return key_result_limit(program=mentorship.program if mentorship is not None else None)

    def clean(self) -> dict:
        """Apply the objectives-per-pairing limit (``snippets.services.check_objective_limit``) as an error on
        ``mentorship``."""
        data = super().clean()
        if data.get("shared") and not data.get("mentorship"):
            self.add_error("shared", _("Choose the pairing you share the objective with."))
        try:
            check_objective_limit(data.get("mentorship"), data.get("status"), exclude_pk=self.instance.pk)
        except ValidationError as exc:
            self.add_error("mentorship", exc.message_dict["mentorship"])
        return data

    def level(self) -> str:
        """The objective's level: a co-editor keeps it; otherwise pairing when shared, else the owner's part in
        the pairing (mentor or mentee), else mentee (a personal objective outside any pairing)."""
        if self.co_editor:
            return self.instance.level
        mentorship = self.cleaned_data.get("mentorship")
        if mentorship is None:
            return Objective.Level.MENTEE
        if self.cleaned_data.get("shared"):
            return Objective.Level.PAIRING
        owner_id = self.instance.owner_id or self.user.pk
        return Objective.Level.MENTOR if mentorship.mentor_id == owner_id else Objective.Level.MENTEE

    def save(self, commit: bool = True) -> Objective:
        """The objective (owner, program and level set); saved through ``services.save_objective``."""
        objective = super().save(commit=False)
        if objective.owner_id is None:
            objective.owner = self.user
        mentorship = self.cleaned_data.get("mentorship")
        objective.program = mentorship.program if mentorship else None
        objective.level = self.level()
        if commit:
            save_objective(objective, by=self.user)
        return objective

    def save_with_key_results(self, formset) -> Objective:
        """Save the objective and its key results (``formset``) in one locked, atomic write.

        Raises:
            ValidationError: a limit was reached meanwhile (nothing is saved).
        """
        objective = self.save(commit=False)

        def write() -> None:
            objective.save()
            formset.instance = objective
            formset.save()

        return save_objective(objective, save=write, by=self.user)


class KeyResultForm(forms.ModelForm):
    """One key result of the objective form's formset; its limit and validation live in ``snippets``."""

    class Meta:
        model = KeyResult
        fields = ["title", "kind", "unit", "start_value", "target_value", "weight", "due_date"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class BaseKeyResultFormSet(forms.BaseInlineFormSet):
    """Key results of an objective, within the program's limit (``max_key_results``)."""

    limit: int | None = None

    def clean(self) -> None:
        """Require at least one key result that is kept, and at most the limit.

        Deleted forms and untouched extra forms do not count; the limit (``self.limit``, from
        ``snippets.limits.key_result_limit``) is checked by ``snippets.limits.validate_key_result_count``.
        """
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.has_changed() or f.instance.pk]
        kept = [f for f in kept if not (self.can_delete and self._should_delete_form(f))]
        if not kept:
            raise ValidationError(_("Add at least one key result: it is how progress is measured."))
        if self.limit is not None:
            validate_key_result_count(len(kept), self.limit)


KeyResultFormSet = inlineformset_factory(
    Objective,
    KeyResult,
    form=KeyResultForm,
    formset=BaseKeyResultFormSet,
    fk_name="objective",
    extra=2,
    max_num=20,
    absolute_max=20,  # a posted TOTAL_FORMS of 1000 is refused, not built and rendered
    can_delete=True,
)


# --- scheduling -----------------------------------------------------------------------------------
def _location_field() -> forms.CharField:
    return forms.CharField(
        label=_("Place or meeting link"),
        required=False,
        max_length=MAX_LINE_LENGTH,
        validators=[validate_place_or_link],
        help_text=_("A room, an address or a video-call link (https://...)."),
    )


class PlanSessionForm(forms.Form):
    """Plan a session of one of the user's active pairings (``programs.services.plan_session``)."""

    mentorship = forms.ModelChoiceField(label=_("Pairing"), queryset=Mentorship.objects.none())
    date = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        validators=[validate_date_window],
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=MAX_SESSION_MINUTES, initial=DEFAULT_SESSION_MINUTES
    )
    format = forms.ChoiceField(label=_("Format"), choices=MentoringSession.Format.choices)
    location = _location_field()
    agenda = _text_field(_("Agenda (private to the pair)"))

    def __init__(self, user, *args, **kwargs) -> None:
        """The pairings offered are the user's active ones (``access.participating_mentorships``)."""
        kwargs.setdefault("auto_id", "wm-plan-%s")
        super().__init__(*args, **kwargs)
        self.user = user
        pairings = participating_mentorships(user).select_related("mentor", "mentee", "program")
        self.fields["mentorship"].queryset = pairings
        self.fields["mentorship"].label_from_instance = str
        if not self.is_bound and "mentorship" not in self.initial:
            only = list(pairings[:2])
            if len(only) == 1:
                self.initial["mentorship"] = only[0].pk
                self.fields["mentorship"].empty_label = None

    def save(self) -> MentoringSession:
        """Plan through ``programs.services.plan_session`` (the invitations go out after the commit)."""
        data = dict(self.cleaned_data)
        mentorship = data.pop("mentorship")
        return plan_session(mentorship, self.user, **data)


class AvailabilityForm(forms.Form):
    """A time the mentor offers: a day, a start and an end time, a note (``programs.services.add_availability``)."""

    day = forms.DateField(
        label=_("Day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_date_window],
    )
    start_time = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=MAX_LINE_LENGTH,
        help_text=_("For example “video only” or “in the Milan office”."),
    )

    def __init__(self, user, *args, **kwargs) -> None:
        """The slot is the user's own."""
        kwargs.setdefault("auto_id", "wm-slot-%s")
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict:
        """Combine the day and times into aware date-times of the current time zone (``start``, ``end``)."""
        data = super().clean()
        if data.get("day") and data.get("start_time") and data.get("end_time"):
            tz = timezone.get_current_timezone()
            data["start"] = timezone.make_aware(dt.datetime.combine(data["day"], data["start_time"]), tz)
            data["end"] = timezone.make_aware(dt.datetime.combine(data["day"], data["end_time"]), tz)
        return data

    def save(self):
        """Publish through ``programs.services.add_availability`` (future, no overlap, under the mentor's lock)."""
        data = self.cleaned_data
        return add_availability(self.user, data["start"], data["end"], data.get("note", ""))


class ProposeSlotForm(forms.Form):
    """How the mentee would like to meet in the mentor's slot (``programs.services.propose_slot``)."""

    format = forms.ChoiceField(label=_("Format"), choices=MentoringSession.Format.choices)
    location = _location_field()
    agenda = _text_field(_("What would you like to talk about? (private to the pair)"))


class HeldSessionForm(forms.Form):
    """What the pair writes down once a planned session took place (``programs.services.mark_session_held``)."""

    agenda, notes, next_steps = _session_words_fields(notes_rows=3)


class StartFromTemplateForm(forms.Form):
    """ "Start from a template": one of the templates offered to the user, and optionally one of their pairings.

    ``save()`` creates the draft objective through ``snippets.services.objective_from_template`` (the same
    limits as any objective); a refusal becomes a form error.
    """

    template = forms.ModelChoiceField(label=_("Template"), queryset=None, widget=forms.HiddenInput)
    mentorship = forms.ModelChoiceField(label=_("Pairing"), queryset=None, required=False)

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["template"].queryset = suggested_objective_templates(user)
        self.fields["mentorship"].queryset = participating_mentorships(user).select_related(
            "mentor", "mentee", "program"
        )
        self.fields["mentorship"].label_from_instance = str  # Mentorship.__str__: people by name

    def save(self) -> Objective:
        """The draft objective, owned by the user.

        Raises:
            ValidationError: the service refused (a limit, a pairing template without a pairing...).
        """
        return objective_from_template(
            self.cleaned_data["template"], owner=self.user, mentorship=self.cleaned_data.get("mentorship")
        )


class KeyResultReviewForm(forms.Form):
    """Review a key result that is at risk, off track or missed, and realign it
    (``snippets.services.realign_key_result``): what happened, what changes, a new target or due date."""

    what_happened = forms.CharField(
        label=_("What happened?"),
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What got in the way, or what you learnt about the goal."),
    )
    what_changes = forms.CharField(
        label=_("What changes?"),
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you will do differently, or why the target or due date moves."),
    )
    target_value = forms.FloatField(label=_("Target"), required=False, validators=[validate_finite])
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        validators=[validate_date_window],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, key_result: KeyResult, user, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "wm-review-%s")
        # The target as typed ("20", not "20.0"): the number input shows the initial value as it is.
        target = f"{key_result.target_value:g}"
        kwargs.setdefault("initial", {"target_value": target, "due_date": key_result.due_date})
        super().__init__(*args, **kwargs)
        self.key_result = key_result
        self.user = user
        if key_result.is_numeric:
            if key_result.unit:
                self.fields["target_value"].label = _("Target (%(unit)s)") % {"unit": key_result.unit}
            self.fields["target_value"].help_text = _(
                "Now %(target)s. Change it only if the goal itself was wrong."
            ) % {"target": key_result.target_text}
        else:
            del self.fields["target_value"]
        self.fields["due_date"].help_text = (
            _("Now %(date)s.") % {"date": formats.date_format(key_result.due_date)}
            if key_result.due_date
            else _("None yet: the objective's due date applies.")
        )

    def save(self):
        """The saved :class:`~wagtail_mentoring.snippets.models.Realignment`.

        Raises:
            ValidationError: the service refused (the key result is on track, a field is invalid...).
        """
        data = self.cleaned_data
        return realign_key_result(
            self.key_result,
            self.user,
            what_happened=data["what_happened"],
            what_changes=data["what_changes"],
            target_value=data.get("target_value"),
            due_date=data.get("due_date"),
        )


class MentorChoiceForm(forms.Form):
    """The mentee's choice among the mentors suggested to them."""

    mentor = forms.TypedChoiceField(label=_("Mentor"), coerce=int, choices=())

    def __init__(self, suggestions, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentor"].choices = [(s.mentor_id, s.mentor_name) for s in suggestions]
        self.fields["mentor"].error_messages["invalid_choice"] = _("Choose one of the suggested mentors.")
