"""The front-end dashboard page: id guessing on its routes and crafted POSTs naming foreign objects."""

from __future__ import annotations

import pytest

from wagtail_mentoring import models


@pytest.mark.django_db
def test_dashboard_routes_404_for_foreign_objects(dashboard, foreign, admin_roles, client_for):
    url = dashboard.url
    routes = [
        f"{url}mentee/{foreign['mentorship'].pk}/",
        f"{url}objective/{foreign['objective'].pk}/",
        f"{url}objective/{foreign['objective'].pk}/edit/",
        f"{url}initiative/{foreign['initiative'].pk}/toggle/",
        f"{url}journey/{foreign['mentorship'].pk}/a-journey-step/",
        f"{url}skills/pairing/{foreign['mentorship'].pk}/",
        f"{url}skills/{foreign['program'].pk}/start/",
        f"{url}skills/{foreign['program'].pk}/closing/",
    ]
    for name in ("mentee", "mentor", "coordinator", "employee", "editor"):
        client = client_for(admin_roles[name])
        for route in routes:
            assert client.get(route).status_code in (404, 405), (name, route)
            assert client.post(route, {"title": "pwned", "done": "on"}).status_code == 404, (name, route)
    foreign["objective"].refresh_from_db()
    foreign["initiative"].refresh_from_db()
    assert foreign["objective"].title == "FOREIGN-OBJECTIVE"
    assert foreign["initiative"].done is False
    # Control: the owner reaches them.
    owner = client_for(admin_roles["other_mentee"])
    assert owner.get(routes[1]).status_code == 200


@pytest.mark.django_db
def test_crafted_check_in_and_session_posts_naming_foreign_objects_change_nothing(
    dashboard, foreign, admin_roles, client_for
):
    client = client_for(admin_roles["mentee"])
    check_ins = models.CheckIn.objects.count()
    sessions = models.MentoringSession.objects.count()
    response = client.post(
        f"{dashboard.url}check-in/",
        {"key_result": foreign["keyresult"].pk, "value": 9, "confidence": 5, "note": "pwned"},
    )
    assert response.status_code in (200, 400, 404)
    response = client.post(
        f"{dashboard.url}session/",
        {
            "mentorship": foreign["mentorship"].pk,
            "date": "2026-01-20T10:00",
            "duration_minutes": 30,
            "format": "video",
            "agenda": "pwned",
        },
    )
    assert response.status_code in (200, 400, 404)
    assert models.CheckIn.objects.count() == check_ins
    assert models.MentoringSession.objects.count() == sessions
    foreign["keyresult"].refresh_from_db()
    assert foreign["keyresult"].current_value != 9


@pytest.mark.django_db
def test_objective_form_ignores_owner_and_mentorship_of_others(dashboard, admin_roles, foreign, client_for):
    """A mentee creating an objective cannot make it someone else's or attach it to another pairing."""
    client = client_for(admin_roles["mentee"])
    before = set(models.Objective.objects.values_list("pk", flat=True))
    client.post(
        f"{dashboard.url}objectives/new/",
        {
            "title": "Crafted",
            "description": "x",
            "owner": admin_roles["other_mentee"].pk,
            "mentorship": foreign["mentorship"].pk,
            "program": foreign["program"].pk,
            "category": "confidence",
            "level": "mentee",
            "start_date": "2026-01-01",
            "due_date": "2026-03-31",
            "kr-TOTAL_FORMS": 0,
            "kr-INITIAL_FORMS": 0,
        },
    )
    created = models.Objective.objects.exclude(pk__in=before)
    for objective in created:
        assert objective.owner_id == admin_roles["mentee"].pk
        assert objective.mentorship_id != foreign["mentorship"].pk
        assert objective.program_id != foreign["program"].pk
