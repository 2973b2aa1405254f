"""Listing filters for objectives and check-ins (django-filter, in Wagtail's filter UI)."""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets import AdminDateInput

from wagtail_mentoring.access import querysets as access
from wagtail_mentoring.snippets.annotations import with_health
from wagtail_mentoring.snippets.models import HEALTH_CHOICES, CheckIn, Objective, OKRCycle


class ObjectiveFilterSet(WagtailFilterSet):
    """Filter objectives by cycle, status, category, owner and health (computed in SQL, not in Python).

    Health is "as of today": the filter annotates every objective with its weighted progress and
    expected progress in the database (see ``snippets.annotations``) and keeps the matching ids, so
    the listing's query count does not depend on how many objectives there are.
    """

    cycle = django_filters.ModelChoiceFilter(label=_("Cycle"), queryset=OKRCycle.objects.all())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Objective.Status.choices)
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Objective.Category.choices)
    health = django_filters.ChoiceFilter(label=_("Health"), choices=HEALTH_CHOICES, method="filter_health")
    owner = django_filters.ModelChoiceFilter(label=_("Owner"), queryset=get_user_model().objects.none())
    due_after = django_filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label=_("Due on or after"), widget=AdminDateInput
    )

    class Meta:
        model = Objective
        fields = ["cycle", "status", "category", "health", "owner"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        owners = access.visible_objectives(getattr(self.request, "user", None)).values("owner")
        self.filters["owner"].queryset = get_user_model().objects.filter(pk__in=owners).order_by("username")

    def filter_health(self, queryset, name, value):
        """Keep the objectives whose health today is ``value`` (``annotations.with_health``, one query)."""
        if not value:
            return queryset
        matching = with_health(Objective.objects.all(), timezone.localdate()).filter(health_value=value)
        return queryset.filter(pk__in=matching.values("pk"))


class CheckInFilterSet(WagtailFilterSet):
    """Filter check-ins by the day they were made (on or after a date)."""

    created_after = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("On or after"), widget=AdminDateInput
    )

    class Meta:
        model = CheckIn
        fields = ["created_after"]
