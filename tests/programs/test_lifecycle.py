"""Mentorship lifecycle: transitions, permission grants and revocations, constraints, capacity."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from tests.factories import ObjectiveFactory, UserFactory
from tests.factories.programs import mentee_enrolment, mentor_enrolment
from wagtail_mentoring.access.querysets import (
    notes_mentorships,
    participating_mentorships,
    visible_mentorships,
    visible_objectives,
)
from wagtail_mentoring.models import Mentorship
from wagtail_mentoring.programs import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(program):
    mentor = mentor_enrolment(program, capacity=1).user
    mentee = mentee_enrolment(program).user
    objective = ObjectiveFactory(owner=mentee, program=None)
    return mentor, mentee, objective


def _access(user, mentorship):
    return (
        visible_mentorships(user).filter(pk=mentorship.pk).exists(),
        participating_mentorships(user).filter(pk=mentorship.pk).exists(),
        notes_mentorships(user).filter(pk=mentorship.pk).exists(),
    )


def test_every_transition_grants_and_revokes(program, pair, django_capture_on_commit_callbacks):
    mentor, mentee, objective = pair
    m = services.propose(program, mentor, mentee, score=0.8, reasons={"skills": 0.5})
    objective.mentorship = m
    objective.save()
    assert m.status == "proposed"
    assert _access(mentor, m) == (False, False, False)
    assert not visible_objectives(mentor).filter(pk=objective.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.approve(m, expectations="Be candid", topics_in_bounds="career", topics_out_of_bounds="pay")
    m.refresh_from_db()
    assert m.status == "active" and m.started_on is not None
    assert (m.expectations, m.topics_in_bounds, m.topics_out_of_bounds) == ("Be candid", "career", "pay")
    assert m.meeting_cadence_days == program.meeting_cadence_days
    assert _access(mentor, m) == (True, True, True)
    assert _access(mentee, m) == (True, True, True)
    assert visible_objectives(mentor).filter(pk=objective.pk).exists()
    assert sorted(msg.to[0] for msg in mail.outbox) == sorted([mentor.email, mentee.email])
    assert all(msg.alternatives for msg in mail.outbox)

    services.pause(m)
    assert _access(mentor, m) == (True, False, True)
    assert _access(mentee, m) == (True, False, True)

    services.resume(m)
    assert _access(mentor, m) == (True, True, True)

    services.end(m, "Moved to another team")
    m.refresh_from_db()
    assert (m.status, m.end_reason) == ("ended", "Moved to another team")
    assert _access(mentor, m) == (False, False, False)
    assert not visible_objectives(mentor).filter(pk=objective.pk).exists()
    assert _access(mentee, m) == (True, False, True)
    assert visible_objectives(mentee).filter(pk=objective.pk).exists()


def test_complete_revokes_mentor_access(program, pair):
    mentor, mentee, objective = pair
    m = services.approve(services.propose(program, mentor, mentee), notify=False)
    objective.mentorship = m
    objective.save()
    services.complete(m)
    assert m.status == "completed"
    assert not visible_objectives(mentor).filter(pk=objective.pk).exists()
    assert _access(mentee, m) == (True, False, True)


@pytest.mark.parametrize(
    "steps, action",
    [
        ([], services.pause),
        ([], services.resume),
        ([], services.complete),
        (["approve"], services.resume),
        (["approve"], services.approve),
        (["approve", "complete"], services.resume),
        (["approve", "complete"], services.pause),
    ],
)
def test_invalid_transitions_raise(program, pair, steps, action):
    mentor, mentee, _objective = pair
    m = services.propose(program, mentor, mentee)
    for step in steps:
        if step == "approve":
            services.approve(m, notify=False)
        else:
            services.complete(m)
    before = Mentorship.objects.get(pk=m.pk).status
    with pytest.raises(ValidationError):
        action(m)
    assert Mentorship.objects.get(pk=m.pk).status == before


def test_end_needs_a_reason(program, pair):
    mentor, mentee, _objective = pair
    m = services.approve(services.propose(program, mentor, mentee), notify=False)
    with pytest.raises(ValidationError):
        services.end(m, "  ")
    assert Mentorship.objects.get(pk=m.pk).status == "active"


def test_no_self_pairing(program):
    user = mentor_enrolment(program).user
    with pytest.raises(ValidationError):
        services.propose(program, user, user)
    assert not Mentorship.objects.exists()


def test_mentor_never_over_capacity(program):
    mentor = mentor_enrolment(program, capacity=1).user
    first, second = mentee_enrolment(program).user, mentee_enrolment(program).user
    services.approve(services.propose(program, mentor, first), notify=False)
    proposed = services.propose(program, mentor, second)
    with pytest.raises(ValidationError, match="capacity"):
        services.approve(proposed, notify=False)
    assert Mentorship.objects.get(pk=proposed.pk).status == "proposed"


def test_paused_pairing_keeps_its_slot(program):
    mentor = mentor_enrolment(program, capacity=1).user
    first, second = mentee_enrolment(program).user, mentee_enrolment(program).user
    services.pause(services.approve(services.propose(program, mentor, first), notify=False))
    with pytest.raises(ValidationError):
        services.approve(services.propose(program, mentor, second), notify=False)


def test_mentor_must_be_accepted(program):
    mentor = mentor_enrolment(program).user
    mentor.mentoring_enrolments.update(status="waitlisted")
    m = services.propose(program, mentor, mentee_enrolment(program).user)
    with pytest.raises(ValidationError, match="not an accepted mentor"):
        services.approve(m, notify=False)


def test_one_active_mentorship_per_mentee(program):
    mentee = mentee_enrolment(program).user
    a, b = mentor_enrolment(program).user, mentor_enrolment(program).user
    services.approve(services.propose(program, a, mentee), notify=False)
    second = services.propose(program, b, mentee)
    with pytest.raises(ValidationError, match="already has an active mentorship"):
        services.approve(second, notify=False)
    assert Mentorship.objects.filter(mentee=mentee, status="active").count() == 1


def test_integrity_error_becomes_validation_error(program, monkeypatch):
    """If the database's partial unique index fires (a race), the caller gets a clear ValidationError."""
    mentee = mentee_enrolment(program).user
    a, b = mentor_enrolment(program).user, mentor_enrolment(program).user
    services.approve(services.propose(program, a, mentee), notify=False)
    second = services.propose(program, b, mentee)
    real_filter = Mentorship.objects.filter

    class Blind:
        def exists(self):
            return False

    def blind_filter(*args, **kwargs):  # hide the existing pairing from the pre-check, as a race would
        if "mentee_id" in kwargs:
            return Blind()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Mentorship.objects, "filter", blind_filter)
    with pytest.raises(ValidationError, match="already has an active mentorship"):
        services.approve(second, notify=False)
    monkeypatch.undo()
    assert Mentorship.objects.get(pk=second.pk).status == "proposed"


def test_reassign_ends_and_proposes(program, pair):
    mentor, mentee, objective = pair
    new_mentor = mentor_enrolment(program).user
    m = services.approve(services.propose(program, mentor, mentee), notify=False)
    new = services.reassign(m, new_mentor, "Not a good fit")
    m.refresh_from_db()
    assert m.status == "ended" and m.end_reason == "Not a good fit"
    assert (new.status, new.mentor, new.mentee) == ("proposed", new_mentor, mentee)
    assert _access(mentor, m)[0] is False


def test_reassign_to_full_mentor_changes_nothing(program, pair):
    mentor, mentee, _objective = pair
    full = mentor_enrolment(program, capacity=1).user
    services.approve(services.propose(program, full, mentee_enrolment(program).user), notify=False)
    m = services.approve(services.propose(program, mentor, mentee), notify=False)
    with pytest.raises(ValidationError):
        services.reassign(m, full, "Not a good fit")
    assert Mentorship.objects.get(pk=m.pk).status == "active"
    assert not Mentorship.objects.filter(mentor=full, mentee=mentee).exists()


def test_reject_deletes_proposal_only(program, pair):
    mentor, mentee, _objective = pair
    m = services.propose(program, mentor, mentee)
    services.reject(m)
    assert not Mentorship.objects.exists()
    m = services.approve(services.propose(program, mentor, mentee), notify=False)
    with pytest.raises(ValidationError):
        services.reject(m)


def test_invalid_agreement_rejected(program, pair):
    mentor, mentee, _objective = pair
    m = services.propose(program, mentor, mentee)
    with pytest.raises(ValidationError):
        services.approve(m, meeting_cadence_days=0, notify=False)
    assert Mentorship.objects.get(pk=m.pk).status == "proposed"


def test_review_enrolment_transitions(program):
    enrolment = mentee_enrolment(program, status="applied")
    coordinator = UserFactory()
    services.review_enrolment(enrolment, "waitlisted", by=coordinator)
    services.review_enrolment(enrolment, "accepted", by=coordinator)
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.reviewed_by) == ("accepted", coordinator)
    services.review_enrolment(enrolment, "withdrawn")
    with pytest.raises(ValidationError):
        services.review_enrolment(enrolment, "accepted")
    with pytest.raises(ValidationError):
        services.review_enrolment(enrolment, "bogus")
    enrolment.refresh_from_db()
    assert enrolment.status == "withdrawn"
