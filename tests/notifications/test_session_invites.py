"""Session invitations (iCalendar REQUEST / CANCEL by e-mail) and the reminders that use planned sessions."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from wagtail_mentoring.models import MentoringSession, NotificationPreference
from wagtail_mentoring.notifications import invitations
from wagtail_mentoring.notifications.rules import NoSessionRule, SessionTomorrowRule
from wagtail_mentoring.programs import services

pytestmark = pytest.mark.django_db


def _invites(outbox):
    """(recipient, parsed calendar) of each message's .ics attachment."""
    result = []
    for message in outbox:
        for name, content, mimetype in message.attachments:
            assert name.endswith(".ics") and mimetype.startswith("text/calendar")
            result.append((message.to[0], Calendar.from_ical(content)))
    return result


def _event(calendar):
    [event] = calendar.walk("VEVENT")
    return event


@pytest.fixture
def plan(roles, django_capture_on_commit_callbacks):
    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def test_request_update_cancel_keep_one_uid(roles, plan):
    pair = roles["mentorship"]
    start = timezone.now() + dt.timedelta(days=2)
    session = plan(
        services.plan_session,
        pair,
        roles["mentor"],
        date=start,
        location="https://meet.example.com/r",
        agenda="SECRET agenda",
    )
    first = _invites(mail.outbox)
    assert sorted(to for to, _cal in first) == sorted([roles["mentor"].email, roles["mentee"].email])
    uids = set()
    for _to, calendar in first:
        event = _event(calendar)
        assert str(calendar["METHOD"]) == "REQUEST"
        assert int(event["SEQUENCE"]) == 0 and str(event["STATUS"]) == "CONFIRMED"
        assert event.decoded("DTSTART") == start.replace(microsecond=0) or event.decoded("DTSTART") == start
        assert str(event["LOCATION"]) == "https://meet.example.com/r"
        assert str(event["ORGANIZER"]) == f"mailto:{roles['mentor'].email}"
        attendees = sorted(str(a) for a in event["ATTENDEE"])
        assert attendees == sorted(f"mailto:{u.email}" for u in (roles["mentor"], roles["mentee"]))
        uids.add(str(event["UID"]))
    assert uids == {invitations.session_uid(session)} and str(session.uid) in uids.pop()

    mail.outbox.clear()
    plan(services.reschedule_session, session, roles["mentee"], date=start + dt.timedelta(hours=3))
    update = _invites(mail.outbox)
    assert len(update) == 2
    for _to, calendar in update:
        event = _event(calendar)
        assert str(calendar["METHOD"]) == "REQUEST" and int(event["SEQUENCE"]) == 1
        assert str(event["UID"]) == invitations.session_uid(session)
    assert all("Updated" in m.subject for m in mail.outbox)

    mail.outbox.clear()
    plan(services.cancel_session, session, roles["mentee"])
    cancel = _invites(mail.outbox)
    assert len(cancel) == 2
    for _to, calendar in cancel:
        event = _event(calendar)
        assert str(calendar["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
        assert int(event["SEQUENCE"]) == 2 and str(event["UID"]) == invitations.session_uid(session)


def test_notes_and_agenda_never_go_in_an_invitation(roles, plan):
    pair = roles["mentorship"]
    session = plan(
        services.plan_session, pair, roles["mentee"], date=timezone.now() + dt.timedelta(days=1), agenda="SECRET-AGENDA"
    )
    MentoringSession.objects.filter(pk=session.pk).update(notes="SECRET-NOTES", next_steps="SECRET-STEPS")
    session.refresh_from_db()
    mail.outbox.clear()
    plan(services.reschedule_session, session, roles["mentor"], location="Room 4")
    assert mail.outbox
    for message in mail.outbox:
        everything = message.body + "".join(str(c) for _n, c, _m in message.attachments)
        everything += "".join(str(body) for body, _type in message.alternatives)
        assert "SECRET" not in everything


def test_a_proposal_sends_nothing_and_the_confirmation_invites(roles, plan):
    pair = roles["mentorship"]
    slot = services.add_availability(
        roles["mentor"], timezone.now() + dt.timedelta(days=3), timezone.now() + dt.timedelta(days=3, hours=1)
    )
    session = plan(services.propose_slot, pair, roles["mentee"], slot)
    assert mail.outbox == []
    plan(services.confirm_session, session, roles["mentor"])
    assert [str(cal["METHOD"]) for _to, cal in _invites(mail.outbox)] == ["REQUEST", "REQUEST"]
    # The mentee proposed: the mentee organises.
    assert str(_event(_invites(mail.outbox)[0][1])["ORGANIZER"]) == f"mailto:{roles['mentee'].email}"


def test_a_declined_proposal_sends_no_cancellation(roles, plan):
    slot = services.add_availability(
        roles["mentor"], timezone.now() + dt.timedelta(days=3), timezone.now() + dt.timedelta(days=3, hours=1)
    )
    session = plan(services.propose_slot, roles["mentorship"], roles["mentee"], slot)
    plan(services.cancel_session, session, roles["mentor"])
    assert mail.outbox == []


def test_opting_out_of_invitations(roles, plan):
    NotificationPreference.objects.create(user=roles["mentee"], kind="session_invitation", enabled=False)
    plan(services.plan_session, roles["mentorship"], roles["mentor"], date=timezone.now() + dt.timedelta(days=1))
    assert [m.to for m in mail.outbox] == [[roles["mentor"].email]]


def test_session_tomorrow_reminder(roles):
    pair = roles["mentorship"]
    now = timezone.make_aware(dt.datetime(2026, 6, 10, 9, 0))
    tomorrow = MentoringSession.objects.create(
        mentorship=pair, status="planned", date=now + dt.timedelta(days=1, hours=5), location="Room 4.12"
    )
    MentoringSession.objects.create(mentorship=pair, status="cancelled", date=now + dt.timedelta(days=1, hours=2))
    MentoringSession.objects.create(mentorship=pair, status="proposed", date=now + dt.timedelta(days=1, hours=3))
    MentoringSession.objects.create(mentorship=pair, status="planned", date=now + dt.timedelta(days=2, hours=3))
    due = list(SessionTomorrowRule().due(now))
    assert sorted(r.user_id for r in due) == sorted([roles["mentor"].pk, roles["mentee"].pk])
    assert {r.period for r in due} == {f"session:{tomorrow.pk}@{tomorrow.date.isoformat()}"}
    message = SessionTomorrowRule().message(due[0].context)
    assert "Room 4.12" in message.body


def test_no_session_nudge_skips_pairs_with_a_planned_session(roles):
    pair = roles["mentorship"]
    now = timezone.make_aware(dt.datetime(2026, 6, 10, 9, 0))
    assert {r.user_id for r in NoSessionRule().due(now)} >= {roles["mentor"].pk, roles["mentee"].pk}
    MentoringSession.objects.create(mentorship=pair, status="cancelled", date=now + dt.timedelta(days=3))
    MentoringSession.objects.create(mentorship=pair, status="proposed", date=now + dt.timedelta(days=3))
    assert {r.user_id for r in NoSessionRule().due(now)} >= {roles["mentor"].pk, roles["mentee"].pk}
    MentoringSession.objects.create(mentorship=pair, status="planned", date=now + dt.timedelta(days=3))
    assert not {r.user_id for r in NoSessionRule().due(now)} & {roles["mentor"].pk, roles["mentee"].pk}
