"""The request cache of access answers: read once per request, never stale after a grant or a group change."""

import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory
from wagtail_mentoring.access import grants
from wagtail_mentoring.access.cache import close_request_cache, open_request_cache
from wagtail_mentoring.access.querysets import coordinated_programs, participating_mentorships, visible_mentorships
from wagtail_mentoring.models import Mentorship

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_scope():
    open_request_cache()
    yield
    close_request_cache()


def test_grants_are_read_once_per_request(roles, request_scope, django_assert_num_queries):
    mentee = roles["mentee"]
    list(visible_mentorships(mentee))  # reads the grants
    with django_assert_num_queries(1):  # only the mentorships themselves
        assert set(visible_mentorships(mentee)) == {roles["mentorship"]}


def test_a_grant_within_the_request_is_seen_at_once(roles, program, request_scope):
    newcomer = UserFactory()
    assert list(visible_mentorships(newcomer)) == []
    assert not participating_mentorships(newcomer).exists()
    pairing = Mentorship.objects.create(
        program=program, mentor=roles["mentor"], mentee=newcomer, status=Mentorship.Status.ACTIVE
    )
    grants.grant_pair_access(pairing)
    assert list(visible_mentorships(newcomer)) == [pairing]
    assert participating_mentorships(newcomer).exists()
    grants.suspend_pair_access(pairing)
    assert not participating_mentorships(newcomer).exists()


def test_joining_a_coordinators_group_within_the_request_is_seen_at_once(roles, program, request_scope):
    employee = roles["employee"]
    assert not coordinated_programs(employee).exists()
    Group.objects.get(pk=program.coordinators_id).user_set.add(employee)
    assert list(coordinated_programs(employee)) == [program]


def test_grants_read_from_the_permission_tables_agree_with_guardian(roles, program, other_program):
    """``access.querysets`` reads the direct foreign-key permission rows itself, in one query for every type;
    what it finds is exactly what guardian's ``get_objects_for_user`` finds, directly or through a group."""
    from guardian.shortcuts import assign_perm, get_objects_for_user

    from wagtail_mentoring.access.querysets import mentorships_with_permission
    from wagtail_mentoring.access.roles import (
        COORDINATE_PROGRAM,
        PARTICIPATE_MENTORSHIP,
        VIEW_MENTORSHIP,
        VIEW_SESSION_NOTES,
        perm,
    )
    from wagtail_mentoring.models import MentoringProgramPage

    helpers = Group.objects.create(name="pair helpers")
    roles["employee"].groups.add(helpers)
    assign_perm(VIEW_MENTORSHIP, helpers, roles["other_mentorship"])  # a grant through a group
    for name, user in roles.items():
        if not hasattr(user, "is_active") or not user.is_active or user.is_superuser:
            continue
        for codename in (VIEW_MENTORSHIP, PARTICIPATE_MENTORSHIP, VIEW_SESSION_NOTES):
            expected = get_objects_for_user(
                user, perm(codename), klass=Mentorship, accept_global_perms=False, with_superuser=False
            )
            assert set(mentorships_with_permission(user, codename)) == set(expected), (name, codename)
        expected = get_objects_for_user(
            user, perm(COORDINATE_PROGRAM), klass=MentoringProgramPage, accept_global_perms=False
        )
        assert set(coordinated_programs(user)) == set(expected), name
    assert roles["other_mentorship"] in set(mentorships_with_permission(roles["employee"], VIEW_MENTORSHIP))


def test_page_privacy_is_read_once_per_request_and_never_stale(roles, program, other_program, request_scope):
    """``refused_restriction_paths`` (surveys, skill ratings and training all ask it on the dashboard) is read once
    per request; a restriction added, its groups changed or the user's groups changed within the request is seen
    at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import PageViewRestriction

    from wagtail_mentoring.access.querysets import refused_restriction_paths

    employee = roles["employee"]
    assert refused_restriction_paths(employee) == []
    with CaptureQueriesContext(connection) as asked_again:
        assert refused_restriction_paths(employee) == []
    assert len(asked_again) == 0
    restriction = PageViewRestriction.objects.create(page=program, restriction_type=PageViewRestriction.GROUPS)
    staff = Group.objects.create(name="staff")
    restriction.groups.add(staff)
    assert refused_restriction_paths(employee) == [program.path]
    employee.groups.add(staff)
    assert refused_restriction_paths(employee) == []
    restriction.groups.remove(staff)
    assert refused_restriction_paths(employee) == [program.path]
    restriction.delete()
    assert refused_restriction_paths(employee) == []
    # Another user, or the same user with a page's password passed, is answered on their own.
    assert refused_restriction_paths(roles["mentee"]) == []
