"""API: coordinators run the mentorship lifecycle through the services; enrolment review uses review_enrolment."""

import pytest

from tests.api.conftest import client_for
from tests.factories import EnrolmentFactory, MentorshipFactory
from tests.factories.programs import mentee_enrolment, mentor_enrolment
from wagtail_mentoring.access.querysets import participating_mentorships
from wagtail_mentoring.models import Enrolment, Mentorship

pytestmark = pytest.mark.django_db

BASE = "/api/mentoring/v1"


def url(mentorship, action):
    return f"{BASE}/mentorships/{mentorship.pk}/{action}/"


def test_pause_resume_complete(roles):
    mentorship = roles["mentorship"]
    client = client_for(roles, "coordinator")
    response = client.post(url(mentorship, "pause"), format="json")
    assert response.status_code == 200 and response.json()["status"] == "paused"
    mentorship.refresh_from_db()
    assert mentorship.status == "paused"
    assert not participating_mentorships(roles["mentee"]).filter(pk=mentorship.pk).exists()
    response = client.post(url(mentorship, "resume"), format="json")
    assert response.status_code == 200 and response.json()["status"] == "active"
    response = client.post(url(mentorship, "complete"), {"reason": "Goals met"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "completed" and body["end_reason"] == "Goals met" and body["ended_on"]


def test_end_needs_a_reason_and_changes_nothing_without_one(roles):
    mentorship = roles["mentorship"]
    client = client_for(roles, "coordinator")
    for payload in ({}, {"reason": ""}, {"reason": "   "}):
        response = client.post(url(mentorship, "end"), payload, format="json")
        assert response.status_code == 400, payload
        assert list(response.json()) == ["reason"], response.json()
    mentorship.refresh_from_db()
    assert mentorship.status == "active" and mentorship.ended_on is None
    response = client.post(url(mentorship, "end"), {"reason": "Mentor left the company"}, format="json")
    assert response.status_code == 200
    mentorship.refresh_from_db()
    assert mentorship.status == "ended" and mentorship.end_reason == "Mentor left the company"
    assert not participating_mentorships(roles["mentor"]).filter(pk=mentorship.pk).exists()


def test_invalid_transitions_are_409_with_errors(roles):
    """A valid request the pairing's current status refuses is a conflict (409), with the reason."""
    mentorship = roles["mentorship"]
    client = client_for(roles, "coordinator")
    for action in ("approve", "resume"):
        response = client.post(url(mentorship, action), format="json")
        assert response.status_code == 409
        assert response.json()["non_field_errors"] == [f"A mentorship that is active cannot be {action}d."]
    client.post(url(mentorship, "complete"), format="json")
    for action in ("pause", "resume", "complete", "approve"):
        assert client.post(url(mentorship, action), format="json").status_code == 409, action
    assert client.post(url(mentorship, "end"), {"reason": "x"}, format="json").status_code == 409
    mentorship.refresh_from_db()
    assert mentorship.status == "completed"


def test_approve_a_proposed_pairing_with_its_agreement(roles, program):
    mentor = mentor_enrolment(program, capacity=2).user
    mentee = mentee_enrolment(program).user
    proposed = MentorshipFactory(program=program, mentor=mentor, mentee=mentee, status="proposed")
    client = client_for(roles, "coordinator")
    bad = client.post(url(proposed, "approve"), {"meeting_cadence_days": 0}, format="json")
    assert bad.status_code == 400 and "meeting_cadence_days" in bad.json()
    proposed.refresh_from_db()
    assert proposed.status == "proposed"
    payload = {"expectations": "Every other week", "meeting_cadence_days": 14}
    response = client.post(url(proposed, "approve"), payload, format="json")
    assert response.status_code == 200, response.content
    proposed.refresh_from_db()
    assert proposed.status == "active" and proposed.expectations == "Every other week"
    assert proposed.meeting_cadence_days == 14 and proposed.started_on is not None
    assert participating_mentorships(mentee).filter(pk=proposed.pk).exists()


def test_full_mentor_cannot_be_approved(roles, program):
    mentor = mentor_enrolment(program, capacity=1).user
    first = MentorshipFactory(program=program, mentor=mentor, mentee=mentee_enrolment(program).user)
    second = MentorshipFactory(program=program, mentor=mentor, mentee=mentee_enrolment(program).user)
    client = client_for(roles, "coordinator")
    assert client.post(url(first, "approve"), format="json").status_code == 200
    response = client.post(url(second, "approve"), format="json")
    assert response.status_code == 400 and response.json()["non_field_errors"]
    assert Mentorship.objects.get(pk=second.pk).status == "proposed"


@pytest.mark.parametrize("action", ["approve", "pause", "resume", "complete", "end"])
def test_who_may_run_the_lifecycle(roles, action):
    mentorship = roles["mentorship"]
    payload = {"reason": "Because"}
    expected = {"mentee": 403, "mentor": 403, "other_mentee": 404, "other_coordinator": 404, "editor": 404}
    for name, status in expected.items():
        response = client_for(roles, name).post(url(mentorship, action), payload, format="json")
        assert response.status_code == status, (name, response.content)
    for name in ("inactive", "anonymous"):
        assert client_for(roles, name).post(url(mentorship, action), payload, format="json").status_code == 401
    assert client_for(roles, "coordinator").post(f"{BASE}/mentorships/999999/{action}/", payload).status_code == 404
    mentorship.refresh_from_db()
    assert mentorship.status == "active"


def test_enrolment_review_goes_through_review_enrolment(roles, program, monkeypatch):
    enrolment = EnrolmentFactory(program=program, status="applied")
    calls = []
    from wagtail_mentoring.programs import services

    original = services.review_enrolment

    def spy(*args, **kwargs):
        calls.append((args, kwargs))
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "review_enrolment", spy)
    client = client_for(roles, "coordinator")
    response = client.patch(f"{BASE}/enrolments/{enrolment.pk}/", {"status": "accepted"}, format="json")
    assert response.status_code == 200
    assert len(calls) == 1
    enrolment.refresh_from_db()
    assert enrolment.status == "accepted" and enrolment.reviewed_by == roles["coordinator"]
    assert enrolment.reviewed_at is not None


def test_enrolment_review_follows_the_transition_rules(roles, program):
    enrolment = EnrolmentFactory(program=program, status="withdrawn")
    client = client_for(roles, "coordinator")
    response = client.patch(f"{BASE}/enrolments/{enrolment.pk}/", {"status": "accepted"}, format="json")
    assert response.status_code == 409  # a valid request the enrolment's status refuses
    assert response.json() == {"non_field_errors": ["An enrolment that is withdrawn cannot become accepted."]}
    assert Enrolment.objects.get(pk=enrolment.pk).status == "withdrawn"


def test_applicant_withdraws_through_the_api(roles, program):
    enrolment = EnrolmentFactory(program=program, status="applied", user=roles["employee"])
    client = client_for(roles, "employee")
    response = client.patch(f"{BASE}/enrolments/{enrolment.pk}/", {"status": "withdrawn"}, format="json")
    assert response.status_code == 200
    enrolment.refresh_from_db()
    assert enrolment.status == "withdrawn" and enrolment.reviewed_by is None


def test_schema_lists_the_lifecycle_actions(roles):
    response = client_for(roles, "mentee").get(f"{BASE}/schema/", HTTP_ACCEPT="application/json")
    paths = response.json()["paths"]
    for action in ("approve", "pause", "resume", "complete", "end"):
        assert "post" in paths[f"/api/mentoring/v1/mentorships/{{id}}/{action}/"], action
