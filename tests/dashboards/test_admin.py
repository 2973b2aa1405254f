"""Coordinator views in the Wagtail admin, their menu item, export, and the home page panel."""

import pytest
from django.test import RequestFactory

from tests.factories import EnrolmentFactory, UserFactory
from wagtail_mentoring.dashboards.panels import MyMentoringPanel
from wagtail_mentoring.programs.services import log_session

pytestmark = pytest.mark.django_db

BASE = "/admin/mentoring/program-health/"


def test_program_list_shows_only_coordinated_programs(client, admin_access, okrs, dashboard):
    roles = admin_access
    client.force_login(roles["coordinator"])
    html = client.get(BASE, follow=True).content.decode()
    assert "Leadership mentoring" in html and "Engineering mentoring" not in html
    client.force_login(roles["employee"])
    html = client.get(BASE, follow=True).content.decode()
    assert "You do not coordinate" in html and "Leadership mentoring" not in html


def test_program_health_view(client, admin_access, okrs, program):
    roles = admin_access
    log_session(roles["mentorship"], roles["mentor"], notes="SECRET NOTE", duration_minutes=45)
    for status in ("applied", "accepted", "accepted", "waitlisted", "declined", "withdrawn"):
        EnrolmentFactory(program=program, user=UserFactory(), status=status)
    client.force_login(roles["coordinator"])
    response = client.get(f"{BASE}{program.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pairs by health" in html and "Heatmap of pairs" in html and "Enrolment funnel" in html
    assert "At risk" in html and "of 33% expected" in html or "expected" in html
    assert "mentor → mentee" in html and "other_mentee" not in html
    assert "SECRET NOTE" not in html
    assert "Download CSV" in html


def test_export_csv_and_xlsx(client, admin_access, okrs, program):
    client.force_login(admin_access["coordinator"])
    response = client.get(f"{BASE}{program.pk}/?export=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].startswith("Mentee,Mentor,Status,Health")
    assert "mentee,mentor,Active" in body and "other_mentee" not in body
    response = client.get(f"{BASE}{program.pk}/?export=xlsx")
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]


def test_pair_drill_down_without_notes(client, admin_access, okrs, program):
    roles = admin_access
    log_session(roles["mentorship"], roles["mentor"], notes="SECRET NOTE", agenda="SECRET AGENDA", duration_minutes=45)
    client.force_login(roles["coordinator"])
    response = client.get(f"{BASE}pair/{roles['mentorship'].pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Present to leadership" in html and "45 min" in html and "Video call" in html
    assert "SECRET" not in html
    assert client.get(f"{BASE}pair/{roles['other_mentorship'].pk}/").status_code == 404


def test_menu_item_only_for_coordinators(admin_access):
    from wagtail_mentoring.coordinator_area import CoordinatorAreaViewSet

    item = CoordinatorAreaViewSet().get_menu_item()
    request = RequestFactory().get("/admin/")
    request.user = admin_access["coordinator"]
    assert item.is_shown(request)
    request.user = admin_access["employee"]
    assert not item.is_shown(request)


def test_home_panel(client, admin_access, okrs, dashboard):
    request = RequestFactory().get("/admin/")
    request.user = admin_access["mentee"]
    panel = MyMentoringPanel(request)
    html = panel.render_html({})
    assert "My mentoring" in html and "Present to leadership" in html and "Learn Rust" not in html
    client.force_login(admin_access["mentee"])
    assert "Present to leadership" in client.get("/admin/").content.decode()
    client.force_login(admin_access["employee"])  # owns an objective: sees it, nobody else's
    html = client.get("/admin/").content.decode()
    assert "Employee private goal" in html and "Present to leadership" not in html
    from wagtail_mentoring.dashboards.wagtail_hooks import add_my_mentoring_panel

    request.user = UserFactory(username="nobody")
    panels = []
    add_my_mentoring_panel(request, panels)
    assert panels == []
