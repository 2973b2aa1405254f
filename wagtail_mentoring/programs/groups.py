"""Group mentoring: who may join a group, the one write path of groups and their sessions, filling groups.

A mentoring group has one mentor (an accepted mentor of the program) and up to ``max_size`` members,
accepted mentees of the program; a peer circle has no mentor and takes any accepted participant. A person
holds a place in at most one open group of a program, and a mentee with such a place is matched
(``programs.selectors.unmatched_mentees``). Matching fills mentoring groups up to their size with the same
engine, scores and hard rules as one-to-one matching (:func:`fill_groups`).

Example:
    >>> group = create_group(program, name="Leading without authority", mentor=ana, max_size=5)
    >>> add_member(group, bruno)
    >>> fill_groups(program)  # the unmatched mentees, by score, into the groups' free places
    {group.pk: [7, 12, 31]}
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from wagtail_mentoring.access.querysets import can_read_group_words
from wagtail_mentoring.people import display_name
from wagtail_mentoring.programs.models import (
    DEFAULT_SESSION_MINUTES,
    Enrolment,
    GroupMember,
    GroupSession,
    MentoringGroup,
    MentoringProgramPage,
    MentoringSession,
)
from wagtail_mentoring.programs.proposals import build_candidates, candidate_for, matching_engine


def member_roles(kind: str) -> tuple[str, ...]:
    """The enrolment roles that may hold a place in a group of ``kind``: mentees in a mentoring group,
    any participant in a peer circle."""
    if kind == MentoringGroup.Kind.GROUP:
        return (Enrolment.Role.MENTEE,)
    return (Enrolment.Role.MENTEE, Enrolment.Role.MENTOR)


def mentor_problem(program: MentoringProgramPage, mentor_id: int | None) -> str | None:
    """Why ``mentor_id`` may not lead a mentoring group of ``program`` (None when they may): only an
    accepted mentor of the program may."""
    accepted = Enrolment.objects.filter(
        program=program, user_id=mentor_id, role=Enrolment.Role.MENTOR, status=Enrolment.Status.ACCEPTED
    )
    if mentor_id is None or not accepted.exists():
        return _("The group's mentor must be an accepted mentor of the program.")
    return None


def member_problems(group: MentoringGroup, user_ids: list[int]) -> dict[int, str]:
    """Why each of ``user_ids`` may not hold a place in ``group`` (only those who may not; 3 queries).

    The rules: the group is open; the person is not its mentor; they have an accepted enrolment in the
    program in a role the group's kind takes (:func:`member_roles`); they hold no place in another open
    group of the program. The group's size is checked by the callers, which know how many join at once.
    """
    problems: dict[int, str] = {}
    if not group.is_open:
        return dict.fromkeys(user_ids, _("This group is closed."))
    enrolled = set(
        Enrolment.objects.filter(
            program_id=group.program_id,
            user_id__in=user_ids,
            role__in=member_roles(group.kind),
            status=Enrolment.Status.ACCEPTED,
        ).values_list("user_id", flat=True)
    )
    elsewhere = dict(
        GroupMember.objects.filter(
            group__program_id=group.program_id, group__status__in=MentoringGroup.OPEN_STATUSES, user_id__in=user_ids
        )
        .exclude(group_id=group.pk)
        .values_list("user_id", "group__name")
    )
    for user_id in user_ids:
        if user_id == group.mentor_id:
            problems[user_id] = _("The group's mentor is not one of its members.")
        elif user_id not in enrolled:
            problems[user_id] = (
                _("Only accepted mentees of the program may join a mentoring group.")
                if group.kind == MentoringGroup.Kind.GROUP
                else _("Only accepted participants of the program may join a peer circle.")
            )
        elif user_id in elsewhere:
            problems[user_id] = _("Already in the group “%(group)s” of this program.") % {"group": elsewhere[user_id]}
    return problems


def size_problem(group: MentoringGroup, members: int) -> str | None:
    """Why ``members`` people are too many for ``group`` (None when they fit)."""
    if members > group.max_size:
        return _("The group holds at most %(size)d members.") % {"size": group.max_size}
    return None


def create_group(
    program: MentoringProgramPage,
    *,
    name: str,
    kind: str = MentoringGroup.Kind.GROUP,
    mentor=None,
    max_size: int | None = None,
    focus: str = "",
) -> MentoringGroup:
    """Create a mentoring group (with ``mentor``) or a peer circle (without) in ``program``.

    Raises:
        ValidationError: a field out of bounds, a mentor who is not an accepted mentor of the program,
            a peer circle given a mentor.
    """
    group = MentoringGroup(program=program, name=name, kind=kind, mentor=mentor, focus=focus)
    if max_size is not None:
        group.max_size = max_size
    group.full_clean()
    if kind == MentoringGroup.Kind.GROUP and (problem := mentor_problem(program, group.mentor_id)):
        raise ValidationError({"mentor": problem}, code="group_mentor")
    group.save()
    return group


def add_members(group: MentoringGroup, users: list) -> list[GroupMember]:
    """Give each of ``users`` a place in ``group`` (all or nothing; the group's row is locked).

    Raises:
        ValidationError: anyone who may not join (:func:`member_problems`, messages naming them), or
            more people than the group's free places.
    """
    with transaction.atomic():
        group = MentoringGroup.objects.select_for_update().get(pk=group.pk)
        ids = [u.pk for u in users]
        current = set(group.members.values_list("user_id", flat=True))
        new = [u for u in users if u.pk not in current]
        problems = member_problems(group, [u.pk for u in new])
        if problems:
            names = {u.pk: display_name(u) for u in new}
            raise ValidationError([f"{names[pk]}: {message}" for pk, message in problems.items()], code="group_member")
        if problem := size_problem(group, len(current) + len(new)):
            raise ValidationError(problem, code="group_full")
        if len(set(ids)) != len(ids):
            raise ValidationError(_("A person is listed twice."), code="group_member")
        return GroupMember.objects.bulk_create([GroupMember(group=group, user=u) for u in new])


def add_member(group: MentoringGroup, user) -> GroupMember:
    """Give ``user`` a place in ``group`` (see :func:`add_members`)."""
    return add_members(group, [user])[0]


def remove_members(group: MentoringGroup, user_ids) -> None:
    """Take the places of ``user_ids`` in ``group`` away, in one query (their past sessions stay the group's)."""
    GroupMember.objects.filter(group=group, user_id__in=list(user_ids)).delete()


def remove_member(group: MentoringGroup, user) -> None:
    """Take ``user``'s place in ``group`` away (see :func:`remove_members`)."""
    remove_members(group, [user.pk])


def set_group_status(group: MentoringGroup, status: str) -> MentoringGroup:
    """Move ``group`` to ``status`` (forming, active or closed; a closed group may be reopened)."""
    if status not in MentoringGroup.Status.values:
        raise ValidationError({"status": _("Unknown status.")}, code="invalid_choice")
    MentoringGroup.objects.filter(pk=group.pk).update(status=status)
    group.status = status
    return group


def log_group_session(
    group: MentoringGroup,
    by,
    *,
    date: dt.datetime,
    duration_minutes: int = DEFAULT_SESSION_MINUTES,
    format: str = MentoringSession.Format.VIDEO,  # noqa: A002 - the model field's name
    agenda: str = "",
    notes: str = "",
    next_steps: str = "",
) -> GroupSession:
    """Log a meeting of ``group`` by its mentor or a member; a forming group becomes active.

    Raises:
        ValidationError: ``by`` is not one of the group's people, the group is closed, or a field is
            out of bounds. Nothing is saved then.
    """
    if not can_read_group_words(by, group):
        raise ValidationError(_("Only the group's mentor and members log its sessions."), code="not_in_group")
    with transaction.atomic():
        group = MentoringGroup.objects.select_for_update().get(pk=group.pk)
        if not group.is_open:
            raise ValidationError(_("This group is closed."), code="group_closed")
        session = GroupSession(
            group=group,
            date=date,
            duration_minutes=duration_minutes,
            format=format,
            agenda=agenda,
            notes=notes,
            next_steps=next_steps,
            created_by=by,
        )
        session.full_clean()
        session.save()
        if group.status == MentoringGroup.Status.FORMING:
            set_group_status(group, MentoringGroup.Status.ACTIVE)
    return session


def fill_groups(program: MentoringProgramPage) -> dict[int, list[int]]:
    """Fill ``program``'s open mentoring groups with its unmatched mentees, up to each group's size.

    The same engine, weights, hard rules and strategy as the program's one-to-one matching: each group's
    mentor is a candidate whose capacity is the free places of their groups, and the mentees are the
    program's unmatched ones whose training requirements are met (``proposals.build_candidates``). A
    mentor who leads several groups fills them in order of their names.

    Returns:
        ``{group id: [user ids added]}`` for the groups that gained members.

    Raises:
        ValidationError: the program's matching settings are invalid (nothing is saved).
    """
    groups = list(
        MentoringGroup.objects.filter(
            program=program, kind=MentoringGroup.Kind.GROUP, status__in=MentoringGroup.OPEN_STATUSES
        )
        .annotate(n=Count("members"))
        .order_by("name", "pk")
    )
    free_by_mentor: dict[int, list[tuple[MentoringGroup, int]]] = defaultdict(list)
    for group in groups:
        if group.max_size > group.n and group.mentor_id:
            free_by_mentor[group.mentor_id].append((group, group.max_size - group.n))
    if not free_by_mentor:
        return {}
    mentees, _mentors, excluded, _users = build_candidates(program)
    enrolments = (
        Enrolment.objects.filter(
            program=program,
            user_id__in=list(free_by_mentor),
            role=Enrolment.Role.MENTOR,
            status=Enrolment.Status.ACCEPTED,
        )
        .select_related("user", "user__mentoring_profile")
        .prefetch_related("user__mentoring_profile__skills", "user__mentoring_profile__interests")
    )
    mentors = [candidate_for(e, sum(n for _g, n in free_by_mentor[e.user_id])) for e in enrolments]
    try:
        result = matching_engine().match(
            mentees,
            mentors,
            weights=program.matching_weights or None,
            rules=program.matching_rules or None,
            strategy=program.matching_strategy or MentoringProgramPage.MatchingStrategy.BEST_TOTAL,
            excluded={pk: reason for pk, reason in excluded.items() if pk not in free_by_mentor},
        )
    except ValueError as exc:
        raise ValidationError(
            _("The program's matching settings are invalid: %(error)s") % {"error": exc}, code="matching_config"
        ) from exc
    by_mentor: dict[int, list[int]] = defaultdict(list)
    for pair in sorted(result.pairs, key=lambda p: (-p.score, p.mentee_id)):
        by_mentor[pair.mentor_id].append(pair.mentee_id)
    users = get_user_model().objects.in_bulk([pk for ids in by_mentor.values() for pk in ids])
    added: dict[int, list[int]] = {}
    with transaction.atomic():
        for mentor_id, mentee_ids in by_mentor.items():
            queue = list(mentee_ids)
            for group, free in free_by_mentor[mentor_id]:
                take, queue = queue[:free], queue[free:]
                if take:
                    add_members(group, [users[pk] for pk in take])
                    added[group.pk] = take
    return added
