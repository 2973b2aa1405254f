"""Self-match through the API: ``mentor-suggestions/`` for the mentee only, ``mentorship-requests/`` lifecycle."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory
from tests.factories.api import token_for
from tests.factories.programs import mentee_enrolment, mentor_enrolment
from wagtail_mentoring.models import Mentorship, MentorshipRequest

pytestmark = pytest.mark.django_db

BASE = "/api/mentoring/v1"


def _client(user):
    from rest_framework.test import APIClient

    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


@pytest.fixture
def sm(program):
    program.matching_mode = "self_match_first"
    program.save()
    people = {
        "mentee": mentee_enrolment(program).user,
        "mentor": mentor_enrolment(program, capacity=1).user,
        "mentor2": mentor_enrolment(program, capacity=1).user,
        "outsider": UserFactory(),
    }
    people["program"] = program
    return people


def test_suggestions_for_the_mentee_only(sm):
    body = _client(sm["mentee"]).get(f"{BASE}/mentor-suggestions/").json()
    assert {row["mentor"]["id"] for row in body["results"]} == {sm["mentor"].pk, sm["mentor2"].pk}
    row = body["results"][0]
    assert row["program"] == sm["program"].pk and row["score_words"] and row["reasons"][0]["message"]
    for who in ("mentor", "outsider"):
        assert _client(sm[who]).get(f"{BASE}/mentor-suggestions/").json()["results"] == []
    assert _client(None).get(f"{BASE}/mentor-suggestions/").status_code == 401
    other = _client(sm["mentee"]).get(f"{BASE}/mentor-suggestions/", {"program": 999999}).json()
    assert other["results"] == []


def test_request_accept_flow(sm):
    mentee, mentor = _client(sm["mentee"]), _client(sm["mentor"])
    created = mentee.post(
        f"{BASE}/mentorship-requests/", {"program": sm["program"].pk, "mentor": sm["mentor"].pk}, format="json"
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == "requested" and created.json()["mentor_person"]["id"] == sm["mentor"].pk
    again = mentee.post(
        f"{BASE}/mentorship-requests/", {"program": sm["program"].pk, "mentor": sm["mentor2"].pk}, format="json"
    )
    assert again.status_code == 409
    # The mentee's suggestions are gone while a request waits.
    assert mentee.get(f"{BASE}/mentor-suggestions/").json()["results"] == []
    assert mentee.post(f"{BASE}/mentorship-requests/{pk}/accept/").status_code == 404
    assert _client(sm["outsider"]).get(f"{BASE}/mentorship-requests/{pk}/").status_code == 404
    accepted = mentor.post(f"{BASE}/mentorship-requests/{pk}/accept/")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
    assert Mentorship.objects.get(pk=accepted.json()["mentorship"]).status == "active"
    assert mentor.post(f"{BASE}/mentorship-requests/{pk}/decline/").status_code == 409
    assert mentee.post(f"{BASE}/mentorship-requests/{pk}/withdraw/").status_code == 409


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"mentor": "x"},
        {"program": "abc"},
        {"mentor": True},
        {"mentor": 10**30},
    ],
)
def test_bad_input_is_a_400_with_field_errors_and_writes_nothing(sm, payload):
    payload = {"program": sm["program"].pk, "mentor": sm["mentor"].pk, **payload} if payload else payload
    response = _client(sm["mentee"]).post(f"{BASE}/mentorship-requests/", payload, format="json")
    assert response.status_code == 400, response.content
    assert all(isinstance(v, list) for v in response.json().values())
    assert not MentorshipRequest.objects.exists()


def test_a_mentor_not_suggested_is_a_400_on_mentor(sm):
    response = _client(sm["mentee"]).post(
        f"{BASE}/mentorship-requests/", {"program": sm["program"].pk, "mentor": sm["outsider"].pk}, format="json"
    )
    assert response.status_code == 400 and "mentor" in response.json()
    assert not MentorshipRequest.objects.exists()


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("endpoint", ["mentor-suggestions", "mentorship-requests"])
def test_queries_do_not_grow_with_mentors_or_requests(sm, endpoint):
    program = sm["program"]

    def grow(n):
        for _ in range(n):
            mentor = mentor_enrolment(program, capacity=1).user
            other = mentee_enrolment(program).user
            MentorshipRequest.objects.create(
                program=program, mentee=other, mentor=sm["mentor"], status="declined", expires_on="2026-12-01"
            )
            MentorshipRequest.objects.create(
                program=program, mentee=other, mentor=mentor, status="expired", expires_on="2026-12-01"
            )

    who = sm["mentee"] if endpoint == "mentor-suggestions" else sm["mentor"]
    client = _client(who)
    url = f"{BASE}/{endpoint}/?page_size=100"
    grow(5)
    few = _count(client, url)
    grow(45)
    assert _count(client, url) == few
