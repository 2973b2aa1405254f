"""Pairing activity annotations (last session, last check-in) and the "stalled" rule, shared by reminders and reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Max

from wagtail_mentoring.conf import mentoring_settings


def attach_activity(mentorships: Iterable, within=None) -> list:
    """Set ``last_session_at``, ``sessions_count``, ``last_check_in_at`` and ``check_ins_count`` on
    each mentorship with two grouped queries (never one per pair), and return them as a list.

    ``within`` (a ``values("pk")`` queryset of mentorships) replaces the list of ids in the SQL when
    there are many mentorships.
    """
    from wagtail_mentoring.models import CheckIn, MentoringSession

    mentorships = list(mentorships)
    ids = within if within is not None else [m.pk for m in mentorships]
    sessions = {
        row["mentorship_id"]: row
        for row in MentoringSession.objects.filter(mentorship_id__in=ids)
        .order_by()
        .values("mentorship_id")
        .annotate(last=Max("date"), n=Count("pk"))
    }
    check_ins = {
        row["key_result__objective__mentorship_id"]: row
        for row in CheckIn.objects.filter(key_result__objective__mentorship_id__in=ids)
        .order_by()
        .values("key_result__objective__mentorship_id")
        .annotate(last=Max("created_at"), n=Count("pk"))
    }
    for m in mentorships:
        s, c = sessions.get(m.pk, {}), check_ins.get(m.pk, {})
        m.last_session_at, m.sessions_count = s.get("last"), s.get("n", 0)
        m.last_check_in_at, m.check_ins_count = c.get("last"), c.get("n", 0)
    return mentorships


def start_of(mentorship) -> dt.date:
    """When the pairing started (falls back to when it was proposed)."""
    return mentorship.started_on or mentorship.proposed_at.date()


def _date(value) -> dt.date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, dt.datetime) else value


def last_session_on(mentorship) -> dt.date:
    """Date of the latest session, or the start of the pairing (needs :func:`attach_activity`)."""
    return max(filter(None, [_date(mentorship.last_session_at), start_of(mentorship)]))


def last_check_in_on(mentorship) -> dt.date:
    """Date of the latest check-in on the pairing's key results, or its start (needs :func:`attach_activity`)."""
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
