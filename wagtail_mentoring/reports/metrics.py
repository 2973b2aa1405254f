"""Program report metrics, computed in a fixed number of queries however many pairs a program has.

Nothing here reads session notes, agenda or next steps: only dates, counts and durations.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Case, Count, Exists, IntegerField, Max, Min, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from wagtail_mentoring.conf import mentoring_settings
from wagtail_mentoring.people import display_name, display_name_from
from wagtail_mentoring.programs.models import Enrolment, Feedback, Mentorship
from wagtail_mentoring.programs.selectors import attach_activity, grouped_mentees
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
    (:data:`NPS_DETRACTOR_MAX` or less), in an answer about how the mentoring went
    (``Feedback.SATISFACTION_KINDS``). The coordinator's to-dos count these answers."""
    return Q(kind__in=Feedback.SATISFACTION_KINDS) & (Q(rating__lte=LOW_RATING_MAX) | Q(nps__lte=NPS_DETRACTOR_MAX))


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
    krs = KeyResult.objects.filter(objective__program=program)
    if mentorship_ids is not None:
        krs = krs.filter(objective__mentorship_id__in=list(mentorship_ids))
    return pair_objective_grades(krs)


def pair_objective_grades(krs: QuerySet) -> dict[int, list[float]]:
    """Each pairing's objective grades from ``krs`` (key results, e.g. of some programs): one query."""
    krs = krs.filter(objective__mentorship__isnull=False, objective__status__in=GRADED_STATUSES)
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
    pairs = attach_activity(pairs, within=within, now=report_moment(today))
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


def report_moment(today: dt.date) -> dt.datetime:
    """Now, or the end of ``today`` when the report is computed for another day."""
    now = timezone.now()
    if timezone.localdate(now) == today:
        return now
    return timezone.make_aware(dt.datetime.combine(today, dt.time.max))


def percent(part: float, whole: float) -> float | None:
    """``part`` as a percentage of ``whole``, to one decimal; ``None`` when ``whole`` is zero (nothing to measure)."""
    return round(100 * part / whole, 1) if whole else None


_pct = percent


#: Outcome kinds that count as a promotion, and the one that ends retention.
PROMOTION_KINDS = ("promoted", "role_change")
LEFT_KIND = "left"


def match_rate(mentees_accepted: int, mentees_matched: int) -> float | None:
    """The share (%) of accepted mentees in a started pair; a matched mentee always counts as accepted."""
    return _pct(mentees_matched, max(mentees_accepted, mentees_matched))


def outcome_rates(matched: set, promoted: set, left: set, any_outcome: bool) -> tuple[float | None, float | None]:
    """Promotion and retention (%) of the matched mentees, from the mentees with a promotion or "left" outcome.

    Retention is unknown (``None``) until an outcome of any kind is recorded: no outcome is no evidence.
    """
    promotion = _pct(len(promoted & matched), len(matched))
    retention = _pct(len(matched - left), len(matched)) if any_outcome else None
    return promotion, retention


def nps_counts() -> dict:
    """The aggregate expressions of a Net Promoter Score: answers, promoters and detractors."""
    return {
        "nps_n": Count("pk", filter=Q(nps__isnull=False)),
        "promoters": Count("pk", filter=Q(nps__gte=NPS_PROMOTER_MIN)),
        "detractors": Count("pk", filter=Q(nps__lte=NPS_DETRACTOR_MAX)),
    }


def nps_score(n: int, promoters: int, detractors: int) -> float | None:
    """The Net Promoter Score (-100 to 100) of ``n`` answers, or ``None`` without answers."""
    return round(100 * (promoters - detractors) / n, 1) if n else None


def days_to_match(accepted_on: dt.date | None, started_on: dt.date | None) -> int | None:
    """Days from a mentee's accepted enrolment to their pairing's start (0 when paired first); ``None`` if unknown."""
    if accepted_on is None or started_on is None:
        return None
    return max(0, (started_on - accepted_on).days)


def feedback_program() -> Coalesce:
    """An answer's program: its own, or its mentorship's."""
    return Coalesce("program_id", "mentorship__program_id")


def person_promoted_q(path: str = "") -> Exists:
    """Whether the person (``path`` + ``pk``) has a promotion outcome, recorded for them or as a mentee."""
    return Exists(
        Outcome.objects.filter(
            Q(user_id=OuterRef(f"{path}pk")) | Q(mentorship__mentee_id=OuterRef(f"{path}pk")), kind__in=PROMOTION_KINDS
        )
    )


def person_left_q(path: str = "") -> Exists:
    """Whether the person (``path`` + ``pk``) has a "left" outcome, recorded for them or as a mentee."""
    return Exists(
        Outcome.objects.filter(
            Q(user_id=OuterRef(f"{path}pk")) | Q(mentorship__mentee_id=OuterRef(f"{path}pk")), kind=LEFT_KIND
        )
    )


def people_outcomes(users: QuerySet) -> dict:
    """How many of ``users`` there are, are retained (active account and no "left" outcome) and promoted.

    One query. The same rule measures participants and the non-participant baseline of the impact report.
    """
    return users.order_by().aggregate(
        n=Count("pk", distinct=True),
        retained=Count("pk", distinct=True, filter=Q(is_active=True) & ~Q(person_left_q())),
        promoted=Count("pk", distinct=True, filter=Q(person_promoted_q())),
    )


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

    Groups are one survey kind in one calendar month of the current time zone (``survey_period``), of
    one program (:func:`reportable_feedback`).
    """
    feedback, withheld, in_withheld = reportable_feedback(feedback)
    if not withheld:
        return feedback, 0, False
    comments_hidden = in_withheld.exclude(comment="").exists()
    return feedback, sum(withheld.values()), comments_hidden


def reportable_feedback(feedback: QuerySet, anonymous_ids=None) -> tuple[QuerySet, dict[int, int], QuerySet]:
    """The answers of anonymous programs an aggregate may include, in two queries whatever the number of
    answers and programs: the reportable answers, how many each program withholds, and the withheld ones.

    Groups are one program's answers to one survey kind in one calendar month of the current time zone
    (``survey_period``). The months are told apart by comparing ``created_at`` with each month's first
    instant (a ``CASE`` the database evaluates natively, :func:`survey_periods`), and only the withheld
    groups, usually few or none, are filtered out afterwards.

    Args:
        feedback: answers, of one program or many (each answer's program is annotated as ``fb_program``).
        anonymous_ids: the programs whose feedback is anonymous; the others' answers are all reportable
            (default: every answer is in an anonymous program).
    """
    feedback = feedback.annotate(fb_program=feedback_program())
    span = feedback.aggregate(first=Min("created_at"), last=Max("created_at"))
    if span["first"] is None:
        return feedback, {}, feedback.none()
    starts, edges, period = survey_periods(
        timezone.localtime(span["first"]).date(), timezone.localtime(span["last"]).date()
    )
    counts = {
        (program_id, kind, anonymity.survey_period(starts[index])): (index, n)
        for program_id, kind, index, n in feedback.annotate(period=period)
        .values_list("fb_program", "kind", "period")
        .annotate(n=Count("pk"))
        .order_by()
    }
    shown = anonymity.reportable_groups(
        {key: n for key, (_index, n) in counts.items()}, mentoring_settings.ANONYMITY_MIN_RESPONSES
    )
    withheld: Counter = Counter()
    in_withheld = Q(pk__in=[])
    for key, (index, n) in counts.items():
        if key not in shown and (anonymous_ids is None or key[0] in anonymous_ids):
            withheld[key[0]] += n
            in_withheld |= Q(
                fb_program=key[0], kind=key[1], created_at__gte=edges[index], created_at__lt=edges[index + 1]
            )
    if not withheld:
        return feedback, {}, feedback.none()
    return feedback.exclude(in_withheld), dict(withheld), feedback.filter(in_withheld)


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
    # Matched: in a started pair, or with a place in a started group (``selectors.grouped_mentees``).
    matched_mentees = {p.mentee_id for p in pairs} | {user_id for _program, user_id in grouped_mentees([program.pk])}
    report.mentees_matched = len(matched_mentees)
    report.match_rate = match_rate(report.mentees_accepted, report.mentees_matched)
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
    # Satisfaction and NPS: how the mentoring went (``Feedback.SATISFACTION_KINDS``, not the expectations
    # of a before-launch survey, which keeps its own line above).
    satisfaction = feedback.filter(kind__in=Feedback.SATISFACTION_KINDS)
    rating = satisfaction.aggregate(avg=Avg("rating"))["avg"]
    report.average_rating = round(rating, 2) if rating is not None else None
    nps = satisfaction.aggregate(**nps_counts())
    report.nps_responses = nps["nps_n"]
    report.nps = nps_score(nps["nps_n"], nps["promoters"], nps["detractors"])

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
        if kind in PROMOTION_KINDS:
            promoted.add(mentee_id)
        if kind == LEFT_KIND:
            left.add(mentee_id)
    out_labels = dict(Outcome.Kind.choices)
    report.outcomes = {str(out_labels[k]): n for k, n in sorted(outcome_counts.items())}
    report.promotion_rate, report.retention_rate = outcome_rates(matched_mentees, promoted, left, bool(outcome_counts))
    report.pairs = pairs
    return report
