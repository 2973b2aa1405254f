"""Grant and revoke object permissions in response to lifecycle events.

Called from ``programs.services`` (mentorship approved, paused, resumed, ended) and from the program
page's save signal (coordinators group). Nothing else writes object permissions.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from guardian.shortcuts import assign_perm, remove_perm

from wagtail_mentoring.access.cache import forget_request_cache
from wagtail_mentoring.access.models import (
    MentorshipUserObjectPermission,
    ProgramGroupObjectPermission,
)
from wagtail_mentoring.access.roles import (
    COORDINATE_PROGRAM,
    PARTICIPATE_MENTORSHIP,
    VIEW_MENTORSHIP,
    VIEW_SESSION_NOTES,
)

PAIR_ACTIVE_PERMS = (VIEW_MENTORSHIP, PARTICIPATE_MENTORSHIP, VIEW_SESSION_NOTES)


def grant_pair_access(mentorship) -> None:
    """Mentorship became active: mentor and mentee may see it, take part in it and read its notes."""
    grant_pairs_access([mentorship])


def grant_pairs_access(mentorships: Iterable) -> None:
    """Many mentorships became active at once: :func:`grant_pair_access` for each, in two queries whatever
    their number (the permissions, then one insert; a permission already held is kept, as ``assign_perm`` does)."""
    mentorships = list(mentorships)
    if not mentorships:
        return
    content_type = ContentType.objects.get_for_model(mentorships[0])
    permissions = list(Permission.objects.filter(content_type=content_type, codename__in=PAIR_ACTIVE_PERMS))
    MentorshipUserObjectPermission.objects.bulk_create(
        [
            MentorshipUserObjectPermission(permission=permission, user_id=user_id, content_object=mentorship)
            for mentorship in mentorships
            for user_id in (mentorship.mentor_id, mentorship.mentee_id)
            for permission in permissions
        ],
        ignore_conflicts=True,
    )
    # A bulk insert sends no post_save: the access answers cached by this request are dropped here.
    forget_request_cache()


def suspend_pair_access(mentorship) -> None:
    """Mentorship paused: both keep read access to their pairing; nobody may take part in it."""
    for user in (mentorship.mentor, mentorship.mentee):
        remove_perm(PARTICIPATE_MENTORSHIP, user, mentorship)


def resume_pair_access(mentorship) -> None:
    """Mentorship resumed after a pause."""
    grant_pair_access(mentorship)


def revoke_pair_access(mentorship) -> None:
    """Mentorship completed or ended.

    The mentor loses every permission (and so all access to the mentee's objectives); the mentee
    keeps read access to the record of the pairing and its session notes, which are also theirs.
    """
    MentorshipUserObjectPermission.objects.filter(content_object=mentorship, user=mentorship.mentor).delete()
    remove_perm(PARTICIPATE_MENTORSHIP, mentorship.mentee, mentorship)


def sync_program_coordinators(program, previous_group: Group | None = None) -> None:
    """Give the program's coordinators group ``coordinate_program`` on it (and take it from the old one)."""
    stale = ProgramGroupObjectPermission.objects.filter(content_object=program, permission__codename=COORDINATE_PROGRAM)
    if program.coordinators_id:
        stale = stale.exclude(group_id=program.coordinators_id)
    stale.delete()
    if program.coordinators_id:
        assign_perm(COORDINATE_PROGRAM, program.coordinators, program)
