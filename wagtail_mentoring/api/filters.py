"""django-filter filter sets and the ordering backend of the API lists.

Related objects are filtered by id with integer filters (never a choice filter over all rows), so a
filter can neither widen a list beyond the access queryset nor reveal which ids exist.

Every filter is strict, as the schema declares it: a value that is not valid for its filter (an empty
``?done=``, ``?status=nope``, ``?ordering=secret``) is a 400 with a field error, never silently ignored.
"""

from __future__ import annotations

import datetime as dt

import django_filters as filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from wagtail_mentoring import models
from wagtail_mentoring.inputs import ID_MAX

#: The largest id a filter accepts: a signed 64-bit integer (bigint); a larger value is a 400, not a database error.

#: Spellings of a boolean query parameter (any letter case).
TRUE_VALUES = frozenset({"true", "1", "yes", "on", "t", "y"})
FALSE_VALUES = frozenset({"false", "0", "no", "off", "f", "n"})


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": ID_MAX})
class IdFilter(filters.NumberFilter):
    """An object id: a positive integer that fits the database's bigint."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


class StrictBooleanField(forms.Field):
    """``true`` or ``false`` (also ``1``/``0``, ``yes``/``no``, ``on``/``off``); anything else is an error."""

    def to_python(self, value):
        """The boolean ``value`` spells, None when empty."""
        if value in self.empty_values:
            return None
        text = str(value).lower()
        if text in TRUE_VALUES:
            return True
        if text in FALSE_VALUES:
            return False
        raise forms.ValidationError(_("Enter true or false."), code="invalid")


class BooleanFilter(filters.BooleanFilter):
    """A boolean filter that refuses values that are not booleans (django-filter ignores them)."""

    field_class = StrictBooleanField


class DateTimeFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 date-time bound; one too close to year 1 or 9999 to convert to UTC matches as that limit."""

    def filter(self, qs, value):
        """Filter on ``value`` in UTC, clamped to what Python's date-time can hold."""
        if value is not None and dt.UTC != value.tzinfo:
            try:
                value = value.astimezone(dt.UTC)
            except OverflowError:
                limit = dt.datetime.min if value.year == dt.MINYEAR else dt.datetime.max
                value = limit.replace(tzinfo=dt.UTC)
        return super().filter(qs, value)


class FilterSet(filters.FilterSet):
    """A filter set where a parameter given with an empty value (``?done=``) is an error, not "no filter"."""

    def is_valid(self) -> bool:
        """Django-filter's validation, plus an error for each parameter given empty."""
        valid = super().is_valid()
        for name in self.filters:
            if name in self.data and self.data.get(name) in ("", None):
                self.form.add_error(name, _("This value may not be empty."))
                valid = False
        return valid


class MentoringFilterBackend(DjangoFilterBackend):
    """django-filter's backend, skipping the filter set when the request names none of its filters.

    A filter set given none of its parameters leaves the queryset as it is (each filter's value is
    empty), but building it (a copy of every filter, a form, its validation) is a fixed cost on every
    list; without any of its parameters the backend returns the queryset untouched. A parameter that
    only starts like a filter's name (``created_after`` for ``created``) still goes through the filter
    set, so its errors are unchanged.
    """

    def filter_queryset(self, request, queryset, view):
        """The filtered queryset; the queryset itself when no query parameter belongs to the filter set."""
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or not names_any_filter(filterset_class, request.query_params):
            return queryset
        return super().filter_queryset(request, queryset, view)


def names_any_filter(filterset_class: type[filters.FilterSet], params) -> bool:
    """Does any of the query ``params`` belong to a filter of ``filterset_class`` (its name, or its name
    and a suffix, as a range filter's ``<name>_min``)?"""
    names = filterset_class.base_filters.keys()
    prefixes = tuple(f"{name}_" for name in names)
    return any(key in names or key.startswith(prefixes) for key in params)


class StrictOrderingFilter(OrderingFilter):
    """``?ordering=a,-b`` over the view's ``ordering_fields``; an unknown or empty term is a 400."""

    def get_valid_terms(self, view) -> list[str]:
        """Every accepted term: each ordering field, ascending and descending."""
        fields = list(getattr(view, "ordering_fields", None) or [])
        return [term for field in fields for term in (field, f"-{field}")]

    def get_ordering(self, request, queryset, view):
        """The requested ordering terms, or the view's default (400 for an unknown or empty term)."""
        if self.ordering_param not in request.query_params:
            return self.get_default_ordering(view)
        terms = request.query_params[self.ordering_param].split(",")
        valid = set(self.get_valid_terms(view))
        unknown = [term for term in terms if term not in valid]
        if unknown:
            raise ValidationError(
                {
                    self.ordering_param: [
                        _("Unknown ordering %(terms)s; use one or more of: %(valid)s.")
                        % {"terms": ", ".join(repr(term) for term in unknown), "valid": ", ".join(sorted(valid))}
                    ]
                }
            )
        return terms

    def get_schema_operation_parameters(self, view) -> list[dict]:
        """``ordering`` as a comma-separated list of the accepted terms."""
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": str(_("Comma-separated fields to sort by; a leading '-' sorts descending.")),
                "schema": {
                    "type": "array",
                    "items": {"type": "string", "enum": self.get_valid_terms(view)},
                    "minItems": 1,
                },
                "style": "form",
                "explode": False,
            }
        ]


class ProgramFilter(FilterSet):
    """``?enrolment_open=true|false``: programs open (or closed) for enrolment."""

    enrolment_open = BooleanFilter()

    class Meta:
        model = models.MentoringProgramPage
        fields = ["enrolment_open"]


class EnrolmentFilter(FilterSet):
    """``?program=<id>``, ``?role=mentor|mentee`` and ``?status=``: enrolments by program, role and status."""

    program = IdFilter(field_name="program_id")
    role = filters.ChoiceFilter(choices=models.Enrolment.Role.choices)
    status = filters.ChoiceFilter(choices=models.Enrolment.Status.choices)

    class Meta:
        model = models.Enrolment
        fields = ["program", "role", "status"]


class MentorshipFilter(FilterSet):
    """``?program=<id>`` and ``?status=``: pairings by program and lifecycle status."""

    program = IdFilter(field_name="program_id")
    status = filters.ChoiceFilter(choices=models.Mentorship.Status.choices)

    class Meta:
        model = models.Mentorship
        fields = ["program", "status"]


class ObjectiveFilter(FilterSet):
    """Objectives by status, category, level and by pairing, program, cycle or owner id."""

    status = filters.ChoiceFilter(choices=models.Objective.Status.choices)
    category = filters.ChoiceFilter(choices=models.Objective.Category.choices)
    level = filters.ChoiceFilter(choices=models.Objective.Level.choices)
    mentorship = IdFilter(field_name="mentorship_id")
    program = IdFilter(field_name="program_id")
    cycle = IdFilter(field_name="cycle_id")
    owner = IdFilter(field_name="owner_id")

    class Meta:
        model = models.Objective
        fields = ["status", "category", "level", "mentorship", "program", "cycle", "owner"]


class ObjectiveTemplateFilter(FilterSet):
    """Objective templates by category, level, program id (its own and those of every program) and language."""

    category = filters.ChoiceFilter(choices=models.Objective.Category.choices)
    level = filters.ChoiceFilter(choices=models.ObjectiveTemplate._meta.get_field("level").choices)
    program = IdFilter(method="filter_program")
    language = filters.CharFilter(field_name="locale__language_code", max_length=100)

    class Meta:
        model = models.ObjectiveTemplate
        fields = ["category", "level", "program", "language"]

    def filter_program(self, queryset, name, value):
        """Templates offered in program ``value``: its own, and those offered in every program."""
        offered = models.ObjectiveTemplate.objects.filter(Q(programs=value) | Q(programs__isnull=True))
        return queryset.filter(pk__in=offered.values("pk"))


class KeyResultFilter(FilterSet):
    """``?objective=<id>`` and ``?kind=``: key results of one objective, or of one kind."""

    objective = IdFilter(field_name="objective_id")
    kind = filters.ChoiceFilter(choices=models.KeyResult.Kind.choices)

    class Meta:
        model = models.KeyResult
        fields = ["objective", "kind"]


class CheckInFilter(FilterSet):
    """Check-ins by key result or objective id, and ``created_after`` (inclusive) / ``created_before`` (exclusive)."""

    key_result = IdFilter(field_name="key_result_id")
    objective = IdFilter(field_name="key_result__objective_id")
    created_after = DateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = DateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = models.CheckIn
        fields = ["key_result", "objective", "created_after", "created_before"]


class RealignmentFilter(FilterSet):
    """Reviews and realignments by key result or objective id."""

    key_result = IdFilter(field_name="key_result_id")
    objective = IdFilter(field_name="key_result__objective_id")

    class Meta:
        model = models.Realignment
        fields = ["key_result", "objective"]


class InitiativeFilter(FilterSet):
    """``?objective=<id>`` and ``?done=true|false``: one objective's action plan, done or still open."""

    objective = IdFilter(field_name="objective_id")
    done = BooleanFilter()

    class Meta:
        model = models.Initiative
        fields = ["objective", "done"]


class SessionFilter(FilterSet):
    """``?mentorship=<id>``, ``?status=``, ``date_after`` (inclusive), ``date_before`` (exclusive): a pairing's sessions."""

    mentorship = IdFilter(field_name="mentorship_id")
    date_after = DateTimeFilter(field_name="date", lookup_expr="gte")
    date_before = DateTimeFilter(field_name="date", lookup_expr="lt")

    status = filters.ChoiceFilter(choices=models.MentoringSession.Status.choices)

    class Meta:
        model = models.MentoringSession
        fields = ["mentorship", "status", "date_after", "date_before"]


class AvailabilitySlotFilter(FilterSet):
    """``?mentor=<id>``, ``start_after`` (inclusive), ``start_before`` (exclusive): a mentor's slots in a window."""

    mentor = IdFilter(field_name="mentor_id")
    start_after = DateTimeFilter(field_name="start", lookup_expr="gte")
    start_before = DateTimeFilter(field_name="start", lookup_expr="lt")

    class Meta:
        model = models.AvailabilitySlot
        fields = ["mentor", "start_after", "start_before"]


class FeedbackFilter(FilterSet):
    """``?mentorship=<id>``, ``?program=<id>`` and ``?kind=``: the caller's feedback by subject and kind."""

    mentorship = IdFilter(field_name="mentorship_id")
    program = IdFilter(field_name="program_id")
    kind = filters.ChoiceFilter(choices=models.Feedback.Kind.choices)

    class Meta:
        model = models.Feedback
        fields = ["mentorship", "program", "kind"]


class SkillRatingFilter(FilterSet):
    """``?program=<id>``, ``?skill=<id>``, ``?subject=<id>`` and ``?moment=``: skill ratings by program, skill, person
    rated and moment."""

    program = IdFilter(field_name="skill__program_id")
    skill = IdFilter(field_name="skill_id")
    subject = IdFilter(field_name="subject_id")
    moment = filters.ChoiceFilter(choices=models.SkillRating.Moment.choices)

    class Meta:
        model = models.SkillRating
        fields = ["program", "skill", "subject", "moment"]


class TrainingResourceFilter(FilterSet):
    """``?resource_type=`` and ``?audience=``: resources by type (article, video...) and audience."""

    resource_type = filters.ChoiceFilter(choices=models.TrainingResourcePage.ResourceType.choices)
    audience = filters.ChoiceFilter(choices=models.TrainingResourcePage.audience.field.choices)

    class Meta:
        model = models.TrainingResourcePage
        fields = ["resource_type", "audience"]


class CompletionFilter(FilterSet):
    """``?resource=<id>``: has the caller completed this resource?"""

    resource = IdFilter(field_name="resource_id")

    class Meta:
        model = models.TrainingCompletion
        fields = ["resource"]


class EventFilter(FilterSet):
    """``?audience=``, ``start_after`` (inclusive) and ``start_before`` (exclusive): events by audience and start."""

    audience = filters.ChoiceFilter(choices=models.TrainingEvent.audience.field.choices)
    start_after = DateTimeFilter(field_name="start", lookup_expr="gte")
    start_before = DateTimeFilter(field_name="start", lookup_expr="lt")

    class Meta:
        model = models.TrainingEvent
        fields = ["audience", "start_after", "start_before"]


class RegistrationFilter(FilterSet):
    """``?event=<id>``: the caller's registration for one event."""

    event = IdFilter(field_name="event_id")

    class Meta:
        model = models.TrainingRegistration
        fields = ["event"]
