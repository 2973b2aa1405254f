"""django-filter filter sets for the API lists.

Related objects are filtered by id with integer filters (never a choice filter over all rows), so a
filter can neither widen a list beyond the access queryset nor reveal which ids exist.
"""

from __future__ import annotations

import django_filters as filters
from django import forms

from wagtail_mentoring import models

MAX_ID = 2**63 - 1


class IdFilter(filters.NumberFilter):
    """An object id: a positive integer that fits the database's bigint."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class ProgramFilter(filters.FilterSet):
    enrolment_open = filters.BooleanFilter()

    class Meta:
        model = models.MentoringProgramPage
        fields = ["enrolment_open"]


class EnrolmentFilter(filters.FilterSet):
    program = IdFilter(field_name="program_id")
    role = filters.ChoiceFilter(choices=models.Enrolment.Role.choices)
    status = filters.ChoiceFilter(choices=models.Enrolment.Status.choices)

    class Meta:
        model = models.Enrolment
        fields = ["program", "role", "status"]


class MentorshipFilter(filters.FilterSet):
    program = IdFilter(field_name="program_id")
    status = filters.ChoiceFilter(choices=models.Mentorship.Status.choices)

    class Meta:
        model = models.Mentorship
        fields = ["program", "status"]


class ObjectiveFilter(filters.FilterSet):
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
    objective = IdFilter(field_name="objective_id")
    kind = filters.ChoiceFilter(choices=models.KeyResult.Kind.choices)

    class Meta:
        model = models.KeyResult
        fields = ["objective", "kind"]


class CheckInFilter(filters.FilterSet):
    key_result = IdFilter(field_name="key_result_id")
    objective = IdFilter(field_name="key_result__objective_id")
    created_after = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = models.CheckIn
        fields = ["key_result", "objective", "created_after", "created_before"]


class InitiativeFilter(filters.FilterSet):
    objective = IdFilter(field_name="objective_id")
    done = filters.BooleanFilter()

    class Meta:
        model = models.Initiative
        fields = ["objective", "done"]


class SessionFilter(filters.FilterSet):
    mentorship = IdFilter(field_name="mentorship_id")
    date_after = filters.IsoDateTimeFilter(field_name="date", lookup_expr="gte")
    date_before = filters.IsoDateTimeFilter(field_name="date", lookup_expr="lt")

    class Meta:
        model = models.MentoringSession
        fields = ["mentorship", "date_after", "date_before"]


class FeedbackFilter(filters.FilterSet):
    mentorship = IdFilter(field_name="mentorship_id")
    program = IdFilter(field_name="program_id")
    kind = filters.ChoiceFilter(choices=models.Feedback.Kind.choices)

    class Meta:
        model = models.Feedback
        fields = ["mentorship", "program", "kind"]


class TrainingResourceFilter(filters.FilterSet):
    resource_type = filters.ChoiceFilter(choices=models.TrainingResourcePage.ResourceType.choices)
    audience = filters.ChoiceFilter(choices=models.TrainingResourcePage.audience.field.choices)

    class Meta:
        model = models.TrainingResourcePage
        fields = ["resource_type", "audience"]


class CompletionFilter(filters.FilterSet):
    resource = IdFilter(field_name="resource_id")

    class Meta:
        model = models.TrainingCompletion
        fields = ["resource"]


class EventFilter(filters.FilterSet):
    audience = filters.ChoiceFilter(choices=models.TrainingEvent.audience.field.choices)
    start_after = filters.IsoDateTimeFilter(field_name="start", lookup_expr="gte")
    start_before = filters.IsoDateTimeFilter(field_name="start", lookup_expr="lt")

    class Meta:
        model = models.TrainingEvent
        fields = ["audience", "start_after", "start_before"]


class RegistrationFilter(filters.FilterSet):
    event = IdFilter(field_name="event_id")

    class Meta:
        model = models.TrainingRegistration
        fields = ["event"]
