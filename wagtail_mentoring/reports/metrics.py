"""Program report metrics, computed in a fixed number of queries however many pairs a program has.

Nothing here reads session notes, agenda or next steps: only dates, counts and durations.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Case, Count, IntegerField, Max, Min, Q, QuerySet, Value, When
from django.utils import timezone

from wagtail_mentoring.conf import mentoring_settings
from wagtail_mentoring.people import display_name, display_name_from
from wagtail_mentoring.programs.models import Enrolment, Feedback, Mentorship
from wagtail_mentoring.programs.selectors import attach_activity
from wagtail_mentoring.reports.models import Outcome
from wagtail_mentoring.snippets import scoring
from wagtail_mentoring.snippets.models import KeyResult
from wagtail_mentoring.surveys import anonymity, results
from wagtail_mentoring.surveys.models import SurveyPage

#: Mentorship statuses that count as "matched" (a pairing that started).
STARTED = ("active", "paused", "completed", "ended")
GRADED_STATUSES = ("active", "achieved", "missed")
#: Net Promoter Score bands on the 0-10 scale: promoters answer 9 or more, detractors 6 or less.
NPS_PROMOTER_MIN = 9
NPS_DETRACTOR_MAX = 6
#: A low rating on the 1-5 scale: this or less (with an NPS detractor, a "low survey score").
LOW_RATING_MAX = 2
#: The report's "pairs by number of sessions" chart: (label, fewest, most) sessions per bar.
SESSION_BUCKETS = (("0", 0, 0), ("1-2", 1, 2), ("3-5", 3, 5), ("6-9", 6, 9), ("10+", 10, 10**9))
#: How many of the newest feedback comments the report shows.
COMMENTS_SHOWN = 20


def low_score() -> Q:
    """The filter of a low survey score: a rating of :data:`LOW_RATING_MAX` or less, or an NPS detractor
    (:data:`NPS_DETRACTOR_MAX` or less). The coordinator's to-dos count these answers."""
    return Q(rating__lte=LOW_RATING_MAX) | Q(nps__lte=NPS_DETRACTOR_MAX)


def pair_queryset(program) -> QuerySet:
    """The program's started pairs with their people (one query; :func:`decorate_pairs` adds activity)."""
    return (
        Mentorship.objects.filter(program=program, status__in=STARTED)
        .select_related("mentor", "mentee")
        .only(
            "pk",
            "status",
            "started_on",
            "ended_on",
            "proposed_at",
            "meeting_cadence_days",
            "program_id",
            "mentor__username",
            "mentor__first_name",
            "mentor__last_name",
            "mentee__username",
            "mentee__first_name",
            "mentee__last_name",
        )
        .order_by("mentee__last_name", "mentee__username", "pk")
    )


def objective_grades(program, mentorship_ids=None) -> dict[int, list[float]]:
    """Each pairing's objective grades (rounded progress), from one query over its key results."""
    krs = KeyResult.objects.filter(
        objective__program=program, objective__mentorship__isnull=False, objective__status__in=GRADED_STATUSES
    )
    if mentorship_ids is not None:
        krs = krs.filter(objective__mentorship_id__in=list(mentorship_ids))
    per_objective: dict[int, list[tuple[float, float]]] = defaultdict(list)
    owner: dict[int, int] = {}
    for objective_id, mentorship_id, kind, start, target, current, weight in krs.values_list(
        "objective_id",
        "objective__mentorship_id",
        "kind",
        "start_value",
        "target_value",
        "current_value",
        "weight",
    ):
        numeric = kind in scoring.NUMERIC_KINDS
        progress = 0.0 if numeric and start == target else scoring.key_result_progress(kind, start, target, current)
        per_objective[objective_id].append((progress, weight))
        owner[objective_id] = mentorship_id
    grades: dict[int, list[float]] = defaultdict(list)
    for objective_id, items in per_objective.items():
        grades[owner[objective_id]].append(scoring.grade(scoring.objective_progress(items))[0])
    return grades


def decorate_pairs(pairs, program, today: dt.date, all_pairs: bool = False) -> list:
    """Attach activity, ``stalled``, ``cadence_kept``, ``average_grade`` and names to each pair.

    ``all_pairs``: ``pairs`` is every started pair of the program (queries filter by program, not by ids).
    """
    within = pair_queryset(program).values("pk") if all_pairs else None
    pairs = list(pairs)
    for p in pairs:
        p.program = program  # one program for all: no page instance per row
    pairs = attach_activity(pairs, within=within, now=_moment(today))
    grades = objective_grades(program, None if all_pairs else [p.pk for p in pairs])
    for p in pairs:
        p.mentor_name = display_name(p.mentor)
        p.mentee_name = display_name(p.mentee)
        p.stalled = p.activity.stalled
        p.days_since_check_in = p.activity.days_without_check_in
        p.cadence_kept = p.activity.check_in_cadence_kept
        g = grades.get(p.pk, [])
        p.grades = g
        p.average_grade = round(sum(g) / len(g), 2) if g else None
        p.last_session_on = p.activity.last_session_on
        p.last_check_in_on = p.activity.last_check_in_on
    return pairs


def _moment(today: dt.date) -> dt.datetime:
    """Now, or the end of ``today`` when the report is computed for another day."""
    now = timezone.now()
    if timezone.localdate(now) == today:
        return now
    return timezone.make_aware(dt.datetime.combine(today, dt.time.max))


def _pct(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class ProgramReport:
    """Every figure of a program report."""

    mentees_accepted: int = 0
    mentors_accepted: int = 0
    applied: int = 0
    mentees_matched: int = 0
    match_rate: float | None = None
    status_counts: dict = field(default_factory=dict)
    active_pairs: int = 0
    stalled_pairs: int = 0
    sessions_total: int = 0
    sessions_per_pair: float | None = None
    sessions_distribution: list = field(default_factory=list)
    cadence_kept: float | None = None
    average_grade: float | None = None
    satisfaction: list = field(default_factory=list)
    average_rating: float | None = None
    nps: float | None = None
    nps_responses: int = 0
    completion_rate: float | None = None
    outcomes: dict = field(default_factory=dict)
    promotion_rate: float | None = None
    retention_rate: float | None = None
    comments: list = field(default_factory=list)
    comments_hidden: bool = False
    responses_withheld: int = 0
    surveys: list = field(default_factory=list)


@dataclass
class SurveyResults:
    """One editor-built survey's results in the program report: ``questions`` are
    ``surveys.results.QuestionResult``; empty when ``shown`` is False (too few answers, anonymous program)."""

    pk: int
    title: str
    moment: str
    responses: int
    shown: bool
    questions: list = field(default_factory=list)


def survey_periods(first: dt.date, last: dt.date) -> tuple[list[dt.date], list[dt.datetime], Case]:
    """The survey periods (``surveys.anonymity``) from ``first``'s to the one after ``last``'s, for SQL.

    Returns:
        Each period's first day; its first instant in the current time zone; and a ``CASE`` that gives
        an answer's period (an index into both lists) from its ``created_at``, which the database
        evaluates natively (``TruncMonth`` in a time zone is a Python function per row on SQLite).
    """
    starts = anonymity.period_starts(first, last)
    edges = [timezone.make_aware(dt.datetime.combine(day, dt.time.min)) for day in starts]
    period = Case(
        *(When(created_at__lt=edge, then=Value(index)) for index, edge in enumerate(edges[1:-1])),
        default=Value(len(edges) - 2),
        output_field=IntegerField(),
    )
    return starts, edges, period


def _reportable_feedback(feedback: QuerySet) -> tuple[QuerySet, int, bool]:
    """The answers an anonymous aggregate may include (``surveys.anonymity``), how many are withheld, and
    whether a withheld one has a comment: at most three queries, whatever the number of answers.

    Groups are one survey kind in one calendar month of the current time zone (``survey_period``). The
    months are told apart by comparing ``created_at`` with each month's first instant (a ``CASE`` the
    database evaluates natively, :func:`survey_periods`), and only the withheld groups, usually few or
    none, are filtered out afterwards.
    """
    span = feedback.aggregate(first=Min("created_at"), last=Max("created_at"))
    if span["first"] is None:
        return feedback, 0, False
    starts, edges, period = survey_periods(
        timezone.localtime(span["first"]).date(), timezone.localtime(span["last"]).date()
    )
    counts = {
        (kind, anonymity.survey_period(starts[index])): (index, n)
        for kind, index, n in feedback.annotate(period=period)
        .values_list("kind", "period")
        .annotate(n=Count("pk"))
        .order_by()
    }
    shown = anonymity.reportable_groups(
        {key: n for key, (_index, n) in counts.items()}, mentoring_settings.ANONYMITY_MIN_RESPONSES
    )
    withheld_groups = [(key[0], index) for key, (index, _n) in counts.items() if key not in shown]
    if not withheld_groups:
        return feedback, 0, False
    withheld = sum(n for key, (_index, n) in counts.items() if key not in shown)
    in_withheld = Q(pk__in=[])
    for kind, index in withheld_groups:
        in_withheld |= Q(kind=kind, created_at__gte=edges[index], created_at__lt=edges[index + 1])
    comments_hidden = feedback.filter(in_withheld).exclude(comment="").exists()
    return feedback.exclude(in_withheld), withheld, comments_hidden


def survey_questions(survey) -> list[results.Question]:
    """A survey's extra questions (its prefetched ``form_fields``), with their choices parsed as the form
    builder parses them."""
    builder = survey.form_builder(survey.form_fields.all())
    return [
        results.Question(
            name=question.clean_name,
            label=question.label,
            field_type=question.field_type,
            choices=tuple(value for value, _label in builder.get_formatted_field_choices(question))
            if question.field_type in results.CHOICE_TYPES and question.field_type != "checkbox"
            else (),
        )
        for question in survey.form_fields.all()
    ]


def survey_results(program, feedback: QuerySet) -> list[SurveyResults]:
    """Each of the program's editor-built surveys (drafts too, once answered) and its questions' aggregates
    over ``feedback`` (the answers a report may include): three queries, whatever the number of answers.

    In an anonymous program a survey with fewer answers than ``ANONYMITY_MIN_RESPONSES`` is withheld as a
    whole, and free-text answers are listed sorted, never with an author or a date.
    """
    by_survey = defaultdict(list)
    for survey_id, answers in feedback.filter(survey__isnull=False).values_list("survey_id", "answers"):
        by_survey[survey_id].append(answers or {})
    pages = SurveyPage.objects.child_of(program).prefetch_related("form_fields").order_by("path")
    labels = dict(Feedback.Kind.choices)
    minimum = mentoring_settings.ANONYMITY_MIN_RESPONSES
    out = []
    for page in pages:
        answers = by_survey.get(page.pk, [])
        shown = results.survey_shown(len(answers), minimum, program.anonymous_feedback)
        out.append(
            SurveyResults(
                pk=page.pk,
                title=page.title,
                moment=str(labels.get(page.moment, page.moment)),
                responses=len(answers),
                shown=shown,
                questions=results.aggregate(survey_questions(page), answers) if shown else [],
            )
        )
    return out


def program_report(program, today: dt.date | None = None) -> ProgramReport:
    """Compute the program report (about ten queries, independent of the number of pairs)."""
    today = today or timezone.localdate()
    report = ProgramReport()

    # Participation.
    counts = Counter()
    for role, status, n in (
        Enrolment.objects.filter(program=program).values_list("role", "status").annotate(n=Count("pk")).order_by()
    ):
        counts[(role, status)] = n
    report.mentees_accepted = counts[("mentee", "accepted")]
    report.mentors_accepted = counts[("mentor", "accepted")]
    report.applied = counts[("mentee", "applied")] + counts[("mentor", "applied")]

    # Pairs (one query) and objective grades (one query).
    pairs = decorate_pairs(pair_queryset(program), program, today, all_pairs=True)
    report.status_counts = dict(Counter(p.status for p in pairs))
    active = [p for p in pairs if p.status == "active"]
    report.active_pairs = len(active)
    report.stalled_pairs = sum(1 for p in active if p.stalled)
    matched_mentees = {p.mentee_id for p in pairs}
    report.mentees_matched = len(matched_mentees)
    accepted_mentees = max(report.mentees_accepted, report.mentees_matched)
    report.match_rate = _pct(report.mentees_matched, accepted_mentees)
    report.sessions_total = sum(p.sessions_count for p in pairs)
    report.sessions_per_pair = round(report.sessions_total / len(pairs), 1) if pairs else None
    report.sessions_distribution = [
        (label, sum(1 for p in pairs if lo <= p.sessions_count <= hi)) for label, lo, hi in SESSION_BUCKETS
    ]
    report.cadence_kept = _pct(sum(1 for p in active if p.cadence_kept), len(active))
    all_grades = [g for p in pairs for g in p.grades]
    report.average_grade = round(sum(all_grades) / len(all_grades), 2) if all_grades else None
    ended = report.status_counts.get("completed", 0) + report.status_counts.get("ended", 0)
    report.completion_rate = _pct(report.status_counts.get("completed", 0), ended)

    # Satisfaction, NPS and comments. An anonymous program reports only the answers whose survey kind
    # and period reach the anonymity minimum (``surveys.anonymity``), never an answer's date.
    feedback = Feedback.objects.filter(Q(program=program) | Q(mentorship__program=program))
    if program.anonymous_feedback:
        feedback, report.responses_withheld, report.comments_hidden = _reportable_feedback(feedback)
    labels = dict(Feedback.Kind.choices)
    for kind, n, avg in feedback.values_list("kind").annotate(n=Count("pk"), avg=Avg("rating")).order_by("kind"):
        report.satisfaction.append((labels.get(kind, kind), n, round(avg, 2)))
    rating = feedback.aggregate(avg=Avg("rating"))["avg"]
    report.average_rating = round(rating, 2) if rating is not None else None
    nps = feedback.filter(nps__isnull=False).aggregate(
        n=Count("pk"),
        promoters=Count("pk", filter=Q(nps__gte=NPS_PROMOTER_MIN)),
        detractors=Count("pk", filter=Q(nps__lte=NPS_DETRACTOR_MAX)),
    )
    report.nps_responses = nps["n"]
    if nps["n"]:
        report.nps = round(100 * (nps["promoters"] - nps["detractors"]) / nps["n"], 1)

    # Comments: attributed only when the program does not promise anonymity.
    comments = feedback.exclude(comment="")
    if program.anonymous_feedback:
        # Neither author nor date, nor the order they came in: grouped by survey kind.
        report.comments = [
            {"kind": labels.get(k, k), "comment": c, "author": ""}
            for k, c in comments.order_by("kind", "comment").values_list("kind", "comment")[:COMMENTS_SHOWN]
        ]
    else:
        for k, c, username, first, last in comments.order_by("-created_at").values_list(
            "kind", "comment", "author__username", "author__first_name", "author__last_name"
        )[:COMMENTS_SHOWN]:
            report.comments.append(
                {"kind": labels.get(k, k), "comment": c, "author": display_name_from(first, last, username)}
            )

    # Editor-built surveys: the same reportable answers, and a whole survey withheld below the minimum.
    report.surveys = survey_results(program, feedback)

    # Outcomes.
    outcome_counts = Counter()
    promoted, left = set(), set()
    for kind, mentee_id in Outcome.objects.filter(mentorship__program=program).values_list(
        "kind", "mentorship__mentee_id"
    ):
        outcome_counts[kind] += 1
        if kind in ("promoted", "role_change"):
            promoted.add(mentee_id)
        if kind == "left":
            left.add(mentee_id)
    out_labels = dict(Outcome.Kind.choices)
    report.outcomes = {str(out_labels[k]): n for k, n in sorted(outcome_counts.items())}
    report.promotion_rate = _pct(len(promoted & matched_mentees), len(matched_mentees))
    report.retention_rate = _pct(len(matched_mentees - left), len(matched_mentees)) if outcome_counts else None
    report.pairs = pairs
    return report
