"""Session scheduling: the held rule, the next session, transitions, availability slots and proposals."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import active_mentorship
from wagtail_mentoring.models import AvailabilitySlot, MentoringSession
from wagtail_mentoring.programs import selectors, services

pytestmark = pytest.mark.django_db

HELD, PLANNED, PROPOSED, CANCELLED = "held", "planned", "proposed", "cancelled"


def _session(mentorship, when, status, **fields):
    return MentoringSession.objects.create(mentorship=mentorship, date=when, status=status, **fields)


@pytest.fixture
def pair(roles):
    return roles["mentorship"]


@pytest.fixture
def now():
    return timezone.now()


# --- the held rule --------------------------------------------------------------------------------
def test_activity_counts_held_sessions_only(pair, now):
    """Planned, proposed and cancelled sessions never make a pair look active (last session, count, stalled)."""
    held = _session(pair, now - dt.timedelta(days=40), HELD)
    _session(pair, now - dt.timedelta(days=2), CANCELLED)
    _session(pair, now - dt.timedelta(days=1), PLANNED)  # planned, never logged: did not happen
    _session(pair, now + dt.timedelta(days=3), PLANNED)
    _session(pair, now + dt.timedelta(days=4), PROPOSED)
    [m] = selectors.attach_activity([pair], now=now)
    assert m.last_session_at == held.date
    assert m.sessions_count == 1
    assert m.activity.days_without_session == 40


def test_held_queryset_is_the_rule(pair, now):
    _session(pair, now, HELD)
    _session(pair, now, CANCELLED)
    _session(pair, now, PLANNED)
    assert list(MentoringSession.objects.held().values_list("status", flat=True)) == [HELD]
    assert MentoringSession.objects.filter(MentoringSession.HELD).count() == 1


def test_certificate_and_ratings_count_held_sessions_only(pair, now, roles):
    from wagtail_mentoring.access.querysets import feedback_sessions
    from wagtail_mentoring.recognition.certificates import SessionsHeldRule
    from wagtail_mentoring.surveys.scheduling import due_surveys

    held = _session(pair, now - dt.timedelta(hours=2), HELD)
    cancelled = _session(pair, now - dt.timedelta(hours=1), CANCELLED)
    assert SessionsHeldRule(minimum=2).evaluate(pair, "mentee", roles["mentee"]).met is False
    rateable = set(feedback_sessions(roles["mentee"]).values_list("pk", flat=True))
    assert held.pk in rateable and cancelled.pk not in rateable
    asked = {s.session_id for s in due_surveys(user=roles["mentee"]) if s.kind == "session"}
    assert held.pk in asked and cancelled.pk not in asked


def test_log_session_is_held(pair, roles):
    session = services.log_session(pair, roles["mentor"], notes="n")
    assert session.status == HELD


# --- the next session -----------------------------------------------------------------------------
def test_next_session_is_the_earliest_planned_in_the_future(pair, now, roles):
    _session(pair, now - dt.timedelta(hours=1), PLANNED)
    _session(pair, now + dt.timedelta(days=1), PROPOSED)
    _session(pair, now + dt.timedelta(days=2), CANCELLED)
    later = _session(pair, now + dt.timedelta(days=9), PLANNED)
    soon = _session(pair, now + dt.timedelta(days=5), PLANNED)
    other = _session(roles["other_mentorship"], now + dt.timedelta(days=1), PLANNED)
    assert selectors.next_session([pair.pk], now) == soon
    assert list(selectors.upcoming_sessions([pair.pk], now)) == [soon, later]
    annotated = selectors.annotate_next_session(type(pair).objects.filter(pk__in=[pair.pk, other.mentorship_id]), now)
    assert {m.pk: m.next_session for m in annotated} == {pair.pk: soon.date, other.mentorship_id: other.date}


# --- planning and transitions ---------------------------------------------------------------------
def test_plan_session_needs_the_future_and_the_pair(pair, now, roles):
    with pytest.raises(ValidationError) as exc:
        services.plan_session(pair, roles["mentor"], date=now - dt.timedelta(minutes=1))
    assert "date" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.plan_session(pair, roles["other_mentor"], date=now + dt.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        services.plan_session(pair, roles["mentor"], date=now + dt.timedelta(days=1), location="javascript:alert(1)")
    assert "location" in exc.value.message_dict
    assert not MentoringSession.objects.exists()
    session = services.plan_session(
        pair, roles["mentor"], date=now + dt.timedelta(days=1), location="https://meet.example.com/abc"
    )
    assert session.status == PLANNED and session.sequence == 0 and session.location_url


def test_plan_session_refused_on_a_paused_pairing(pair, now, roles):
    pair.status = "paused"
    pair.save(update_fields=["status"])
    with pytest.raises(ValidationError):
        services.plan_session(pair, roles["mentor"], date=now + dt.timedelta(days=1))


def test_reschedule_bumps_the_sequence_keeps_the_uid(pair, now, roles):
    session = services.plan_session(pair, roles["mentee"], date=now + dt.timedelta(days=1))
    uid = session.uid
    moved = services.reschedule_session(session, roles["mentor"], date=now + dt.timedelta(days=2))
    assert (moved.uid, moved.sequence) == (uid, 1)
    same = services.reschedule_session(moved, roles["mentor"], date=moved.date)
    assert same.sequence == 1  # nothing moved
    services.reschedule_session(same, roles["mentor"], location="Room 4.12")
    session.refresh_from_db()
    assert (session.uid, session.sequence, session.location) == (uid, 2, "Room 4.12")


def test_transitions_follow_the_table(pair, now, roles):
    session = services.plan_session(pair, roles["mentee"], date=now + dt.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        services.mark_session_held(session, roles["mentor"], notes="too early")
    assert "status" in exc.value.message_dict
    session.refresh_from_db()
    assert (session.status, session.notes) == (PLANNED, "")
    cancelled = services.cancel_session(session, roles["mentor"])
    assert (cancelled.status, cancelled.sequence) == (CANCELLED, 1)
    for status in (PLANNED, HELD, PROPOSED):
        with pytest.raises(ValidationError) as exc:
            services.set_session_status(cancelled, status, roles["mentor"])
        assert "status" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.set_session_status(cancelled, "bogus", roles["mentor"])


def test_held_after_it_started_with_notes(pair, now, roles):
    session = _session(pair, now - dt.timedelta(minutes=5), PLANNED, created_by=roles["mentor"])
    held = services.mark_session_held(session, roles["mentee"], notes="We talked", next_steps="Read")
    assert (held.status, held.notes) == (HELD, "We talked")
    [m] = selectors.attach_activity([pair])
    assert m.sessions_count == 1


def test_outsider_cannot_change_a_session(pair, now, roles):
    session = _session(pair, now + dt.timedelta(days=1), PLANNED, created_by=roles["mentor"])
    for user in (roles["other_mentor"], roles["coordinator"]):
        with pytest.raises(ValidationError):
            services.cancel_session(session, user)
    session.refresh_from_db()
    assert session.status == PLANNED


# --- availability and proposals -------------------------------------------------------------------
def _slot(mentor, start, minutes=60):
    return services.add_availability(mentor, start, start + dt.timedelta(minutes=minutes))


def test_availability_rules(roles, now):
    mentor = roles["mentor"]
    start = now + dt.timedelta(days=3)
    slot = _slot(mentor, start)
    bad = [
        (now - dt.timedelta(hours=1), now + dt.timedelta(hours=1), "start"),  # past
        (start + dt.timedelta(minutes=30), start + dt.timedelta(minutes=90), "start"),  # overlaps
        (start - dt.timedelta(minutes=30), start + dt.timedelta(minutes=10), "start"),  # overlaps
        (start + dt.timedelta(days=1), start + dt.timedelta(days=1), "end"),  # empty
        (start + dt.timedelta(days=1), start + dt.timedelta(days=1, minutes=5), "end"),  # too short
        (start + dt.timedelta(days=1), start + dt.timedelta(days=3), "end"),  # too long
        (dt.datetime(9999, 1, 1, tzinfo=dt.UTC), dt.datetime(9999, 1, 1, 1, tzinfo=dt.UTC), "start"),
    ]
    for begin, until, field in bad:
        with pytest.raises(ValidationError) as exc:
            services.add_availability(mentor, begin, until)
        assert field in exc.value.message_dict, (begin, until)
    assert list(AvailabilitySlot.objects.values_list("pk", flat=True)) == [slot.pk]
    # Back to back is not an overlap, and another mentor's slot at the same time is theirs.
    _slot(mentor, start + dt.timedelta(minutes=60))
    _slot(roles["other_mentor"], start)


def test_propose_confirm_and_the_slot_is_taken(pair, now, roles):
    slot = _slot(roles["mentor"], now + dt.timedelta(days=2), minutes=45)
    assert list(selectors.free_slots(AvailabilitySlot.objects.all())) == [slot]
    session = services.propose_slot(pair, roles["mentee"], slot, format="video", location="https://meet.example.com/x")
    assert (session.status, session.date, session.duration_minutes) == (PROPOSED, slot.start, 45)
    assert not selectors.free_slots(AvailabilitySlot.objects.all()).exists()
    assert not mail.outbox  # a proposal sends no invitation
    with pytest.raises(ValidationError) as exc:
        services.propose_slot(pair, roles["mentee"], slot)
    assert exc.value.error_dict["slot"][0].code == "taken"
    with pytest.raises(ValidationError):
        services.confirm_session(session, roles["mentee"])  # the proposer does not confirm
    confirmed = services.confirm_session(session, roles["mentor"])
    assert confirmed.status == PLANNED
    assert selectors.next_session([pair.pk]) == confirmed
    services.cancel_session(confirmed, roles["mentee"])
    assert list(selectors.free_slots(AvailabilitySlot.objects.all())) == [slot]  # offered again


def test_decline_frees_the_slot(pair, now, roles):
    slot = _slot(roles["mentor"], now + dt.timedelta(days=2))
    session = services.propose_slot(pair, roles["mentee"], slot)
    declined = services.cancel_session(session, roles["mentor"])
    assert (declined.status, declined.sequence) == (CANCELLED, 0)
    assert selectors.free_slots(AvailabilitySlot.objects.all()).exists()


def test_propose_refuses_other_mentors_and_past_slots(pair, now, roles):
    theirs = _slot(roles["other_mentor"], now + dt.timedelta(days=2))
    with pytest.raises(ValidationError):
        services.propose_slot(pair, roles["mentee"], theirs)
    mine = _slot(roles["mentor"], now + dt.timedelta(days=2))
    with pytest.raises(ValidationError):
        services.propose_slot(pair, roles["mentor"], mine)  # only the mentee proposes
    AvailabilitySlot.objects.filter(pk=mine.pk).update(
        start=now - dt.timedelta(hours=2), end=now - dt.timedelta(hours=1)
    )
    with pytest.raises(ValidationError):
        services.propose_slot(pair, roles["mentee"], AvailabilitySlot.objects.get(pk=mine.pk))
    assert not MentoringSession.objects.exists()


def test_one_session_per_slot_in_the_database(pair, now, roles):
    """The partial unique constraint holds a slot for one session even past the service's check."""
    slot = _slot(roles["mentor"], now + dt.timedelta(days=2))
    _session(pair, slot.start, PROPOSED, slot=slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        _session(pair, slot.start, PLANNED, slot=slot)
    _session(pair, slot.start, CANCELLED, slot=slot)  # cancelled ones do not hold it


def test_a_booked_slot_is_not_withdrawn(pair, now, roles):
    slot = _slot(roles["mentor"], now + dt.timedelta(days=2))
    services.propose_slot(pair, roles["mentee"], slot)
    with pytest.raises(ValidationError):
        services.remove_availability(slot)
    assert AvailabilitySlot.objects.filter(pk=slot.pk).exists()


def test_mentee_sees_the_mentors_slots_only(pair, now, roles):
    from wagtail_mentoring.access.querysets import can_publish_availability, visible_availability

    mine = _slot(roles["mentor"], now + dt.timedelta(days=2))
    _slot(roles["other_mentor"], now + dt.timedelta(days=2))
    assert list(visible_availability(roles["mentee"])) == [mine]
    assert list(visible_availability(roles["mentor"])) == [mine]
    for outsider in ("other_mentee", "coordinator", "employee", "superuser", "inactive"):
        assert mine not in visible_availability(roles[outsider])
    assert can_publish_availability(roles["mentor"]) and not can_publish_availability(roles["mentee"])


def test_two_pairs_of_one_mentor_share_the_slots(roles, now):
    """A mentor with two mentees: a slot one of them takes is no longer offered to the other."""
    second = active_mentorship(program=roles["mentorship"].program, mentor=roles["mentor"])
    slot = _slot(roles["mentor"], now + dt.timedelta(days=2))
    services.propose_slot(second, second.mentee, slot)
    with pytest.raises(ValidationError):
        services.propose_slot(roles["mentorship"], roles["mentee"], slot)


def test_privacy_export_names_the_slot_and_the_status(pair, now, roles):
    """The privacy export serialises a proposed session in a slot (its id), with its status and place."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    from wagtail_mentoring.management.commands.mentoring_privacy import personal_data

    slot = _slot(roles["mentor"], now + dt.timedelta(days=2))
    session = services.propose_slot(pair, roles["mentee"], slot, location="Room 4.12")
    data = json.loads(json.dumps(personal_data(roles["mentee"]), cls=DjangoJSONEncoder))
    [row] = [s for s in data["sessions"] if s["id"] == session.pk]
    assert (row["slot"], row["status"], row["location"]) == (slot.pk, "proposed", "Room 4.12")
