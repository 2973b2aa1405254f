"""Demo OKRs: a cycle, realistic objectives per mentee with key results, initiatives and ten weeks of check-ins."""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail_mentoring.demo import templates as demo_templates
from wagtail_mentoring.demo.base import DemoContext
from wagtail_mentoring.demo.programs import CERTIFIED_PAIR, quiet_since
from wagtail_mentoring.programs.models import Mentorship
from wagtail_mentoring.recognition.models import Achievement, Celebration
from wagtail_mentoring.snippets import scoring
from wagtail_mentoring.snippets.models import CheckIn, Initiative, KeyResult, Objective, OKRCycle, Realignment
from wagtail_mentoring.snippets.services import add_key_result, realign_key_result, record_check_in

CYCLE_NAME = "Mentoring demo cycle"
WEEKS = 10

#: The mentees' objectives start from these demo templates (``demo.templates``, where the example goals
#: live), in this order; each with its action plan (initiatives).
EXAMPLES = [
    ("speak_up", ["Rehearse the next demo with my mentor", "Volunteer for the sprint review"]),
    ("code_review", ["Read the team's review checklist", "Shadow two reviews by my mentor"]),
    ("career_plan", ["List three roles I could grow into", "Book a meeting with HR about internal moves"]),
    ("network", ["Join the internal guild meetup", "Ask my mentor for three introductions"]),
    ("lead_project", ["Write the project charter", "Run a retrospective with the team"]),
    ("certification", ["Block two study hours every week", "Book the exam"]),
    ("balance", ["Turn off notifications after 18:00", "Agree core hours with my team"]),
]


def example(index: int) -> tuple:
    """Example ``index`` of :data:`EXAMPLES` as (category, title, description, key results, initiatives),
    read from its template; a key result is (title, kind, unit, start, target)."""
    key, initiatives = EXAMPLES[index % len(EXAMPLES)]
    template = demo_templates.by_key(key)
    key_results = [(kr.title, kr.kind, kr.unit, kr.start_value, kr.target_value) for kr in template.key_results.all()]
    return template.category, template.title, template.description, key_results, initiatives


#: Celebrations older than this were dismissed by the people they were for (the demo's past).
SEEN_AFTER = dt.timedelta(days=7)
#: Target objective progress now, cycling over objectives: on track, off track, achieved, at risk.
PACES = [0.8, 0.35, 1.0, 0.6]


def run(ctx: DemoContext) -> None:
    """Create (once) the demo cycle, an organisation objective and every mentee's objectives."""
    today = timezone.localdate()
    cycle, _created = OKRCycle.objects.get_or_create(
        name=CYCLE_NAME,
        defaults={"start_date": today - dt.timedelta(days=7 * WEEKS), "end_date": today + dt.timedelta(days=20)},
    )
    ctx.extra["okr_cycle"] = cycle
    admin = ctx.users.get("admin")
    org = None
    if admin is not None:
        org = _objective(
            ctx,
            cycle,
            owner=admin,
            template=(
                "leadership",
                "Grow the next generation of leaders",
                "Organisation objective: mentees take on leadership work this cycle.",
                [
                    ("Mentees leading a project", "number", "people", 0, 4),
                    ("Mentoring pairs meeting every two weeks", "percent", "%", 50, 90),
                ],
                ["Publish the mentoring program", "Train the mentors"],
            ),
            pace=0.6,
            level=Objective.Level.ORGANISATION,
        )

    created = 0
    counter = 0
    for index, mentee in enumerate(ctx.mentees):
        pairing = Mentorship.objects.filter(mentee=mentee, status="active").select_related("program", "mentor").first()
        # Every other mentee has one objective of their own, and the goal they wrote when applying as a draft
        # (``drafts_from_enrolment_goals``, once the demo commits): their pairing keeps a place for one more.
        count = 3 if index % 2 == 0 else 1
        shared = None
        for k in range(count):
            template = example(index * 2 + k)
            pace = PACES[counter % len(PACES)]
            counter += 1
            # The pairing's first objective is the pair's shared "why" (both edit it); the mentee's own ones
            # align to it, or to the organisation's objective when they are about leadership.
            objective = _objective(
                ctx,
                cycle,
                owner=mentee,
                template=template,
                pace=pace,
                mentorship=pairing,
                level=Objective.Level.PAIRING if pairing and shared is None else Objective.Level.MENTEE,
                parent=org if template[0] == "leadership" else shared,
            )
            if pairing is not None and shared is None:
                shared = objective
            created += objective is not None
    created += _certified_pair_objectives(ctx)
    _review_one(ctx)
    ctx.say(ctx.style.SUCCESS(_("OKRs ready: %(count)d objectives in the demo cycle.") % {"count": created}))


def _review_one(ctx: DemoContext) -> None:
    """Once: the first mentee reviews a key result that fell behind, with what happened, what changes and a
    lower target (``realign_key_result``), so "Review and realign" has a history to show."""
    if not ctx.mentees or Realignment.objects.filter(key_result__objective__owner=ctx.mentees[0]).exists():
        return
    today = timezone.localdate()
    candidates = KeyResult.objects.filter(
        objective__owner=ctx.mentees[0], objective__status=Objective.Status.ACTIVE, kind__in=scoring.NUMERIC_KINDS
    ).select_related("objective__cycle")
    behind = next((kr for kr in candidates if kr.needs_review_on(today) and kr.progress > 0), None)
    if behind is None:
        return
    # Halfway between where it stands and where it aimed: a smaller step, not a new goal.
    current = behind.start_value if behind.current_value is None else behind.current_value
    target = round(current + (behind.target_value - current) / 2)
    realign_key_result(
        behind,
        ctx.mentees[0],
        _("A reorganisation took three weeks of the quarter; the first attempts took longer than planned."),
        _("Smaller steps: one a fortnight, planned with the mentor at each session."),
        target_value=target if target not in (current, behind.start_value) else None,
    )


def _certified_pair_objectives(ctx: DemoContext) -> int:
    """The completed pair's objectives (:data:`CERTIFIED_PAIR`): achieved, checked in on while it ran."""
    mentor, mentee = (ctx.users.get(name) for name in CERTIFIED_PAIR)
    pair = Mentorship.objects.filter(mentor=mentor, mentee=mentee, status="completed").first()
    if pair is None or not pair.started_on or not pair.ended_on:
        return 0
    # Objectives set two weeks into the pairing and due a week before it ended, with check-ins in between.
    start = pair.started_on + dt.timedelta(days=14)
    due = pair.ended_on - dt.timedelta(days=7)
    created = 0
    for template in (example(0), example(5)):
        created += (
            _objective(
                ctx,
                None,
                owner=mentee,
                template=template,
                pace=1.0,
                mentorship=pair,
                level=Objective.Level.PAIRING,
                dates=(start, due),
            )
            is not None
        )
    return created


def _objective(ctx, cycle, *, owner, template, pace, level, mentorship=None, parent=None, dates=None):
    """Get or create one objective with its key results, initiatives and check-in history.

    ``dates`` (start, due) replace the cycle for an objective of a past pairing; the check-ins then fall
    between them. Otherwise they are weekly and end yesterday, or when the pair went quiet
    (``demo.programs.quiet_since``).
    """
    category, title, description, key_results, initiatives = template
    objective = Objective.objects.filter(owner=owner, title=title).first()
    if objective is not None:
        return objective
    start_date, due_date = dates or (None, None)
    last, step = _history_window(mentorship, dates)
    objective = Objective(
        start_date=start_date,
        due_date=due_date,
        owner=owner,
        title=title,
        description=description,
        category=category,
        level=level,
        cycle=cycle,
        mentorship=mentorship,
        parent=parent,
        status=Objective.Status.ACHIEVED if pace >= 1 else Objective.Status.ACTIVE,
    )
    objective.full_clean()
    objective.save()
    objective.save_revision(user=owner, log_action=True)
    rng = random.Random(f"{owner.get_username()}:{title}")
    binary = [kr for kr in key_results if kr[1] in ("boolean", "milestone")]
    numeric = [kr for kr in key_results if kr not in binary]
    done = pace >= 0.8
    # Choose the numeric key results' progress so the objective's weighted progress is about ``pace``.
    fraction = pace if not numeric else (pace * len(key_results) - len(binary) * done) / len(numeric)
    fraction = max(0.0, min(1.0, fraction))
    for i, (kr_title, kind, unit, start, target) in enumerate(key_results):
        kr = add_key_result(
            objective,
            title=kr_title,
            kind=kind,
            unit=unit,
            start_value=start,
            target_value=target,
            current_value=start,
            owner=owner,
            confidence=5,
            sort_order=i,
        )
        _history(kr, owner, mentorship, kind, start, target, fraction, done, rng, last=last, step=step)
    _date_achievements(objective)
    mentor = mentorship.mentor if mentorship else None
    for i, initiative in enumerate(initiatives):
        Initiative.objects.create(
            objective=objective,
            title=initiative,
            done=i == 0 and pace >= 0.6,
            due_date=(cycle.start_date if cycle else start_date) + dt.timedelta(days=21 * (i + 1)),
            assignee=mentor if (mentor and i == 1) else owner,
            sort_order=i,
        )
    return objective


def _date_achievements(objective) -> None:
    """Date the objective's achievements at the check-in that earned them, not at the demo's run.

    Their celebrations are dated the same; those older than :data:`SEEN_AFTER` were dismissed by then.
    """
    now = timezone.now()
    for achievement in Achievement.objects.filter(objective=objective):
        check_ins = CheckIn.objects.filter(key_result__objective=objective)
        if achievement.key_result_id:
            check_ins = check_ins.filter(key_result=achievement.key_result_id)
        moment = check_ins.aggregate(last=Max("created_at"))["last"] or now
        Achievement.objects.filter(pk=achievement.pk).update(achieved_at=moment)
        seen = moment + dt.timedelta(days=1) if now - moment > SEEN_AFTER else None
        Celebration.objects.filter(achievement=achievement).update(created_at=moment, seen_at=seen)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _history_window(mentorship, dates) -> tuple[dt.datetime, dt.timedelta]:
    """When the last of the :data:`WEEKS` check-ins falls, and the time between two of them.

    Weekly, ending yesterday; ending when the pair went quiet (``demo.programs.quiet_since``); spread
    over ``dates`` (start, due) for a past pairing's objective. Never before the pairing began: a pair
    that started later than the first check-in would fall has its history squeezed after its start.
    """
    now = timezone.now()
    if dates:
        start, due = dates
        return _at(due, 17), (due - start) / WEEKS
    quiet = quiet_since(mentorship) if mentorship else None
    last = _at(quiet, 17) if quiet else now - dt.timedelta(days=1)
    step = dt.timedelta(days=7)
    began = _at(mentorship.started_on, 0) if mentorship and mentorship.started_on else None
    if began is not None and last - step * WEEKS < began:
        last = max(last, min(now, began + dt.timedelta(days=WEEKS)))
        step = max(last - began, dt.timedelta(minutes=WEEKS + 1)) / (WEEKS + 1)
    return last, step


def _history(kr, owner, mentorship, kind, start, target, fraction, done, rng, *, last, step) -> None:
    """Ten check-ins ``step`` apart ending at ``last``, rising (or falling) towards ``fraction`` of the target."""
    notes = ["Steady week.", "Blocked for a few days.", "Good progress with my mentor's help.", "", "Back on it."]
    for week in range(1, WEEKS + 1):
        when = last - step * (WEEKS - week) - min(dt.timedelta(hours=rng.randint(0, 8)), step / 2)
        author = mentorship.mentor if (mentorship and week % 4 == 0) else owner
        if kind in ("boolean", "milestone"):
            if week not in (4, 8):
                continue
            value = 1.0 if (done and week == 8) else 0.0
        else:
            share = fraction * week / WEEKS
            if week < WEEKS:
                share = max(0.0, min(1.0, share + rng.uniform(-0.04, 0.04)))
            value = round(start + (target - start) * share, 1)
        confidence = max(0, min(10, round(3 + 6 * fraction + rng.uniform(-1, 1))))
        record_check_in(kr, author, value, confidence=confidence, note=rng.choice(notes), created_at=when)
