"""The groups admin: coordinators form their programs' groups (never reading their sessions' words) and fill them."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories.programs import mentee_enrolment, mentor_enrolment
from wagtail_mentoring.models import GroupMember, MentoringGroup
from wagtail_mentoring.programs import groups

pytestmark = pytest.mark.django_db

LIST = "wagtailsnippets_wagtail_mentoring_mentoringgroup:list"
ADD = "wagtailsnippets_wagtail_mentoring_mentoringgroup:add"
EDIT = "wagtailsnippets_wagtail_mentoring_mentoringgroup:edit"
DELETE = "wagtailsnippets_wagtail_mentoring_mentoringgroup:delete"
FILL = "wagtail_mentoring_fill_groups"


@pytest.fixture
def world(roles, program, other_program):
    perm = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name in ("coordinator", "other_coordinator", "employee", "mentor"):
        roles[name].user_permissions.add(perm)
    mentor = mentor_enrolment(program).user
    mentees = [mentee_enrolment(program).user for _ in range(3)]
    mine = groups.create_group(program, name="Mine", mentor=mentor, max_size=3)
    groups.add_member(mine, mentees[0])
    groups.log_group_session(
        mine,
        mentees[0],
        date=timezone.now() - dt.timedelta(days=1),
        duration_minutes=30,
        format="video",
        notes="SECRET",
    )
    theirs = groups.create_group(other_program, name="Theirs", kind="peer")
    return {"roles": roles, "mentor": mentor, "mentees": mentees, "mine": mine, "theirs": theirs, "program": program}


def form_data(program, **overrides):
    data = {
        "name": "New group",
        "program": str(program.pk),
        "kind": "group",
        "status": "forming",
        "mentor": "",
        "max_size": "4",
        "meeting_cadence_days": "14",
        "focus": "",
    }
    return {**data, **overrides}


def test_coordinator_lists_exactly_their_groups_without_session_words(client, world):
    client.force_login(world["roles"]["coordinator"])
    response = client.get(reverse(LIST))
    assert response.status_code == 200
    assert [g.pk for g in response.context["object_list"]] == [world["mine"].pk]
    html = response.content.decode()
    assert "SECRET" not in html and "Fill groups by matching" in html
    edit = client.get(reverse(EDIT, args=[world["mine"].pk])).content.decode()
    assert "SECRET" not in edit


def test_other_coordinators_get_404_and_others_no_groups(client, world):
    roles = world["roles"]
    client.force_login(roles["other_coordinator"])
    assert client.get(reverse(EDIT, args=[world["mine"].pk])).status_code == 404
    assert client.post(reverse(DELETE, args=[world["mine"].pk])).status_code == 404
    assert [g.pk for g in client.get(reverse(LIST)).context["object_list"]] == [world["theirs"].pk]
    for name in ("employee", "mentor"):
        client.force_login(roles[name])
        response = client.get(reverse(LIST))
        assert response.status_code in (302, 403) or not response.context["object_list"]
        assert client.get(reverse(EDIT, args=[world["mine"].pk])).status_code in (302, 403, 404)
        assert client.get(reverse(FILL)).status_code == 404
    client.force_login(roles["mentee"])
    assert client.get(reverse(LIST)).status_code == 302
    client.logout()
    response = client.get(reverse(FILL))
    assert response.status_code == 302 and "login" in response["Location"]
    assert MentoringGroup.objects.count() == 2


def test_create_with_members_and_bad_input_writes_nothing(client, world, other_program):
    client.force_login(world["roles"]["coordinator"])
    program, mentor, mentees = world["program"], world["mentor"], world["mentees"]
    outsider = mentee_enrolment(other_program).user
    for bad, field in (
        ({"mentor": ""}, "mentor"),  # a mentoring group needs a mentor
        ({"mentor": str(mentees[1].pk)}, "mentor"),  # a mentee is not a mentor
        ({"mentor": str(mentor.pk), "people": [str(outsider.pk)]}, "people"),  # not a participant here
        ({"mentor": str(mentor.pk), "people": [str(mentees[0].pk)]}, "people"),  # already in "Mine"
        (
            {"mentor": str(mentor.pk), "max_size": "2", "people": [str(u.pk) for u in mentees[1:]] + [str(mentor.pk)]},
            "people",
        ),
        ({"max_size": "99", "mentor": str(mentor.pk)}, "max_size"),
    ):
        response = client.post(reverse(ADD), form_data(program, **bad))
        assert response.status_code == 200, bad
        assert field in response.context["form"].errors, (bad, response.context["form"].errors)
    response = client.post(
        reverse(ADD), {**form_data(program, mentor=str(mentor.pk)), "program": str(other_program.pk)}
    )
    assert "program" in response.context["form"].errors
    assert MentoringGroup.objects.count() == 2
    response = client.post(
        reverse(ADD), form_data(program, mentor=str(mentor.pk), people=[str(u.pk) for u in mentees[1:]])
    )
    assert response.status_code == 302
    group = MentoringGroup.objects.get(name="New group")
    assert set(group.members.values_list("user_id", flat=True)) == {mentees[1].pk, mentees[2].pk}
    # Editing the members: one leaves.
    response = client.post(
        reverse(EDIT, args=[group.pk]), form_data(program, mentor=str(mentor.pk), people=[str(mentees[1].pk)])
    )
    assert response.status_code == 302
    assert list(group.members.values_list("user_id", flat=True)) == [mentees[1].pk]


def test_fill_groups_places_unmatched_mentees(client, world):
    client.force_login(world["roles"]["coordinator"])
    page = client.get(reverse(FILL))
    html = page.content.decode()
    assert page.status_code == 200 and "Fill groups" in html
    assert [(r["groups"], r["free"], r["unmatched"]) for r in page.context["rows"]] == [(1, 2, 2)]
    response = client.post(reverse(FILL), {"program": str(world["program"].pk)}, follow=True)
    assert "2 mentees placed" in response.content.decode()
    assert GroupMember.objects.filter(group=world["mine"]).count() == 3
    for bad in ("", "abc", str(world["theirs"].program_id), "99999999999999"):
        assert client.post(reverse(FILL), {"program": bad}).status_code == 404


def _list_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(LIST)).status_code == 200
    return len(ctx)


def test_listing_queries_do_not_grow_with_groups(client, world, program):
    coordinator = world["roles"]["coordinator"]
    small = _list_queries(client, coordinator)
    for i in range(15):
        group = groups.create_group(program, name=f"Circle {i}", kind="peer")
        groups.add_member(group, mentor_enrolment(program).user)
    assert _list_queries(client, coordinator) == small
