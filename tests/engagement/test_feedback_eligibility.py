"""Who may give which kind of feedback on which pairing or program: the survey pages and the API agree.

One rule (``access.feedback_mentorships`` by the pairing's status, ``access.feedback_programs``), checked
at the one write path (``programs.services.submit_feedback``). For every role, pairing status and survey
kind, the page accepts the answer exactly when the API does; a refusal is a 404 on the page and a 400
field error in the API (never a 403, never a 404 that tells a pairing exists).
"""

from __future__ import annotations

import itertools

import pytest
from django.db import transaction
from django.urls import reverse

from tests.api.conftest import client_for
from tests.factories import EnrolmentFactory
from tests.factories.engagement import MentoringSessionFactory
from wagtail_mentoring.models import Feedback, Mentorship

pytestmark = pytest.mark.django_db

API = "/api/mentoring/v1/feedback/"
STATUSES = ("proposed", "active", "paused", "completed", "ended")
ROLES = ("mentee", "mentor", "coordinator", "other_mentee", "employee", "superuser")

#: The spec: the pair (mentee and mentor, whoever has left since) gives each kind in these statuses.
ACCEPTED = {
    "session": {"active", "paused", "completed", "ended"},
    "pairing_check": {"active"},
    "closing": {"completed", "ended"},
}


def _page_answer(client, kind: str, mentorship, session) -> int:
    subject = session.pk if kind == "session" else mentorship.pk
    url = reverse(f"wagtail_mentoring:survey_{kind}", args=[subject])
    return client.post(url, {"rating": 4, "comment": "fine"}).status_code


def _api_answer(role: str, roles, kind: str, mentorship, session):
    body = {"kind": kind, "mentorship": mentorship.pk, "rating": 4}
    if kind == "session":
        body["session"] = session.pk
    return client_for(roles, role).post(API, body, format="json")


def _isolated(call):
    with transaction.atomic():
        result = call()
        transaction.set_rollback(True)
    return result


@pytest.mark.parametrize("role", ROLES)
def test_page_and_api_accept_the_same_pairing_feedback(client, roles, role):
    mentorship = roles["mentorship"]
    session = MentoringSessionFactory(mentorship=mentorship)
    client.force_login(roles[role])
    for status, kind in itertools.product(STATUSES, ACCEPTED):
        Mentorship.objects.filter(pk=mentorship.pk).update(status=status)
        page = _isolated(lambda kind=kind: _page_answer(client, kind, mentorship, session))
        api = _isolated(lambda kind=kind: _api_answer(role, roles, kind, mentorship, session))
        expected = role in ("mentee", "mentor") and status in ACCEPTED[kind]
        case = (role, status, kind, api.content)
        assert page == (302 if expected else 404), case
        assert api.status_code == (201 if expected else 400), case
        if not expected:  # the pairing is the field in error (and its session, where it is not the user's)
            assert "mentorship" in api.json() and set(api.json()) <= {"mentorship", "session"}, case
    assert not Feedback.objects.filter(mentorship=mentorship).exclude(author__in=[mentorship.mentor, mentorship.mentee])


def test_a_pairing_of_yours_in_another_status_is_a_field_error_naming_the_statuses(roles):
    mentorship = roles["mentorship"]
    Mentorship.objects.filter(pk=mentorship.pk).update(status="active")
    response = _api_answer("mentor", roles, "closing", mentorship, None)
    assert response.status_code == 400
    assert response.json() == {
        "mentorship": ["Closing survey is given only on a pairing of yours that is completed or ended."]
    }


def test_an_ended_mentor_answers_the_closing_survey_on_the_page_and_in_the_api(client, roles):
    """The mentor of an ended pairing lost their permissions on it, not their survey."""
    from wagtail_mentoring.access.grants import revoke_pair_access

    mentorship = roles["mentorship"]
    Mentorship.objects.filter(pk=mentorship.pk).update(status="ended")
    revoke_pair_access(mentorship)
    client.force_login(roles["mentor"])
    assert _isolated(lambda: _page_answer(client, "closing", mentorship, None)) == 302
    assert _api_answer("mentor", roles, "closing", mentorship, None).status_code == 201
    # Answered once, on either surface.
    assert _page_answer(client, "closing", mentorship, None) == 200
    again = _api_answer("mentor", roles, "closing", mentorship, None)
    assert again.status_code == 409 and "already answered" in str(again.json())


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "session"}, "session"),  # a session rating names its session
        ({"kind": "pairing_check", "session": "SESSION"}, "session"),  # a pairing check is not about one
        ({"kind": "program", "program": "PROGRAM"}, "mentorship"),  # a program survey is about the program only
    ],
)
def test_a_subject_that_does_not_fit_the_kind_is_a_field_error(roles, program, body, field):
    EnrolmentFactory(program=program, user=roles["mentee"], role="mentee", status="accepted")
    session = MentoringSessionFactory(mentorship=roles["mentorship"])
    values = {"SESSION": session.pk, "PROGRAM": program.pk}
    body = {name: values.get(value, value) for name, value in body.items()}
    body = {**body, "mentorship": roles["mentorship"].pk, "rating": 4}
    response = client_for(roles, "mentee").post(API, body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]


@pytest.mark.parametrize(
    ("status", "accepted"),
    [("accepted", True), ("applied", False), ("declined", False), ("waitlisted", False), ("withdrawn", False)],
)
def test_page_and_api_accept_the_same_program_feedback(client, roles, program, status, accepted):
    EnrolmentFactory(program=program, user=roles["employee"], role="mentee", status=status)
    client.force_login(roles["employee"])
    url = reverse("wagtail_mentoring:survey_program", args=[program.pk])
    page = _isolated(lambda: client.post(url, {"rating": 4}).status_code)
    body = {"kind": "program", "program": program.pk, "rating": 4}
    api = client_for(roles, "employee").post(API, body, format="json")
    assert page == (302 if accepted else 404)
    assert api.status_code == (201 if accepted else 400)
