"""Impact across programs: each program's figures, their total, cohorts by start quarter, and a baseline of
non-participants, in a fixed number of queries however many programs, pairs and answers there are.

Every figure means what the program report's figure means (``reports.metrics``): the match rate, the
cadence kept, satisfaction and NPS (anonymous programs' answers only in groups that reach
``ANONYMITY_MIN_RESPONSES``), the objective grades, promotion and retention use the same functions.
A total or a cohort pools its programs' counts (it is not an average of their percentages).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from wagtail_mentoring.conf import mentoring_settings
from wagtail_mentoring.programs.models import Enrolment, Feedback, Mentorship
from wagtail_mentoring.programs.selectors import attach_activity, grouped_mentees
from wagtail_mentoring.reports import metrics
from wagtail_mentoring.reports.models import Outcome
from wagtail_mentoring.skills.metrics import program_skill_change
from wagtail_mentoring.snippets.models import KeyResult, Objective

#: The profile attributes a baseline may be chosen by (``MentoringProfile`` fields).
BASELINE_ATTRIBUTES = ("department", "location", "job_title")


@dataclass
class Tally:
    """The counts behind one row; rows of several programs add up (a total, a cohort)."""

    programs: int = 0
    participants: set = field(default_factory=set)
    mentees_accepted: int = 0
    matched: set = field(default_factory=set)
    days_to_match: list = field(default_factory=list)
    active_pairs: int = 0
    cadence_kept_pairs: int = 0
    grades: list = field(default_factory=list)
    objectives_graded: int = 0
    objectives_achieved: int = 0
    rating_sum: float = 0.0
    rating_n: int = 0
    nps_n: int = 0
    promoters: int = 0
    detractors: int = 0
    promoted: set = field(default_factory=set)
    left: set = field(default_factory=set)
    outcome_base: set = field(default_factory=set)
    responses_withheld: int = 0
    #: The sum and number of the participants' skill changes (filled by :func:`add_skill_change`).
    skill_change_sum: float = 0.0
    skill_change_n: int = 0

    def add(self, other: Tally) -> None:
        """Pool ``other``'s counts into this tally (people are counted once; pairs are per program)."""
        for name in self.__dataclass_fields__:
            mine = getattr(self, name)
            theirs = getattr(other, name)
            if isinstance(mine, set):
                mine |= theirs
            elif isinstance(mine, list):
                mine.extend(theirs)
            else:
                setattr(self, name, mine + theirs)


@dataclass
class ImpactRow:
    """One row of the impact report: a program, a cohort or the total."""

    label: str
    programs: int
    participants: int
    match_rate: float | None
    median_days_to_match: float | None
    cadence_kept: float | None
    average_rating: float | None
    nps: float | None
    nps_responses: int
    average_grade: float | None
    objectives_achieved: float | None
    #: The average change of the participants' self-rated skill levels (1-5 scale) from the start to closing
    #: (:func:`add_skill_change`); ``None`` ("not measured") when nobody rated both moments.
    skill_change: float | None
    retention_rate: float | None
    promotion_rate: float | None
    responses_withheld: int
    is_total: bool = False
    program_id: int | None = None


def row_from(label: str, tally: Tally, is_total: bool = False, program_id: int | None = None) -> ImpactRow:
    """The figures of ``tally``, computed with the program report's rules (``reports.metrics``)."""
    matched_mentees = len(tally.matched)
    # Promotion over every matched mentee; retention only over programs with an outcome recorded.
    promotion = metrics.outcome_rates(tally.matched, tally.promoted, set(), False)[0]
    retention = metrics.outcome_rates(tally.outcome_base, set(), tally.left, bool(tally.outcome_base))[1]
    return ImpactRow(
        label=label,
        programs=tally.programs,
        participants=len(tally.participants),
        match_rate=metrics.match_rate(tally.mentees_accepted, matched_mentees),
        median_days_to_match=statistics.median(tally.days_to_match) if tally.days_to_match else None,
        cadence_kept=metrics.percent(tally.cadence_kept_pairs, tally.active_pairs),
        average_rating=round(tally.rating_sum / tally.rating_n, 2) if tally.rating_n else None,
        nps=metrics.nps_score(tally.nps_n, tally.promoters, tally.detractors),
        nps_responses=tally.nps_n,
        average_grade=round(sum(tally.grades) / len(tally.grades), 2) if tally.grades else None,
        objectives_achieved=metrics.percent(tally.objectives_achieved, tally.objectives_graded),
        skill_change=round(tally.skill_change_sum / tally.skill_change_n, 2) if tally.skill_change_n else None,
        retention_rate=retention,
        promotion_rate=promotion,
        responses_withheld=tally.responses_withheld,
        is_total=is_total,
        program_id=program_id,
    )


def program_tallies(programs: Iterable, today: dt.date | None = None) -> dict[int, Tally]:
    """Each program's :class:`Tally`, in about ten queries whatever the number of programs and pairs.

    Args:
        programs: the programs (instances, loaded once; a pair's activity reads its program's cadence).
        today: the day the figures are for (default: today).
    """
    today = today or timezone.localdate()
    by_id = {p.pk: p for p in programs}
    tallies = {pk: Tally(programs=1) for pk in by_id}
    if not by_id:
        return tallies
    ids = list(by_id)

    # Participation and acceptance dates (one query).
    accepted_on: dict[tuple[int, int], dt.date] = {}
    for program_id, user_id, role, reviewed_at in Enrolment.objects.filter(
        program_id__in=ids, status=Enrolment.Status.ACCEPTED
    ).values_list("program_id", "user_id", "role", "reviewed_at"):
        tally = tallies[program_id]
        tally.participants.add(user_id)
        if role == Enrolment.Role.MENTEE:
            tally.mentees_accepted += 1
            if reviewed_at is not None:
                accepted_on[(program_id, user_id)] = timezone.localdate(reviewed_at)

    # Pairs (one query) and their activity (two queries), as the program report.
    pair_qs = Mentorship.objects.filter(program_id__in=ids, status__in=metrics.STARTED)
    pairs = list(
        pair_qs.only("pk", "status", "started_on", "meeting_cadence_days", "program_id", "mentor_id", "mentee_id")
    )
    for pair in pairs:
        pair.program = by_id[pair.program_id]
    pairs = attach_activity(pairs, within=pair_qs.values("pk"), now=metrics.report_moment(today))
    first_start: dict[tuple[int, int], dt.date] = {}
    # Matched, as in the program report: a started pair or a place in a started group.
    for key in grouped_mentees(ids):
        tallies[key[0]].matched.add(key)
    for pair in pairs:
        tally = tallies[pair.program_id]
        tally.participants.update((pair.mentor_id, pair.mentee_id))
        key = (pair.program_id, pair.mentee_id)
        tally.matched.add(key)
        if pair.started_on and (key not in first_start or pair.started_on < first_start[key]):
            first_start[key] = pair.started_on
        if pair.status == Mentorship.Status.ACTIVE:
            tally.active_pairs += 1
            tally.cadence_kept_pairs += bool(pair.activity.check_in_cadence_kept)
    for key, started_on in first_start.items():
        days = metrics.days_to_match(accepted_on.get(key), started_on)
        if days is not None:
            tallies[key[0]].days_to_match.append(days)

    # Objective grades (one query) and objectives achieved (one query), of started pairs.
    program_of = {pair.pk: pair.program_id for pair in pairs}
    grades = metrics.pair_objective_grades(KeyResult.objects.filter(objective__program_id__in=ids))
    for mentorship_id, pair_grades in grades.items():
        if mentorship_id in program_of:
            tallies[program_of[mentorship_id]].grades.extend(pair_grades)
    for program_id, graded, achieved in (
        Objective.objects.filter(
            program_id__in=ids, mentorship__status__in=metrics.STARTED, status__in=metrics.GRADED_STATUSES
        )
        .values_list("program_id")
        .annotate(n=Count("pk"), achieved=Count("pk", filter=Q(status=Objective.Status.ACHIEVED)))
        .order_by()
    ):
        tallies[program_id].objectives_graded += graded
        tallies[program_id].objectives_achieved += achieved

    # Satisfaction and NPS: an anonymous program's answers only in groups that reach the minimum.
    anonymous = {pk for pk, p in by_id.items() if p.anonymous_feedback}
    feedback = Feedback.objects.filter(Q(program_id__in=ids) | Q(mentorship__program_id__in=ids))
    shown, withheld, _withheld_answers = metrics.reportable_feedback(feedback, anonymous)
    for program_id, n in withheld.items():
        tallies[program_id].responses_withheld += n
    for row in (
        shown.filter(kind__in=Feedback.SATISFACTION_KINDS)  # how it went, not a before-launch expectation
        .values("fb_program")
        .annotate(rating_sum=Sum("rating"), rating_n=Count("rating"), **metrics.nps_counts())
        .order_by()
    ):
        if row["fb_program"] not in tallies:
            continue
        tally = tallies[row["fb_program"]]
        tally.rating_sum += row["rating_sum"] or 0
        tally.rating_n += row["rating_n"]
        tally.nps_n += row["nps_n"]
        tally.promoters += row["promoters"]
        tally.detractors += row["detractors"]

    # Outcomes of the pairs' mentees (one query), as the program report.
    for program_id, kind, mentee_id in Outcome.objects.filter(mentorship__program_id__in=ids).values_list(
        "mentorship__program_id", "kind", "mentorship__mentee_id"
    ):
        tally = tallies[program_id]
        tally.outcome_base = tally.matched
        key = (program_id, mentee_id)
        if kind in metrics.PROMOTION_KINDS:
            tally.promoted.add(key)
        if kind == metrics.LEFT_KIND:
            tally.left.add(key)
    return tallies


def add_skill_change(tallies: dict[int, Tally], programs: list) -> None:
    """Add each program's skill change to its tally: the change of every person and skill counted by the
    program report's "Skills before and after" (``skills.metrics.program_skill_change``: self-ratings at the
    start and at closing, skills rated by fewer than the anonymity minimum left out), as a sum and a number,
    so that totals and cohorts pool them like the other figures. Two queries for all programs; a program
    whose skills nobody rated at both moments stays "not measured"."""
    for program_id, skills in program_skill_change(programs).items():
        tally = tallies.get(program_id)
        if tally is None:
            continue
        for skill in skills:
            if skill.reported:
                tally.skill_change_sum += skill.change * skill.people
                tally.skill_change_n += skill.people


def cohort_label(start: dt.date | None) -> str:
    """A program's cohort: its start quarter, e.g. ``"2026 Q1"``; empty when it has no start date."""
    if start is None:
        return ""
    return f"{start.year} Q{(start.month - 1) // 3 + 1}"


@dataclass
class ImpactReport:
    """The impact report: a row per program, the total, and the cohorts (oldest first)."""

    rows: list[ImpactRow]
    total: ImpactRow
    cohorts: list[ImpactRow]


def impact_report(programs: QuerySet, today: dt.date | None = None, no_start_label: str = "") -> ImpactReport:
    """The impact report over ``programs`` (a queryset of program pages), in a fixed number of queries.

    Args:
        programs: the programs to report on (already limited to those the user coordinates).
        today: the day the figures are for (default: today).
        no_start_label: the cohort label of programs without a start date (listed last).
    """
    programs = sorted(programs, key=lambda p: (p.start_date is None, p.start_date or dt.date.min, p.title, p.pk))
    tallies = program_tallies(programs, today)
    add_skill_change(tallies, programs)
    rows = [row_from(p.title, tallies[p.pk], program_id=p.pk) for p in programs]
    total = Tally()
    by_cohort: dict[str, Tally] = defaultdict(Tally)
    for p in programs:
        total.add(tallies[p.pk])
        by_cohort[cohort_label(p.start_date)].add(tallies[p.pk])
    order = sorted(by_cohort, key=lambda label: (label == "", label))
    cohorts = [row_from(label or no_start_label, by_cohort[label]) for label in order]
    return ImpactReport(rows=rows, total=row_from("", total, is_total=True), cohorts=cohorts)


def participant_ids(programs: QuerySet | None = None) -> QuerySet:
    """Everyone who took part in ``programs`` (every program when ``None``): an accepted enrolment or a started
    pair (a ``values`` query)."""
    User = get_user_model()
    enrolled = Q(mentoring_enrolments__status=Enrolment.Status.ACCEPTED)
    mentee = Q(mentorships_as_mentee__status__in=metrics.STARTED)
    mentor = Q(mentorships_as_mentor__status__in=metrics.STARTED)
    if programs is not None:
        enrolled &= Q(mentoring_enrolments__program__in=programs)
        mentee &= Q(mentorships_as_mentee__program__in=programs)
        mentor &= Q(mentorships_as_mentor__program__in=programs)
    return User.objects.filter(enrolled | mentee | mentor).values("pk").distinct()


def baseline_users(group=None, attribute: str = "", value: str = "") -> QuerySet:
    """The comparison group: the host's users in ``group``, or whose profile ``attribute`` is ``value``
    (case-insensitive), minus everyone who took part in any program.

    One dimension, and the same people whichever programs the report shows: a baseline that could be narrowed
    (a group within an attribute) or shifted (the participants of other programs left in or out) by one person
    at a time would let two reports be subtracted to give that person's retention and promotion.

    Raises:
        ValueError: an unknown attribute, or both a group and an attribute.
    """
    if attribute and attribute not in BASELINE_ATTRIBUTES:
        raise ValueError(attribute)
    if group is not None and attribute:
        raise ValueError("a baseline is a group or a profile attribute, not both")
    users = get_user_model().objects.all()
    if group is not None:
        users = users.filter(groups=group)
    if attribute:
        users = users.filter(**{f"mentoring_profile__{attribute}__iexact": value.strip()})
    return users.exclude(pk__in=participant_ids())


@dataclass
class Comparison:
    """Participants (matched mentees) against the baseline: retention and promotion, with their sizes."""

    participants: int
    participant_retention: float | None
    participant_promotion: float | None
    baseline: int
    baseline_shown: bool
    baseline_retention: float | None = None
    baseline_promotion: float | None = None


def compare_with_baseline(programs: QuerySet, baseline: QuerySet) -> Comparison:
    """Retention (active account, no "left" outcome) and promotion of the programs' matched mentees and of
    ``baseline`` (``metrics.people_outcomes``, two queries). A baseline smaller than
    ``ANONYMITY_MIN_RESPONSES`` is not shown: its figures would describe a handful of named people."""
    User = get_user_model()
    mentees = User.objects.filter(
        mentorships_as_mentee__program__in=programs, mentorships_as_mentee__status__in=metrics.STARTED
    )
    ours = metrics.people_outcomes(mentees)
    theirs = metrics.people_outcomes(baseline)
    shown = theirs["n"] >= mentoring_settings.ANONYMITY_MIN_RESPONSES
    comparison = Comparison(
        participants=ours["n"],
        participant_retention=metrics.percent(ours["retained"], ours["n"]),
        participant_promotion=metrics.percent(ours["promoted"], ours["n"]),
        baseline=theirs["n"],
        baseline_shown=shown,
    )
    if shown:
        comparison.baseline_retention = metrics.percent(theirs["retained"], theirs["n"])
        comparison.baseline_promotion = metrics.percent(theirs["promoted"], theirs["n"])
    return comparison
