"""Pairing activity annotations (last session, last check-in) and the "stalled" rule, shared by reminders and reports."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, IntegerField, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from wagtail_mentoring.conf import mentoring_settings


def _subquery(model_qs, group_field: str, aggregate):
    return Subquery(
        model_qs.filter(**{group_field: OuterRef("pk")})
        .order_by()
        .values(group_field)
        .annotate(value=aggregate)
        .values("value")[:1]
    )


def with_activity(queryset: QuerySet) -> QuerySet:
    """Annotate mentorships with ``last_session_at``, ``sessions_count``, ``last_check_in_at`` and
    ``check_ins_count`` using correlated subqueries (one SQL query however many pairs)."""
    from wagtail_mentoring.models import CheckIn, MentoringSession

    sessions = MentoringSession.objects.all()
    check_ins = CheckIn.objects.all()
    return queryset.annotate(
        last_session_at=_subquery(sessions, "mentorship", Max("date")),
        sessions_count=Coalesce(_subquery(sessions, "mentorship", Count("pk")), 0, output_field=IntegerField()),
        last_check_in_at=_subquery(check_ins, "key_result__objective__mentorship", Max("created_at")),
        check_ins_count=Coalesce(
            _subquery(check_ins, "key_result__objective__mentorship", Count("pk")), 0, output_field=IntegerField()
        ),
    )


def start_of(mentorship) -> dt.date:
    """When the pairing started (falls back to when it was proposed)."""
    return mentorship.started_on or mentorship.proposed_at.date()


def _date(value) -> dt.date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, dt.datetime) else value


def last_session_on(mentorship) -> dt.date:
    """Date of the latest session, or the start of the pairing (needs :func:`with_activity`)."""
    return max(filter(None, [_date(mentorship.last_session_at), start_of(mentorship)]))


def last_check_in_on(mentorship) -> dt.date:
    """Date of the latest check-in on the pairing's key results, or its start (needs :func:`with_activity`)."""
    return max(filter(None, [_date(mentorship.last_check_in_at), start_of(mentorship)]))


def stalled_thresholds(mentorship) -> tuple[int, int]:
    """Days without a session and without a check-in after which an active pairing is stalled."""
    session_days = mentoring_settings.STALLED_SESSION_DAYS or 2 * mentorship.cadence_days
    check_in_days = mentoring_settings.STALLED_CHECK_IN_DAYS or 2 * mentorship.program.check_in_cadence_days
    return session_days, check_in_days


def is_stalled(mentorship, today: dt.date) -> bool:
    """An active pairing with neither a session nor a check-in within its stalled thresholds."""
    if mentorship.status != "active":
        return False
    session_days, check_in_days = stalled_thresholds(mentorship)
    return (today - last_session_on(mentorship)).days >= session_days and (
        today - last_check_in_on(mentorship)
    ).days >= check_in_days
