"""Filters of the training library: type, audience, topic and duration."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from wagtail_mentoring.training.models import Audience, TrainingResourcePage, TrainingResourceTopic

#: Duration ranges offered by the library: key -> (label, minimum minutes, maximum minutes or None).
DURATION_RANGES: dict[str, tuple[str, int, int | None]] = {
    "short": (_("Up to 15 minutes"), 0, 15),
    "medium": (_("15 minutes to 1 hour"), 16, 60),
    "long": (_("1 to 4 hours"), 61, 240),
    "extended": (_("More than 4 hours"), 241, None),
}


def duration_range_q(key: str) -> Q:
    """The ``Q`` selecting resources whose duration falls in the range ``key``."""
    _label, low, high = DURATION_RANGES[key]
    q = Q(duration_minutes__gte=low)
    if high is not None:
        q &= Q(duration_minutes__lte=high)
    return q


class TrainingResourceFilterSet(django_filters.FilterSet):
    """Filters for the library listing; ``q`` (the search) is applied by the view with Wagtail search."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_nothing", max_length=200)
    resource_type = django_filters.ChoiceFilter(
        label=_("Type"), choices=TrainingResourcePage.ResourceType.choices, empty_label=_("Any type")
    )
    audience = django_filters.ChoiceFilter(
        label=_("Audience"),
        choices=Audience.choices,
        empty_label=_("Anyone"),
        method="filter_audience",
        help_text=_("Resources for everyone are included."),
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        field_name="topics",
        to_field_name="slug",
        queryset=Tag.objects.filter(
            pk__in=TrainingResourceTopic.objects.values("tag_id"),
        ).order_by("name"),
        empty_label=_("Any topic"),
    )
    duration = django_filters.ChoiceFilter(
        label=_("Length"),
        choices=[(key, label) for key, (label, _low, _high) in DURATION_RANGES.items()],
        empty_label=_("Any length"),
        method="filter_duration",
    )

    class Meta:
        model = TrainingResourcePage
        fields: list[str] = []

    def filter_nothing(self, queryset: QuerySet, name: str, value) -> QuerySet:
        """Leave the queryset alone: ``q`` is only declared for the form; the view searches with it."""
        return queryset

    def filter_audience(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Resources for that audience and for everyone; choosing *everyone* shows only those."""
        if value == Audience.EVERYONE:
            return queryset.filter(audience=value)
        return queryset.filter(audience__in=[value, Audience.EVERYONE])

    def filter_duration(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Resources within the chosen length range (``DURATION_RANGES``)."""
        return queryset.filter(duration_range_q(value))

    @property
    def form(self) -> forms.Form:
        """The filter form, its ``q`` field rendered as a search input."""
        form = super().form
        form.fields["q"].widget.attrs.setdefault("type", "search")
        return form
