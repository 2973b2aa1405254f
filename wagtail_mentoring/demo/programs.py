"""Demo programs: an index page, two programs, profiles, enrolments and pairings in every state."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wagtail_mentoring.demo.base import DEPARTMENTS, DemoContext, child_page
from wagtail_mentoring.programs import services
from wagtail_mentoring.programs.activity import stall_thresholds
from wagtail_mentoring.programs.models import (
    Enrolment,
    MentoringProfile,
    MentoringProgramIndexPage,
    MentoringProgramPage,
    Mentorship,
)

#: How long ago the demo's pairs started and (for closed ones) ended, by status: (started, ended) days ago.
PAIR_HISTORY_DAYS: dict[str, tuple[int, int | None]] = {
    "active": (120, None),
    "paused": (100, None),
    "completed": (300, 30),
    "ended": (250, 60),
}
#: How many days before today each program started and ends: every pair starts within its program.
PROGRAM_DAYS = {"leadership": (150, 215), "engineering": (330, 35)}
#: The active pair that went quiet (mentor, mentee): no session and no check-in for longer than the
#: stalled rule allows (``programs.activity``), so coordinators see one stalled pair.
STALLED_PAIR = ("mentor2", "mentee3")
#: The completed pair whose objectives were achieved: both earn the completion certificate.
CERTIFIED_PAIR = ("mentor2", "mentee5")
SKILLS = ["public speaking", "negotiation", "python", "people management", "budgeting", "product strategy"]
INTERESTS = ["leadership", "data", "wellbeing", "customer experience", "career change", "open source"]


def quiet_since(mentorship) -> dt.date | None:
    """The day the demo's stalled pair (:data:`STALLED_PAIR`) went quiet; None for every other pair.

    A week further back than the stalled rule's thresholds for the pair's cadences, so the pair is
    stalled today by the rule itself (``programs.activity.stall_thresholds``), not by a copy of it.
    """
    if (mentorship.mentor.get_username(), mentorship.mentee.get_username()) != STALLED_PAIR:
        return None
    if mentorship.status != "active":
        return None
    days = max(stall_thresholds(mentorship.cadence_days, mentorship.program.check_in_cadence_days)) + 7
    return timezone.localdate() - dt.timedelta(days=days)


def _leadership_body(resource_pages, start: dt.date, end: dt.date) -> list:
    body = [
        (
            "goals",
            {
                "heading": "What this program is for",
                "goals": [
                    "Prepare new managers for their first year leading a team",
                    "Increase retention of high-potential staff",
                    "Build a network of peers across departments",
                ],
            },
        ),
        (
            "expectations",
            {
                "role": "mentor",
                "heading": "",
                "expectations": [
                    "Meet your mentee every two weeks, for about an hour",
                    "Share experience, ask questions, do not give orders",
                    "Keep what is said in your sessions confidential",
                ],
                "time_commitment": "2 hours a month",
            },
        ),
        (
            "expectations",
            {
                "role": "mentee",
                "heading": "",
                "expectations": [
                    "Write down your goals before you are matched",
                    "Set at most three objectives with your mentor and check in on them",
                    "Come to each session with an agenda",
                ],
                "time_commitment": "2-3 hours a month",
            },
        ),
        (
            "timeline",
            {
                "heading": "Timeline",
                "milestones": [
                    {
                        "date": start - dt.timedelta(days=45),
                        "title": "Enrolment opens",
                        "description": "Apply as mentor or mentee.",
                    },
                    {
                        "date": start - dt.timedelta(days=14),
                        "title": "Matching",
                        "description": "Coordinators propose pairs.",
                    },
                    {"date": start, "title": "Kick-off", "description": "Agree your expectations."},
                    {"date": end - dt.timedelta(days=15), "title": "Closing survey", "description": ""},
                ],
            },
        ),
        (
            "faq",
            {
                "heading": "Frequently asked questions",
                "items": [
                    {
                        "question": "Can I choose my mentor?",
                        "answer": "<p>You can say who you would like to work with in your goals; the coordinators take it into account.</p>",
                    },
                    {
                        "question": "What if the pairing does not work?",
                        "answer": "<p>Tell the coordinators: they can end the pairing and propose another mentor.</p>",
                    },
                ],
            },
        ),
        (
            "quote",
            {
                "quote": "My mentor helped me prepare my first budget review. I would not have dared to ask anyone else.",
                "author": "Giulia",
                "role": "Team lead, Finance",
            },
        ),
        (
            "enrol_cta",
            {"heading": "Ready to take part?", "text": "Enrolment closes soon.", "button_label": "Apply now"},
        ),
    ]
    if resource_pages:
        body.insert(5, ("resources", {"heading": "Read before you start", "pages": [p.pk for p in resource_pages]}))
    return body


def _profiles(ctx: DemoContext) -> None:
    for i, user in enumerate(ctx.mentors):
        profile, _created = MentoringProfile.objects.update_or_create(
            user=user,
            defaults={
                "job_title": "Head of " + DEPARTMENTS[i % len(DEPARTMENTS)],
                "department": DEPARTMENTS[i % len(DEPARTMENTS)],
                "location": "Milan" if i % 2 else "London",
                "time_zone": "Europe/Rome" if i % 2 else "Europe/London",
                "languages": "english, italian" if i % 2 else "english",
                "seniority": 7 + i % 3,
                "career_goals": "Grow the next generation of leaders.",
                "bio": "Has led teams for more than ten years.",
            },
        )
        profile.skills.set([SKILLS[i % len(SKILLS)], SKILLS[(i + 1) % len(SKILLS)], SKILLS[(i + 3) % len(SKILLS)]])
        profile.interests.set([INTERESTS[i % len(INTERESTS)], INTERESTS[(i + 2) % len(INTERESTS)]])
    for i, user in enumerate(ctx.mentees):
        profile, _created = MentoringProfile.objects.update_or_create(
            user=user,
            defaults={
                "job_title": "Analyst",
                "department": DEPARTMENTS[(i + 1) % len(DEPARTMENTS)],
                "location": "Milan" if i % 2 else "London",
                "time_zone": "Europe/Rome" if i % 2 else "Europe/London",
                "languages": "english, italian" if i % 3 == 0 else "english",
                "seniority": 2 + i % 3,
                "career_goals": "Become a team lead within two years.",
            },
        )
        profile.interests.set([INTERESTS[i % len(INTERESTS)]])


def _enrol(program, user, role: str, status: str, i: int, capacity: int = 1) -> Enrolment:
    skill = SKILLS[i % len(SKILLS)]
    enrolment, _created = Enrolment.objects.get_or_create(
        program=program,
        user=user,
        role=role,
        defaults={
            "status": status,
            "goals": "Lead my first team with confidence." if role == "mentee" else "Give back what I learnt.",
            "skills_sought": f"{skill}, people management" if role == "mentee" else "",
            "skills_offered": f"{skill}, people management, {SKILLS[(i + 2) % len(SKILLS)]}"
            if role == "mentor"
            else "",
            "interests": INTERESTS[i % len(INTERESTS)],
            "languages": "english",
            "availability": "Tuesday and Thursday afternoons",
            "capacity": capacity,
        },
    )
    return enrolment


def _pairing(program, mentor, mentee, status: str, reason: str = "", mentee_confirmed: bool = True) -> Mentorship:
    """Bring the pair to ``status`` through the lifecycle services (once: idempotent).

    Both confirm the agreement on the pair's first day (``services.confirm_agreement``), except a mentee
    with ``mentee_confirmed=False``: their dashboard then asks them to.
    """
    existing = Mentorship.objects.filter(program=program, mentor=mentor, mentee=mentee).first()
    if existing is not None:
        return existing
    mentorship = services.propose(program, mentor, mentee, score=0.72, reasons={"skills": 0.4, "interests": 0.2})
    if status == "proposed":
        return mentorship
    services.approve(
        mentorship,
        notify=False,
        expectations="Meet every two weeks; come with an agenda; be candid.",
        topics_in_bounds="Career planning, leadership, confidence",
        topics_out_of_bounds="Salary negotiations with the mentor's own team",
    )
    services.confirm_agreement(mentorship, mentor)
    if mentee_confirmed:
        services.confirm_agreement(mentorship, mentee)
    if status == "paused":
        services.pause(mentorship)
    elif status == "completed":
        services.complete(mentorship, "Objectives achieved.")
    elif status == "ended":
        services.end(mentorship, "The mentee moved to another company.")
    # The services date every step today; the demo's pairs have a past, so the engagement step has
    # months of sessions to log and the pages show history rather than a first day.
    started_days_ago, ended_days_ago = PAIR_HISTORY_DAYS[status]
    today = timezone.localdate()
    started = today - dt.timedelta(days=started_days_ago)
    confirmed = timezone.make_aware(dt.datetime.combine(started, dt.time(10)))
    Mentorship.objects.filter(pk=mentorship.pk, mentor_confirmed_at__isnull=False).update(mentor_confirmed_at=confirmed)
    Mentorship.objects.filter(pk=mentorship.pk, mentee_confirmed_at__isnull=False).update(mentee_confirmed_at=confirmed)
    Mentorship.objects.filter(pk=mentorship.pk).update(
        started_on=started,
        ended_on=None if ended_days_ago is None else today - dt.timedelta(days=ended_days_ago),
    )
    mentorship.refresh_from_db()
    return mentorship


def run(ctx: DemoContext) -> None:
    """Programs index under home, two programs, enrolments, and pairings in every lifecycle state."""
    users = ctx.users
    coordinators = ctx.extra["coordinators_group"]
    today = timezone.localdate()
    index = child_page(
        ctx.pages["home"],
        MentoringProgramIndexPage,
        "programs",
        title="Mentoring programs",
        intro="<p>Our mentoring programs pair experienced colleagues with people who want to grow.</p>",
    )
    ctx.pages["programs"] = index
    resources = [p for key, p in ctx.pages.items() if key.startswith("training_resource")][:3]
    lead_start = today - dt.timedelta(days=PROGRAM_DAYS["leadership"][0])
    lead_end = today + dt.timedelta(days=PROGRAM_DAYS["leadership"][1])
    leadership = child_page(
        index,
        MentoringProgramPage,
        "leadership",
        title="Leadership mentoring 2026",
        intro="<p>A year-long program for new and aspiring managers.</p>",
        goals="Increase retention of new managers\nPrepare the next team leads\nConnect departments",
        mentor_expectations="<p>Meet every two weeks and keep sessions confidential.</p>",
        mentee_expectations="<p>Set clear objectives and come prepared.</p>",
        body=_leadership_body(resources, lead_start, lead_end),
        start_date=lead_start,
        end_date=lead_end,
        enrolment_open=True,
        enrolment_deadline=today + dt.timedelta(days=30),
        meeting_cadence_days=14,
        coordinators=coordinators,
    )
    engineering = child_page(
        index,
        MentoringProgramPage,
        "engineering",
        title="Engineering growth",
        intro="<p>Senior engineers mentor colleagues moving into technical leadership.</p>",
        goals="Grow technical leaders\nShare knowledge across teams",
        mentor_expectations="<p>One hour every three weeks; review one design together each month.</p>",
        mentee_expectations="<p>Bring a real problem to every session.</p>",
        body=[
            ("goals", {"heading": "Goals", "goals": ["Grow technical leaders", "Share knowledge across teams"]}),
            (
                "faq",
                {
                    "heading": "Questions",
                    "items": [
                        {
                            "question": "Is it only for engineers?",
                            "answer": "<p>No, data and product people are welcome.</p>",
                        }
                    ],
                },
            ),
        ],
        start_date=today - dt.timedelta(days=PROGRAM_DAYS["engineering"][0]),
        end_date=today + dt.timedelta(days=PROGRAM_DAYS["engineering"][1]),
        enrolment_open=False,
        meeting_cadence_days=21,
        coordinators=coordinators,
    )
    ctx.pages["program_leadership"] = leadership
    ctx.pages["program_engineering"] = engineering
    _profiles(ctx)

    m = [users[f"mentor{i}"] for i in (1, 2, 3)]
    e = [users[f"mentee{i}"] for i in range(1, 7)]
    # Program 1: three accepted mentors, five accepted mentees, one applicant, one on the waiting list.
    for i, mentor in enumerate(m):
        _enrol(leadership, mentor, "mentor", "accepted", i, capacity=2)
    for i, mentee in enumerate(e[:5]):
        _enrol(leadership, mentee, "mentee", "accepted", i)
    _enrol(leadership, e[5], "mentee", "applied", 5)
    _enrol(leadership, users["employee"], "mentee", "waitlisted", 6)
    _pairing(leadership, m[0], e[0], "active")
    _pairing(leadership, m[0], e[1], "active", mentee_confirmed=False)
    _pairing(leadership, m[1], e[2], "active")
    _pairing(leadership, m[2], e[3], "proposed")
    # mentee5 stays accepted and unmatched: run matching in the admin to pair them.
    # mentee6's application waits for the coordinators' review.

    # Program 2: closed; pairings paused, completed and ended.
    _enrol(engineering, m[1], "mentor", "accepted", 1, capacity=2)
    _enrol(engineering, m[2], "mentor", "accepted", 2, capacity=3)
    for i, mentee in enumerate(e[3:6], start=3):
        _enrol(engineering, mentee, "mentee", "accepted", i)
    _enrol(engineering, e[1], "mentee", "waitlisted", 1)
    _enrol(engineering, e[0], "mentee", "declined", 0)
    _pairing(engineering, m[2], e[3], "paused")
    _pairing(engineering, m[1], e[4], "completed")
    _pairing(engineering, m[2], e[5], "ended")
    _describe_roles(ctx)
    ctx.say(ctx.style.SUCCESS("Programs, enrolments and pairings ready."))


def _describe_roles(ctx: DemoContext) -> None:
    """A few words per demo mentor and mentee for the command's summary: their pairings by status."""
    words: dict[str, list[str]] = {}
    pairs = Mentorship.objects.filter(mentor__in=ctx.mentors).select_related("mentor", "mentee").order_by("pk")
    for pair in pairs:
        status = pair.get_status_display().lower()
        if (pair.mentor.get_username(), pair.mentee.get_username()) == STALLED_PAIR and quiet_since(pair):
            status = "stalled"
        words.setdefault(pair.mentor.get_username(), []).append(f"{pair.mentee.get_username()} ({status})")
        words.setdefault(pair.mentee.get_username(), []).append(f"{pair.mentor.get_username()} ({status})")
    for user in ctx.mentors + ctx.mentees:
        name = user.get_username()
        role = "mentor" if user in ctx.mentors else "mentee"
        paired = words.get(name)
        ctx.roles[name] = f"{role}, with " + ", ".join(paired) if paired else f"{role}, not paired yet"
    ctx.roles["mentee5"] = ctx.roles.get("mentee5", "mentee") + "; waiting for a match"
    ctx.roles["mentee6"] = ctx.roles.get("mentee6", "mentee") + "; application to review"
