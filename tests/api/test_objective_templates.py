"""The API's objective templates: editors write (model permissions), anyone who sees one starts a draft from it.

Visibility per role is in ``test_permission_matrix`` (with the id-guessing of every endpoint); the query
count of the list in ``test_queries``. Here: what a write and ``use`` do, and bad input.
"""

import pytest
from django.contrib.auth.models import Permission

from tests.api.conftest import client_for
from tests.factories.okr import objective_template
from wagtail_mentoring import models

pytestmark = pytest.mark.django_db

BASE = "/api/mentoring/v1/objective-templates/"


@pytest.fixture
def editor(world):
    user = world.roles["editor"]
    user.user_permissions.add(
        *Permission.objects.filter(content_type__model="objectivetemplate", codename__regex=r"^(add|change|delete)_")
    )
    return client_for(world.roles, "editor")


def kr(title="Coffee chats", **fields):
    return {"title": title, "kind": "number", "unit": "chats", "start_value": 0, "target_value": 6, **fields}


def test_editors_create_change_and_delete_templates(world, editor):
    response = editor.post(
        BASE,
        {
            "title": "Grow my network",
            "category": "networking",
            "level": "mentee",
            "programs": [world.program.pk],
            "key_results": [kr(), kr("Guild meetups", unit="meetups", target_value=3)],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["programs"] == [world.program.pk]
    assert [k["title"] for k in body["key_results"]] == ["Coffee chats", "Guild meetups"]
    assert body["language"] == "en"
    template = models.ObjectiveTemplate.objects.get(pk=body["id"])
    response = editor.patch(f"{BASE}{template.pk}/", {"key_results": [kr("Lunches")]}, format="json")
    assert response.status_code == 200
    assert list(template.key_results.values_list("title", flat=True)) == ["Lunches"]
    assert editor.delete(f"{BASE}{template.pk}/").status_code == 204
    assert not models.ObjectiveTemplate.objects.filter(pk=template.pk).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "", "key_results": []}, "title"),
        ({"title": "x", "category": "astrology"}, "category"),
        ({"title": "x", "level": "organisation"}, "level"),
        ({"title": "x", "programs": [999999]}, "programs"),
        ({"title": "x", "key_results": [kr(kind="vibes")]}, "key_results"),
        ({"title": "x", "key_results": [kr(start_value=2, target_value=2)]}, "key_results"),
        ({"title": "x", "key_results": [kr(target_value="NaN")]}, "key_results"),
        ({"title": "x", "key_results": [kr() for _i in range(6)]}, "key_results"),
    ],
)
def test_bad_templates_are_400_with_field_errors_and_nothing_is_written(world, editor, payload, field):
    before = (models.ObjectiveTemplate.objects.count(), models.ObjectiveTemplateKeyResult.objects.count())
    response = editor.post(BASE, payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert (models.ObjectiveTemplate.objects.count(), models.ObjectiveTemplateKeyResult.objects.count()) == before


def test_the_program_limit_applies_to_a_template(world, editor):
    world.program.max_key_results = 2
    world.program.save()
    response = editor.post(
        BASE, {"title": "Big", "programs": [world.program.pk], "key_results": [kr(), kr(), kr()]}, format="json"
    )
    assert response.status_code == 400
    assert "at most 2 key results" in response.json()["key_results"][0]


def test_use_creates_a_draft_objective_for_the_caller(world):
    template = objective_template("Our why", level="pairing", programs=[world.program], n=3)
    client = client_for(world.roles, "mentor")
    response = client.post(
        f"{BASE}{template.pk}/use/",
        {"mentorship": world.roles["mentorship"].pk, "title": "Our own why", "due_date": "2026-12-31"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["title"], body["level"], body["mentorship"]) == (
        "draft",
        "Our own why",
        "pairing",
        world.roles["mentorship"].pk,
    )
    objective = models.Objective.objects.get(pk=body["id"])
    assert objective.owner == world.roles["mentor"]
    assert objective.key_results.count() == 3


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "mentorship"),  # a pairing template needs its pairing
        ({"mentorship": "other"}, "mentorship"),  # not the caller's pairing
        ({"mentorship": "own", "due_date": "1700-01-01"}, "due_date"),
        ({"mentorship": "own", "start_date": "2026-06-01", "due_date": "2026-05-01"}, "due_date"),
        ({"mentorship": "own", "title": "x" * 300}, "title"),
    ],
)
def test_use_with_bad_input_is_400_with_field_errors_and_writes_nothing(world, payload, field):
    template = objective_template("Our why", level="pairing")
    pairings = {"own": world.roles["mentorship"].pk, "other": world.roles["other_mentorship"].pk}
    if "mentorship" in payload:
        payload = {**payload, "mentorship": pairings[payload["mentorship"]]}
    before = models.Objective.objects.count()
    response = client_for(world.roles, "mentee").post(f"{BASE}{template.pk}/use/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert models.Objective.objects.count() == before


def test_filters(world):
    client = client_for(world.roles, "mentee")

    def ids(**query):
        response = client.get(BASE, query)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(program=world.other_program.pk) == {world.t_every.pk, world.t_program.pk}
    assert ids(program=world.program.pk) == {world.t_every.pk}
    assert ids(language="it") == set()
    assert ids(category="confidence") == set()
    assert client.get(BASE, {"category": "astrology"}).status_code == 400  # strict filters
