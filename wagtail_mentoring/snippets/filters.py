"""Listing filters for objectives, check-ins and objective templates (django-filter, in Wagtail's filter UI)."""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets import AdminDateInput
from wagtail.models import Locale

from wagtail_mentoring.access import querysets as access
from wagtail_mentoring.programs.models import MentoringProgramPage
from wagtail_mentoring.snippets.annotations import with_health
from wagtail_mentoring.snippets.library import TEMPLATE_LEVEL_CHOICES, ObjectiveTemplate
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


class ObjectiveTemplateFilterSet(WagtailFilterSet):
    """Filter objective templates by category, level, program (its own or "every program") and language.

    Program and language filter by id, so Wagtail search still applies on the result.
    """

    category = django_filters.ChoiceFilter(label=_("Category"), choices=Objective.Category.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=TEMPLATE_LEVEL_CHOICES)
    program = django_filters.ModelChoiceFilter(
        label=_("Program"), queryset=MentoringProgramPage.objects.none(), method="filter_program"
    )
    locale = django_filters.ModelChoiceFilter(
        label=_("Language"), queryset=Locale.objects.all(), method="filter_locale"
    )

    class Meta:
        model = ObjectiveTemplate
        fields = ["category", "level", "program", "locale"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.filters["program"].queryset = access.visible_pages(user, MentoringProgramPage.objects.all()).order_by(
            "title"
        )

    def filter_program(self, queryset, name, value):
        """Templates offered in ``value``: its own, and those offered in every program."""
        if not value:
            return queryset
        offered = ObjectiveTemplate.objects.filter(Q(programs=value) | Q(programs__isnull=True))
        return queryset.filter(pk__in=offered.values("pk"))

    def filter_locale(self, queryset, name, value):
        """Templates in the language ``value``."""
        if not value:
            return queryset
        return queryset.filter(pk__in=ObjectiveTemplate.objects.filter(locale=value).values("pk"))
