"""Pairing activity rules (pure): last session and check-in, next session due, check-in due, stalled.

Every surface (dashboards, the admin's program health, reports, reminders, the API and the portal
block) asks these functions, so they cannot disagree. They take dates, numbers and objects that
already carry what they need (see ``wagtail_mentoring.programs.selectors`` for the queries); they
never query the database.

The rules:

* **Last session / last check-in**: the date of the latest session that has taken place / the latest
  check-in on the pairing's key results; the pairing's start when there is none yet.
* **Next session due**: the last session (or the start) plus the pairing's meeting cadence; the pair is
  nudged from then on unless a session is planned (:func:`session_nudge_due`). Only *held* sessions
  count as sessions here (``MentoringSession.objects.held()``, applied by the selectors).
* **Check-in due (per key result)**: a key result of an *active* objective, not yet achieved, is due
  a check-in from its last check-in (else its objective's start; with no start, at once) plus the
  check-in cadence of the objective's program (:data:`DEFAULT_CHECK_IN_CADENCE_DAYS` outside programs).
* **Stalled**: an *active* pairing with **neither** a session **nor** a check-in for at least twice its
  cadence: ``2 x`` the meeting cadence without a session **and** ``2 x`` the program's check-in cadence
  without a check-in. ``STALLED_SESSION_DAYS`` / ``STALLED_CHECK_IN_DAYS`` replace those thresholds.
  A pair that misses one cadence is reminded itself (check-in due, no session); coordinators hear of
  it only when it has gone quiet on both counts for two cadences.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from wagtail_mentoring.conf import mentoring_settings

#: Check-in cadence (days) of an objective outside any program (a program's own field defaults to it too).
DEFAULT_CHECK_IN_CADENCE_DAYS = 14
#: How many cadences without activity make a pairing stalled (unless the STALLED_* settings are set).
STALLED_CADENCES = 2
#: Objective status whose key results are due check-ins.
ACTIVE_OBJECTIVE = "active"
ACTIVE_PAIRING = "active"


def add_days(day: dt.date, days: int) -> dt.date:
    """``day`` plus ``days``, held at the calendar's first or last day instead of overflowing.

    The input policy (``wagtail_mentoring.inputs``) keeps stored dates far from those limits; this
    keeps a due date computable from any stored date all the same.

    Args:
        day: a date.
        days: days to add (negative to subtract).

    Returns:
        The date, or ``date.min`` / ``date.max`` when the sum leaves the calendar.
    """
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def local_date(value: dt.date | dt.datetime | None) -> dt.date | None:
    """The date of ``value`` in the current time zone (a date is returned as is; None stays None).

    Args:
        value: a date, an aware or naive datetime, or None.

    Returns:
        The local calendar date, or None.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            return value.date()
        try:
            return timezone.localdate(value)
        except OverflowError:  # within a day of the calendar's ends: the date in UTC
            return value.date()
    return value


def pairing_start(mentorship) -> dt.date:
    """When the pairing started (falls back to the day it was proposed).

    Args:
        mentorship: a Mentorship (``started_on``, ``proposed_at``).

    Returns:
        The start date.
    """
    return mentorship.started_on or local_date(mentorship.proposed_at)


def stall_thresholds(meeting_cadence_days: int, check_in_cadence_days: int) -> tuple[int, int]:
    """Days without a session and without a check-in after which an active pairing is stalled.

    Args:
        meeting_cadence_days: the pairing's meeting cadence.
        check_in_cadence_days: the program's check-in cadence.

    Returns:
        ``(session_days, check_in_days)``: the ``STALLED_SESSION_DAYS`` / ``STALLED_CHECK_IN_DAYS``
        settings when set, else :data:`STALLED_CADENCES` times each cadence.
    """
    session_days = mentoring_settings.STALLED_SESSION_DAYS or STALLED_CADENCES * meeting_cadence_days
    check_in_days = mentoring_settings.STALLED_CHECK_IN_DAYS or STALLED_CADENCES * check_in_cadence_days
    return int(session_days), int(check_in_days)


def is_stalled(
    status: str, days_without_session: int, days_without_check_in: int, session_days: int, check_in_days: int
) -> bool:
    """The stalled rule: an active pairing idle on both counts for at least its thresholds.

    Args:
        status: the pairing's status.
        days_without_session: days since the last session (or the start).
        days_without_check_in: days since the last check-in (or the start).
        session_days: threshold without a session (:func:`stall_thresholds`).
        check_in_days: threshold without a check-in (:func:`stall_thresholds`).

    Returns:
        Whether the pairing is stalled.
    """
    return status == ACTIVE_PAIRING and days_without_session >= session_days and days_without_check_in >= check_in_days


def next_session_due(last_session: dt.date | None, start: dt.date, meeting_cadence_days: int) -> dt.date:
    """When the pairing's next session is due: the last session (or the start) plus the cadence.

    Args:
        last_session: date of the latest session held, or None.
        start: the pairing's start.
        meeting_cadence_days: the pairing's meeting cadence.

    Returns:
        The due date.
    """
    return add_days(max(filter(None, [last_session, start])), meeting_cadence_days)


def check_in_cadence(program) -> int:
    """Check-in cadence (days) for objectives of ``program`` (None: outside any program).

    Args:
        program: a MentoringProgramPage or None.

    Returns:
        The program's ``check_in_cadence_days``, else :data:`DEFAULT_CHECK_IN_CADENCE_DAYS`.
    """
    return program.check_in_cadence_days if program is not None else DEFAULT_CHECK_IN_CADENCE_DAYS


def check_in_due_on(
    last_check_in: dt.date | None, objective_start: dt.date | None, cadence_days: int
) -> dt.date | None:
    """When a key result is next due a check-in.

    Args:
        last_check_in: date of its latest check-in, or None.
        objective_start: its objective's start (own date or cycle's), or None.
        cadence_days: the check-in cadence (:func:`check_in_cadence`).

    Returns:
        ``(last check-in or objective start) + cadence``; None when it has neither (due at once).
    """
    anchor = last_check_in or objective_start
    return add_days(anchor, cadence_days) if anchor else None


def is_check_in_due(objective_status: str, progress: float, due_on: dt.date | None, today: dt.date) -> bool:
    """Whether a key result is due a check-in on ``today``.

    Args:
        objective_status: its objective's status (only active objectives are checked in on).
        progress: its progress (an achieved key result, progress 1, is never due).
        due_on: :func:`check_in_due_on`.
        today: the day to decide for.

    Returns:
        True when the objective is active, the key result not achieved and ``due_on`` has come.
    """
    return objective_status == ACTIVE_OBJECTIVE and progress < 1 and (due_on is None or due_on <= today)


@dataclass(frozen=True)
class KeyResultDue:
    """Whether and since when one key result is due a check-in."""

    key_result: object
    last_check_in: dt.datetime | None
    due_on: dt.date | None
    due: bool

    @property
    def anchor(self) -> dt.date | None:
        """The date the cadence counts from (last check-in, else the objective's start)."""
        return local_date(self.last_check_in) or self.key_result.objective.effective_start


def key_result_due(key_result, today: dt.date) -> KeyResultDue:
    """Apply the check-in-due rule to a key result.

    Args:
        key_result: a KeyResult with ``objective`` (and its ``program``, ``cycle``) loaded and the
            ``last_check_in`` attribute set (``selectors.with_last_check_in``).
        today: the day to decide for.

    Returns:
        A :class:`KeyResultDue`.
    """
    objective = key_result.objective
    last = getattr(key_result, "last_check_in", None)
    due_on = check_in_due_on(local_date(last), objective.effective_start, check_in_cadence(objective.program))
    return KeyResultDue(key_result, last, due_on, is_check_in_due(objective.status, key_result.progress, due_on, today))


@dataclass(frozen=True)
class PairActivity:
    """A pairing's activity on one day, and what the rules make of it."""

    status: str
    start: dt.date
    today: dt.date
    last_session_on: dt.date | None
    last_check_in_on: dt.date | None
    meeting_cadence_days: int
    check_in_cadence_days: int

    @property
    def days_without_session(self) -> int:
        """Days since the last session (or the start)."""
        return (self.today - max(filter(None, [self.last_session_on, self.start]))).days

    @property
    def days_without_check_in(self) -> int:
        """Days since the last check-in (or the start)."""
        return (self.today - max(filter(None, [self.last_check_in_on, self.start]))).days

    @property
    def thresholds(self) -> tuple[int, int]:
        """``(session_days, check_in_days)`` of the stalled rule."""
        return stall_thresholds(self.meeting_cadence_days, self.check_in_cadence_days)

    @property
    def idle_session(self) -> bool:
        """Active and without a session for at least the stalled threshold."""
        return self.status == ACTIVE_PAIRING and self.days_without_session >= self.thresholds[0]

    @property
    def idle_check_in(self) -> bool:
        """Active and without a check-in for at least the stalled threshold."""
        return self.status == ACTIVE_PAIRING and self.days_without_check_in >= self.thresholds[1]

    @property
    def stalled(self) -> bool:
        """The stalled rule (:func:`is_stalled`)."""
        return is_stalled(self.status, self.days_without_session, self.days_without_check_in, *self.thresholds)

    @property
    def next_session_due(self) -> dt.date:
        """When the next session is due (:func:`next_session_due`)."""
        return next_session_due(self.last_session_on, self.start, self.meeting_cadence_days)

    @property
    def session_due(self) -> bool:
        """The next session is due (the pair is reminded)."""
        return self.status == ACTIVE_PAIRING and self.next_session_due <= self.today

    @property
    def check_in_cadence_kept(self) -> bool:
        """Active, with a check-in (or the start) within the program's check-in cadence."""
        return self.status == ACTIVE_PAIRING and self.days_without_check_in < self.check_in_cadence_days


def session_nudge_due(pair: PairActivity, planned: bool) -> bool:
    """Whether the pair is nudged to meet: its next session is due (:attr:`PairActivity.session_due`) and no
    session is planned (``planned``: the pairing has an upcoming planned session).

    The "no session" reminder and the dashboard's "Session due" both ask this.

    Args:
        pair: the pairing's activity.
        planned: whether a session is planned from now on (``programs.selectors.upcoming_sessions``).

    Returns:
        True when the pair should be told to meet.
    """
    return pair.session_due and not planned


#: The program fields :func:`pair_activity` reads (the check-in cadence here, the meeting cadence through
#: ``Mentorship.cadence_days``): a caller may load only these of the program (``.only("program__...")``).
PROGRAM_FIELDS = ("check_in_cadence_days", "meeting_cadence_days")


def pair_activity(mentorship, last_session, last_check_in, today: dt.date) -> PairActivity:
    """The activity of ``mentorship`` on ``today``, from its latest session and check-in.

    Args:
        mentorship: a Mentorship with its ``program`` loaded.
        last_session: date or datetime of its latest session held, or None.
        last_check_in: date or datetime of the latest check-in on its key results, or None.
        today: the day to decide for.

    Returns:
        A :class:`PairActivity`.
    """
    return PairActivity(
        status=mentorship.status,
        start=pairing_start(mentorship),
        today=today,
        last_session_on=local_date(last_session),
        last_check_in_on=local_date(last_check_in),
        meeting_cadence_days=mentorship.cadence_days,
        check_in_cadence_days=mentorship.program.check_in_cadence_days,
    )
