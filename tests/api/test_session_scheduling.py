"""The API's scheduling: planned sessions through ``sessions/``, transitions, ``ics/`` and ``availability-slots/``."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from tests.api.conftest import client_for
from tests.factories.api import SessionFactory
from wagtail_mentoring import models
from wagtail_mentoring.notifications.invitations import session_uid

pytestmark = pytest.mark.django_db

BASE = "/api/mentoring/v1"


def _later(days=3, hours=0):
    return (timezone.now() + dt.timedelta(days=days, hours=hours)).isoformat()


def test_plan_then_change_then_hold_through_the_api(world):
    client = client_for(world.roles, "mentee")
    pair = world.roles["mentorship"]
    created = client.post(
        f"{BASE}/sessions/",
        {"mentorship": pair.pk, "status": "planned", "date": _later(), "location": "https://meet.example.com/q"},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["sequence"], body["location"]) == ("planned", 0, "https://meet.example.com/q")
    url = f"{BASE}/sessions/{body['id']}/"
    moved = client.patch(url, {"date": _later(days=4)}, format="json")
    assert moved.status_code == 200 and moved.json()["sequence"] == 1
    # Too early to be held: a 400 on status, nothing written.
    early = client.post(f"{url}held/", {"notes": "too soon"}, format="json")
    assert early.status_code == 400 and "status" in early.json()
    session = models.MentoringSession.objects.get(pk=body["id"])
    assert (session.status, session.notes) == ("planned", "")
    models.MentoringSession.objects.filter(pk=session.pk).update(date=timezone.now() - dt.timedelta(minutes=10))
    held = client.post(f"{url}held/", {"notes": "We met"}, format="json")
    assert held.status_code == 200 and held.json()["status"] == "held" and held.json()["notes"] == "We met"
    again = client.post(f"{url}cancel/", format="json")
    assert again.status_code == 409 and "status" in again.json()  # a held session cannot be cancelled


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"status": "planned", "date": "2020-01-01T10:00:00Z"}, "date"),
        ({"status": "planned"}, "date"),
        ({"status": "planned", "date": None}, "date"),
        ({"status": "planned", "date": "later"}, "date"),
        ({"status": "proposed", "date": "2030-01-01T10:00:00Z"}, "status"),
        ({"status": "cancelled", "date": "2030-01-01T10:00:00Z"}, "status"),
        ({"status": "bogus", "date": "2030-01-01T10:00:00Z"}, "status"),
        ({"status": "planned", "date": "2030-01-01T10:00:00Z", "location": "javascript:alert(1)"}, "location"),
        ({"status": "planned", "date": "2030-01-01T10:00:00Z", "location": "a\nb"}, "location"),
        ({"status": "planned", "date": "2030-01-01T10:00:00Z", "location": "x" * 501}, "location"),
        ({"status": "planned", "date": "2030-01-01T10:00:00Z", "notes": "before it happens"}, "notes"),
        ({"status": "planned", "date": "9999-01-01T10:00:00Z"}, "date"),
        ({"slot": 999999}, "slot"),
        ({"slot": True}, "slot"),
    ],
)
def test_bad_plans_are_400_with_field_errors(world, payload, field):
    client = client_for(world.roles, "mentee")
    before = models.MentoringSession.objects.count()
    response = client.post(f"{BASE}/sessions/", {"mentorship": world.roles["mentorship"].pk, **payload}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert models.MentoringSession.objects.count() == before


def test_bad_status_patch_is_400_and_writes_nothing(world):
    client = client_for(world.roles, "mentor")
    url = f"{BASE}/sessions/{world.s_pair.pk}/"
    # Not a status: 400. A status a held session cannot take: 409 (``invalid_transition``), as for every lifecycle.
    for status, code in (("nonsense", 400), ("planned", 409), ("proposed", 409), ("cancelled", 409)):
        response = client.patch(url, {"status": status}, format="json")
        assert response.status_code == code and "status" in response.json(), (status, response.content)
    world.s_pair.refresh_from_db()
    assert world.s_pair.status == "held"


def test_propose_confirm_and_the_taken_slot(world):
    mentee, mentor = client_for(world.roles, "mentee"), client_for(world.roles, "mentor")
    offered = mentee.get(f"{BASE}/availability-slots/").json()["results"]
    assert [s["id"] for s in offered] == [world.slot_pair.pk] and offered[0]["free"] is True
    proposed = mentee.post(
        f"{BASE}/sessions/", {"mentorship": world.roles["mentorship"].pk, "slot": world.slot_pair.pk}, format="json"
    )
    assert proposed.status_code == 201 and proposed.json()["status"] == "proposed"
    # The slot is no longer offered, and a second proposal for it is a 400 on slot.
    assert mentee.get(f"{BASE}/availability-slots/").json()["results"] == []
    second = mentee.post(
        f"{BASE}/sessions/", {"mentorship": world.roles["mentorship"].pk, "slot": world.slot_pair.pk}, format="json"
    )
    assert second.status_code == 400 and "slot" in second.json()
    # The mentor still sees it, booked.
    [own] = mentor.get(f"{BASE}/availability-slots/").json()["results"]
    assert own["free"] is False
    url = f"{BASE}/sessions/{proposed.json()['id']}/"
    assert mentee.post(f"{url}confirm/").status_code == 400  # the proposer does not confirm
    confirmed = mentor.post(f"{url}confirm/")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "planned"
    assert mentee.get(f"{BASE}/me/").json()["next_session"]["session"] == world.s_planned.pk  # same time, older
    assert mentor.post(f"{BASE}/sessions/{world.s_planned.pk}/cancel/").status_code == 200
    me = mentee.get(f"{BASE}/me/").json()["next_session"]
    assert (me["session"], me["mentorship"]) == (proposed.json()["id"], world.roles["mentorship"].pk)
    assert me["due_on"]


def test_ics_for_the_pair_only(world):
    url = f"{BASE}/sessions/{world.s_planned.pk}/ics/"
    for role in ("mentee", "mentor"):
        response = client_for(world.roles, role).get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
        calendar = Calendar.from_ical(response.content)
        [event] = calendar.walk("VEVENT")
        assert str(calendar["METHOD"]) == "REQUEST"
        assert str(event["UID"]) == session_uid(world.s_planned)
        assert b"secret" not in response.content
    for role in ("coordinator", "other_mentee", "other_coordinator", "editor", "employee", "superuser"):
        assert client_for(world.roles, role).get(url).status_code == 404, role
    assert client_for(world.roles, "anonymous").get(url).status_code == 401
    models.MentoringSession.objects.filter(pk=world.s_planned.pk).update(status="cancelled", sequence=1)
    calendar = Calendar.from_ical(client_for(world.roles, "mentor").get(url).content)
    assert str(calendar["METHOD"]) == "CANCEL" and int(calendar.walk("VEVENT")[0]["SEQUENCE"]) == 1


def test_coordinators_see_the_record_never_the_words(world):
    models.MentoringSession.objects.filter(pk=world.s_planned.pk).update(
        location="https://meet.example.com/private", agenda="AGENDA"
    )
    body = client_for(world.roles, "coordinator").get(f"{BASE}/sessions/{world.s_planned.pk}/").json()
    assert body["status"] == "planned" and "date" in body
    assert not {"location", "agenda", "notes", "next_steps", "slot"} & set(body)


def test_availability_bad_input(world):
    client = client_for(world.roles, "mentor")
    cases = [
        ({"start": _later(), "end": _later(hours=-1)}, "end"),
        ({"start": "2020-01-01T10:00:00Z", "end": "2020-01-01T11:00:00Z"}, "start"),
        ({"start": _later(days=7), "end": _later(days=7, hours=1)}, "start"),  # overlaps slot_pair
        ({"start": _later(), "end": _later(hours=1), "note": "x" * 501}, "note"),
        ({"start": "soon", "end": _later(hours=1)}, "start"),
        ({"end": _later(hours=1)}, "start"),
    ]
    before = models.AvailabilitySlot.objects.count()
    for payload, field in cases:
        response = client.post(f"{BASE}/availability-slots/", payload, format="json")
        assert response.status_code == 400 and field in response.json(), (payload, response.content)
    assert models.AvailabilitySlot.objects.count() == before


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"page_size": 100})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


@pytest.mark.parametrize("endpoint", ["sessions", "availability-slots"])
def test_scheduling_lists_cost_the_same_for_5_and_50(world, endpoint):
    pair, mentor = world.roles["mentorship"], world.roles["mentor"]
    client = client_for(world.roles, "mentee")
    counts = []
    made = 0
    start = timezone.now() + dt.timedelta(days=60)
    for n in (5, 50):
        for _i in range(n - made):
            begin = start + dt.timedelta(hours=2 * made)
            if endpoint == "sessions":
                SessionFactory(mentorship=pair, status="planned", date=begin, created_by=mentor)
            else:
                models.AvailabilitySlot.objects.create(mentor=mentor, start=begin, end=begin + dt.timedelta(hours=1))
            made += 1
        counts.append(_queries(client, f"{BASE}/{endpoint}/"))
    (q5, n5), (q50, n50) = counts
    assert n50 - n5 == 45
    assert q5 == q50
