"""The skill-ratings API: rating oneself and one's mentee, the 400s, and what each role lists."""

import pytest
from rest_framework.test import APIClient

from tests.skills.conftest import rate
from wagtail_mentoring.models import SkillRating
from wagtail_mentoring.programs import services as program_services

pytestmark = pytest.mark.django_db

URL = "/api/mentoring/v1/skill-ratings/"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_rate_oneself_then_again_replaces(sk):
    skill = sk["skills"][0]
    client = api(sk["mentee"])
    response = client.post(URL, {"skill": skill.pk, "moment": "start", "level": 2}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["subject"] == body["rater"] == sk["mentee"].pk and body["program"] == skill.program_id
    response = client.post(URL, {"skill": skill.pk, "moment": "start", "level": 4}, format="json")
    assert response.status_code == 201
    assert SkillRating.objects.get().level == 4


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"moment": "start", "level": 0}, "level"),
        ({"moment": "start", "level": 6}, "level"),
        ({"moment": "start", "level": True}, "level"),
        ({"moment": "start", "level": "x"}, "level"),
        ({"moment": "later", "level": 3}, "moment"),
        ({"moment": "closing", "level": 3}, "moment"),
        ({"moment": "start"}, "level"),
    ],
)
def test_bad_input_is_a_400_with_field_errors(sk, payload, field):
    response = api(sk["mentee"]).post(URL, {"skill": sk["skills"][0].pk, **payload}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not SkillRating.objects.exists()


def test_a_skill_of_another_program_is_a_400_like_a_missing_one(sk):
    client = api(sk["mentee"])
    hidden = client.post(URL, {"skill": sk["other_skills"][0].pk, "moment": "start", "level": 3}, format="json")
    missing = client.post(URL, {"skill": 999999, "moment": "start", "level": 3}, format="json")
    assert hidden.status_code == missing.status_code == 400
    assert list(hidden.json()) == list(missing.json()) == ["skill"]
    assert not SkillRating.objects.exists()


def test_mentor_rates_the_mentee_at_closing_only(sk):
    skill = sk["skills"][0]
    client = api(sk["mentor"])
    payload = {"skill": skill.pk, "moment": "closing", "level": 4, "subject": sk["mentee"].pk}
    assert client.post(URL, payload, format="json").status_code == 400
    # Through the lifecycle, which revokes the mentor's view of the pairing: rating stays open.
    program_services.end(sk["mentorship"], "The mentee moved on.")
    response = client.post(URL, payload, format="json")
    assert response.status_code == 201
    rating = SkillRating.objects.get()
    assert rating.subject == sk["mentee"] and rating.rater == sk["mentor"]
    # Another pair's mentee is not a person the mentor may name.
    other = {**payload, "subject": sk["other_mentee"].pk}
    response = client.post(URL, other, format="json")
    assert response.status_code == 400 and "subject" in response.json()


def test_lists(sk):
    own = rate(sk["skills"][0], sk["mentee"], 2)
    foreign = rate(sk["other_skills"][0], sk["other_mentee"], 2)
    assert [r["id"] for r in api(sk["mentee"]).get(URL).json()["results"]] == [own.pk]
    assert [r["id"] for r in api(sk["mentor"]).get(URL).json()["results"]] == [own.pk]
    # A coordinator (a superuser too) reads the report's averages, not a person's ratings one by one.
    for name in ("coordinator", "superuser", "employee"):
        assert api(sk[name]).get(URL).json()["results"] == [], name
    assert api(sk["coordinator"]).get(f"{URL}{own.pk}/").status_code == 404
    assert api(sk["mentor"]).get(f"{URL}{foreign.pk}/").status_code == 404
    assert APIClient().get(URL).status_code in (401, 403)
