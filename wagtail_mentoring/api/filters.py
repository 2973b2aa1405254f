"""django-filter filter sets for the API lists.

Related objects are filtered by id with integer filters (never a choice filter over all rows), so a
filter can neither widen a list beyond the access queryset nor reveal which ids exist.
"""

from __future__ import annotations

import django_filters as filters
from django import forms

from wagtail_mentoring import models

#: The largest id a filter accepts: a signed 64-bit integer (bigint); a larger value is a 400, not a database error.
MAX_ID = 2**63 - 1


class IdFilter(filters.NumberFilter):
    """An object id: a positive integer that fits the database's bigint."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class ProgramFilter(filters.FilterSet):
    """``?enrolment_open=true|false``: programs open (or closed) for enrolment."""

    enrolment_open = filters.BooleanFilter()

    class Meta:
        model = models.MentoringProgramPage
        fields = ["enrolment_open"]


class EnrolmentFilter(filters.FilterSet):
    """``?program=<id>``, ``?role=mentor|mentee`` and ``?status=``: enrolments by program, role and status."""

    program = IdFilter(field_name="program_id")
    role = filters.ChoiceFilter(choices=models.Enrolment.Role.choices)
    status = filters.ChoiceFilter(choices=models.Enrolment.Status.choices)

    class Meta:
        model = models.Enrolment
        fields = ["program", "role", "status"]


class MentorshipFilter(filters.FilterSet):
    """``?program=<id>`` and ``?status=``: pairings by program and lifecycle status."""

    program = IdFilter(field_name="program_id")
    status = filters.ChoiceFilter(choices=models.Mentorship.Status.choices)

    class Meta:
        model = models.Mentorship
        fields = ["program", "status"]


class ObjectiveFilter(filters.FilterSet):
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


class KeyResultFilter(filters.FilterSet):
    """``?objective=<id>`` and ``?kind=``: key results of one objective, or of one kind."""

    objective = IdFilter(field_name="objective_id")
    kind = filters.ChoiceFilter(choices=models.KeyResult.Kind.choices)

    class Meta:
        model = models.KeyResult
        fields = ["objective", "kind"]


class CheckInFilter(filters.FilterSet):
    """Check-ins by key result or objective id, and ``created_after`` (inclusive) / ``created_before`` (exclusive)."""

    key_result = IdFilter(field_name="key_result_id")
    objective = IdFilter(field_name="key_result__objective_id")
    created_after = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = models.CheckIn
        fields = ["key_result", "objective", "created_after", "created_before"]


class InitiativeFilter(filters.FilterSet):
    """``?objective=<id>`` and ``?done=true|false``: one objective's action plan, done or still open."""

    objective = IdFilter(field_name="objective_id")
    done = filters.BooleanFilter()

    class Meta:
        model = models.Initiative
        fields = ["objective", "done"]


class SessionFilter(filters.FilterSet):
    """``?mentorship=<id>``, ``date_after`` (inclusive), ``date_before`` (exclusive): a pairing's sessions."""

    mentorship = IdFilter(field_name="mentorship_id")
    date_after = filters.IsoDateTimeFilter(field_name="date", lookup_expr="gte")
    date_before = filters.IsoDateTimeFilter(field_name="date", lookup_expr="lt")

    class Meta:
        model = models.MentoringSession
        fields = ["mentorship", "date_after", "date_before"]


class FeedbackFilter(filters.FilterSet):
    """``?mentorship=<id>``, ``?program=<id>`` and ``?kind=``: the caller's feedback by subject and kind."""

    mentorship = IdFilter(field_name="mentorship_id")
    program = IdFilter(field_name="program_id")
    kind = filters.ChoiceFilter(choices=models.Feedback.Kind.choices)

    class Meta:
        model = models.Feedback
        fields = ["mentorship", "program", "kind"]


class TrainingResourceFilter(filters.FilterSet):
    """``?resource_type=`` and ``?audience=``: resources by type (article, video...) and audience."""

    resource_type = filters.ChoiceFilter(choices=models.TrainingResourcePage.ResourceType.choices)
    audience = filters.ChoiceFilter(choices=models.TrainingResourcePage.audience.field.choices)

    class Meta:
        model = models.TrainingResourcePage
        fields = ["resource_type", "audience"]


class CompletionFilter(filters.FilterSet):
    """``?resource=<id>``: has the caller completed this resource?"""

    resource = IdFilter(field_name="resource_id")

    class Meta:
        model = models.TrainingCompletion
        fields = ["resource"]


class EventFilter(filters.FilterSet):
    """``?audience=``, ``start_after`` (inclusive) and ``start_before`` (exclusive): events by audience and start."""

    audience = filters.ChoiceFilter(choices=models.TrainingEvent.audience.field.choices)
    start_after = filters.IsoDateTimeFilter(field_name="start", lookup_expr="gte")
    start_before = filters.IsoDateTimeFilter(field_name="start", lookup_expr="lt")

    class Meta:
        model = models.TrainingEvent
        fields = ["audience", "start_after", "start_before"]


class RegistrationFilter(filters.FilterSet):
    """``?event=<id>``: the caller's registration for one event."""

    event = IdFilter(field_name="event_id")

    class Meta:
        model = models.TrainingRegistration
        fields = ["event"]
