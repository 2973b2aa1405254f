"""Crafted API writes, oversized and malformed input, inactive and deleted users, and reused primary keys."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from guardian.models import UserObjectPermission

from tests.factories import CheckInFactory, EnrolmentFactory, KeyResultFactory, ObjectiveFactory
from wagtail_mentoring import models
from wagtail_mentoring.access import querysets as access

API = "/api/mentoring/v1/"


def api(client, method, url, data=None):
    return getattr(client, method)(url, json.dumps(data or {}), content_type="application/json")


@pytest.fixture
def own(admin_roles, program):
    roles = admin_roles
    objective = ObjectiveFactory(owner=roles["mentee"], mentorship=roles["mentorship"], title="OWN-OBJECTIVE")
    key_result = KeyResultFactory(objective=objective)
    CheckInFactory(key_result=key_result, author=roles["mentee"])
    enrolment = EnrolmentFactory(program=program, user=roles["mentee"], status="applied")
    return {"objective": objective, "keyresult": key_result, "enrolment": enrolment}


# --- crafted writes ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_api_create_cannot_set_foreign_owner_or_pairing(own, foreign, admin_roles, client_for):
    client = client_for(admin_roles["mentee"])
    before = set(models.Objective.objects.values_list("pk", flat=True))
    response = api(
        client,
        "post",
        f"{API}objectives/",
        {
            "title": "Crafted",
            "owner": admin_roles["other_mentee"].pk,
            "mentorship": foreign["mentorship"].pk,
            "program": foreign["program"].pk,
            "start_date": "2026-01-01",
            "due_date": "2026-03-31",
        },
    )
    assert response.status_code in (201, 400), response.content
    for objective in models.Objective.objects.exclude(pk__in=before):
        assert objective.owner_id == admin_roles["mentee"].pk
        assert objective.mentorship_id != foreign["mentorship"].pk
        assert objective.program_id != foreign["program"].pk


@pytest.mark.django_db
def test_api_update_cannot_move_owner_or_pairing(own, foreign, admin_roles, client_for):
    client = client_for(admin_roles["mentee"])
    objective = own["objective"]
    api(
        client,
        "patch",
        f"{API}objectives/{objective.pk}/",
        {"owner": admin_roles["other_mentee"].pk, "mentorship": foreign["mentorship"].pk},
    )
    objective.refresh_from_db()
    assert objective.owner_id == admin_roles["mentee"].pk
    assert objective.mentorship_id == admin_roles["mentorship"].pk


@pytest.mark.django_db
def test_api_mentee_cannot_accept_own_enrolment_or_write_as_someone_else(own, admin_roles, client_for):
    client = client_for(admin_roles["mentee"])
    api(client, "patch", f"{API}enrolments/{own['enrolment'].pk}/", {"status": "accepted", "program": 999999})
    own["enrolment"].refresh_from_db()
    assert own["enrolment"].status == "applied"
    response = api(
        client,
        "post",
        f"{API}check-ins/",
        {"key_result": own["keyresult"].pk, "value": 3, "confidence": 5, "author": admin_roles["mentor"].pk},
    )
    assert response.status_code in (201, 400)
    assert not models.CheckIn.objects.filter(author=admin_roles["mentor"]).exists()


@pytest.mark.django_db
def test_api_feedback_cannot_be_filed_for_a_foreign_pairing(foreign, admin_roles, client_for):
    client = client_for(admin_roles["mentee"])
    count = models.Feedback.objects.count()
    response = api(
        client, "post", f"{API}feedback/", {"kind": "session", "session": foreign["session"].pk, "rating": 1}
    )
    assert response.status_code in (400, 403, 404)
    assert models.Feedback.objects.count() == count


# --- oversized and malformed input ------------------------------------------------------------------
@pytest.mark.django_db
def test_api_rejects_oversized_and_malformed_values(own, admin_roles, client_for):
    client = client_for(admin_roles["mentee"])
    objective = own["objective"]
    cases = [
        ("post", f"{API}objectives/", {"title": "x" * 100_000, "start_date": "2026-01-01", "due_date": "2026-03-31"}),
        ("post", f"{API}objectives/", {"title": "Dates", "start_date": "2026-02-30", "due_date": "not-a-date"}),
        ("patch", f"{API}key-results/{own['keyresult'].pk}/", {"target_value": "NaN"}),
        ("patch", f"{API}key-results/{own['keyresult'].pk}/", {"target_value": "Infinity"}),
        ("patch", f"{API}key-results/{own['keyresult'].pk}/", {"start_value": 1e309}),
        ("post", f"{API}check-ins/", {"key_result": -1, "value": "NaN", "confidence": 5}),
        ("post", f"{API}check-ins/", {"key_result": "abc", "value": 1, "confidence": 5}),
        ("patch", f"{API}objectives/{objective.pk}/", {"due_date": "31/12/2026", "parent": -5}),
    ]
    for method, url, data in cases:
        response = api(client, method, url, data)
        assert response.status_code == 400, (method, url, str(data)[:60], response.status_code)
    objective.refresh_from_db()
    assert objective.title == "OWN-OBJECTIVE"
    own["keyresult"].refresh_from_db()
    assert own["keyresult"].target_value == 10


@pytest.mark.django_db
def test_huge_body_is_a_client_error(own, admin_roles, client_for):
    client = client_for(admin_roles["mentee"])
    body = json.dumps({"title": "y" * (10 * 1024 * 1024)})
    response = client.post(f"{API}objectives/", body, content_type="application/json")
    assert 400 <= response.status_code < 500
    response = client.post(
        reverse("wagtailsnippets_wagtail_mentoring_objective:add"), {"title": "y" * (10 * 1024 * 1024)}
    )
    assert 400 <= response.status_code < 500 or response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        f"{API}objectives/-1/",
        f"{API}objectives/abc/",
        f"{API}objectives/99999999999999999999999/",
        f"{API}sessions/1e3/",
        "/admin/snippets/wagtail_mentoring/objective/edit/abc/",
        "/admin/snippets/wagtail_mentoring/objective/inspect/99999999999999999999999/",
        "/admin/snippets/choose/wagtail_mentoring/objective/chosen/abc/",
        "/admin/snippets/choose/wagtail_mentoring/enrolment/chosen/-1/",
        "/admin/snippets/choose/wagtail_mentoring/objective/chosen-multiple/?id=abc&id=-1",
        "/admin/mentoring/program-health/99999999999999999999999/",
        "/mentoring-app/kudos/99999999999999999999999/",
        "/admin/bulk/wagtail_mentoring/objective/delete/?id=abc",
        "/admin/bulk/wagtail_mentoring/enrolment/enrolment_accept/?id=abc",
    ],
)
def test_malformed_ids_never_500(url, own, admin_roles, client_for):
    for name in ("mentee", "coordinator", "superuser"):
        response = client_for(admin_roles[name]).get(url)
        assert response.status_code < 500, (name, url, response.status_code)


# --- inactive and deleted users ---------------------------------------------------------------------
@pytest.mark.django_db
def test_a_deactivated_session_sees_nothing(own, admin_roles, client_for):
    mentee = admin_roles["mentee"]
    client = client_for(mentee)
    assert client.get(f"{API}objectives/{own['objective'].pk}/").status_code == 200
    mentee.is_active = False
    mentee.save()
    urls = [
        f"{API}objectives/",
        f"{API}objectives/{own['objective'].pk}/",
        f"{API}me/",
        reverse("wagtailsnippets_wagtail_mentoring_objective:list"),
        reverse("wagtailsnippets_wagtail_mentoring_objective:inspect", args=[own["objective"].pk]),
        reverse("wagtail_mentoring:kudos", args=[admin_roles["mentorship"].pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 401, 403, 404), (url, response.status_code)
        assert "OWN-OBJECTIVE" not in response.content.decode()
    assert not access.visible_objectives(mentee).exists()


@pytest.mark.django_db
def test_a_deleted_users_objects_disappear_cleanly(own, admin_roles, client_for):
    mentee_pk = admin_roles["mentee"].pk
    admin_roles["mentee"].delete()
    assert not models.Objective.objects.filter(owner_id=mentee_pk).exists()
    assert not UserObjectPermission.objects.filter(user_id=mentee_pk).exists()
    superuser = client_for(admin_roles["superuser"])
    for url in (
        reverse("wagtailsnippets_wagtail_mentoring_objective:list"),
        reverse("wagtailsnippets_wagtail_mentoring_checkin:list"),
        reverse("wagtailsnippets_wagtail_mentoring_enrolment:list"),
        f"{API}objectives/",
    ):
        assert superuser.get(url).status_code == 200, url
    mentor = client_for(admin_roles["mentor"])
    assert mentor.get(f"{API}objectives/").status_code == 200


@pytest.mark.django_db
def test_a_reused_primary_key_inherits_no_permissions(own, admin_roles, client_for):
    """Object permissions on surviving objects die with the user; a new user with the same pk gets none."""
    from guardian.shortcuts import assign_perm

    from wagtail_mentoring.access.grants import PAIR_ACTIVE_PERMS
    from wagtail_mentoring.access.models import MentorshipUserObjectPermission, ProgramUserObjectPermission

    leaver = admin_roles["employee"]
    pk = leaver.pk
    for codename in PAIR_ACTIVE_PERMS:
        assign_perm(codename, leaver, admin_roles["mentorship"])
    assert access.visible_mentorships(leaver).filter(pk=admin_roles["mentorship"].pk).exists()
    leaver.delete()
    for table in (MentorshipUserObjectPermission, ProgramUserObjectPermission, UserObjectPermission):
        assert not table.objects.filter(user_id=pk).exists(), table.__name__
    newcomer = get_user_model().objects.create_user(pk=pk, username="newcomer", password=None)
    assert newcomer.pk == pk
    for visible in (
        access.visible_objectives,
        access.visible_mentorships,
        access.visible_sessions,
        access.visible_enrolments,
        access.visible_feedback,
        access.visible_check_ins,
    ):
        assert not visible(newcomer).exists(), visible.__name__
    client = client_for(newcomer)
    body = client.get(f"{API}mentorships/").json()
    assert (body.get("results", body) if isinstance(body, dict) else body) == []
    assert client.get(f"{API}mentorships/{admin_roles['mentorship'].pk}/").status_code == 404
