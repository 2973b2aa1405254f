"""The journey API: ``GET mentorships/{id}/journey/`` and ``POST mentorships/{id}/journey/{step}/complete/`` and
``.../undo/``. Every role's status is in ``test_permission_matrix``; the id-guessing sweep covers the routes."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import JOURNEY_STEP, client_for
from wagtail_mentoring import models
from wagtail_mentoring.programs.services import pause

pytestmark = pytest.mark.django_db

BASE = "/api/mentoring/v1/mentorships"


def test_the_pair_reads_and_changes_the_journey(world):
    mentorship = world.roles["mentorship"]
    client = client_for(world.roles, "mentee")
    body = client.get(f"{BASE}/{mentorship.pk}/journey/").json()
    assert body["mentorship"] == mentorship.pk
    assert (body["done"], body["total"], body["next_step"]) == (0, 1, JOURNEY_STEP)
    (step,) = body["steps"]
    assert step["id"] == JOURNEY_STEP and step["title"] == "Agreement" and step["completes_when"] == "manual"
    assert step["due_on"] == mentorship.started_on.isoformat() and step["state"] == "overdue"
    assert step["completed_at"] is None and step["automatic"] is False

    response = client.post(f"{BASE}/{mentorship.pk}/journey/{JOURNEY_STEP}/complete/")
    assert response.status_code == 200
    assert response.json()["state"] == "done" and response.json()["completed_at"]
    again = client_for(world.roles, "mentor").post(f"{BASE}/{mentorship.pk}/journey/{JOURNEY_STEP}/complete/")
    assert again.json()["completed_at"] == response.json()["completed_at"]  # idempotent: the first is kept
    assert models.JourneyStepCompletion.objects.get().completed_by == world.roles["mentee"]
    body = client_for(world.roles, "coordinator").get(f"{BASE}/{mentorship.pk}/journey/").json()
    assert (body["done"], body["summary"], body["next_step"]) == (1, "1 of 1 step", None)

    response = client.post(f"{BASE}/{mentorship.pk}/journey/{JOURNEY_STEP}/undo/")
    assert response.status_code == 200 and response.json()["state"] == "overdue"
    assert not models.JourneyStepCompletion.objects.exists()


def test_bad_input_and_a_paused_pairing_write_nothing(world):
    mentorship = world.roles["mentorship"]
    client = client_for(world.roles, "mentee")
    url = f"{BASE}/{mentorship.pk}/journey/{JOURNEY_STEP}/complete/"
    response = client.generic("POST", url, "{not json", content_type="application/json")
    assert response.status_code == 400 and isinstance(response.json(), dict)
    assert client.post(f"{BASE}/{mentorship.pk}/journey/{uuid.uuid4()}/complete/").status_code == 404
    assert client.post(f"{BASE}/99999999999999999999/journey/{JOURNEY_STEP}/complete/").status_code == 404
    pause(mentorship)
    assert client.post(url).status_code == 403
    assert client.get(f"{BASE}/{mentorship.pk}/journey/").status_code == 200  # the pair still reads it
    assert not models.JourneyStepCompletion.objects.exists()


def test_the_journey_costs_the_same_queries_with_5_and_50_steps(world):
    program, mentorship = world.program, world.roles["mentorship"]
    client = client_for(world.roles, "mentee")

    def with_steps(n):
        program.journey = [
            {"type": "step", "id": f"s{i}", "value": {"title": f"Step {i}", "days_after_start": i}} for i in range(n)
        ]
        program.save(update_fields=["journey"])
        models.JourneyStepCompletion.objects.bulk_create(
            models.JourneyStepCompletion(mentorship=mentorship, step_id=f"s{i}") for i in range(0, n, 2)
        )
        url = f"{BASE}/{mentorship.pk}/journey/"
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(url).json()
        assert body["total"] == n
        models.JourneyStepCompletion.objects.all().delete()
        return len(ctx.captured_queries)

    assert with_steps(5) == with_steps(50)
