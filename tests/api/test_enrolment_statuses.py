"""The API lets each role set exactly the enrolment statuses the lifecycle table gives it (as the admin does)."""

import pytest

from tests.api.conftest import client_for
from wagtail_mentoring import models
from wagtail_mentoring.api.serializers import EnrolmentSerializer
from wagtail_mentoring.programs import lifecycle

pytestmark = pytest.mark.django_db

BASE = "/api/mentoring/v1"


def table_targets(actor):
    return {t.target for t in lifecycle.transitions_for(models.Enrolment) if actor in t.actors}


def test_api_statuses_are_the_tables():
    assert set(EnrolmentSerializer.COORDINATOR_STATUSES) == table_targets(lifecycle.COORDINATOR)
    assert set(EnrolmentSerializer.APPLICANT_STATUSES) == table_targets(lifecycle.APPLICANT)


def test_coordinator_may_withdraw_through_the_api_as_in_the_admin(world):
    response = client_for(world.roles, "coordinator").patch(
        f"{BASE}/enrolments/{world.en_mentee.pk}/", {"status": "withdrawn"}, format="json"
    )
    assert response.status_code == 200, response.json()
    world.en_mentee.refresh_from_db()
    assert world.en_mentee.status == "withdrawn"
    assert world.en_mentee.reviewed_by == world.roles["coordinator"]


def test_no_role_may_move_an_enrolment_back_to_applied(world):
    response = client_for(world.roles, "coordinator").patch(
        f"{BASE}/enrolments/{world.en_mentee.pk}/", {"status": "declined"}, format="json"
    )
    assert response.status_code == 200
    response = client_for(world.roles, "coordinator").patch(
        f"{BASE}/enrolments/{world.en_mentee.pk}/", {"status": "applied"}, format="json"
    )
    assert response.status_code == 400
    assert "status" in response.json()
