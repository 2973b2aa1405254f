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
