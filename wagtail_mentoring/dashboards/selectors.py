"""Query building for the dashboards: prefetching, annotations and per-role summaries.

Every queryset starts from ``wagtail_mentoring.access.querysets``; this module only adds joins,
prefetches and annotations so that a dashboard costs the same number of queries however many
objectives, key results, check-ins or pairs it shows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Max, Prefetch, Q, QuerySet, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from wagtail_mentoring.access.querysets import (
    check_in_key_results,
    member_groups,
    self_match_programs,
    viewable_pages,
    visible_enrolments,
    visible_mentorship_requests,
    visible_mentorships,
    visible_objectives,
)
from wagtail_mentoring.people import display_name
from wagtail_mentoring.programs import activity, journeys
from wagtail_mentoring.programs.matching import score_words
from wagtail_mentoring.programs.models import (
    Enrolment,
    GroupMember,
    MentoringGroup,
    MentoringProgramPage,
    MentoringSession,
    Mentorship,
    MentorshipRequest,
)
from wagtail_mentoring.programs.proposals import reason_lines, score_percent, suggested_mentors
from wagtail_mentoring.programs.selectors import (
    PAIRED_STATUSES,
    annotate_next_session,
    attach_activity,
    attach_journeys,
    key_results_due,
    next_session,
)
from wagtail_mentoring.snippets import scoring
from wagtail_mentoring.snippets.annotations import effective_due_expression
from wagtail_mentoring.snippets.models import CheckIn, Initiative, KeyResult, Objective
from wagtail_mentoring.training.requirements import remaining_resource_ids, required_path

#: Every field of a pairing (with ``programs.activity.PROGRAM_FIELDS``, what ``user_summary`` loads).
MENTORSHIP_FIELDS = tuple(f.name for f in Mentorship._meta.concrete_fields)
#: Pairings shown on the mentor and coordinator views.
OPEN_PAIR_STATUSES = (Mentorship.Status.ACTIVE, Mentorship.Status.PAUSED)
#: How many of a key result's newest check-ins its trend chart plots.
CHART_POINTS = 12
#: Heatmap thresholds of a pair's mean confidence (0-10): "good" from the first, "warn" from the second.
CONFIDENCE_GOOD = 7
CONFIDENCE_WARN = 4
#: The heatmap colour of each health state: the one tone of ``snippets.scoring.HEALTH_TONES``.
HEALTH_HEAT = scoring.HEALTH_TONES
#: Health states, worst first.
HEALTH_ORDER = (scoring.HEALTH_OFF_TRACK, scoring.HEALTH_AT_RISK, scoring.HEALTH_ON_TRACK, scoring.HEALTH_ACHIEVED)
#: The labels of ``snippets.scoring`` (defined there once), with "No objectives" for a pair without any.
HEALTH_LABELS = {**scoring.HEALTH_LABELS, None: scoring.NO_HEALTH_LABEL}


# --- prefetches -----------------------------------------------------------------------------------
def key_results_prefetch(with_check_ins: bool = False) -> Prefetch:
    """Key results in order. Their chart points come from :func:`recent_points` (one query for a page of
    key results, no model instance per check-in); ``with_check_ins`` is kept for callers and ignored."""
    return Prefetch("key_results", queryset=KeyResult.objects.order_by("sort_order", "pk"))


def recent_points(key_result_ids) -> dict[int, list[tuple[dt.datetime, float]]]:
    """The newest ``CHART_POINTS`` check-ins of each key result as ``(created_at, value)``, oldest first.

    One query (a window function ranks each key result's check-ins); only what the charts plot is read.
    """
    ids = list(key_result_ids)
    points: dict[int, list[tuple[dt.datetime, float]]] = {pk: [] for pk in ids}
    if not ids:
        return points
    rank = Window(RowNumber(), partition_by=[F("key_result_id")], order_by=[F("created_at").desc(), F("pk").desc()])
    rows = (
        CheckIn.objects.filter(key_result_id__in=ids)
        .annotate(_wm_rank=rank)
        .filter(_wm_rank__lte=CHART_POINTS)
        .order_by("key_result_id", "created_at", "pk")
        .values_list("key_result_id", "created_at", "value")
    )
    for key_result_id, created_at, value in rows:
        points[key_result_id].append((created_at, value))
    return points


def with_okr_prefetch(queryset: QuerySet, with_check_ins: bool = False) -> QuerySet:
    """An objective queryset with everything a dashboard shows, in a fixed number of queries."""
    return queryset.select_related("cycle", "program", "mentorship", "owner").prefetch_related(
        key_results_prefetch(with_check_ins),
        Prefetch("initiatives", queryset=Initiative.objects.select_related("assignee").order_by("sort_order", "pk")),
    )


def own_objectives(user) -> QuerySet:
    """The user's own open objectives, fully prefetched."""
    return with_okr_prefetch(visible_objectives(user).filter(owner=user).exclude(status__in=Objective.CLOSED_STATUSES))


def pairing_objectives(user, mentorship: Mentorship) -> QuerySet:
    """The open objectives of ``mentorship`` that ``user`` may see, fully prefetched."""
    return with_okr_prefetch(
        visible_objectives(user).filter(mentorship=mentorship).exclude(status__in=Objective.CLOSED_STATUSES)
    )


# --- pair summaries -------------------------------------------------------------------------------
@dataclass
class PairSummary(scoring.HealthDisplay):
    """A pairing's state at a glance: health, progress against expected, activity, stalled flags.

    ``health`` is the worst of its open objectives' (a pair is as healthy as its weakest objective), while
    ``progress`` and ``expected`` are their means: the surfaces say "Health (worst objective)".
    """

    mentorship: Mentorship
    objectives: list = field(default_factory=list)
    health: str | None = None
    progress: float = 0.0
    expected: float = 0.0
    confidence: float | None = None
    last_check_in: dt.datetime | None = None
    last_session: dt.datetime | None = None
    next_session: dt.datetime | None = None
    check_in_limit: int = 0
    session_limit: int = 0
    session_cadence: int = 0
    stalled_check_in: bool = False
    stalled_session: bool = False
    activity: activity.PairActivity | None = None
    journey: journeys.Journey | None = None

    @property
    def journey_text(self) -> str:
        """The pair's journey at a glance, e.g. "3 of 5 steps, 1 overdue" (``programs.journeys``); empty when
        the program has no journey (export column)."""
        return self.journey.summary.text if self.journey is not None else ""

    @property
    def journey_state(self) -> str:
        """The heatmap state of the journey cell: ``bad`` with a step overdue, ``good`` when every step is
        done, ``warn`` with a step due, else ``none``."""
        if self.journey is None or not self.journey.summary.total:
            return "none"
        summary = self.journey.summary
        if summary.overdue:
            return "bad"
        if summary.done == summary.total:
            return "good"
        return "warn" if any(s.state == journeys.DUE for s in self.journey.steps) else "none"

    @property
    def stalled(self) -> bool:
        """The one stalled rule (``programs.activity``): idle on both counts."""
        return self.activity is not None and self.activity.stalled

    @property
    def progress_percent(self) -> int:
        """Mean progress of the pair's open objectives, as a whole percentage."""
        return round(self.progress * 100)

    @property
    def expected_percent(self) -> int:
        """Mean expected progress at today's date (``scoring.expected_progress``), as a whole percentage."""
        return round(self.expected * 100)

    @property
    def days_since_session(self) -> int | None:
        """Whole days since the last session, ``None`` when there has been none."""
        return _days_since(self.last_session, self.mentorship)

    # Plain attributes for spreadsheet export (SpreadsheetExportMixin reads dotted paths).
    @property
    def mentee_name(self) -> str:
        """The mentee's full name, the username as a fallback (export column)."""
        return display_name(self.mentorship.mentee)

    @property
    def mentor_name(self) -> str:
        """The mentor's full name, the username as a fallback (export column)."""
        return display_name(self.mentorship.mentor)

    @property
    def status_label(self) -> str:
        """The mentorship's translated status (export column)."""
        return str(self.mentorship.get_status_display())

    @property
    def confidence_text(self) -> str:
        """Mean confidence with one decimal in the active locale, empty when there are no key results."""
        return "" if self.confidence is None else number_format(self.confidence, 1)

    # Heatmap cells: a state ("good", "warn", "bad", "none") and its text.
    @property
    def progress_state(self) -> str:
        """The heatmap state of the progress cell: the tone of the pair's health (``good``, ``warn``, ``bad``),
        ``none`` without objectives.

        The cell shows the pair's progress against expected beside its health; its colour is the health's
        one tone (``scoring.health_tone``), so the cell never contradicts the pair's health label.
        """
        if not self.objectives or self.health is None:
            return "none"
        return scoring.health_tone(self.health)

    @property
    def confidence_state(self) -> str:
        """The heatmap state of mean confidence (0-10): ``good`` from ``CONFIDENCE_GOOD``, ``warn`` from
        ``CONFIDENCE_WARN``, else ``bad``."""
        if self.confidence is None:
            return "none"
        return "good" if self.confidence >= CONFIDENCE_GOOD else "warn" if self.confidence >= CONFIDENCE_WARN else "bad"

    @property
    def cadence_state(self) -> str:
        """The heatmap state of the session cadence: ``good``, ``warn``, ``bad`` or ``none``.

        ``good`` within the meeting cadence, ``warn`` until the idle-session threshold of
        ``programs.activity``, ``bad`` beyond it; with no session yet, ``bad`` once idle, else ``none``.
        """
        days = self.days_since_session
        if days is None:
            return "bad" if self.stalled_session else "none"
        if days <= self.session_cadence:
            return "good"
        return "warn" if days < self.session_limit else "bad"

    @property
    def stalled_text(self) -> str:
        """Yes or No (translated) for the export (the stalled rule is ``programs.activity``)."""
        return str(_("Yes")) if self.stalled else str(_("No"))


def _days_since(moment: dt.datetime | None, mentorship: Mentorship) -> int | None:
    if moment is None:
        return None
    return (timezone.now() - moment).days


def summarise_pair(mentorship: Mentorship, objectives: list) -> PairSummary:
    """Build a :class:`PairSummary` from a mentorship (with ``attach_activity``) and its prefetched objectives."""
    pair = mentorship.activity
    today = pair.today
    summary = PairSummary(
        mentorship=mentorship,
        objectives=objectives,
        last_check_in=mentorship.last_check_in_at,
        last_session=mentorship.last_session_at,
        next_session=getattr(mentorship, "next_session", None),
    )
    if objectives:
        healths = [obj.health_on(today) for obj in objectives]
        summary.health = min(healths, key=HEALTH_ORDER.index)
        summary.progress = sum(obj.progress for obj in objectives) / len(objectives)
        summary.expected = sum(
            scoring.expected_progress(obj.effective_start, obj.effective_due, today) for obj in objectives
        ) / len(objectives)
        confidences = [kr.confidence for obj in objectives for kr in obj.key_results.all()]
        summary.confidence = sum(confidences) / len(confidences) if confidences else None
    summary.activity = pair
    summary.journey = getattr(mentorship, "journey", None)
    summary.session_limit, summary.check_in_limit = pair.thresholds
    summary.session_cadence = pair.meeting_cadence_days
    summary.stalled_check_in = pair.idle_check_in
    summary.stalled_session = pair.idle_session
    return summary


def pair_queryset(user, mentorships: QuerySet) -> QuerySet:
    """``mentorships`` (already filtered through ``access``) with activity annotations and the open
    objectives the user may see (``open_objectives``), key results prefetched."""
    objectives = with_okr_prefetch(
        Objective.objects.filter(pk__in=visible_objectives(user).values("pk")).exclude(
            status__in=Objective.CLOSED_STATUSES
        ),
        with_check_ins=False,
    )
    return annotate_next_session(
        mentorships.select_related("mentor", "mentee", "program").prefetch_related(
            Prefetch("objectives", queryset=objectives, to_attr="open_objectives")
        )
    )


def summarise_pairs(mentorships) -> list[PairSummary]:
    """Summaries of mentorships of :func:`pair_queryset` (a page or all), with their activity (two queries) and
    their journey (``programs.selectors.attach_journeys``, a constant number of queries)."""
    return [summarise_pair(m, m.open_objectives) for m in attach_journeys(attach_activity(mentorships))]


def pair_summaries(user, mentorships: QuerySet) -> list[PairSummary]:
    """Summaries of ``mentorships`` (already filtered through ``access``), in a fixed number of queries."""
    return summarise_pairs(pair_queryset(user, mentorships))


def mentor_pairs(user) -> list[PairSummary]:
    """The pairings the user mentors (active or paused), with health and stalled flags."""
    mentorships = visible_mentorships(user).filter(mentor=user, status__in=OPEN_PAIR_STATUSES)
    if not mentorships.exists():
        return []  # most people mentor nobody: no summary queries are built for them
    return pair_summaries(user, mentorships.order_by("mentee__last_name", "mentee__username", "pk"))


def mentee_pairings(user) -> list[Mentorship]:
    """The user's pairings as mentee (active or paused), with mentor, program, session dates and journey."""
    queryset = visible_mentorships(user).filter(mentee=user, status__in=OPEN_PAIR_STATUSES)
    return attach_journeys(
        attach_activity(
            annotate_next_session(queryset.select_related("mentor", "program")).order_by("-started_on", "pk")
        ),
        user=user,
    )


# --- coordinator ----------------------------------------------------------------------------------
def program_pairs(user, program) -> QuerySet:
    """Open pairings of a program the user coordinates (through ``access``)."""
    return (
        visible_mentorships(user)
        .filter(program=program, status__in=OPEN_PAIR_STATUSES)
        .order_by("mentee__last_name", "mentee__username", "pk")
    )


def enrolment_funnel(user, program) -> dict[str, Any]:
    """Counts of the program's enrolments by role and status, and how many mentees are matched."""
    rows = visible_enrolments(user).filter(program=program).values("role", "status").annotate(n=Count("pk")).order_by()
    counts: dict[str, Counter] = {role: Counter() for role in Enrolment.Role.values}
    for row in rows:
        counts[row["role"]][row["status"]] += row["n"]
    matched = (
        visible_mentorships(user)
        .filter(program=program, status__in=[*OPEN_PAIR_STATUSES, Mentorship.Status.COMPLETED])
        .values("mentee")
        .distinct()
        .count()
    )
    statuses = [(value, label) for value, label in Enrolment.Status.choices]
    return {
        "statuses": statuses,
        "rows": [
            {
                "role": label,
                "counts": [counts[role][status] for status, _label in statuses],
                "total": sum(counts[role].values()),
            }
            for role, label in Enrolment.Role.choices
        ],
        "matched": matched,
    }


def training_completion(user, program) -> list[dict[str, Any]]:
    """Per role, how many accepted participants completed the program's required learning path."""
    result = []
    for role, label in Enrolment.Role.choices:
        path = required_path(program, role)
        if path is None:
            result.append({"role": label, "path": None})
            continue
        user_ids = list(
            visible_enrolments(user)
            .filter(program=program, role=role, status=Enrolment.Status.ACCEPTED)
            .values_list("user_id", flat=True)
        )
        remaining = remaining_resource_ids(path, user_ids)
        done = sum(1 for left in remaining.values() if not left)
        total = len(user_ids)
        result.append(
            {
                "role": label,
                "path": path,
                "completed": done,
                "total": total,
                "percent": round(100 * done / total) if total else 0,
            }
        )
    return result


def health_counts(pairs: list[PairSummary]) -> list[tuple[str, str, int, str]]:
    """``(health, label, count, tone)`` for every health state (worst first) and pairs without objectives;
    label and tone from ``snippets.scoring`` (the one place)."""
    counter = Counter(p.health for p in pairs)
    return [(h or "none", scoring.health_label(h), counter[h], scoring.health_tone(h)) for h in (*HEALTH_ORDER, None)]


# --- the one-glance summary (portal block, admin home panel) ---------------------------------------
@dataclass
class UserSummary:
    """What the portal block and the admin home panel show a user."""

    next_session: MentoringSession | None = None
    at_risk: list = field(default_factory=list)
    check_ins_due: list = field(default_factory=list)
    stalled_pairs: int = 0
    is_participant: bool = False

    @property
    def is_empty(self) -> bool:
        """True when the user takes part in no mentoring: the portal block and the admin panel hide then."""
        return not self.is_participant


@dataclass
class ObjectiveHealth(scoring.HealthDisplay):
    """An objective's title, progress and health at a date, without loading the objective
    (:func:`objectives_at_risk`)."""

    pk: int
    title: str
    health: str
    progress: float

    @property
    def progress_percent(self) -> int:
        """Progress as a whole percentage (0-100)."""
        return round(self.progress * 100)


def objectives_at_risk(user, today: dt.date, limit: int = 5) -> list[ObjectiveHealth]:
    """The user's own open objectives that are at risk or off track on ``today``: off track first, then by due
    date (two queries of plain values: the objectives' dates, their key results' values).

    Health is the rule of ``snippets.scoring`` (``health``, ``objective_progress``,
    ``saved_key_result_progress``: what ``Objective.health_on`` computes) over values, not model instances:
    a person with 500 objectives costs 3,000 rows of tuples, not 3,000 objects. Deciding it in SQL
    (``snippets.annotations.with_health``) costs more to build than to run. The portal block and the
    dashboard's "What to do next" both ask this.
    """
    own = visible_objectives(user).filter(owner=user).exclude(status__in=Objective.CLOSED_STATUSES)
    objectives = list(
        own.annotate(_wm_start=Coalesce("start_date", "cycle__start_date"), _wm_due=effective_due_expression())
        .order_by()
        .values_list("pk", "title", "_wm_start", "_wm_due")
    )
    if not objectives:
        return []
    items: dict[int, list[tuple[float, float]]] = {pk: [] for pk, *_rest in objectives}
    values = KeyResult.objects.filter(objective_id__in=list(items)).values_list(
        "objective_id", "kind", "start_value", "target_value", "current_value", "weight"
    )
    for objective_id, kind, start, target, current, weight in values:
        items[objective_id].append((scoring.saved_key_result_progress(kind, start, target, current), weight))
    behind = []
    for pk, title, start, due in objectives:
        progress = scoring.objective_progress(items[pk])
        state = scoring.health(progress, start, due, today)
        if state in (scoring.HEALTH_AT_RISK, scoring.HEALTH_OFF_TRACK):
            behind.append(
                (state != scoring.HEALTH_OFF_TRACK, due or dt.date.max, pk, ObjectiveHealth(pk, title, state, progress))
            )
    behind.sort(key=lambda row: row[:3])
    return [row[3] for row in behind[:limit]]


def user_summary(user, limit: int = 5) -> UserSummary:
    """The user's next session, objectives at risk and key results due a check-in (constant queries)."""
    summary = UserSummary()
    if not (user is not None and user.is_authenticated and user.is_active):
        return summary
    now = timezone.now()
    today = timezone.localdate(now)
    # The user's pairings in any status, read once (a person has a handful): the next session, the
    # stalled count and "takes part" are all decided on this list.
    # Of the program, only what a pairing's activity reads (``programs.activity.pair_activity``): a page row
    # with its StreamFields costs more to load than the rest of the summary's queries.
    mine = list(
        visible_mentorships(user)
        .filter(Q(mentor=user) | Q(mentee=user))
        .select_related("program")
        .only(*MENTORSHIP_FIELDS, *(f"program__{name}" for name in activity.PROGRAM_FIELDS))
    )
    active = [m.pk for m in mine if m.status == Mentorship.Status.ACTIVE]
    if active:
        summary.next_session = next_session(active, now)
    own = visible_objectives(user).filter(owner=user).exclude(status__in=Objective.CLOSED_STATUSES)
    summary.at_risk = objectives_at_risk(user, today, limit)
    due = key_results_due(check_in_key_results(user).order_by("objective__due_date", "pk"), today)
    summary.check_ins_due = [row.key_result for row in due[:limit]]
    # Stalled is a rule of pairing activity alone (``programs.activity``): no objectives are loaded for it.
    mentored = [m for m in mine if m.mentor_id == user.pk and m.status in OPEN_PAIR_STATUSES]
    summary.stalled_pairs = sum(1 for m in attach_activity(mentored, now=now) if m.activity.stalled) if mentored else 0
    summary.is_participant = bool(mine) or bool(summary.at_risk) or own.exists()
    return summary


def open_programs(user, session=None, limit: int = 5) -> list:
    """Live programs the user may view whose enrolment is open today (``MentoringProgramPage.enrolment_status_code``,
    page privacy through ``access.viewable_pages``), soonest first; for people outside every program."""
    programs = MentoringProgramPage.objects.live().filter(enrolment_open=True).order_by("start_date", "path")
    return [p for p in viewable_pages(user, programs, session=session) if p.enrolment_status_code == "open"][:limit]


# --- self-match -----------------------------------------------------------------------------------
@dataclass
class ChooseMentor:
    """One self-match program of a mentee: their open request, or the mentors suggested to them."""

    program: Any
    pending: MentorshipRequest | None = None
    suggestions: list = field(default_factory=list)
    form: Any = None


def _describe(suggestion) -> Any:
    """Adds what the dashboard shows: the score in words and as a percentage, and the reasons' lines."""
    suggestion.score_words = score_words(suggestion.score)
    suggestion.score_percent = score_percent(suggestion.score)
    # The criteria that count for this pair (a criterion adding nothing is left out; the API lists them all).
    counted = [r for r in suggestion.reasons if not isinstance(r, dict) or (r.get("contribution") or 0) > 0]
    suggestion.reason_lines = [line for line in reason_lines(counted) if line[0]]
    return suggestion


def selfmatch_context(user) -> dict:
    """``choose_mentor`` (the mentee's self-match programs) and ``requests_to_answer`` (the mentor's open
    requests), in a number of queries that grows with the user's self-match programs only."""
    open_requests = list(
        visible_mentorship_requests(user)
        .filter(status__in=MentorshipRequest.OPEN_STATUSES)
        .select_related("mentee", "mentor", "program")
        .order_by("expires_on", "pk")
    )
    pending = {r.program_id: r for r in open_requests if r.mentee_id == user.pk}
    # A mentee already paired (or proposed) in a program has no mentor to choose there.
    paired = set(user.mentorships_as_mentee.filter(status__in=PAIRED_STATUSES).values_list("program_id", flat=True))
    choose = []
    for program in self_match_programs(user).exclude(pk__in=paired).order_by("title", "pk"):
        item = ChooseMentor(program=program, pending=pending.get(program.pk))
        if item.pending is None:
            item.suggestions = [_describe(s) for s in suggested_mentors(program, user)]
        choose.append(item)
    to_answer = [r for r in open_requests if r.mentor_id == user.pk]
    for r in to_answer:  # the engine's score when the mentee asked, in words
        r.score_words, r.score_percent = score_words(r.match_score), score_percent(r.match_score)
    return {"choose_mentor": choose, "requests_to_answer": to_answer}


def group_cards(user, today: dt.date | None = None) -> list[MentoringGroup]:
    """The user's open mentoring groups and peer circles (``access.member_groups``), each with its members
    (by name, ``members_shown``), its last session and when the next one is due (``MentoringGroup.next_session_due``
    from the group's start and cadence, ``session_due`` when that day has come). Three queries."""
    today = today or timezone.localdate()
    groups = list(
        member_groups(user)
        .filter(status__in=MentoringGroup.OPEN_STATUSES)
        .select_related("program", "mentor")
        .prefetch_related(Prefetch("members", queryset=GroupMember.objects.select_related("user")))
        .annotate(last_session=Max("sessions__date"), session_count=Count("sessions"))
        .order_by("name", "pk")
    )
    for group in groups:
        group.next_due = group.next_session_due(group.last_session)
        group.session_due = group.next_due <= today
        group.members_shown = [m.user for m in group.members.all()]
    return groups
