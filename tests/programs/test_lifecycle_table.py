"""The lifecycle table: every transition locks its row, re-reads the status, and drives every surface."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from wagtail.admin.views.bulk_action.registry import bulk_action_registry

from tests.factories import EnrolmentFactory, MentorshipFactory
from tests.factories.programs import mentee_enrolment, mentor_enrolment
from wagtail_mentoring.api.views import MentorshipViewSet
from wagtail_mentoring.models import Enrolment, Mentorship
from wagtail_mentoring.programs import lifecycle, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def locks(monkeypatch):
    """The models whose rows were locked with ``select_for_update`` (recorded, then really locked)."""
    locked = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locked.append(self.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    return locked


@pytest.fixture
def active(program):
    mentor = mentor_enrolment(program, capacity=2).user
    return services.approve(services.propose(program, mentor, mentee_enrolment(program).user), notify=False)


@pytest.mark.parametrize(
    ("call", "status"),
    [
        (lambda m: services.pause(m), "paused"),
        (lambda m: services.complete(m), "completed"),
        (lambda m: services.end(m, "Moved on"), "ended"),
    ],
)
def test_every_mentorship_transition_locks_its_row(active, locks, call, status):
    call(active)
    assert Mentorship in locks
    assert Mentorship.objects.get(pk=active.pk).status == status


def test_approve_and_review_lock_their_rows(program, locks):
    mentor = mentor_enrolment(program, capacity=1).user
    proposed = services.propose(program, mentor, mentee_enrolment(program).user)
    services.approve(proposed, notify=False)
    assert locks.count(Mentorship) == 1 and Enrolment in locks  # the pairing, then the mentor's capacity
    locks.clear()
    services.review_enrolment(EnrolmentFactory(program=program, status="applied"), "accepted")
    assert locks == [Enrolment]


def test_a_stale_object_is_checked_against_the_locked_row(active):
    """Two coordinators act on the same pairing: the second sees the status the first left."""
    stale = Mentorship.objects.get(pk=active.pk)
    services.pause(active)
    with pytest.raises(ValidationError) as excinfo:
        services.pause(stale)  # its in-memory status still says "active"
    assert excinfo.value.code == "invalid_transition"
    assert stale.status == "paused"  # re-read under the lock


def test_enrolment_transitions_are_derived_from_the_table():
    assert services.ENROLMENT_TRANSITIONS == {
        "applied": {"accepted", "waitlisted", "declined", "withdrawn"},
        "waitlisted": {"accepted", "declined", "withdrawn"},
        "accepted": {"waitlisted", "withdrawn"},
        "declined": {"accepted", "waitlisted"},
        "withdrawn": set(),
    }


def test_every_action_is_unique_and_labelled():
    names = [t.name for t in lifecycle.TRANSITIONS]
    assert len(names) == len(set(names))
    for t in lifecycle.TRANSITIONS:
        assert t.label and t.bulk_label
        assert t.target is None or t.target in t.model.Status.values
        assert set(t.sources) <= set(t.model.Status.values)
        assert not t.api or t.summary


def test_admin_bulk_actions_are_the_tables_admin_transitions():
    bulk_action_registry._scan_for_bulk_actions()
    actions = bulk_action_registry.actions["wagtail_mentoring"]
    for model in (Enrolment, Mentorship):
        registered = set(actions[model._meta.model_name]) - {"delete"}
        assert registered == {t.name for t in lifecycle.transitions_for(model, admin=True)}


def test_api_actions_are_the_tables_api_transitions():
    extra = {action.__name__ for action in MentorshipViewSet.get_extra_actions()}
    # The journey's actions change no status: they are not lifecycle transitions.
    journey = {"journey", "journey_complete", "journey_undo"}
    assert extra - journey == {t.action for t in lifecycle.transitions_for(Mentorship, api=True)}


@pytest.mark.parametrize("status", ["proposed", "active", "paused", "completed", "ended"])
def test_row_buttons_follow_the_table(status, admin_access, program, client):
    mentorship = MentorshipFactory(program=program, status=status)
    client.force_login(admin_access["coordinator"])
    html = client.get(reverse("wagtailsnippets_wagtail_mentoring_mentorship:list")).content.decode()
    expected = {t.name for t in lifecycle.available_transitions(mentorship, admin=True)}
    for t in lifecycle.transitions_for(Mentorship, admin=True):
        assert (f"{t.name}/?id={mentorship.pk}&" in html) is (t.name in expected), (status, t.name)


def test_who_may_act_comes_from_the_table(admin_access, program):
    coordinator, mentee = admin_access["coordinator"], admin_access["mentee"]
    mentorship = admin_access["mentorship"]
    pause = lifecycle.transition_for(Mentorship, "pause")
    assert pause.scope(coordinator).filter(pk=mentorship.pk).exists()
    assert not pause.scope(mentee).filter(pk=mentorship.pk).exists()
    own = EnrolmentFactory(program=admin_access["mentorship"].program, user=mentee)
    withdraw = lifecycle.transition_for(Enrolment, "withdraw")
    assert withdraw.scope(mentee).filter(pk=own.pk).exists()
    assert not lifecycle.transition_for(Enrolment, "accept").scope(mentee).filter(pk=own.pk).exists()
