"""The API's reviews and realignments: what a POST does, the 409 of a key result that needs no review, and bad
input. Visibility per role and the writes' statuses are in ``test_permission_matrix``; the list's query count in
``test_queries``."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.api.conftest import client_for
from tests.factories import KeyResultFactory, ObjectiveFactory
from wagtail_mentoring import models

pytestmark = pytest.mark.django_db

BASE = "/api/mentoring/v1/realignments/"


def body(kr, **fields):
    return {"key_result": kr.pk, "what_happened": "The team moved.", "what_changes": "Fewer, longer talks.", **fields}


def test_a_review_realigns_the_key_result_and_keeps_the_old_values(world):
    kr = world.kr_pair  # due in March at 0 of 10: missed
    due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = client_for(world.roles, "mentor").post(BASE, body(kr, target_value=4, due_date=due), format="json")
    assert response.status_code == 201, response.content
    got = response.json()
    assert (got["previous_target"], got["target_value"]) == (10, 4)
    assert (got["previous_due_date"], got["due_date"]) == (None, due)
    assert got["health"] == "off_track" and got["author"]["id"] == world.roles["mentor"].pk
    kr.refresh_from_db()
    assert kr.target_value == 4
    listed = client_for(world.roles, "coordinator").get(BASE, {"key_result": kr.pk}).json()["results"]
    assert got["id"] in [r["id"] for r in listed]


def test_a_key_result_that_needs_no_review_is_a_409_and_nothing_changes(world):
    today = timezone.localdate()
    objective = ObjectiveFactory(
        owner=world.roles["mentee"], start_date=today, due_date=today + dt.timedelta(days=90)
    )  # fmt: skip
    on_track = KeyResultFactory(objective=objective, current_value=1)
    response = client_for(world.roles, "mentee").post(BASE, body(on_track, target_value=5), format="json")
    assert response.status_code == 409, response.content
    assert "non_field_errors" in response.json()
    on_track.refresh_from_db()
    assert on_track.target_value == 10 and not models.Realignment.objects.filter(key_result=on_track).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"what_happened": ""}, "what_happened"),
        ({"what_changes": None}, "what_changes"),
        ({"target_value": "six"}, "target_value"),
        ({"target_value": 0}, "target_value"),  # the start value
        ({"due_date": "2026-01-02"}, "due_date"),  # in the past
        ({"due_date": "0001-01-01"}, "due_date"),
        ({"key_result": 2**63}, "key_result"),
    ],
)
def test_bad_input_is_a_400_with_field_errors(world, fields, field):
    before = models.Realignment.objects.count()
    response = client_for(world.roles, "mentee").post(BASE, body(world.kr_pair, **fields), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert models.Realignment.objects.count() == before
    world.kr_pair.refresh_from_db()
    assert world.kr_pair.target_value == 10
