"""The dashboard's scheduling routes: access (login, 404 outside the pair), bad input, the flow, query counts."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail_mentoring.models import AvailabilitySlot, MentoringSession
from wagtail_mentoring.programs import services

pytestmark = pytest.mark.django_db

BASE = "/mentoring/"


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def planned(roles):
    return MentoringSession.objects.create(
        mentorship=roles["mentorship"],
        status="planned",
        date=timezone.now() + dt.timedelta(days=2),
        created_by=roles["mentor"],
        location="https://meet.example.com/abc",
        agenda="PAIR-AGENDA",
    )


@pytest.fixture
def slot(roles):
    start = timezone.now() + dt.timedelta(days=4)
    return AvailabilitySlot.objects.create(mentor=roles["mentor"], start=start, end=start + dt.timedelta(hours=1))


def _routes(planned, slot):
    return {
        "get": [
            f"{BASE}schedule/",
            f"{BASE}availability/",
            f"{BASE}schedule/session/{planned.pk}/held/",
            f"{BASE}schedule/session/{planned.pk}/calendar/",
        ],
        "post": [
            f"{BASE}schedule/plan/",
            f"{BASE}schedule/slot/{slot.pk}/propose/",
            f"{BASE}schedule/session/{planned.pk}/confirm/",
            f"{BASE}schedule/session/{planned.pk}/cancel/",
            f"{BASE}schedule/session/{planned.pk}/held/",
            f"{BASE}availability/",
            f"{BASE}availability/{slot.pk}/remove/",
        ],
    }


def test_anonymous_is_sent_to_log_in_on_every_route(client, dashboard, planned, slot):
    routes = _routes(planned, slot)
    for method in ("get", "post"):
        for url in routes[method]:
            response = getattr(client, method)(url)
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


@pytest.mark.parametrize("who", ["other_mentee", "other_mentor", "coordinator", "other_coordinator", "employee"])
def test_outsiders_get_404_and_nothing_changes(client, dashboard, roles, planned, slot, who):
    client.force_login(roles[who])
    for url in (
        f"{BASE}schedule/session/{planned.pk}/held/",
        f"{BASE}schedule/session/{planned.pk}/calendar/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"{BASE}schedule/session/{planned.pk}/confirm/",
        f"{BASE}schedule/session/{planned.pk}/cancel/",
        f"{BASE}schedule/session/{planned.pk}/held/",
        f"{BASE}schedule/slot/{slot.pk}/propose/",
        f"{BASE}availability/{slot.pk}/remove/",
    ):
        assert client.post(url, {"notes": "pwned", "format": "video"}).status_code == 404, url
    if who != "other_mentor":  # a mentor of another active pairing has their own availability page
        assert client.get(f"{BASE}availability/").status_code == 404
    planned.refresh_from_db()
    assert (planned.status, planned.notes) == ("planned", "")
    assert AvailabilitySlot.objects.filter(pk=slot.pk).exists()
    assert not MentoringSession.objects.filter(slot=slot).exists()
    page = client.get(f"{BASE}schedule/")
    assert b"PAIR-AGENDA" not in page.content and b"meet.example.com/abc" not in page.content


def test_the_mentee_does_not_manage_availability(client, dashboard, roles, slot):
    client.force_login(roles["mentee"])
    assert client.get(f"{BASE}availability/").status_code == 404
    assert client.post(f"{BASE}availability/{slot.pk}/remove/").status_code == 404


def test_plan_from_the_schedule(client, dashboard, roles, django_capture_on_commit_callbacks):
    client.force_login(roles["mentee"])
    page = client.get(f"{BASE}schedule/")
    assert page.status_code == 200 and b"Plan a session" in page.content
    when = timezone.now() + dt.timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{BASE}schedule/plan/",
            {
                "mentorship": roles["mentorship"].pk,
                "date": _local(when),
                "duration_minutes": 45,
                "format": "in_person",
                "location": "Room 4.12",
            },
        )
    assert response.status_code == 302
    session = MentoringSession.objects.get()
    assert (session.status, session.location, session.duration_minutes) == ("planned", "Room 4.12", 45)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([roles["mentor"].email, roles["mentee"].email])
    index = client.get(BASE)
    assert b"Upcoming sessions" in index.content and b"Due by" in index.content
    assert b"not planned yet" not in index.content


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"date": "2020-01-01T10:00"}, "date"),
        ({"date": ""}, "date"),
        ({"date": "9999-01-01T10:00"}, "date"),
        ({"location": "javascript:alert(1)"}, "location"),
        ({"location": "x" * 501}, "location"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"format": "carrier pigeon"}, "format"),
        ({"mentorship": 999999}, "mentorship"),
    ],
)
def test_bad_plans_are_form_errors(client, dashboard, roles, data, field):
    client.force_login(roles["mentee"])
    payload = {
        "mentorship": roles["mentorship"].pk,
        "date": _local(timezone.now() + dt.timedelta(days=5)),
        "duration_minutes": 60,
        "format": "video",
        **data,
    }
    response = client.post(f"{BASE}schedule/plan/", payload)
    assert response.status_code == 400
    assert field in response.context["plan_form"].errors, response.context["plan_form"].errors
    assert not MentoringSession.objects.exists()


def test_another_pairing_is_not_offered(client, dashboard, roles):
    client.force_login(roles["mentee"])
    response = client.post(
        f"{BASE}schedule/plan/",
        {
            "mentorship": roles["other_mentorship"].pk,
            "date": _local(timezone.now() + dt.timedelta(days=5)),
            "duration_minutes": 60,
            "format": "video",
        },
    )
    assert response.status_code == 400 and not MentoringSession.objects.exists()


def test_propose_confirm_log(client, dashboard, roles, slot, django_capture_on_commit_callbacks):
    client.force_login(roles["mentee"])
    page = client.get(f"{BASE}schedule/")
    assert f"schedule/slot/{slot.pk}/propose/".encode() in page.content
    response = client.post(f"{BASE}schedule/slot/{slot.pk}/propose/", {"format": "video", "location": ""})
    assert response.status_code == 302
    session = MentoringSession.objects.get(slot=slot)
    assert session.status == "proposed" and not mail.outbox
    # The slot is no longer offered; proposing it again is refused with the reason.
    assert f"schedule/slot/{slot.pk}/propose/".encode() not in client.get(f"{BASE}schedule/").content
    again = client.post(f"{BASE}schedule/slot/{slot.pk}/propose/", {"format": "video"})
    assert again.status_code == 400 and b"just been taken" in again.content
    assert MentoringSession.objects.filter(slot=slot).count() == 1
    # The mentee cannot confirm their own proposal; the mentor can, from the availability page.
    client.post(f"{BASE}schedule/session/{session.pk}/confirm/")
    session.refresh_from_db()
    assert session.status == "proposed"
    client.force_login(roles["mentor"])
    availability = client.get(f"{BASE}availability/")
    assert availability.status_code == 200 and b"Proposed" in availability.content
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{BASE}schedule/session/{session.pk}/confirm/").status_code == 302
    session.refresh_from_db()
    assert session.status == "planned" and len(mail.outbox) == 2
    calendar = client.get(f"{BASE}schedule/session/{session.pk}/calendar/")
    assert calendar.status_code == 200 and calendar["Content-Type"].startswith("text/calendar")
    assert str(session.uid).encode() in calendar.content
    # Too early to log it as held: a form error, nothing written.
    early = client.post(f"{BASE}schedule/session/{session.pk}/held/", {"notes": "early"})
    assert early.status_code == 400
    session.refresh_from_db()
    assert (session.status, session.notes) == ("planned", "")
    MentoringSession.objects.filter(pk=session.pk).update(date=timezone.now() - dt.timedelta(minutes=30))
    assert client.get(f"{BASE}schedule/session/{session.pk}/held/").status_code == 200
    done = client.post(f"{BASE}schedule/session/{session.pk}/held/", {"notes": "Went well"})
    assert done.status_code == 302 and f"rate={session.pk}" in done["Location"]
    session.refresh_from_db()
    assert (session.status, session.notes) == ("held", "Went well")


def test_availability_form(client, dashboard, roles, slot):
    client.force_login(roles["mentor"])
    day = timezone.localdate() + dt.timedelta(days=10)
    ok = client.post(f"{BASE}availability/", {"day": day.isoformat(), "start_time": "09:00", "end_time": "10:00"})
    assert ok.status_code == 302
    assert AvailabilitySlot.objects.filter(mentor=roles["mentor"]).count() == 2
    local_start = timezone.localtime(slot.start)
    bad = [
        {"day": day.isoformat(), "start_time": "11:00", "end_time": "10:00"},  # ends before it starts
        {"day": day.isoformat(), "start_time": "09:30", "end_time": "10:30"},  # overlaps
        {"day": "2020-01-01", "start_time": "09:00", "end_time": "10:00"},  # past
        {"day": "9999-01-01", "start_time": "09:00", "end_time": "10:00"},
        {"day": local_start.date().isoformat(), "start_time": local_start.strftime("%H:%M"), "end_time": "23:59"},
        {"day": day.isoformat(), "start_time": "25:00", "end_time": "10:00"},
        {"day": day.isoformat(), "start_time": "12:00", "end_time": "13:00", "note": "x" * 501},
    ]
    for data in bad:
        response = client.post(f"{BASE}availability/", data)
        assert response.status_code == 400, data
        assert response.context["form"].errors, data
    assert AvailabilitySlot.objects.filter(mentor=roles["mentor"]).count() == 2
    assert client.post(f"{BASE}availability/{slot.pk}/remove/").status_code == 302
    assert not AvailabilitySlot.objects.filter(pk=slot.pk).exists()


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_schedule_pages_cost_the_same_for_5_and_50(client, dashboard, roles):
    pair, mentor = roles["mentorship"], roles["mentor"]
    start = timezone.now() + dt.timedelta(days=3)
    counts = {}
    made = 0
    for n in (5, 25):
        while made < n:
            at = start + dt.timedelta(hours=3 * made)
            MentoringSession.objects.create(mentorship=pair, status="planned", date=at, created_by=mentor)
            AvailabilitySlot.objects.create(
                mentor=mentor, start=at + dt.timedelta(hours=1), end=at + dt.timedelta(hours=2)
            )
            made += 1
        client.force_login(roles["mentee"])
        mentee = (_count(client, f"{BASE}schedule/"), _count(client, BASE))
        client.force_login(mentor)
        counts[n] = (*mentee, _count(client, f"{BASE}availability/"), _count(client, f"{BASE}schedule/"))
    assert counts[5] == counts[25]


def test_what_to_do_next_knows_the_schedule(client, dashboard, roles, slot):
    """A proposal waiting for the mentor is an action; a planned session silences "Session due" (the pair
    started in January: a session is due) exactly as it silences the reminder; a started one asks to be logged."""
    pair = roles["mentorship"]
    client.force_login(roles["mentee"])
    assert b"a session was due on" in client.get(BASE).content
    proposed = services.propose_slot(pair, roles["mentee"], slot)
    client.force_login(roles["mentor"])
    page = client.get(BASE).content.decode()
    assert "proposed a session on" in page and f"#session-{proposed.pk}" in page
    assert "a session was due on" in page  # a proposal is not a plan yet
    services.confirm_session(proposed, roles["mentor"])
    for who in ("mentor", "mentee"):
        client.force_login(roles[who])
        page = client.get(BASE).content.decode()
        assert "a session was due on" not in page and "proposed a session on" not in page, who
    MentoringSession.objects.filter(pk=proposed.pk).update(date=timezone.now() - dt.timedelta(minutes=5))
    page = client.get(BASE).content.decode()
    assert f"schedule/session/{proposed.pk}/held/" in page
