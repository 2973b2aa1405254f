"""The access layer: each role sees exactly its objects (the README's roles table)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import KeyResultFactory, ObjectiveFactory
from wagtail_mentoring.access import grants
from wagtail_mentoring.access.querysets import (
    can_view_session_notes,
    check_in_key_results,
    coordinated_programs,
    visible_enrolments,
    visible_mentorships,
    visible_objectives,
)
from wagtail_mentoring.models import MentoringSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def okrs(roles):
    own = ObjectiveFactory(owner=roles["mentee"], mentorship=roles["mentorship"], level="pairing")
    private = ObjectiveFactory(owner=roles["mentee"])  # personal, not tied to the pairing
    other = ObjectiveFactory(owner=roles["other_mentee"], mentorship=roles["other_mentorship"])
    return {"own": own, "private": private, "other": other}


def test_mentee_sees_own_objectives_only(roles, okrs):
    assert set(visible_objectives(roles["mentee"])) == {okrs["own"], okrs["private"]}


def test_mentor_sees_pairing_objectives_only(roles, okrs):
    assert set(visible_objectives(roles["mentor"])) == {okrs["own"]}


def test_coordinator_sees_program_objectives_only(roles, okrs):
    assert set(visible_objectives(roles["coordinator"])) == {okrs["own"]}
    assert set(visible_objectives(roles["other_coordinator"])) == {okrs["other"]}
    assert set(coordinated_programs(roles["coordinator"])) == {roles["mentorship"].program}


@pytest.mark.parametrize("name", ["editor", "employee", "inactive"])
def test_outsiders_see_nothing(roles, okrs, name):
    user = roles[name]
    assert not visible_objectives(user).exists()
    assert not visible_mentorships(user).exists()
    assert not visible_enrolments(user).exists()


def test_inactive_mentee_sees_nothing(roles, okrs):
    mentee = roles["mentee"]
    mentee.is_active = False
    mentee.save()
    assert not visible_objectives(mentee).exists()


def test_mentor_loses_access_when_mentorship_ends(roles, okrs):
    mentorship = roles["mentorship"]
    kr = KeyResultFactory(objective=okrs["own"])
    assert check_in_key_results(roles["mentor"]).filter(pk=kr.pk).exists()
    grants.revoke_pair_access(mentorship)
    assert not visible_objectives(roles["mentor"]).exists()
    assert not check_in_key_results(roles["mentor"]).exists()
    assert set(visible_objectives(roles["mentee"])) == {okrs["own"], okrs["private"]}
    assert (
        not check_in_key_results(roles["mentee"])
        .filter(objective__mentorship=mentorship)
        .exclude(objective__owner=roles["mentee"])
        .exists()
    )


def test_session_notes_for_the_pair_only(roles):
    session = MentoringSession.objects.create(mentorship=roles["mentorship"], date="2026-02-01T10:00Z", notes="x")
    assert can_view_session_notes(roles["mentee"], session)
    assert can_view_session_notes(roles["mentor"], session)
    assert not can_view_session_notes(roles["coordinator"], session)
    assert not can_view_session_notes(roles["superuser"], session)


def test_visible_objectives_query_count_is_constant(roles):
    for _ in range(5):
        ObjectiveFactory(owner=roles["mentee"], mentorship=roles["mentorship"])
    list(visible_objectives(roles["coordinator"]))  # warm the content-type and permission caches
    with CaptureQueriesContext(connection) as few:
        assert len(list(visible_objectives(roles["coordinator"]))) == 5
    for _ in range(45):
        ObjectiveFactory(owner=roles["mentee"], mentorship=roles["mentorship"])
    with CaptureQueriesContext(connection) as many:
        assert len(list(visible_objectives(roles["coordinator"]))) == 50
    assert len(many.captured_queries) == len(few.captured_queries) <= 3
