"""The pair's journey on the dashboard: shown with each step's state, marked done and undone through the
``journey/<mentorship>/<step>/`` route (404 outside the pair), overdue steps among the next actions, and the
journey column of program health and its export."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import UserFactory, active_mentorship
from tests.programs.test_journeys import AGREEMENT, CHECK, OBJECTIVES, set_journey, step
from wagtail_mentoring.models import JourneyStepCompletion, Mentorship
from wagtail_mentoring.programs.services import pause

pytestmark = pytest.mark.django_db

ADMIN = "/admin/mentoring/program-health/"


@pytest.fixture
def journey(roles, program):
    """The program's journey; the pairing started 20 days ago, so the agreement (day 0) and the first
    objectives (day 14) are overdue and the 30-day check is due in ten days."""
    Mentorship.objects.filter(pk=roles["mentorship"].pk).update(started_on=timezone.localdate() - dt.timedelta(days=20))
    return set_journey(
        program,
        step(AGREEMENT, "Agreement", 0, description="Agree how you work together."),
        step(OBJECTIVES, "First objectives", 14, completes_when="objectives"),
        step(CHECK, "30-day check", 30, completes_when="survey", survey_kind="pairing_check"),
    )


def url(mentorship_id, step_id=AGREEMENT):
    return f"/mentoring/journey/{mentorship_id}/{step_id}/"


def test_the_mentee_sees_the_journey_and_marks_a_step_done_then_undoes_it(client, dashboard, roles, journey):
    mentorship = roles["mentorship"]
    client.force_login(roles["mentee"])
    html = client.get("/mentoring/").content.decode()
    assert "Your journey" in html and "0 of 3 steps, 2 overdue" in html
    assert "Agree how you work together." in html and "Overdue" in html
    assert html.count("Mark done<span") == 1  # the manual step only
    assert f'action="{url(mentorship.pk)}"' in html
    # Overdue steps are in "What to do next", linked to the step.
    assert "Journey step overdue" in html and f'href="#wm-journey-step-{mentorship.pk}-{AGREEMENT}"' in html

    response = client.post(url(mentorship.pk), {"action": "done", "next": "/mentoring/"})
    assert response.status_code == 302 and response["Location"] == "/mentoring/"
    completion = JourneyStepCompletion.objects.get()
    assert (completion.mentorship_id, completion.step_id, completion.completed_by) == (
        mentorship.pk,
        AGREEMENT,
        roles["mentee"],
    )
    html = client.get("/mentoring/").content.decode()
    assert "1 of 3 steps, 1 overdue" in html and "Undo<span" in html and "is done." in html

    response = client.post(url(mentorship.pk), {"action": "undo"})
    assert response.status_code == 302
    assert not JourneyStepCompletion.objects.exists()


def test_the_mentor_sees_the_journey_on_the_pairing_page_and_in_next_actions(client, dashboard, roles, journey):
    mentorship = roles["mentorship"]
    client.force_login(roles["mentor"])
    html = client.get("/mentoring/").content.decode()
    assert f'href="/mentoring/mentee/{mentorship.pk}/#wm-journey-step-{mentorship.pk}-{OBJECTIVES}"' in html
    html = client.get(f"/mentoring/mentee/{mentorship.pk}/").content.decode()
    assert "Your journey" in html and "30-day check" in html and "Mark done<span" in html
    assert client.post(url(mentorship.pk), {"action": "done"}).status_code == 302
    assert JourneyStepCompletion.objects.get().completed_by == roles["mentor"]


@pytest.mark.parametrize("who", ["other_mentee", "other_mentor", "coordinator", "superuser", "employee"])
def test_nobody_outside_the_pair_reaches_the_route(client, dashboard, roles, journey, who):
    client.force_login(roles[who])
    assert client.post(url(roles["mentorship"].pk), {"action": "done"}).status_code == 404
    assert not JourneyStepCompletion.objects.exists()


def test_an_unknown_step_or_pairing_is_a_404_and_get_is_refused(client, dashboard, roles, journey):
    client.force_login(roles["mentee"])
    assert client.post(url(roles["mentorship"].pk, "nope"), {"action": "done"}).status_code == 404
    assert client.post(url(roles["other_mentorship"].pk), {"action": "done"}).status_code == 404
    assert client.post(url(99999999), {"action": "done"}).status_code == 404
    assert client.get(url(roles["mentorship"].pk)).status_code == 405
    assert not JourneyStepCompletion.objects.exists()


def test_anonymous_is_sent_to_log_in(client, dashboard, roles, journey):
    response = client.post(url(roles["mentorship"].pk), {"action": "done"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not JourneyStepCompletion.objects.exists()


@pytest.mark.parametrize("data", [{}, {"action": "finish"}, {"action": ""}])
def test_bad_input_is_a_400_and_writes_nothing(client, dashboard, roles, journey, data):
    client.force_login(roles["mentee"])
    response = client.post(url(roles["mentorship"].pk), data)
    assert response.status_code == 400
    assert not JourneyStepCompletion.objects.exists()


def test_a_paused_pairing_shows_its_journey_without_buttons_and_refuses_changes(client, dashboard, roles, journey):
    pause(roles["mentorship"])
    client.force_login(roles["mentee"])
    html = client.get("/mentoring/").content.decode()
    assert "Your journey" in html and "Mark done<span" not in html and "Journey step overdue" not in html
    response = client.post(url(roles["mentorship"].pk), {"action": "done"}, follow=True)
    assert "active pairing" in response.content.decode()
    assert not JourneyStepCompletion.objects.exists()


def test_program_health_has_a_journey_column_and_export(client, admin_access, dashboard, journey):
    roles = admin_access
    JourneyStepCompletion.objects.create(mentorship=roles["mentorship"], step_id=AGREEMENT)
    client.force_login(roles["coordinator"])
    html = client.get(f"{ADMIN}{journey.pk}/").content.decode()
    assert ">Journey<" in html and "1 of 3 steps, 1 overdue" in html
    body = b"".join(client.get(f"{ADMIN}{journey.pk}/?export=csv").streaming_content).decode()
    assert body.splitlines()[0].endswith(",Journey")
    assert '"1 of 3 steps, 1 overdue"' in body
    html = client.get(f"{ADMIN}pair/{roles['mentorship'].pk}/").content.decode()
    assert "First objectives" in html and "Overdue" in html
    client.force_login(roles["other_coordinator"])
    assert client.get(f"{ADMIN}{journey.pk}/").status_code == 404


def count_queries(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_mentor_dashboard_and_program_health_are_constant_with_5_and_50_pairs(
    client, admin_access, dashboard, journey
):
    mentor = UserFactory(username="busy_mentor")
    admin_access["coordinator"].is_staff = True

    def add(n):
        for _ in range(n):
            mentorship = active_mentorship(program=journey, mentor=mentor, mentee=UserFactory())
            JourneyStepCompletion.objects.create(mentorship=mentorship, step_id=AGREEMENT)

    add(5)
    client.force_login(mentor)
    small = count_queries(client, "/mentoring/")
    client.force_login(admin_access["coordinator"])
    small_health = count_queries(client, f"{ADMIN}{journey.pk}/")
    add(45)
    client.force_login(mentor)
    assert count_queries(client, "/mentoring/") == small
    client.force_login(admin_access["coordinator"])
    assert count_queries(client, f"{ADMIN}{journey.pk}/") == small_health


def test_the_pairing_page_shows_no_object_dump_beside_a_trend(client, dashboard, roles, journey):
    """The pairing page's ``summary`` (the pair's summary) is not the trend's "Show trend" label."""
    from tests.dashboards.conftest import make_objective

    make_objective(roles["mentee"], roles["mentorship"], n_key_results=1, n_check_ins=2)
    client.force_login(roles["mentor"])
    html = client.get(f"/mentoring/mentee/{roles['mentorship'].pk}/").content.decode()
    assert "PairSummary(" not in html and "Show trend" in html
