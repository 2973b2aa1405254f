"""Authentication, pagination, filtering, ordering, throttling and bad input."""

import pytest
from django.test import override_settings

from tests.api.conftest import client_for
from tests.factories import ObjectiveFactory
from wagtail_mentoring import models

pytestmark = pytest.mark.django_db
BASE = "/api/mentoring/v1"


def test_session_authentication(world, client):
    client.force_login(world.roles["mentee"])
    response = client.get(f"{BASE}/objectives/")
    assert response.status_code == 200
    assert response.json()["count"] == 2
    # CSRF applies to session-authenticated writes
    from rest_framework.test import APIClient

    csrf_client = APIClient(enforce_csrf_checks=True)
    csrf_client.force_login(world.roles["mentee"])
    assert csrf_client.post(f"{BASE}/objectives/", {"title": "x"}, format="json").status_code == 403


def test_inactive_session_user_sees_nothing(world, client):
    client.force_login(world.roles["inactive"])
    assert client.get(f"{BASE}/objectives/").status_code == 401


@override_settings(WAGTAIL_MENTORING={"PAGE_SIZE": 2, "MAX_PAGE_SIZE": 3})
def test_pagination_has_a_maximum(world):
    for _i in range(5):
        ObjectiveFactory(owner=world.roles["mentee"])
    client = client_for(world.roles, "mentee")
    body = client.get(f"{BASE}/objectives/").json()
    assert body["count"] == 7 and len(body["results"]) == 2 and body["next"]
    assert len(client.get(f"{BASE}/objectives/", {"page_size": 1000}).json()["results"]) == 3
    assert client.get(f"{BASE}/objectives/", {"page": 99}).status_code == 404


def test_filters_and_ordering(world):
    client = client_for(world.roles, "mentee")
    ObjectiveFactory(owner=world.roles["mentee"], status="achieved", category="networking", title="AAA")
    ids = [o["id"] for o in client.get(f"{BASE}/objectives/", {"status": "achieved"}).json()["results"]]
    assert len(ids) == 1
    assert client.get(f"{BASE}/objectives/", {"category": "networking"}).json()["count"] == 1
    mentorship = world.roles["mentorship"].pk
    assert [o["id"] for o in client.get(f"{BASE}/objectives/", {"mentorship": mentorship}).json()["results"]] == [
        world.o_pair.pk
    ]
    # a filter never widens the list: another pairing's id gives nothing
    other = world.roles["other_mentorship"].pk
    assert client.get(f"{BASE}/objectives/", {"mentorship": other}).json()["count"] == 0
    titles = [o["title"] for o in client.get(f"{BASE}/objectives/", {"ordering": "title"}).json()["results"]]
    assert titles == sorted(titles)
    assert client.get(f"{BASE}/check-ins/", {"key_result": world.kr_pair.pk}).json()["count"] == 1
    assert client.get(f"{BASE}/sessions/", {"mentorship": mentorship, "status": "held"}).json()["count"] == 1
    assert client.get(f"{BASE}/sessions/", {"mentorship": mentorship, "status": "planned"}).json()["count"] == 1


@pytest.mark.parametrize(
    "params",
    [
        {"status": "nonsense"},
        {"mentorship": "abc"},
        {"mentorship": "99999999999999999999999999"},
        {"mentorship": "-1"},
        {"page_size": "abc"},
    ],
)
def test_bad_filters_are_400_or_ignored(world, params):
    response = client_for(world.roles, "mentee").get(f"{BASE}/objectives/", params)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert set(response.json()) <= set(params)


def test_throttling(world):
    rates = {"mentoring_read": "3/minute", "mentoring_write": "1/minute", "mentoring_anon": "2/minute"}
    with override_settings(REST_FRAMEWORK={"DEFAULT_THROTTLE_RATES": rates}):
        client = client_for(world.roles, "mentee")
        statuses = [client.get(f"{BASE}/objectives/").status_code for _i in range(4)]
        assert statuses == [200, 200, 200, 429]
        anon = client_for(world.roles, "anonymous")
        assert [anon.get(f"{BASE}/programs/").status_code for _i in range(3)] == [200, 200, 429]


@pytest.mark.parametrize(
    "body,field",
    [
        ({"key_result": "KR", "value": 1}, "key_result"),
        ({"key_result": True, "value": 1}, "key_result"),
        ({"key_result": None, "value": 1}, "key_result"),
        ({"key_result": 10**30, "value": 1}, "key_result"),
        ({"key_result": "<kr>", "value": "NaN"}, "value"),
        ({"key_result": "<kr>", "value": "Infinity"}, "value"),
        ({"key_result": "<kr>", "value": 1e300}, "value"),
        ({"key_result": "<kr>", "value": "many"}, "value"),
        ({"key_result": "<kr>", "value": [1]}, "value"),
        ({"key_result": "<kr>", "value": 1, "confidence": 11}, "confidence"),
        ({"key_result": "<kr>", "value": 1, "confidence": 10**20}, "confidence"),
    ],
)
def test_bad_check_in_is_400_with_field_error(world, body, field):
    body = {k: (world.kr_pair.pk if v == "<kr>" else v) for k, v in body.items()}
    response = client_for(world.roles, "mentee").post(f"{BASE}/check-ins/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    world.kr_pair.refresh_from_db()
    assert world.kr_pair.current_value == 0
    assert models.CheckIn.objects.filter(key_result=world.kr_pair).count() == 1


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b'{"key_result": 1, "value": NaN}', b"[]", b'"text"', b"null", b"\xff\xfe"],
)
def test_malformed_json_is_400(world, raw):
    client = client_for(world.roles, "mentee")
    response = client.generic("POST", f"{BASE}/check-ins/", raw, content_type="application/json")
    assert response.status_code == 400
    assert isinstance(response.json(), dict)


def test_wrong_content_type_is_415(world):
    response = client_for(world.roles, "mentee").post(f"{BASE}/check-ins/", {"value": 1})  # multipart
    assert response.status_code == 415


def test_service_validation_error_becomes_field_error(world):
    boolean = world.kr_pair
    boolean.kind = "boolean"
    boolean.target_value = 1
    boolean.save()
    response = client_for(world.roles, "mentee").post(
        f"{BASE}/check-ins/", {"key_result": boolean.pk, "value": 0.5}, format="json"
    )
    assert response.status_code == 400
    assert "value" in response.json()


def test_closed_enrolment_is_non_field_error(world):
    world.other_program.enrolment_open = False
    world.other_program.save()
    response = client_for(world.roles, "editor").post(
        f"{BASE}/enrolments/", {"program": world.other_program.pk, "role": "mentee"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


def test_key_result_target_equal_to_start_is_400(world):
    response = client_for(world.roles, "mentee").post(
        f"{BASE}/key-results/",
        {"objective": world.o_pair.pk, "title": "Flat", "start_value": 3, "target_value": 3},
        format="json",
    )
    assert response.status_code == 400
    assert "target_value" in response.json()


def test_objective_limit_per_pairing(world):
    client = client_for(world.roles, "mentee")
    mentorship = world.roles["mentorship"].pk
    statuses = [
        client.post(f"{BASE}/objectives/", {"title": f"O{i}", "mentorship": mentorship}, format="json").status_code
        for i in range(3)
    ]
    assert statuses == [201, 201, 400]  # the pairing already had one; the program allows 3


def test_session_with_foreign_key_result_is_refused(world):
    response = client_for(world.roles, "mentee").post(
        f"{BASE}/sessions/",
        {
            "mentorship": world.roles["mentorship"].pk,
            "date": "2026-02-01T10:00:00Z",
            "key_results_discussed": [world.kr_private.pk],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "key_results_discussed" in response.json()


def test_check_in_sets_current_value_and_me_reports_progress(world):
    client = client_for(world.roles, "mentor")
    response = client.post(f"{BASE}/check-ins/", {"key_result": world.kr_pair.pk, "value": 5}, format="json")
    assert response.status_code == 201
    world.kr_pair.refresh_from_db()
    assert world.kr_pair.current_value == 5
    me = client_for(world.roles, "mentee").get(f"{BASE}/me/").json()
    pair = next(o for o in me["objectives"] if o["id"] == world.o_pair.pk)
    assert pair["progress"] == 0.5
    assert pair["grade"] == {"value": 0.5, "band": "yellow"}
    assert pair["health"] in {"on_track", "at_risk", "off_track", "achieved"}
    assert me["next_session"]["mentorship"] == world.roles["mentorship"].pk
    due = {row["key_result"] for row in me["check_ins_due"]}
    assert world.kr_pair.pk not in due and world.kr_private.pk in due


def test_coordinator_reviews_enrolment(world):
    response = client_for(world.roles, "coordinator").patch(
        f"{BASE}/enrolments/{world.en_mentee.pk}/", {"status": "accepted", "goals": "hijack"}, format="json"
    )
    assert response.status_code == 200
    world.en_mentee.refresh_from_db()
    assert world.en_mentee.status == "accepted"
    assert world.en_mentee.reviewed_by == world.roles["coordinator"]
    assert world.en_mentee.goals == ""  # applicant's answers are read-only for the coordinator


def test_applicant_may_withdraw(world):
    response = client_for(world.roles, "mentee").patch(
        f"{BASE}/enrolments/{world.en_mentee.pk}/", {"status": "withdrawn"}, format="json"
    )
    assert response.status_code == 200
    world.en_mentee.refresh_from_db()
    assert world.en_mentee.status == "withdrawn"


def test_full_event_is_refused(world):
    world.ev.capacity = 2
    world.ev.save()
    response = client_for(world.roles, "mentor").post(f"{BASE}/registrations/", {"event": world.ev.pk}, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_me_reports_training_path_progress(world):
    path = models.LearningPath.objects.create(title="Mentee onboarding")
    models.LearningPathItem.objects.create(path=path, resource=world.r_public, sort_order=0)
    models.LearningPathItem.objects.create(path=path, resource=world.r_login, sort_order=1)
    world.program.mentee_learning_path = path
    world.program.save()
    training = client_for(world.roles, "mentee").get(f"{BASE}/me/").json()["training"]
    assert training == [
        {
            "program": world.program.pk,
            "role": "mentee",
            "path": path.pk,
            "path_title": "Mentee onboarding",
            "completed": 1,
            "total": 2,
        }
    ]
    assert client_for(world.roles, "mentor").get(f"{BASE}/me/").json()["training"] == []


def test_an_initiative_is_assigned_only_to_the_objectives_team(world):
    """``save_initiative`` refuses an assignee outside the objective's owner and pair (400 on the field, nothing
    written), whichever way the step comes: the dashboard's form offers only the team."""
    client = client_for(world.roles, "mentor")
    before = models.Initiative.objects.count()
    outsider = world.roles["other_mentee"]
    response = client.post(
        f"{BASE}/initiatives/",
        {"objective": world.o_pair.pk, "title": "Read", "assignee": outsider.pk},
        format="json",
    )
    assert response.status_code == 400 and "assignee" in response.json(), response.content
    assert models.Initiative.objects.count() == before
    mentee = world.roles["mentee"]
    ok = client.post(
        f"{BASE}/initiatives/", {"objective": world.o_pair.pk, "title": "Read", "assignee": mentee.pk}, format="json"
    )
    assert ok.status_code == 201 and ok.json()["assignee"] == mentee.pk
    patched = client.patch(f"{BASE}/initiatives/{ok.json()['id']}/", {"assignee": outsider.pk}, format="json")
    assert patched.status_code == 400 and models.Initiative.objects.get(pk=ok.json()["id"]).assignee == mentee
