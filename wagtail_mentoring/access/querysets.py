"""``visible_*`` querysets and ``can_*`` predicates: what each user may see and change.

Every function takes the requesting user and returns a lazy queryset built from subqueries over the
direct foreign-key permission models, so a listing costs the same number of queries however many
objects or grants there are. Inactive and anonymous users get empty querysets.

Example:
    >>> visible_objectives(request.user).filter(status="active")
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connections, router
from django.db.models import Exists, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from wagtail_mentoring import models as all_models
from wagtail_mentoring.access.cache import request_cached
from wagtail_mentoring.access.roles import (
    COORDINATE_PROGRAM,
    PARTICIPATE_MENTORSHIP,
    VIEW_MENTORSHIP,
    VIEW_SESSION_NOTES,
)
from wagtail_mentoring.reports.models import Outcome


def is_active_user(user) -> bool:
    """True for an authenticated, active user."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def _granted_ids(user, permission_models: tuple, codename: str) -> list[int]:
    """The primary keys of the objects on which ``user`` holds ``codename``, directly or through a group,
    read once per request for all codenames (``access.cache``; emptied when a permission or a group changes).

    ``permission_models`` are the direct foreign-key permission models of one content type (user, group),
    one of :func:`_permission_models`. One query reads every grant of the user on every such type, as
    guardian's ``get_objects_for_user`` would decide them (``accept_global_perms=False``, no superuser
    bypass; ``tests/access`` checks both agree). A user holds few grants (their pairings, the programs
    they coordinate), so every ``visible_*`` queryset filters on this short list of ids instead of
    nesting subqueries over the permission and group tables: building and running such a query costs
    far less.
    """
    pairs = _permission_models()
    if permission_models not in pairs:
        raise ValueError(f"Not a pair of direct permission models of the package: {permission_models!r}")

    def read() -> dict[tuple[int, str], list[int]]:
        alias = router.db_for_read(pairs[0][0])
        grants: dict[tuple[int, str], list[int]] = {}
        with connections[alias].cursor() as cursor:
            cursor.execute(_grants_sql(pairs, alias), [user.pk] * 2 * len(pairs))
            for kind, pk, name in cursor.fetchall():
                grants.setdefault((kind, name), []).append(pk)
        return grants

    return request_cached(("grants", user.pk), read).get((pairs.index(permission_models), codename), [])


def _permission_models() -> tuple[tuple, ...]:
    """The direct foreign-key permission models, ``(user model, group model)`` per content type."""
    m = _models()
    return (
        (m.MentorshipUserObjectPermission, m.MentorshipGroupObjectPermission),
        (m.ProgramUserObjectPermission, m.ProgramGroupObjectPermission),
    )


@functools.cache
def _grants_sql(pairs: tuple[tuple, ...], alias: str) -> str:
    """The SQL of :func:`_granted_ids`'s read: ``(type, object id, codename)`` of a user's direct grants and
    their groups' grants on each type of ``pairs`` (``type`` is its index), the user's id as every parameter.

    Written once per database from the models' metadata: for each type, the same rows as the ORM's
    ``user_model.objects.filter(user=u).values_list("content_object_id", "permission__codename")`` and
    ``group_model.objects.filter(group__user=u)``, all joined with ``UNION ALL``, without compiling
    querysets and their union on every request (that took most of a list's access cost; ``tests/access``
    checks the ids agree with guardian).
    """
    qn = connections[alias].ops.quote_name
    memberships = get_user_model().groups
    through = qn(memberships.through._meta.db_table)
    member, member_group = qn(memberships.field.m2m_column_name()), qn(memberships.field.m2m_reverse_name())
    permission_table, permission_pk = qn(Permission._meta.db_table), qn(Permission._meta.pk.column)
    codename = qn(Permission._meta.get_field("codename").column)

    def column(model, name: str) -> str:
        return qn(model._meta.get_field(name).column)

    # Identifiers only, from the models' metadata and quoted by the backend; the user's id is a parameter.
    selects = []
    for kind, (user_model, group_model) in enumerate(pairs):
        selects.append(
            f"SELECT {kind}, d.{column(user_model, 'content_object')}, p.{codename}"  # noqa: S608
            f" FROM {qn(user_model._meta.db_table)} d"
            f" INNER JOIN {permission_table} p ON d.{column(user_model, 'permission')} = p.{permission_pk}"
            f" WHERE d.{column(user_model, 'user')} = %s"
        )
        selects.append(
            f"SELECT {kind}, g.{column(group_model, 'content_object')}, p.{codename}"  # noqa: S608
            f" FROM {qn(group_model._meta.db_table)} g"
            f" INNER JOIN {through} m ON g.{column(group_model, 'group')} = m.{member_group}"
            f" INNER JOIN {permission_table} p ON g.{column(group_model, 'permission')} = p.{permission_pk}"
            f" WHERE m.{member} = %s"
        )
    return " UNION ALL ".join(selects)


def _models():
    """The package's models, one namespace (each scope reads ``m.Model``)."""
    return all_models


# --- programs ------------------------------------------------------------------------------------
def coordinated_programs(user) -> QuerySet:
    """Programs the user coordinates (through the program's coordinators group); all for superusers.

    This is the whole superuser rule: a superuser coordinates every program and so sees what a
    coordinator sees, on every surface (admin, API, front end) and nothing more: never a pair's
    session words, never a personal objective (one outside any program) that is not their own.
    """
    m = _models()
    if not is_active_user(user):
        return m.MentoringProgramPage.objects.none()
    if user.is_superuser:
        return m.MentoringProgramPage.objects.all()
    return m.MentoringProgramPage.objects.filter(pk__in=_coordinated_program_ids(user))


def _coordinated_program_ids(user):
    """What ``program__in`` compares with for the programs an active ``user`` coordinates
    (:func:`coordinated_programs`): the granted ids themselves, so the SQL reads ``IN (4, 7)`` rather than
    a subquery over the programs; a subquery of every program for a superuser."""
    m = _models()
    if user.is_superuser:
        return coordinated_programs(user).values("pk")
    return _granted_ids(user, (m.ProgramUserObjectPermission, m.ProgramGroupObjectPermission), COORDINATE_PROGRAM)


def is_coordinator(user, program=None) -> bool:
    """Does the user coordinate ``program`` (or any program when ``program`` is None)?

    The "any program" answer is cached for the rest of the request (the admin asks it for every
    menu item and permission check).
    """
    if program is not None:
        return coordinated_programs(user).filter(pk=program.pk).exists()
    if not is_active_user(user):
        return False
    return request_cached(("coordinates_any", user.pk), lambda: coordinated_programs(user).exists())


def takes_part_in_okrs(user) -> bool:
    """Does the user have a part in mentoring's OKRs (the admin's Objectives and Check-ins)?

    The roles table gives OKRs to mentees, mentors and coordinators, not to editors or other
    employees: true for a coordinator, for someone with an accepted enrolment or a pairing (now or
    before), and for anyone who owns an objective (they keep what they wrote). Cached for the rest
    of the request (the admin asks it for every menu item and permission check).
    """
    if not is_active_user(user):
        return False
    m = _models()

    def answer() -> bool:
        return (
            is_coordinator(user)
            or m.Objective.objects.filter(owner=user).exists()
            or own_enrolments(user).filter(status=m.Enrolment.Status.ACCEPTED).exists()
            or mentorships_with_permission(user, VIEW_MENTORSHIP).exists()
        )

    return request_cached(("takes_part_in_okrs", user.pk), answer)


def coordinators_by_program(program_ids: Iterable[int]) -> dict[int, list[int]]:
    """The active users who coordinate each program, as sorted user ids (one query).

    A coordinator holds ``coordinate_program`` on the program, directly or through a group (the
    program's coordinators group); superusers, who coordinate every program implicitly, are not
    listed, so messages meant for a program's coordinators go to the people named for it.

    Args:
        program_ids: the programs' primary keys.

    Returns:
        ``{program_id: [user_id, ...]}`` for every program in ``program_ids``; inactive users are left out.
    """
    m = _models()
    ids = list(program_ids)
    direct = m.ProgramUserObjectPermission.objects.filter(
        content_object_id__in=ids, permission__codename=COORDINATE_PROGRAM, user__is_active=True
    ).values_list("content_object_id", "user_id")
    through_groups = m.ProgramGroupObjectPermission.objects.filter(
        content_object_id__in=ids, permission__codename=COORDINATE_PROGRAM, group__user__is_active=True
    ).values_list("content_object_id", "group__user")
    members: dict[int, set[int]] = {pk: set() for pk in ids}
    for program_id, user_id in direct.union(through_groups):
        members[program_id].add(user_id)
    return {program_id: sorted(users) for program_id, users in members.items()}


# --- mentorships ---------------------------------------------------------------------------------
def mentorships_with_permission(user, codename: str) -> QuerySet:
    """Mentorships on which the user holds ``codename`` as an object permission (no superuser bypass)."""
    m = _models()
    if not is_active_user(user):
        return m.Mentorship.objects.none()
    return m.Mentorship.objects.filter(pk__in=_mentorship_ids(user, codename))


def _mentorship_ids(user, codename: str) -> list[int]:
    """The ids of :func:`mentorships_with_permission` for an active ``user``, for ``IN (...)`` filters
    without a subquery over the mentorships (every id is a mentorship's: grants cascade on delete)."""
    m = _models()
    return _granted_ids(user, (m.MentorshipUserObjectPermission, m.MentorshipGroupObjectPermission), codename)


def visible_mentorships(user) -> QuerySet:
    """Mentorships the user takes part in (or took part in, as mentee) or coordinates."""
    m = _models()
    if not is_active_user(user):
        return m.Mentorship.objects.none()
    return m.Mentorship.objects.filter(_visible_mentorships_q(user))


def _visible_mentorships_q(user, path: str = "") -> Q:
    """The condition of :func:`visible_mentorships` (for an active ``user``) on the mentorship at ``path``
    (``"mentorship__"`` from a session): a join on a foreign key, not a subquery over the mentorships."""
    return Q(**{f"{path}pk__in": _mentorship_ids(user, VIEW_MENTORSHIP)}) | Q(
        **{f"{path}program__in": _coordinated_program_ids(user)}
    )


def participating_mentorships(user) -> QuerySet:
    """Active mentorships in which the user may check in and log sessions."""
    m = _models()
    return m.Mentorship.objects.filter(pk__in=mentorships_with_permission(user, PARTICIPATE_MENTORSHIP).values("pk"))


def notes_mentorships(user) -> QuerySet:
    """Mentorships whose private session notes the user may read: the pair only, never coordinators."""
    m = _models()
    return m.Mentorship.objects.filter(pk__in=mentorships_with_permission(user, VIEW_SESSION_NOTES).values("pk"))


# --- OKRs ----------------------------------------------------------------------------------------
def visible_objectives(user) -> QuerySet:
    """Own objectives, objectives of the user's pairings, and objectives of coordinated programs."""
    m = _models()
    if not is_active_user(user):
        return m.Objective.objects.none()
    return m.Objective.objects.filter(_visible_objectives_q(user))


def _visible_objectives_q(user, path: str = "") -> Q:
    """The condition of :func:`visible_objectives` (for an active ``user``) on the objective at ``path``
    (``"objective__"`` from a key result, ``"key_result__objective__"`` from a check-in): the objective is
    joined on its foreign key, which the databases count faster than a subquery of objective ids (but see
    :func:`visible_key_results` on SQLite)."""
    return (
        Q(**{f"{path}owner": user})
        | Q(**{f"{path}mentorship__in": _mentorship_ids(user, VIEW_MENTORSHIP)})
        | Q(**{f"{path}program__in": _coordinated_program_ids(user)})
    )


def editable_objectives(user) -> QuerySet:
    """Objectives the user may edit: their own, and the shared objective of each of their active pairings
    (:func:`shared_objectives_q`: mentor and mentee both edit the pair's "why"); a superuser also those they
    may see (never a hidden one). Only the owner deletes (:func:`deletable_objectives`)."""
    m = _models()
    if not is_active_user(user):
        return m.Objective.objects.none()
    if user.is_superuser:
        return visible_objectives(user)
    return m.Objective.objects.filter(Q(owner=user) | shared_objectives_q(user))


def shared_objectives_q(user) -> Q:
    """The pair's shared objectives the user works on: pairing-level objectives of their active pairings, while
    open. Both people of the pair edit them, keep their action plan and check in on them."""
    m = _models()
    return Q(
        level=m.Objective.Level.PAIRING,
        mentorship__in=mentorships_with_permission(user, PARTICIPATE_MENTORSHIP).values("pk"),
    ) & ~Q(status__in=m.Objective.CLOSED_STATUSES)


def alignment_parents(user, objective=None) -> QuerySet:
    """Objectives the user may align an objective to (its ``parent``): those they may see
    (:func:`visible_objectives`: their own, the pair's shared objective, their programs' if they coordinate), and
    the objectives the organisation sets for everyone to align to: its organisation-level ones and the
    program-level ones of the programs they take part in (:func:`own_programs`), once taken up
    (``Objective.TAKEN_UP_STATUSES``). Of those, the title is what the user reads (the picker, "Aligned to"); their
    page stays the visible ones'. Never ``objective`` itself (a longer loop is refused by ``Objective.clean``)."""
    m = _models()
    if not is_active_user(user):
        return m.Objective.objects.none()
    Level = m.Objective.Level
    shared_targets = (
        Q(level=Level.ORGANISATION) | Q(level=Level.PROGRAM, program__in=own_programs(user).values("pk"))
    ) & Q(status__in=m.Objective.TAKEN_UP_STATUSES)
    parents = m.Objective.objects.filter(_visible_objectives_q(user) | shared_targets)
    if objective is not None and objective.pk is not None:
        parents = parents.exclude(pk=objective.pk)
    return parents


def aligned_objectives(user, objective) -> QuerySet:
    """The objectives aligned to ``objective`` (its children) that the user may see: the alignment tree one level
    down, on the dashboard's objective page and in the admin's "Aligned child objectives"."""
    return visible_objectives(user).filter(parent=objective)


def deletable_objectives(user) -> QuerySet:
    """Objectives the user may delete: their own (a shared objective's co-editor may not); a superuser also
    those they may see."""
    m = _models()
    if not is_active_user(user):
        return m.Objective.objects.none()
    if user.is_superuser:
        return visible_objectives(user)
    return m.Objective.objects.filter(owner=user)


def objective_mentorships(user) -> QuerySet:
    """Pairings the user may file an objective under.

    Their active pairings; a superuser, who may edit the objectives of every program (see
    :func:`editable_objectives`), also every active pairing, to set a pairing objective for it.
    """
    m = _models()
    if not is_active_user(user):
        return m.Mentorship.objects.none()
    pairings = Q(pk__in=participating_mentorships(user).values("pk"))
    if user.is_superuser:
        pairings |= Q(pk__in=coordinated_mentorships(user).filter(status=m.Mentorship.Status.ACTIVE).values("pk"))
    return m.Mentorship.objects.filter(pairings)


def objective_owners(user) -> QuerySet:
    """People the user may name as an objective's owner: themselves, and the pair of each pairing in
    :func:`objective_mentorships` that is not their own (a superuser's pairing objective for a participant).

    Someone else may own only an objective of one of their pairings, never a personal one.
    """
    User = get_user_model()
    if not is_active_user(user):
        return User.objects.none()
    others = objective_mentorships(user).exclude(pk__in=participating_mentorships(user).values("pk"))
    return User.objects.filter(
        Q(pk=user.pk) | Q(pk__in=others.values("mentor_id")) | Q(pk__in=others.values("mentee_id"))
    )


def plan_objectives(user) -> QuerySet:
    """Objectives whose action plan (initiatives) the user keeps: adds, assigns, dates and ticks off its steps.

    Those the user may edit (:func:`editable_objectives`: their own; for a superuser, those they may see) and
    the open objectives of their active pairings, which the pair plans together as a small team: the mentor adds
    or ticks off a step of the pairing's objective as both check in on its key results
    (:func:`check_in_key_results`).
    """
    m = _models()
    if not is_active_user(user):
        return m.Objective.objects.none()
    if user.is_superuser:
        return visible_objectives(user)
    pairing = Q(mentorship__in=mentorships_with_permission(user, PARTICIPATE_MENTORSHIP).values("pk")) & ~Q(
        status__in=m.Objective.CLOSED_STATUSES
    )
    return m.Objective.objects.filter(Q(owner=user) | pairing)


def visible_key_results(user) -> QuerySet:
    """Key results of the objectives the user may see (:func:`visible_objectives`); none for inactive users."""
    m = _models()
    if not is_active_user(user):
        return m.KeyResult.objects.none()
    if connections[router.db_for_read(m.KeyResult)].vendor == "sqlite":
        # The same rows through a subquery of objective ids: SQLite then reads key results in the index's
        # objective order (a list's order) instead of sorting them all; other databases count them faster
        # joined (bench/README.md, "API lists").
        return m.KeyResult.objects.filter(objective__in=visible_objectives(user).values("pk"))
    return m.KeyResult.objects.filter(_visible_objectives_q(user, "objective__"))


def check_in_key_results(user) -> QuerySet:
    """Key results the user may check in on: own objectives', and those of active pairings."""
    m = _models()
    if not is_active_user(user):
        return m.KeyResult.objects.none()
    return m.KeyResult.objects.filter(
        Q(objective__owner=user)
        | Q(objective__mentorship__in=mentorships_with_permission(user, PARTICIPATE_MENTORSHIP).values("pk"))
    ).exclude(objective__status__in=m.Objective.CLOSED_STATUSES)


def visible_check_ins(user) -> QuerySet:
    """Check-ins on the key results of the objectives the user may see (:func:`visible_objectives`)."""
    m = _models()
    if not is_active_user(user):
        return m.CheckIn.objects.none()
    return m.CheckIn.objects.filter(_visible_objectives_q(user, "key_result__objective__"))


def visible_realignments(user) -> QuerySet:
    """Reviews and realignments of the key results of the objectives the user may see (as their check-ins)."""
    m = _models()
    if not is_active_user(user):
        return m.Realignment.objects.none()
    return m.Realignment.objects.filter(_visible_objectives_q(user, "key_result__objective__"))


def visible_initiatives(user) -> QuerySet:
    """Initiatives (action plan items) of the objectives the user may see (:func:`visible_objectives`)."""
    m = _models()
    return m.Initiative.objects.filter(objective__in=visible_objectives(user).values("pk"))


# --- sessions, enrolments, feedback ----------------------------------------------------------------
def visible_sessions(user) -> QuerySet:
    """Sessions of visible mentorships. Coordinators see them, but see :func:`can_view_session_notes`."""
    m = _models()
    if not is_active_user(user):
        return m.MentoringSession.objects.none()
    return m.MentoringSession.objects.filter(_visible_mentorships_q(user, "mentorship__"))


#: What anyone who sees a session reads of it, coordinators and superusers included: which session
#: of which pairing it is, its date, duration and format, and who logged it when. Nothing else.
SESSION_RECORD_FIELDS: tuple[str, ...] = (
    "id",
    "mentorship",
    "status",
    "sequence",
    "date",
    "duration_minutes",
    "format",
    "created_by",
    "created_at",
)
#: The pair's words and what they discussed: only people in :func:`notes_mentorships` read these.
SESSION_PAIR_FIELDS: tuple[str, ...] = (
    "location",
    "slot",
    "agenda",
    "notes",
    "next_steps",
    "key_results_discussed",
)


def notes_mentorship_ids(user) -> set[int]:
    """The ids of :func:`notes_mentorships`, from the grants the request has already read (no query of its own)."""
    if not is_active_user(user):
        return set()
    m = _models()
    return set(
        _granted_ids(user, (m.MentorshipUserObjectPermission, m.MentorshipGroupObjectPermission), VIEW_SESSION_NOTES)
    )


def can_view_session_notes(user, session) -> bool:
    """Only the pair reads a session's words; coordinators and superusers see :data:`SESSION_RECORD_FIELDS`."""
    return notes_mentorships(user).filter(pk=session.mentorship_id).exists()


def readable_session_fields(reads_words: bool) -> tuple[str, ...]:
    """The session fields a reader sees: all of them for the pair (``reads_words``), else the record only.

    The one answer to "which session fields does a coordinator see"; every surface (API, admin,
    front end, exports, e-mails, the privacy export) asks it. ``reads_words`` is whether the
    session's pairing is in :func:`notes_mentorships` for the reader.
    """
    return SESSION_RECORD_FIELDS + SESSION_PAIR_FIELDS if reads_words else SESSION_RECORD_FIELDS


def visible_availability(user) -> QuerySet:
    """Availability slots ``user`` may see: their own, and those of the mentors of their active pairings as
    mentee (:func:`participating_mentorships`). Nobody else's, not even a coordinator's view."""
    m = _models()
    if not is_active_user(user):
        return m.AvailabilitySlot.objects.none()
    mentors = participating_mentorships(user).filter(mentee=user).values("mentor_id")
    return m.AvailabilitySlot.objects.filter(Q(mentor=user) | Q(mentor_id__in=mentors))


def can_publish_availability(user) -> bool:
    """Whether ``user`` mentors an active pairing, and so may publish availability slots."""
    return is_active_user(user) and participating_mentorships(user).filter(mentor=user).exists()


def editable_availability(user) -> QuerySet:
    """Availability slots ``user`` may change or withdraw: their own."""
    m = _models()
    if not is_active_user(user):
        return m.AvailabilitySlot.objects.none()
    return m.AvailabilitySlot.objects.filter(mentor=user)


def visible_enrolments(user) -> QuerySet:
    """The user's own enrolments, and every enrolment of the programs they coordinate."""
    m = _models()
    if not is_active_user(user):
        return m.Enrolment.objects.none()
    return m.Enrolment.objects.filter(Q(user=user) | Q(program__in=coordinated_programs(user).values("pk")))


def own_enrolments(user) -> QuerySet:
    """The user's own applications (what an applicant may change or withdraw)."""
    m = _models()
    if not is_active_user(user):
        return m.Enrolment.objects.none()
    return m.Enrolment.objects.filter(user=user)


def self_match_programs(user) -> QuerySet:
    """Programs where ``user`` is an accepted mentee and mentees choose their mentor (self-match modes)."""
    m = _models()
    if not is_active_user(user):
        return m.MentoringProgramPage.objects.none()
    return m.MentoringProgramPage.objects.filter(
        pk__in=m.Enrolment.objects.filter(
            user=user, role=m.Enrolment.Role.MENTEE, status=m.Enrolment.Status.ACCEPTED
        ).values("program_id")
    ).exclude(matching_mode=m.MentoringProgramPage.MatchingMode.COORDINATOR)


def visible_mentorship_requests(user) -> QuerySet:
    """Mentorship requests ``user`` made (as mentee) or received (as mentor); nobody else sees them."""
    m = _models()
    if not is_active_user(user):
        return m.MentorshipRequest.objects.none()
    return m.MentorshipRequest.objects.filter(Q(mentee=user) | Q(mentor=user))


def answerable_requests(user) -> QuerySet:
    """Requests ``user`` may accept or decline: those asking them to mentor."""
    return visible_mentorship_requests(user).filter(mentor=user)


def withdrawable_requests(user) -> QuerySet:
    """Requests ``user`` may withdraw: their own, as mentee."""
    return visible_mentorship_requests(user).filter(mentee=user)


def coordinated_enrolments(user) -> QuerySet:
    """Enrolments of the programs ``user`` coordinates (not their own applications elsewhere)."""
    m = _models()
    return m.Enrolment.objects.filter(program__in=coordinated_programs(user).values("pk"))


def coordinated_mentorships(user) -> QuerySet:
    """Mentorships of the programs ``user`` coordinates (not the ones they take part in elsewhere)."""
    m = _models()
    return m.Mentorship.objects.filter(program__in=coordinated_programs(user).values("pk"))


def visible_feedback(user) -> QuerySet:
    """Feedback the user wrote. Coordinators see it only aggregated, in the program report
    (``reports.metrics``, for a program they coordinate), never one by one."""
    m = _models()
    if not is_active_user(user):
        return m.Feedback.objects.none()
    return m.Feedback.objects.filter(author=user)


# --- group mentoring -----------------------------------------------------------------------------
def member_groups(user) -> QuerySet:
    """Mentoring groups and peer circles ``user`` belongs to, as their mentor or as a member (any status).

    The group's own people: they see its members, and its sessions with their agenda, notes and next
    steps (the words a pair keeps to itself, shared inside the group). Coordinators are not among them.
    """
    m = _models()
    if not is_active_user(user):
        return m.MentoringGroup.objects.none()
    member_of = m.GroupMember.objects.filter(user=user).values("group_id")
    return m.MentoringGroup.objects.filter(Q(mentor=user) | Q(pk__in=member_of))


def coordinated_groups(user) -> QuerySet:
    """Groups of the programs ``user`` coordinates: they see each group, its members and its sessions'
    dates, durations and formats (``GroupSession.RECORD_FIELDS``), never the sessions' words."""
    m = _models()
    if not is_active_user(user):
        return m.MentoringGroup.objects.none()
    return m.MentoringGroup.objects.filter(program__in=_coordinated_program_ids(user))


def visible_groups(user) -> QuerySet:
    """Groups ``user`` belongs to (:func:`member_groups`) or coordinates (:func:`coordinated_groups`)."""
    m = _models()
    if not is_active_user(user):
        return m.MentoringGroup.objects.none()
    return m.MentoringGroup.objects.filter(
        Q(pk__in=member_groups(user).values("pk")) | Q(program__in=_coordinated_program_ids(user))
    )


def visible_group_sessions(user) -> QuerySet:
    """Sessions of :func:`visible_groups`. Their words only for the group's own people:
    :func:`can_read_group_words`; a coordinator's surface reads ``GroupSession.RECORD_FIELDS`` only."""
    m = _models()
    return m.GroupSession.objects.filter(group__in=visible_groups(user).values("pk"))


def can_read_group_words(user, group) -> bool:
    """May ``user`` read the agenda, notes and next steps of ``group``'s sessions (and log one)? Only its
    mentor and members, while they are active users; never a coordinator or a superuser as such."""
    return member_groups(user).filter(pk=group.pk).exists()


# --- helpers --------------------------------------------------------------------------------------
def get_visible_or_404(queryset: QuerySet, **lookup) -> Model:
    """``get_object_or_404`` over an access queryset: a hidden object is indistinguishable from none."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


# --- page privacy (Wagtail view restrictions) -------------------------------------------------------
def _restriction_accepts(restriction, user, group_ids: set[int], passed: set[int]) -> bool:
    """Does ``restriction`` let ``user`` in? (``restriction.groups`` prefetched; no query here.)"""
    if restriction.restriction_type == PageViewRestriction.PASSWORD:
        return restriction.pk in passed
    if restriction.restriction_type == PageViewRestriction.LOGIN:
        return is_active_user(user)
    if restriction.restriction_type == PageViewRestriction.GROUPS:
        if not is_active_user(user):
            return False
        return user.is_superuser or bool(group_ids & {g.pk for g in restriction.groups.all()})
    return True


def refused_restriction_paths(user, passed_restriction_ids=(), paths=None) -> list[str]:
    """Tree paths of the restricted pages ``user`` may not view (their subtrees are hidden too).

    Mirrors ``BaseViewRestriction.accept_request`` in at most three queries, whatever the number of
    pages or restrictions: "login" needs an active user, "groups" a shared group (superusers pass),
    "password" the restriction's id in ``passed_restriction_ids`` (the session's passed restrictions).
    Inactive users count as anonymous. ``paths`` limits the look-up to restrictions on those paths.
    Without ``paths``, the answer is kept for the rest of the request (``access.cache``; a change to a
    restriction or to the user's groups empties it): the dashboard asks it for surveys, skill ratings and
    training.
    """
    passed = frozenset(passed_restriction_ids or ())

    def compute() -> list[str]:
        restrictions = PageViewRestriction.objects.select_related("page").prefetch_related("groups")
        if paths is not None:
            restrictions = restrictions.filter(page__path__in=paths)
        restrictions = list(restrictions)
        if not restrictions:
            return []
        group_ids = set(user.groups.values_list("pk", flat=True)) if is_active_user(user) else set()
        return [r.page.path for r in restrictions if not _restriction_accepts(r, user, group_ids, passed)]

    if paths is not None:
        return compute()
    key = ("refused_restriction_paths", user.pk if is_active_user(user) else None, passed)
    return list(request_cached(key, compute))


def restricted_pages_q(user, passed_restriction_ids=()) -> Q:
    """A ``Q`` matching pages under a view restriction that ``user`` does not pass."""
    failed = Q(pk__in=[])
    for path in refused_restriction_paths(user, passed_restriction_ids):
        failed |= Q(path__startswith=path)
    return failed


def visible_pages(user, queryset: QuerySet, passed_restriction_ids=()) -> QuerySet:
    """Live pages of ``queryset`` that ``user`` may view under Wagtail's page privacy."""
    return queryset.live().exclude(restricted_pages_q(user, passed_restriction_ids))


def _passed_restrictions(session) -> list[int]:
    if session is None:
        return []
    return session.get(PageViewRestriction.passed_view_restrictions_session_key, [])


def viewable_pages(user, pages, session=None) -> list:
    """The pages of the list ``pages`` that are live and whose view restrictions ``user`` passes.

    Password restrictions count as passed when this ``session`` has entered them.
    """
    pages = [p for p in pages if p.live]
    if not pages:
        return []
    steplen = Page.steplen
    paths = {p.path[:i] for p in pages for i in range(steplen, len(p.path) + 1, steplen)}
    refused = refused_restriction_paths(user, _passed_restrictions(session), paths=paths)
    return [p for p in pages if not any(p.path.startswith(path) for path in refused)]


def can_view_page(user, page, session=None) -> bool:
    """Is ``page`` live and does ``user`` pass its (and its ancestors') view restrictions?"""
    return bool(viewable_pages(user, [page], session=session))


def page_viewer_ids(page, users) -> set[int]:
    """The primary keys of those ``users`` who may view ``page`` (:func:`can_view_page`, no password entered).

    At most three queries whatever the number of users: the view restrictions on the page's path, and
    (for a group restriction) the users' groups.
    """
    users = [user for user in users if is_active_user(user)]
    if not page.live or not users:
        return set()
    steplen = Page.steplen
    paths = [page.path[:i] for i in range(steplen, len(page.path) + 1, steplen)]
    restrictions = list(PageViewRestriction.objects.filter(page__path__in=paths).prefetch_related("groups"))
    groups: dict[int, set[int]] = {}
    if any(r.restriction_type == PageViewRestriction.GROUPS for r in restrictions):
        through = users[0].groups.through
        for user_id, group_id in through.objects.filter(user_id__in=[u.pk for u in users]).values_list(
            "user_id", "group_id"
        ):
            groups.setdefault(user_id, set()).add(group_id)
    return {
        user.pk
        for user in users
        if all(_restriction_accepts(r, user, groups.get(user.pk, set()), set()) for r in restrictions)
    }


def visible_training_resources(request_or_user) -> QuerySet:
    """Live training resources the requester may view (anonymous users: public ones only).

    Accepts a request (so password restrictions passed in its session count) or a user.
    """
    m = _models()
    user = getattr(request_or_user, "user", request_or_user)
    passed = _passed_restrictions(getattr(request_or_user, "session", None))
    return visible_pages(user, m.TrainingResourcePage.objects.all(), passed)


# --- objective templates -------------------------------------------------------------------------
def edits_objective_templates(user) -> bool:
    """May ``user`` write objective templates? Editors: the Wagtail model permissions (add, change or delete)."""
    if not is_active_user(user):
        return False
    return any(user.has_perm(f"wagtail_mentoring.{action}_objectivetemplate") for action in ("add", "change", "delete"))


def _templates_of_programs(programs: QuerySet) -> Q:
    """A ``Q`` matching the objective templates offered in one of ``programs``, and those offered in every
    program (no programs)."""
    m = _models()
    through = m.ObjectiveTemplate.programs.through.objects
    return ~Q(pk__in=through.values("objectivetemplate_id")) | Q(
        pk__in=through.filter(mentoringprogrampage__in=programs.values("pk")).values("objectivetemplate_id")
    )


def visible_objective_templates(user) -> QuerySet:
    """Objective templates ``user`` may read: those of a program they may see (page privacy) and those
    offered in every program; every template for an editor (:func:`edits_objective_templates`).

    Templates are the library's example objectives, not private data: the same rule for the admin, the
    API and the dashboard. Inactive and anonymous users get none.
    """
    m = _models()
    if not is_active_user(user):
        return m.ObjectiveTemplate.objects.none()
    if edits_objective_templates(user):
        return m.ObjectiveTemplate.objects.all()
    return m.ObjectiveTemplate.objects.filter(
        _templates_of_programs(visible_pages(user, m.MentoringProgramPage.objects.all()))
    )


def own_programs(user) -> QuerySet:
    """Programs ``user`` takes part in: an accepted enrolment, a pairing they may see, or coordination."""
    m = _models()
    if not is_active_user(user):
        return m.MentoringProgramPage.objects.none()
    return m.MentoringProgramPage.objects.filter(
        Q(pk__in=own_enrolments(user).filter(status=m.Enrolment.Status.ACCEPTED).values("program_id"))
        | Q(pk__in=mentorships_with_permission(user, VIEW_MENTORSHIP).values("program_id"))
        | Q(pk__in=coordinated_programs(user).values("pk"))
    )


def suggested_objective_templates(user) -> QuerySet:
    """The templates offered to ``user`` on their dashboard: of the visible ones
    (:func:`visible_objective_templates`), those of their own programs (:func:`own_programs`) and those
    offered in every program."""
    m = _models()
    visible = visible_objective_templates(user)
    return m.ObjectiveTemplate.objects.filter(pk__in=visible.values("pk")).filter(
        _templates_of_programs(own_programs(user))
    )


# --- api ---
def visible_cycles(user) -> QuerySet:
    """OKR cycles the user may file objectives under: general ones and those of programs they see."""
    m = _models()
    if not is_active_user(user):
        return m.OKRCycle.objects.none()
    programs = visible_mentorships(user).values("program_id")
    return m.OKRCycle.objects.filter(
        Q(program__isnull=True) | Q(program__in=programs) | Q(program__in=coordinated_programs(user).values("pk"))
    )


def pairing_feedback_statuses() -> dict[str, tuple[str, ...]]:
    """Each kind of pairing feedback and the pairing statuses in which the pair may give it.

    A session is rated whatever became of its pairing since; the pairing check asks how an active
    pairing is going; the closing survey follows its end. (A program survey is about a program:
    :func:`feedback_programs`.)
    """
    m = _models()
    kind, status = m.Feedback.Kind, m.Mentorship.Status
    return {
        kind.SESSION: (status.ACTIVE, status.PAUSED, status.COMPLETED, status.ENDED),
        kind.PAIRING_CHECK: (status.ACTIVE,),
        kind.MIDPOINT: (status.ACTIVE,),
        kind.CLOSING: (status.COMPLETED, status.ENDED),
    }


def feedback_mentorships(user, kind: str | None = None) -> QuerySet:
    """Pairings on which ``user`` may give feedback of ``kind`` (of any pairing kind when ``None``).

    The one rule of the survey pages, the API and the survey schedule: the user is (or was) the
    pairing's mentor or mentee, whoever has left it since, and the pairing's status is one that
    :func:`pairing_feedback_statuses` allows for ``kind`` (none for a program survey or an unknown
    kind). Coordinators are not part of the pair.
    """
    allowed = pairing_feedback_statuses()
    statuses = {status for statuses in allowed.values() for status in statuses} if kind is None else allowed.get(kind)
    return pair_mentorships(user).filter(status__in=sorted(statuses or ()))


def feedback_sessions(user) -> QuerySet:
    """Sessions ``user`` may rate: those held (``MentoringSession.objects.held()``) of the pairings of
    :func:`feedback_mentorships` for a session rating."""
    m = _models()
    return m.MentoringSession.objects.held().filter(
        mentorship__in=feedback_mentorships(user, m.Feedback.Kind.SESSION).values("pk")
    )


def feedback_programs(user, kind: str | None = None, on: dt.date | None = None) -> QuerySet:
    """Programs on which the user may give feedback of ``kind`` (of any program kind when ``None``).

    * the program survey: programs where their enrolment was accepted; an application still under
      review, declined, waitlisted or withdrawn is not enough;
    * the before-launch survey: live programs with a published before-launch survey
      (:func:`published_surveys`), for ANY active user, enrolled or not, who may view the program page
      (page privacy), until the day before the program's start date (``on``: today); a program without
      a start date has not launched.

    The one rule of the survey pages, the API and the survey schedule.
    """
    m = _models()
    if not is_active_user(user):
        return m.MentoringProgramPage.objects.none()
    kinds = m.Feedback.Kind
    allowed = Q(pk__in=[])
    if kind in (None, kinds.PROGRAM):
        accepted = m.Enrolment.objects.filter(user=user, status=m.Enrolment.Status.ACCEPTED)
        allowed |= Q(pk__in=accepted.values("program_id"))
    if kind in (None, kinds.BEFORE_LAUNCH):
        allowed |= before_launch_programs(on) & ~restricted_pages_q(user)
    return m.MentoringProgramPage.objects.filter(allowed)


def before_launch_programs(on: dt.date | None = None) -> Q:
    """The live programs whose published before-launch survey is open on ``on`` (today): not started yet.

    (:func:`feedback_programs` also leaves out the programs whose page privacy refuses the user.)
    """
    m = _models()
    on = on or timezone.localdate()
    surveys = published_surveys().filter(moment=m.Feedback.Kind.BEFORE_LAUNCH)
    return Q(live=True, pk__in=surveys.values("program_id")) & (Q(start_date__isnull=True) | Q(start_date__gt=on))


def published_surveys() -> QuerySet:
    """The live editor-built surveys (``SurveyPage``), each annotated with ``program_id``, its parent
    program's id (a survey page is a child of its program page)."""
    m = _models()
    parent = m.MentoringProgramPage.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - m.SurveyPage.steplen)
    ).values("pk")[:1]
    return m.SurveyPage.objects.live().annotate(program_id=Subquery(parent))


def published_survey(program_id: int | None, kind: str):
    """The published survey of ``program_id`` for the moment ``kind`` (the first in the page tree), or None.

    Its questions are added to the fixed ones of that kind's survey (``programs.services.submit_feedback``).
    """
    if program_id is None:
        return None
    return published_surveys().filter(program_id=program_id, moment=kind).order_by("path").first()


def visible_completions(user) -> QuerySet:
    """The user's own training completions."""
    m = _models()
    if not is_active_user(user):
        return m.TrainingCompletion.objects.none()
    return m.TrainingCompletion.objects.filter(user=user)


def visible_training_events(user) -> QuerySet:
    """Training events: listed to every active user (they are the intranet's public calendar)."""
    m = _models()
    if not is_active_user(user):
        return m.TrainingEvent.objects.none()
    return m.TrainingEvent.objects.all()


def visible_registrations(user) -> QuerySet:
    """The user's own training event registrations."""
    m = _models()
    if not is_active_user(user):
        return m.TrainingRegistration.objects.none()
    return m.TrainingRegistration.objects.filter(user=user)


def pairing_users(user) -> QuerySet:
    """The user and the people they share a visible pairing with (e.g. to assign an initiative)."""
    User = get_user_model()
    if not is_active_user(user):
        return User.objects.none()
    mentorships = mentorships_with_permission(user, VIEW_MENTORSHIP)
    return User.objects.filter(
        Q(pk=user.pk) | Q(pk__in=mentorships.values("mentor_id")) | Q(pk__in=mentorships.values("mentee_id"))
    )


# --- engagement ---
def pair_mentorships(user) -> QuerySet:
    """Mentorships (past or present, never merely proposed) in which the user is the mentor or the mentee.

    Used for what belongs to the pair whatever the pairing's status: answering its surveys, sending
    kudos, and the completion certificate. Coordinators are not part of the pair.
    """
    m = _models()
    if not is_active_user(user):
        return m.Mentorship.objects.none()
    return m.Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user)).exclude(status=m.Mentorship.Status.PROPOSED)


# --- integration ---
def coordinated_outcomes(user) -> QuerySet:
    """Outcomes of the mentorships of the programs ``user`` coordinates (none for anyone else); a superuser
    also sees the outcomes recorded for a person outside any pairing (``Outcome.user``)."""
    if not is_active_user(user):
        return Outcome.objects.none()
    if user.is_superuser:
        return Outcome.objects.all()
    return Outcome.objects.filter(mentorship__program__in=coordinated_programs(user).values("pk"))


def records_person_outcomes(user) -> bool:
    """Whether ``user`` may record an outcome for a person outside any pairing (``Outcome.user``, the impact
    report's baseline): an active superuser (HR, the admin). Coordinators record outcomes of pairings only."""
    return is_active_user(user) and user.is_superuser


def person_outcome_subjects(user) -> QuerySet:
    """The people ``user`` may record an outcome for (:func:`records_person_outcomes`): every account, or none."""
    User = get_user_model()
    return User.objects.all() if records_person_outcomes(user) else User.objects.none()


def coordinated_webhooks(user) -> QuerySet:
    """Webhooks of the programs ``user`` coordinates (none for anyone else)."""
    model = all_models.WebhookEndpoint
    if not is_active_user(user):
        return model.objects.none()
    return model.objects.filter(program__in=coordinated_programs(user).values("pk"))


def coordinated_webhook_deliveries(user) -> QuerySet:
    """Delivery attempts of the webhooks of the programs ``user`` coordinates (none for anyone else)."""
    model = all_models.WebhookDelivery
    if not is_active_user(user):
        return model.objects.none()
    return model.objects.filter(endpoint__program__in=coordinated_programs(user).values("pk"))


# --- skills -------------------------------------------------------------------------------------
def skill_rating_programs(user, moment: str) -> QuerySet:
    """Programs in which ``user`` may rate themselves at ``moment`` (none for an unknown moment).

    The start is open once their enrolment is accepted (:func:`feedback_programs`, whatever their role);
    closing once a pairing of theirs in the program is completed or ended (the pairings where the closing
    survey is open, :func:`feedback_mentorships`).
    """
    m = _models()
    if moment == m.SkillRating.Moment.START:
        return feedback_programs(user)
    if moment == m.SkillRating.Moment.CLOSING:
        closed = feedback_mentorships(user, m.Feedback.Kind.CLOSING)
        return m.MentoringProgramPage.objects.filter(pk__in=closed.values("program_id"))
    return m.MentoringProgramPage.objects.none()


def skill_rating_mentorships(user) -> QuerySet:
    """Pairings whose mentee ``user`` may rate as their mentor: at closing only, once the pairing is completed or
    ended (:func:`feedback_mentorships` for the closing survey, with ``user`` as the mentor)."""
    m = _models()
    return feedback_mentorships(user, m.Feedback.Kind.CLOSING).filter(mentor=user)


def skill_rating_subjects(user) -> QuerySet:
    """People ``user`` may rate in some program: themselves and the mentees of :func:`skill_rating_mentorships`
    (whether a given program and moment are open is :func:`can_rate_skills`)."""
    User = get_user_model()
    if not is_active_user(user):
        return User.objects.none()
    return User.objects.filter(Q(pk=user.pk) | Q(pk__in=skill_rating_mentorships(user).values("mentee_id")))


def can_rate_skills(user, program, moment: str, subject=None) -> bool:
    """May ``user`` rate ``subject`` (themselves when ``None``) in ``program``'s skills at ``moment``?

    Themselves: :func:`skill_rating_programs`. Someone else: only their mentee, at closing, in a pairing of
    :func:`skill_rating_mentorships` in that program. Nobody else rates anyone.
    """
    m = _models()
    if not is_active_user(user) or program is None:
        return False
    if subject is None or subject.pk == user.pk:
        return skill_rating_programs(user, moment).filter(pk=program.pk).exists()
    if moment != m.SkillRating.Moment.CLOSING:
        return False
    return skill_rating_mentorships(user).filter(program=program, mentee=subject).exists()


def visible_skill_ratings(user) -> QuerySet:
    """Skill ratings ``user`` may read: those about them or given by them, and their mentees' ratings in the program
    of a pairing they mentor (any status but proposed: :func:`pair_mentorships`). A mentor never sees another pair's,
    a mentee never sees their mentor's self-ratings.

    A coordinator (a superuser too) reads no one's ratings one by one: a self-rating is a personal assessment, like
    feedback, and the roles table gives coordinators feedback aggregated only. They see each skill's average change
    in the program report, from ``ANONYMITY_MIN_RESPONSES`` people (``skills.metrics.program_skill_change``)."""
    m = _models()
    if not is_active_user(user):
        return m.SkillRating.objects.none()
    mentored = pair_mentorships(user).filter(
        mentor=user, mentee=OuterRef("subject_id"), program=OuterRef("skill__program_id")
    )
    return m.SkillRating.objects.filter(Q(subject=user) | Q(rater=user) | Q(Exists(mentored)))


def rateable_skills(user) -> QuerySet:
    """Program skills ``user`` may rate at some moment: those of the programs where their enrolment is accepted and
    of the pairings whose mentee they may rate (:func:`skill_rating_mentorships`); whether the moment is open is
    :func:`can_rate_skills`."""
    m = _models()
    if not is_active_user(user):
        return m.ProgramSkill.objects.none()
    return m.ProgramSkill.objects.filter(
        Q(program__in=feedback_programs(user).values("pk"))
        | Q(program__in=skill_rating_mentorships(user).values("program_id"))
    )
