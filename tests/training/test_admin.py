"""Admin: learning path and event snippets, and the coordinators' training completion report."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import EnrolmentFactory, UserFactory
from tests.factories.training import TrainingEventFactory, TrainingRegistrationFactory, learning_path
from wagtail_mentoring.training.services import mark_complete

pytestmark = pytest.mark.django_db

REPORT = reverse("wagtail_mentoring_training_completion")


def admin_access(user):
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))


@pytest.fixture
def report_data(roles, program, other_program, resources):
    mentor_path = learning_path([resources["listening"], resources["book"]], title="Mentor onboarding")
    mentee_path = learning_path([resources["goals"]], title="Mentee essentials")
    program.mentor_learning_path = mentor_path
    program.mentee_learning_path = mentee_path
    program.save()
    EnrolmentFactory(program=program, user=roles["mentor"], role="mentor")
    EnrolmentFactory(program=program, user=roles["mentee"], role="mentee")
    EnrolmentFactory(program=other_program, user=roles["other_mentee"], role="mentee")
    mark_complete(roles["mentor"], resources["listening"])
    mark_complete(roles["mentee"], resources["goals"])
    for name in ("coordinator", "other_coordinator", "employee", "editor", "mentor"):
        admin_access(roles[name])
    return {"mentor_path": mentor_path, "mentee_path": mentee_path}


def rows(response):
    return {(e.user.username, e.role, e.steps_done, e.steps_total) for e in response.context["object_list"]}


def test_coordinator_sees_own_programs_enrolments_with_progress(client, roles, report_data):
    client.force_login(roles["coordinator"])
    response = client.get(REPORT)
    assert response.status_code == 200
    assert rows(response) == {("mentor", "mentor", 1, 2), ("mentee", "mentee", 1, 1)}
    html = response.content.decode()
    assert "Mentor onboarding" in html and "1 of 2" in html
    client.force_login(roles["other_coordinator"])
    assert rows(client.get(REPORT)) == {("other_mentee", "mentee", 0, 0)}


def test_filter_incomplete(client, roles, report_data):
    client.force_login(roles["coordinator"])
    assert rows(client.get(REPORT, {"incomplete": "true"})) == {("mentor", "mentor", 1, 2)}
    assert rows(client.get(REPORT, {"incomplete": "false"})) == {("mentee", "mentee", 1, 1)}


@pytest.mark.parametrize("name", ["employee", "editor", "mentor"])
def test_non_coordinators_get_404(client, roles, report_data, name):
    client.force_login(roles[name])
    assert client.get(REPORT).status_code == 404
    assert client.get(REPORT, {"export": "csv"}).status_code == 404


def test_anonymous_redirected_to_login(client, report_data):
    response = client.get(REPORT)
    assert response.status_code == 302 and "login" in response["Location"]


def test_csv_and_xlsx_export(client, roles, report_data):
    client.force_login(roles["coordinator"])
    response = client.get(REPORT, {"export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    lines = body.strip().splitlines()
    assert lines[0].startswith("Username,Name,Program,Role")
    assert any(line.startswith("mentor,") and line.endswith("Mentor onboarding,1,2") for line in lines)
    assert not any("other_mentee" in line for line in lines)
    response = client.get(REPORT, {"export": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]


def test_report_queries_do_not_grow(client, roles, report_data, program, resources):
    client.force_login(roles["coordinator"])
    client.get(REPORT)
    counts = []
    for n in (5, 50):
        while program.enrolments.count() < n:
            user = UserFactory()
            EnrolmentFactory(program=program, user=user, role="mentor")
            mark_complete(user, resources["book"])
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(REPORT)
        assert len(response.context["object_list"]) == n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_menu_item_only_for_coordinators(client, roles, report_data):
    """The report is reached from the coordinator area, whose menu item only coordinators see."""
    area = reverse("wagtail_mentoring_coordinator:index")
    client.force_login(roles["coordinator"])
    assert area in client.get(reverse("wagtailadmin_home")).content.decode()
    assert REPORT in client.get(area).content.decode()
    client.force_login(roles["employee"])
    assert area not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_snippet_listings(client, roles, report_data):
    TrainingRegistrationFactory.create_batch(2, event=TrainingEventFactory(title="Listening lab"))
    client.force_login(roles["superuser"])
    response = client.get(reverse("wagtailsnippets_wagtail_mentoring_learningpath:list"))
    assert response.status_code == 200 and "Mentor onboarding" in response.content.decode()
    response = client.get(reverse("wagtailsnippets_wagtail_mentoring_trainingevent:list"))
    assert response.status_code == 200 and "Listening lab" in response.content.decode()
    assert response.context["object_list"][0].taken == 2
    client.force_login(roles["employee"])
    assert client.get(reverse("wagtailsnippets_wagtail_mentoring_trainingevent:list")).status_code in (302, 403)
