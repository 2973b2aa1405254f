"""Activity queries for the rules in ``programs.activity``: grouped, never one query per pair or key result."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from wagtail_mentoring.access.querysets import viewable_pages
from wagtail_mentoring.programs import activity, journeys
from wagtail_mentoring.programs.models import (
    Enrolment,
    Feedback,
    GroupMember,
    JourneyStepCompletion,
    MentoringGroup,
    MentoringSession,
    Mentorship,
    MentorshipRequest,
)
from wagtail_mentoring.training.models import LearningPath, LearningPathItem, TrainingCompletion, TrainingResourcePage

_CHECK_IN_AT = "objectives__key_results__check_ins__created_at"

#: A mentee with a pairing in one of these statuses has a mentor (or one waiting for approval) in that
#: program: they are not unmatched, and matching leaves them out.
PAIRED_STATUSES = (Mentorship.Status.PROPOSED, Mentorship.Status.ACTIVE, Mentorship.Status.PAUSED)


def unmatched_mentees(enrolments: QuerySet, paired_statuses: Iterable[str] = PAIRED_STATUSES) -> QuerySet:
    """The unmatched mentees among ``enrolments``: the one "unmatched" rule.

    A mentee is unmatched in a program when their mentee enrolment there is accepted, they have no
    pairing in :data:`PAIRED_STATUSES` in that program, no mentorship request there that is waiting or
    accepted (self-match: finding a mentor is in their hands), and no place in one of its open mentoring
    groups or peer circles (``MentoringGroup.OPEN_STATUSES``). The matching review and run, the coordinator's
    to-dos and the "mentees left unmatched" reminder all ask this queryset.

    Args:
        enrolments: an Enrolment queryset (already filtered through ``access`` where it matters).
        paired_statuses: the pairing statuses that count; a new matching run that will replace the
            program's proposal passes them without *proposed* (``proposals.build_candidates``).

    Returns:
        The accepted mentee enrolments without such a pairing (one ``NOT EXISTS`` subquery).
    """
    paired = Mentorship.objects.filter(
        program_id=OuterRef("program_id"), mentee_id=OuterRef("user_id"), status__in=list(paired_statuses)
    )
    requested = MentorshipRequest.objects.filter(
        program_id=OuterRef("program_id"),
        mentee_id=OuterRef("user_id"),
        status__in=(*MentorshipRequest.OPEN_STATUSES, MentorshipRequest.Status.ACCEPTED),
    )
    grouped = GroupMember.objects.filter(
        group__program_id=OuterRef("program_id"),
        user_id=OuterRef("user_id"),
        group__status__in=MentoringGroup.OPEN_STATUSES,
    )
    return (
        enrolments.filter(role=Enrolment.Role.MENTEE, status=Enrolment.Status.ACCEPTED)
        .exclude(Exists(paired))
        .exclude(Exists(requested))
        .exclude(Exists(grouped))
    )


def grouped_mentees(program_ids: Iterable[int]) -> set[tuple[int, int]]:
    """``(program id, user id)`` of the accepted mentees with a place in a started group of those programs
    (``MentoringGroup.STARTED_STATUSES``, either kind): matched, for the reports' match rate, as the mentee of a
    started pairing is. One query."""
    mentee = Enrolment.objects.filter(
        program_id=OuterRef("group__program_id"),
        user_id=OuterRef("user_id"),
        role=Enrolment.Role.MENTEE,
        status=Enrolment.Status.ACCEPTED,
    )
    return set(
        GroupMember.objects.filter(
            group__program_id__in=list(program_ids), group__status__in=MentoringGroup.STARTED_STATUSES
        )
        .filter(Exists(mentee))
        .values_list("group__program_id", "user_id")
    )


def attach_activity(mentorships: Iterable, within: QuerySet | None = None, now: dt.datetime | None = None) -> list:
    """Set the activity of each mentorship with two grouped queries, and return them as a list.

    Sets ``last_session_at`` (latest session held by ``now``), ``sessions_count`` (sessions held: only
    ``MentoringSession.objects.held()`` count; planned and cancelled ones never make a pair look active), ``last_check_in_at``
    and ``check_ins_count``, then ``activity`` (a :class:`~wagtail_mentoring.programs.activity.PairActivity`
    for ``now``'s date), which the mentorship's ``program`` must be loaded for.

    Args:
        mentorships: mentorships (an iterable or queryset).
        within: a ``values("pk")`` queryset of the mentorships, used in the SQL instead of a list of
            ids when there are many.
        now: the moment to measure from (default: now).

    Returns:
        The mentorships, as a list.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    mentorships = list(mentorships)
    if not mentorships:
        return mentorships
    ids = within if within is not None else [m.pk for m in mentorships]
    sessions = {
        row["mentorship_id"]: row
        for row in MentoringSession.objects.held()
        .filter(mentorship_id__in=ids)
        .order_by()
        .values("mentorship_id")
        .annotate(last=Max("date", filter=Q(date__lte=now)), n=Count("pk"))
    }
    # Through the mentorship's reverse relations: the OKR models (``snippets``) depend on programs, not back.
    check_ins = {
        row["pk"]: row
        for row in Mentorship.objects.filter(pk__in=ids, objectives__key_results__check_ins__isnull=False)
        .order_by()
        .values("pk")
        .annotate(last=Max(_CHECK_IN_AT), n=Count("objectives__key_results__check_ins"))
    }
    for m in mentorships:
        s, c = sessions.get(m.pk, {}), check_ins.get(m.pk, {})
        m.last_session_at, m.sessions_count = s.get("last"), s.get("n", 0)
        m.last_check_in_at, m.check_ins_count = c.get("last"), c.get("n", 0)
        m.activity = activity.pair_activity(m, m.last_session_at, m.last_check_in_at, today)
    return mentorships


def upcoming_sessions(mentorship_ids, now: dt.datetime | None = None) -> QuerySet:
    """The planned sessions of ``mentorship_ids`` from ``now`` on, soonest first: the one "next session" read.

    A pairing's next session is its earliest planned session in the future
    (``MentoringSession.objects.upcoming``); a proposed one is not planned yet, a held or cancelled one
    is not coming. The dashboard's pairing cards, the portal block, the admin home panel and the API's
    ``me`` all ask this (or :func:`annotate_next_session`, its subquery form).

    Args:
        mentorship_ids: ids (a list or a ``values("pk")`` queryset) of the pairings.
        now: the moment to look from (default: now).

    Returns:
        A MentoringSession queryset ordered by date, with the pair loaded.
    """
    return (
        MentoringSession.objects.upcoming(now)
        .filter(mentorship_id__in=mentorship_ids)
        .select_related("mentorship__mentor", "mentorship__mentee")
        .order_by("date", "pk")
    )


def next_session(mentorship_ids, now: dt.datetime | None = None):
    """The earliest planned session of ``mentorship_ids`` from ``now`` on, or None (:func:`upcoming_sessions`)."""
    return upcoming_sessions(mentorship_ids, now).first()


def annotate_next_session(queryset: QuerySet, now: dt.datetime | None = None) -> QuerySet:
    """Mentorships annotated with ``next_session``: the date of their next planned session (a subquery of
    :func:`upcoming_sessions`' rule, so a list of pairs costs one query)."""
    sessions = MentoringSession.objects.upcoming(now).filter(mentorship=OuterRef("pk")).order_by("date", "pk")
    return queryset.annotate(next_session=Subquery(sessions.values("date")[:1]))


def free_slots(slots: QuerySet, now: dt.datetime | None = None) -> QuerySet:
    """The slots of ``slots`` still offered: in the future and without a proposed, planned or held session.

    Args:
        slots: an AvailabilitySlot queryset (already filtered through ``access``).
        now: the moment to look from (default: now).

    Returns:
        The free slots, soonest first (one ``NOT EXISTS`` subquery).
    """
    taken = MentoringSession.objects.filter(slot_id=OuterRef("pk"), status__in=MentoringSession.SLOT_TAKING)
    return slots.filter(start__gt=now or timezone.now()).exclude(Exists(taken)).order_by("start", "pk")


def slots_with_booking(slots: QuerySet) -> QuerySet:
    """``slots`` annotated with ``booked_status``: the status of the session proposed, planned or held in it
    (None when free), for the mentor's own list."""
    taken = MentoringSession.objects.filter(slot_id=OuterRef("pk"), status__in=MentoringSession.SLOT_TAKING)
    return slots.annotate(booked_status=Subquery(taken.values("status")[:1]))


def with_last_check_in(key_results: QuerySet) -> QuerySet:
    """Key results annotated with ``last_check_in`` (a subquery), with their objective's program and cycle
    prefetched.

    Args:
        key_results: a KeyResult queryset (already filtered through ``access``).

    Returns:
        The annotated queryset, ready for :func:`key_results_due`.
    """
    check_in = key_results.model.check_ins.field.model  # CheckIn, reached without importing snippets
    newest = check_in.objects.filter(key_result=OuterRef("pk")).order_by("-created_at", "-pk").values("created_at")[:1]
    # Prefetched, not joined: each objective, program and cycle is built once, not once per key result
    # (a program is a Wagtail page: 250 key results of one program would build 250 pages).
    return key_results.prefetch_related("objective__program", "objective__cycle").annotate(
        last_check_in=Subquery(newest)
    )


def key_results_due(key_results: QuerySet, today: dt.date | None = None) -> list[activity.KeyResultDue]:
    """The key results of ``key_results`` due a check-in on ``today``, in one query.

    Args:
        key_results: a KeyResult queryset (already filtered through ``access``); its order is kept.
        today: the day to decide for (default: today).

    Returns:
        One :class:`~wagtail_mentoring.programs.activity.KeyResultDue` per due key result.
    """
    today = today or timezone.localdate()
    active = key_results.filter(objective__status=activity.ACTIVE_OBJECTIVE)
    candidates = with_last_check_in(active).filter(check_in_candidates(active, today))
    rows = (activity.key_result_due(kr, today) for kr in candidates)
    return [row for row in rows if row.due]


def check_in_candidates(key_results: QuerySet, today: dt.date) -> Q:
    """A SQL pre-filter of the check-in-due rule: every key result it drops is not due on ``today``.

    The rule itself stays :func:`programs.activity.key_result_due`, applied to the key results that pass;
    this only keeps the database from returning those checked in within their program's cadence
    (``activity.check_in_cadence``), so a person who checks in on time costs nothing to look through.
    One query reads the cadences in use; the filter is on the ``last_check_in`` annotation
    (:func:`with_last_check_in`) against constant datetimes, a day early to stay on the safe side.

    Args:
        key_results: the KeyResult queryset about to be decided on.
        today: the day to decide for.

    Returns:
        A ``Q`` on ``last_check_in`` and the objective's program cadence.
    """
    cadence_field = "objective__program__check_in_cadence_days"
    cadences = set(key_results.order_by().values_list(cadence_field, flat=True).distinct())
    keep = Q(last_check_in__isnull=True)
    for cadence in cadences:
        program = Q(**{f"{cadence_field}__isnull": True}) if cadence is None else Q(**{cadence_field: cadence})
        days = activity.check_in_cadence(None) if cadence is None else cadence
        # Due when local_date(last) + cadence <= today; keep every check-in before the local midnight
        # that starts today - cadence + 2 (one day of slack; the pure rule decides).
        try:
            boundary = timezone.make_aware(dt.datetime.combine(activity.add_days(today, 2 - days), dt.time.min))
        except (OverflowError, ValueError):
            keep |= program
            continue
        keep |= program & Q(last_check_in__lt=boundary)
    return keep


# --- journeys ---------------------------------------------------------------------------------------
@dataclass
class JourneyStepRow:
    """A journey step as a pairing's pages show it: its state (``programs.journeys.StepState``), the
    training resource and learning path it links (``None`` when none, or not one the viewer may see), and
    the address of its survey's form while that survey is due to the viewer (set by the page)."""

    state: journeys.StepState
    resource: TrainingResourcePage | None = None
    path: LearningPath | None = None
    survey_url: str = ""

    def __getattr__(self, name: str):
        # The state's fields (``step``, ``due``, ``label``, ``tone`` ...) read as the row's own.
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.state, name)


def _objective_statuses_set() -> list[str]:
    """Objective statuses that count as "objectives set": ``Objective.TAKEN_UP_STATUSES``."""
    return list(Mentorship.objectives.rel.related_model.TAKEN_UP_STATUSES)  # reached without importing snippets


def attach_journeys(mentorships: Iterable, user=None, today: dt.date | None = None) -> list:
    """Set ``journey`` (``programs.journeys.Journey``) and ``journey_rows`` (:class:`JourneyStepRow`) on each
    mentorship, in a constant number of queries however many pairings there are.

    A step is done when the pair marked it (``JourneyStepCompletion``) or, for a step completed by
    something else (``completes_when``), when that happened: a feedback of the step's survey kind on the
    pairing, the linked learning path (or resource) completed by the mentee, objectives set on the
    pairing. Nothing is written: the state is computed when read. The mentorships' ``program`` must be
    loaded.

    Args:
        mentorships: mentorships (an iterable or queryset) with ``program`` loaded.
        user: the viewer: linked training resources are those they may view (page privacy); without a
            user, live resources.
        today: the day to judge on (default: today).

    Returns:
        The mentorships, as a list.
    """
    today = today or timezone.localdate()
    mentorships = list(mentorships)
    steps_of = {m.pk: m.program.journey_steps for m in mentorships}
    with_steps = [m for m in mentorships if steps_of[m.pk]]
    ids = [m.pk for m in with_steps]
    all_steps = [step for m in with_steps for step in steps_of[m.pk]]
    kinds = {step.completes_when for step in all_steps}
    marked: dict[int, dict[str, dt.datetime]] = defaultdict(dict)
    if ids:
        for mentorship_id, step_id, at in JourneyStepCompletion.objects.filter(mentorship_id__in=ids).values_list(
            "mentorship_id", "step_id", "completed_at"
        ):
            marked[mentorship_id][step_id] = at
    answered: set[tuple[int, str]] = set()
    if journeys.SURVEY in kinds:
        answered = set(
            Feedback.objects.filter(mentorship_id__in=ids).order_by().values_list("mentorship_id", "kind").distinct()
        )
    with_objectives: set[int] = set()
    if journeys.OBJECTIVES in kinds:
        with_objectives = set(
            Mentorship.objects.filter(pk__in=ids, objectives__status__in=_objective_statuses_set())
            .order_by()
            .values_list("pk", flat=True)
            .distinct()
        )
    path_ids = {step.path_id for step in all_steps if step.path_id}
    resource_ids = {step.resource_id for step in all_steps if step.resource_id}
    path_resources: dict[int, set[int]] = defaultdict(set)
    paths: dict[int, LearningPath] = {}
    if path_ids:
        paths = LearningPath.objects.in_bulk(path_ids)
        for path_id, resource_id in LearningPathItem.objects.filter(path_id__in=path_ids).values_list(
            "path_id", "resource_id"
        ):
            path_resources[path_id].add(resource_id)
    completed: set[tuple[int, int]] = set()
    needed = resource_ids | {rid for rids in path_resources.values() for rid in rids}
    if journeys.PATH in kinds and needed:
        completed = set(
            TrainingCompletion.objects.filter(
                user_id__in={m.mentee_id for m in with_steps}, resource_id__in=needed
            ).values_list("user_id", "resource_id")
        )
    resources: dict[int, TrainingResourcePage] = {}
    if resource_ids:
        pages = list(TrainingResourcePage.objects.filter(pk__in=resource_ids).live())
        shown = viewable_pages(user, pages) if user is not None else pages
        resources = {page.pk: page for page in shown}
    for m in mentorships:
        steps = steps_of[m.pk]

        def happened(step: journeys.JourneyStep, m=m) -> bool:
            if step.completes_when == journeys.SURVEY:
                return bool(step.survey_kind) and (m.pk, step.survey_kind) in answered
            if step.completes_when == journeys.OBJECTIVES:
                return m.pk in with_objectives
            if step.completes_when == journeys.PATH:
                wanted = set(path_resources.get(step.path_id, ())) if step.path_id else set()
                if step.resource_id:
                    wanted.add(step.resource_id)
                return bool(wanted) and all((m.mentee_id, rid) in completed for rid in wanted)
            return False

        m.journey = journeys.compute_journey(
            m.started_on, steps, marked.get(m.pk, {}), [s.id for s in steps if happened(s)], today=today
        )
        m.journey_rows = [
            JourneyStepRow(
                state=state,
                resource=resources.get(state.step.resource_id),
                path=paths.get(state.step.path_id),
            )
            for state in m.journey.steps
        ]
    return mentorships
