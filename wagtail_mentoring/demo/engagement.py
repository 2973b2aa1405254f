"""Demo engagement history: sessions, feedback of every kind, kudos, reminders sent and outcomes; and the
schedule: planned sessions, a mentee's proposal waiting for the mentor, mentor1's availability.

Builds on the mentorships created by earlier demo steps; creates nothing when there are none.
Idempotent: a pairing that already has sessions is left as it is, and the schedule is added once.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from wagtail_mentoring.conf import mentoring_settings
from wagtail_mentoring.demo.base import DemoContext
from wagtail_mentoring.demo.programs import CERTIFIED_PAIR, quiet_since
from wagtail_mentoring.models import (
    AvailabilitySlot,
    Enrolment,
    Feedback,
    Kudos,
    MentoringSession,
    Mentorship,
    Outcome,
    ReminderLog,
    WebhookEndpoint,
)

AGENDAS = [
    "Review of last month's goals",
    "Preparing the quarterly presentation",
    "Career conversation: next role",
    "Feedback on the project retrospective",
    "Networking plan for the conference",
    "Stakeholder mapping exercise",
]
COMMENTS = [
    "Very practical advice, thank you.",
    "We need more time for the hard topics.",
    "Great listener, I leave every session with a plan.",
    "",
    "Scheduling is difficult but the sessions are worth it.",
]
KUDOS = [
    "Thank you for the honest feedback on my presentation!",
    "Impressive progress this month, well done.",
    "Your questions made me rethink my plan. Thanks!",
]
FORMATS = ["video", "in_person", "phone", "chat"]


def _schedule_next(m: Mentorship, held: list, today: dt.date, rng: random.Random) -> MentoringSession:
    """Plan the pair's next session, a cadence after the last one held (at the earliest tomorrow, at the
    latest next week).

    It is planned, with an agenda and a place or link, but no notes yet: it has not taken place.
    """
    last = timezone.localdate(held[-1].date) if held else today
    day = max(last + dt.timedelta(days=m.cadence_days), today + dt.timedelta(days=1))
    day = min(day, today + dt.timedelta(days=7))
    fmt = rng.choice(FORMATS)
    return MentoringSession.objects.create(
        mentorship=m,
        status=MentoringSession.Status.PLANNED,
        date=timezone.make_aware(dt.datetime.combine(day, dt.time(15, 30))),
        duration_minutes=60,
        format=fmt,
        location="Room 4.12, second floor" if fmt == "in_person" else f"https://meet.example.com/mentoring-{m.pk}",
        agenda=rng.choice(AGENDAS),
        created_by=m.mentee,
    )


def _availability(ctx: DemoContext, today: dt.date) -> None:
    """mentor1 offers a few times over the next two weeks, and one mentee of theirs proposes one (once)."""
    mentor = ctx.users.get("mentor1")
    if mentor is None or AvailabilitySlot.objects.filter(mentor=mentor).exists():
        return
    slots = []
    for offset, hour, note in ((2, 9, ""), (3, 14, "Video only"), (6, 11, ""), (8, 16, "Milan office"), (10, 10, "")):
        start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=offset), dt.time(hour, 0)))
        slots.append(
            AvailabilitySlot.objects.create(mentor=mentor, start=start, end=start + dt.timedelta(minutes=45), note=note)
        )
    pairs = list(Mentorship.objects.filter(mentor=mentor, status="active").select_related("mentee").order_by("pk"))
    # A proposal waiting for mentor1: from the mentee without a planned session, else the last one.
    waiting = next((m for m in pairs if not m.sessions.filter(status="planned").exists()), pairs[-1] if pairs else None)
    if waiting is not None:
        MentoringSession.objects.create(
            mentorship=waiting,
            status=MentoringSession.Status.PROPOSED,
            slot=slots[1],
            date=slots[1].start,
            duration_minutes=45,
            format="video",
            location=f"https://meet.example.com/mentoring-{waiting.pk}",
            agenda=AGENDAS[2],
            created_by=waiting.mentee,
        )


def _webhook(program) -> None:
    """A Slack webhook on the first program, inactive and pointed at an example address that is never called."""
    WebhookEndpoint.objects.get_or_create(
        program=program,
        name=_("Program chat (example)"),
        defaults={
            "url": "https://chat.example.com/hooks/mentoring-demo",
            "secret": get_random_string(32),
            "payload_format": WebhookEndpoint.Format.SLACK,
            "receives_todos": True,
            "active": False,
        },
    )


def run(ctx: DemoContext) -> None:
    """Add engagement history to every started mentorship (once)."""
    pairs = list(
        Mentorship.objects.filter(status__in=["active", "paused", "completed", "ended"])
        .select_related("program", "mentor", "mentee")
        .order_by("pk")
    )
    if not pairs:
        ctx.say(_("Engagement: no mentorships yet (run the programs demo step first); nothing created."))
        return
    today = timezone.localdate()
    held_by = timezone.now() - dt.timedelta(minutes=5)
    created = 0
    for m in pairs:
        if m.sessions.exists():
            continue
        rng = random.Random(m.pk)
        started = m.started_on or (today - dt.timedelta(days=150))
        end = m.ended_on if m.status in ("completed", "ended") and m.ended_on else today
        end = quiet_since(m) or end  # the stalled pair stopped meeting
        cadence = m.cadence_days
        n_sessions = rng.randint(2, 9) if m.status != "paused" else 2
        if m.status == "active":
            n_sessions = (end - started).days  # an active pair meets until it goes quiet (or today)
        if (m.mentor.get_username(), m.mentee.get_username()) == CERTIFIED_PAIR:
            # The certificate asks for this many sessions (``recognition.certificates``).
            n_sessions = max(n_sessions, mentoring_settings.CERTIFICATE_MIN_SESSIONS + 2)
        sessions = []
        day = started + dt.timedelta(days=rng.randint(2, 7))
        for i in range(n_sessions):
            if day > end:
                break
            sessions.append(
                MentoringSession.objects.create(
                    mentorship=m,
                    # Held, so never later than now (a session "today" at 15:00 is in the future at 09:00).
                    date=min(timezone.make_aware(dt.datetime.combine(day, dt.time(10 + i % 6, 0))), held_by),
                    duration_minutes=rng.choice([30, 45, 60, 90]),
                    format=rng.choice(FORMATS),
                    agenda=rng.choice(AGENDAS),
                    notes=_("Private notes of the pair (only the mentor and the mentee can read them)."),
                    next_steps=_("Draft the next steps before the following session."),
                    created_by=m.mentee if i % 2 else m.mentor,
                )
            )
            day += dt.timedelta(days=cadence + rng.randint(-3, 10))
        if m.status == "active" and not quiet_since(m):
            _schedule_next(m, sessions, today, rng)
        created += len(sessions)
        krs = list(m.objectives.values_list("key_results__pk", flat=True))
        for session in sessions:
            linked = [pk for pk in krs if pk and rng.random() < 0.5]
            if linked:
                session.key_results_discussed.set(linked)
            for author in (m.mentee, m.mentor):
                if rng.random() < 0.7:
                    Feedback.objects.create(
                        mentorship=m,
                        program=m.program,
                        session=session,
                        author=author,
                        kind=Feedback.Kind.SESSION,
                        rating=rng.choice([3, 4, 4, 5, 5]),
                    )
        for author in (m.mentee, m.mentor):
            if (today - started).days >= 30:
                Feedback.objects.create(
                    mentorship=m,
                    program=m.program,
                    author=author,
                    kind=Feedback.Kind.PAIRING_CHECK,
                    rating=rng.choice([2, 3, 4, 4, 5]),
                    nps=rng.choice([5, 7, 8, 9, 10, 10]),
                    comment=rng.choice(COMMENTS),
                )
            if m.status in ("completed", "ended"):
                Feedback.objects.create(
                    mentorship=m,
                    program=m.program,
                    author=author,
                    kind=Feedback.Kind.CLOSING,
                    rating=rng.choice([3, 4, 5, 5]),
                    nps=rng.choice([6, 8, 9, 10]),
                    comment=rng.choice(COMMENTS),
                )
        if m.status in ("active", "completed"):
            Kudos.objects.get_or_create(
                mentorship=m, sender=m.mentee, recipient=m.mentor, defaults={"message": rng.choice(KUDOS)}
            )
        if m.status in ("completed", "ended"):
            Outcome.objects.get_or_create(
                mentorship=m,
                kind=rng.choice(["promoted", "role_change", "retained", "retained", "left"]),
                defaults={"date": m.ended_on or today, "note": _("Recorded by the demo.")},
            )
        elif rng.random() < 0.3:
            Outcome.objects.get_or_create(mentorship=m, kind="retained", defaults={"date": today})
        for user in (m.mentee, m.mentor):
            ReminderLog.objects.get_or_create(
                rule="no_session",
                user=user,
                subject_key=f"mentorship:{m.pk}",
                period=f"{started.isoformat()}#1",
                defaults={
                    "program": m.program,
                    "context": {"program": m.program.title, "days": cadence, "partner": ""},
                    "sent_at": timezone.now(),
                },
            )
    # One program survey answer per accepted participant of programs that have pairs.
    for enrolment in Enrolment.objects.filter(
        program__in={m.program_id for m in pairs}, status=Enrolment.Status.ACCEPTED
    ).select_related("program"):
        if not Feedback.objects.filter(
            kind=Feedback.Kind.PROGRAM, program=enrolment.program, author=enrolment.user_id, mentorship__isnull=True
        ).exists():
            rng = random.Random(enrolment.pk)
            if rng.random() < 0.6:
                Feedback.objects.create(
                    program=enrolment.program,
                    author=enrolment.user,
                    kind=Feedback.Kind.PROGRAM,
                    rating=rng.choice([3, 4, 4, 5]),
                    nps=rng.choice([6, 7, 8, 9, 10]),
                    comment=rng.choice(COMMENTS),
                )
    _availability(ctx, today)
    _webhook(pairs[0].program)
    ctx.say(
        ctx.style.SUCCESS(_("Engagement: %(n)d sessions added, with feedback, kudos and outcomes.") % {"n": created})
    )
