"""Demo journey: the leadership program walks each pair through five steps; some pairs marked steps done."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail_mentoring.demo.base import DemoContext
from wagtail_mentoring.models import JourneyStepCompletion, MentoringProgramPage, Mentorship, TrainingResourcePage
from wagtail_mentoring.programs import journeys

#: The demo pairs (mentor, mentee) who marked their agreement step done; the other active pairs of the
#: program have it overdue, so the dashboards show an overdue step among the next actions.
AGREED_PAIRS = {("mentor1", "mentee1"), ("mentor2", "mentee3")}
#: The demo training resources the agreement and the mid-point review link (``demo.training``).
LINKED_RESOURCES = ("Mentoring agreement template", "Setting OKRs with your mentor")
#: Stable step ids, so the demo is idempotent and completions follow the steps.
STEP_IDS = {name: str(uuid.uuid5(uuid.NAMESPACE_URL, f"wagtail-mentoring-demo-journey-{name}")) for name in range(5)}


def default_journey(program_days: int, resources: list | tuple = ()) -> list[dict]:
    """The default journey as the ``journey`` StreamField's raw data: agreement (day 0), first objectives (14),
    30-day check (30), mid-point review (half the program) and closing (two weeks before its end).

    Args:
        program_days: how long the program runs, in days.
        resources: the training resource pages (or ``None``) the agreement and the mid-point review link.
    """
    link = [getattr(page, "pk", None) for page in resources[:2]] + [None, None]
    rows = [
        (
            _("Agreement"),
            0,
            _("Agree how you will work together: how often you meet, what is in and out of bounds."),
            journeys.MANUAL,
            "",
            link[0],
        ),
        (
            _("First objectives"),
            14,
            _("Write one or two objectives with measurable key results, together."),
            journeys.OBJECTIVES,
            "",
            None,
        ),
        (
            _("30-day check"),
            30,
            _("How is the pairing going? Each of you answers the short pairing check."),
            journeys.SURVEY,
            "pairing_check",
            None,
        ),
        (
            _("Mid-point review"),
            max(program_days // 2, 31),
            _("Look back at your objectives: what worked, what to change for the second half."),
            journeys.MANUAL,
            "",
            link[1],
        ),
        (
            _("Closing"),
            max(program_days - 14, 32),
            _("Celebrate what you achieved and answer the closing survey."),
            journeys.SURVEY,
            "closing",
            None,
        ),
    ]
    return [
        {
            "type": "step",
            "id": STEP_IDS[i],
            "value": {
                "title": title,
                "days_after_start": days,
                "description": description,
                "resource": resource,
                "path": None,
                "survey_kind": survey_kind,
                "completes_when": completes_when,
            },
        }
        for i, (title, days, description, completes_when, survey_kind, resource) in enumerate(rows)
    ]


def run(ctx: DemoContext) -> None:
    """Give the leadership program its journey (once) and mark the agreement done for :data:`AGREED_PAIRS`."""
    program = MentoringProgramPage.objects.filter(slug="leadership").first()
    if program is None:
        ctx.say(_("Journeys: no leadership program (run the programs demo step first); nothing created."))
        return
    if not program.journey_steps:
        days = (program.end_date - program.start_date).days if program.start_date and program.end_date else 365
        resources = [TrainingResourcePage.objects.live().filter(title=title).first() for title in LINKED_RESOURCES]
        resources = [page for page in resources if page is not None]
        program.journey = default_journey(days, resources)
        program.save_revision().publish()
    agreement = STEP_IDS[0]
    for mentorship in Mentorship.objects.filter(program=program, status=Mentorship.Status.ACTIVE).select_related(
        "mentor", "mentee"
    ):
        if (mentorship.mentor.get_username(), mentorship.mentee.get_username()) in AGREED_PAIRS:
            JourneyStepCompletion.objects.get_or_create(
                mentorship=mentorship,
                step_id=agreement,
                defaults={"completed_by": mentorship.mentee, "completed_at": _started_at(mentorship)},
            )
    ctx.say(ctx.style.SUCCESS(_("Journeys ready: the leadership program walks each pair through its steps.")))


def _started_at(mentorship: Mentorship):
    """A moment on the pairing's first day (the agreement was marked done then)."""
    day = mentorship.started_on or timezone.localdate()
    return timezone.make_aware(dt.datetime.combine(day, dt.time(11)))
