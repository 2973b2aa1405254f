"""What waits for a coordinator, per program they coordinate: the read model of the admin home's to-do panel.

Every count asks the rule that already decides it: the programs from ``access.querysets``
(``coordinated_programs``), unmatched mentees from ``programs.selectors.unmatched_mentees``, stalled
pairs from ``programs.activity`` (through ``programs.selectors.attach_activity``), low survey scores
from ``reports.metrics.low_score`` within the anonymity rule of ``surveys.anonymity``. The whole
panel costs a fixed number of queries, however many programs, pairs or answers there are.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from wagtail_mentoring.access.querysets import (
    coordinated_enrolments,
    coordinated_mentorships,
    coordinated_programs,
)
from wagtail_mentoring.conf import mentoring_settings
from wagtail_mentoring.programs.models import Enrolment, Feedback, MentoringProgramPage, Mentorship
from wagtail_mentoring.programs.selectors import attach_activity, unmatched_mentees
from wagtail_mentoring.reports.metrics import low_score, survey_periods
from wagtail_mentoring.surveys import anonymity


@dataclass(frozen=True)
class ProgramTodos:
    """The counts of what waits for a coordinator in one program."""

    program: MentoringProgramPage
    applications: int = 0
    proposals: int = 0
    unmatched: int = 0
    stalled: int = 0
    low_scores: int = 0

    @property
    def total(self) -> int:
        """How many things wait in this program, all kinds together."""
        return self.applications + self.proposals + self.unmatched + self.stalled + self.low_scores


def _by_program(queryset: QuerySet, field: str = "program_id") -> Counter:
    """``{program id: rows}`` of ``queryset`` in one grouped query."""
    return Counter(dict(queryset.order_by().values_list(field).annotate(n=Count("pk")).values_list(field, "n")))


def survey_window_start(today: dt.date) -> dt.date:
    """The first day of the previous month: low scores count from then (whole survey periods, so that an
    anonymous program's groups are the report's groups)."""
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def low_scores_by_program(programs: list[MentoringProgramPage], since: dt.date, today: dt.date) -> Counter:
    """Low survey answers (``reports.metrics.low_score``) given from ``since`` to ``today``, per program, in one
    query.

    ``since`` is a month's first day (:func:`survey_window_start`). An anonymous program counts only the
    answers of survey groups (kind, calendar month) that the report may show (``surveys.anonymity``), so
    the count never tells about a withheld answer. Months are told apart by comparing ``created_at``
    with each month's first instant, as the report does (``reports.metrics.survey_periods``).
    """
    anonymous = {p.pk for p in programs if p.anonymous_feedback}
    _starts, edges, period = survey_periods(since, today)
    rows = (
        Feedback.objects.annotate(program_key=Coalesce("program_id", "mentorship__program_id"))
        .filter(program_key__in=[p.pk for p in programs], created_at__gte=edges[0])
        .annotate(period=period)
        .order_by()
        .values("program_key", "kind", "period")
        .annotate(n=Count("pk"), low=Count("pk", filter=low_score()))
    )
    counts: Counter = Counter()
    minimum = mentoring_settings.ANONYMITY_MIN_RESPONSES
    for row in rows:
        group = (row["kind"], row["period"])
        if row["program_key"] in anonymous and not anonymity.reportable_groups({group: row["n"]}, minimum):
            continue
        counts[row["program_key"]] += row["low"]
    return counts


def coordinator_todos(user, today: dt.date | None = None) -> list[ProgramTodos]:
    """What waits for ``user`` in each program they coordinate, programs in title order.

    Applications to review (applied enrolments), pairings proposed and awaiting approval, unmatched
    mentees, stalled pairs and low survey scores. An empty list for a user who coordinates nothing.

    Args:
        user: the admin user.
        today: the day to decide for (default: today).

    Returns:
        One :class:`ProgramTodos` per coordinated program (about eight queries in all).
    """
    programs = list(coordinated_programs(user).order_by("title", "pk"))
    if not programs:
        return []
    now = timezone.now()
    today = today or timezone.localdate(now)
    applications = _by_program(coordinated_enrolments(user).filter(status=Enrolment.Status.APPLIED))
    proposals = _by_program(coordinated_mentorships(user).filter(status=Mentorship.Status.PROPOSED))
    unmatched = _by_program(unmatched_mentees(coordinated_enrolments(user)))
    active = coordinated_mentorships(user).filter(status=Mentorship.Status.ACTIVE)
    pairs = attach_activity(active.select_related("program"), within=active.values("pk"), now=now)
    stalled = Counter(m.program_id for m in pairs if m.activity.stalled)
    low = low_scores_by_program(programs, survey_window_start(today), today)
    return [
        ProgramTodos(
            program=p,
            applications=applications[p.pk],
            proposals=proposals[p.pk],
            unmatched=unmatched[p.pk],
            stalled=stalled[p.pk],
            low_scores=low[p.pk],
        )
        for p in programs
    ]
