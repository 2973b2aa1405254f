"""The dashboard's groups: "Your groups", the group's page with its sessions, and logging a group session."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import UserFactory
from tests.factories.programs import mentee_enrolment, mentor_enrolment
from wagtail_mentoring.models import GroupSession
from wagtail_mentoring.programs import groups

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(program, other_program, dashboard, roles):
    mentor = mentor_enrolment(program).user
    members = [mentee_enrolment(program).user for _ in range(2)]
    group = groups.create_group(program, name="Speak <up>", mentor=mentor, focus="Presenting with confidence.")
    groups.add_members(group, members)
    groups.log_group_session(
        group,
        members[0],
        date=timezone.now() - dt.timedelta(days=2),
        duration_minutes=45,
        format="video",
        notes="Secret group notes <b>",
    )
    other_mentor = mentor_enrolment(other_program).user
    other = groups.create_group(other_program, name="Other circle", kind="peer")
    groups.add_member(other, other_mentor)
    return {
        "group": group,
        "mentor": mentor,
        "members": members,
        "other": other,
        "url": f"{dashboard.url}group/{group.pk}/",
        "dashboard": dashboard.url,
        "roles": roles,
    }


def test_members_and_mentor_see_the_group_its_people_and_its_words(client, world):
    for person in (world["mentor"], *world["members"]):
        client.force_login(person)
        page = client.get(world["dashboard"]).content.decode()
        assert "Your groups" in page and "Speak &lt;up&gt;" in page and "<up>" not in page
        html = client.get(world["url"]).content.decode()
        assert "Secret group notes &lt;b&gt;" in html and "Presenting with confidence." in html
        assert "2 of 6 places taken." in html and "Log a group session" in html
        assert "Other circle" not in html


def test_outsiders_coordinators_and_superusers_get_404_anonymous_a_login_redirect(client, world):
    roles = world["roles"]
    for person in (roles["coordinator"], roles["superuser"], roles["mentee"], roles["employee"], UserFactory()):
        client.force_login(person)
        assert client.get(world["url"]).status_code == 404
        assert client.post(world["url"], {"duration_minutes": 30, "format": "video"}).status_code == 404
        assert "Your groups" not in client.get(world["dashboard"]).content.decode()
    client.force_login(world["members"][0])
    other = f"{world['dashboard']}group/{world['other'].pk}/"
    assert client.get(other).status_code == 404
    assert client.get(f"{world['dashboard']}group/999999/").status_code == 404
    client.logout()
    response = client.get(world["url"])
    assert response.status_code == 302 and "login" in response["Location"]
    assert GroupSession.objects.count() == 1


def test_a_member_logs_a_session_and_bad_input_is_a_400_writing_nothing(client, world):
    client.force_login(world["members"][1])
    for bad in (
        {"duration_minutes": 0, "format": "video"},
        {"duration_minutes": 30, "format": "telepathy"},
        {"duration_minutes": 30, "format": "video", "session_date": "3026-01-01T10:00"},
    ):
        response = client.post(world["url"], bad)
        assert response.status_code == 400
        assert "wm-error-summary" in response.content.decode() or "errorlist" in response.content.decode()
    assert GroupSession.objects.count() == 1
    response = client.post(
        world["url"], {"duration_minutes": 30, "format": "in_person", "agenda": "Feedback", "notes": "We agreed."}
    )
    assert response.status_code == 302
    session = GroupSession.objects.latest("created_at")
    assert session.created_by == world["members"][1] and session.notes == "We agreed."
    client.force_login(world["mentor"])
    assert "We agreed." in client.get(world["url"]).content.decode()


def test_a_closed_group_leaves_the_dashboard_and_takes_no_session(client, world):
    groups.set_group_status(world["group"], "closed")
    client.force_login(world["members"][0])
    assert "Your groups" not in client.get(world["dashboard"]).content.decode()
    html = client.get(world["url"]).content.decode()
    assert "Secret group notes" in html and "Log a group session" not in html
    response = client.post(world["url"], {"duration_minutes": 30, "format": "video"})
    assert response.status_code == 400
    assert GroupSession.objects.count() == 1


def test_a_group_due_to_meet_is_a_next_action(client, world):
    group = world["group"]
    GroupSession.objects.filter(group=group).update(date=timezone.now() - dt.timedelta(days=30))
    type(group).objects.filter(pk=group.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    client.force_login(world["members"][0])
    page = client.get(world["dashboard"]).content.decode()
    assert "is due to meet" in page and "Session due" in page


def _queries(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_queries_do_not_grow_with_members_and_sessions(client, world, program):
    group, mentor = world["group"], world["mentor"]
    small = (_queries(client, mentor, world["url"]), _queries(client, mentor, world["dashboard"]))
    group.max_size = 30
    group.save()
    groups.add_members(group, [mentee_enrolment(program).user for _ in range(20)])
    for day in range(30):
        groups.log_group_session(
            group, mentor, date=timezone.now() - dt.timedelta(days=day + 3), duration_minutes=30, format="chat"
        )
    large = (_queries(client, mentor, world["url"]), _queries(client, mentor, world["dashboard"]))
    assert large == small
