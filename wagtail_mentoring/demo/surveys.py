"""Demo editor-built surveys: the leadership program's pairing check asks three more questions, and a
program launching next month asks every employee what they need (with a few answers already given)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail_mentoring.demo.base import DemoContext, child_page
from wagtail_mentoring.models import Feedback, MentoringProgramPage, Mentorship, SurveyFormField, SurveyPage
from wagtail_mentoring.programs.services import already_answered, submit_feedback

#: The program that has not started yet (its before-launch survey is open), days until its start.
LAUNCHING_SLUG = "women-in-tech"
LAUNCH_IN_DAYS = 30
#: The demo employees who already answered the before-launch survey (as many as the anonymity minimum
#: needs for the coordinators' report to show the results) and their answers.
BEFORE_LAUNCH_ANSWERS = {
    "mentee1": (
        {"rating": 4, "nps": 8},
        {"what_would_help_you_most": "Career advice", "hours_per_month_you_could_give": "2"},
    ),
    "mentor3": (
        {"rating": 5, "nps": 10},
        {"what_would_help_you_most": "A sponsor", "hours_per_month_you_could_give": "4"},
    ),
    "mentee6": (
        {"rating": 4, "nps": 9, "comment": "Evening sessions would help."},
        {
            "what_would_help_you_most": "Career advice",
            "hours_per_month_you_could_give": "3",
            "anything_else": "Remote-friendly",
        },
    ),
}


def _survey(program, slug: str, title: str, moment: str, intro: str, questions: list[dict]) -> SurveyPage:
    """The published survey ``slug`` under ``program`` (created once, with its questions)."""
    existing = program.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    fields = [SurveyFormField(sort_order=i, **question) for i, question in enumerate(questions)]
    return child_page(program, SurveyPage, slug, title=title, moment=moment, intro=intro, form_fields=fields)


def run(ctx: DemoContext) -> None:
    """Add the leadership program's pairing-check questions, a mentee's mid-point answer, and the launching
    program with its before-launch survey, which three employees answer through
    ``programs.services.submit_feedback`` (once)."""
    leadership = MentoringProgramPage.objects.filter(slug="leadership").first()
    index = ctx.pages.get("programs") or (leadership.get_parent() if leadership else None)
    if leadership is None or index is None:
        ctx.say(_("Surveys: no leadership program (run the programs demo step first); nothing created."))
        return
    _survey(
        leadership,
        "pairing-check-questions",
        "How is your pairing going? (more questions)",
        Feedback.Kind.PAIRING_CHECK,
        "Three more questions help the coordinators support you.",
        [
            {
                "label": "What do you work on most?",
                "field_type": "radio",
                "choices": "Career\nSkills\nConfidence\nNetwork",
            },
            {"label": "Hours spent on mentoring last month", "field_type": "number", "required": False},
            {"label": "What would make the next month better?", "field_type": "multiline", "required": False},
        ],
    )
    # A mid-point answer (the fixed questions: the leadership program adds none at that moment).
    pairing = Mentorship.objects.filter(program=leadership, status=Mentorship.Status.ACTIVE).order_by("pk").first()
    if pairing is not None and not already_answered(pairing.mentee, Feedback.Kind.MIDPOINT, mentorship=pairing):
        submit_feedback(
            pairing.mentee, Feedback.Kind.MIDPOINT, mentorship=pairing, rating=4, nps=9, comment="Halfway and on track."
        )
    today = timezone.localdate()
    launching = child_page(
        index,
        MentoringProgramPage,
        LAUNCHING_SLUG,
        title="Women in tech mentoring",
        intro="<p>Launching next month: tell us what you need before we match anyone.</p>",
        goals="Grow women leaders in technology\nBuild a network across teams",
        start_date=today + dt.timedelta(days=LAUNCH_IN_DAYS),
        end_date=today + dt.timedelta(days=LAUNCH_IN_DAYS + 270),
        enrolment_open=True,
        enrolment_deadline=today + dt.timedelta(days=LAUNCH_IN_DAYS - 1),
        meeting_cadence_days=14,
        coordinators=ctx.extra.get("coordinators_group"),
    )
    _survey(
        launching,
        "before-launch",
        "Tell us what you need",
        Feedback.Kind.BEFORE_LAUNCH,
        "Whether or not you plan to take part, your answers shape the program.",
        [
            {
                "label": "What would help you most?",
                "field_type": "radio",
                "choices": "Career advice\nA sponsor\nTechnical skills\nA peer group",
            },
            {"label": "Hours per month you could give", "field_type": "number", "required": False},
            {"label": "Anything else?", "field_type": "multiline", "required": False},
        ],
    )
    answered = 0
    for username, (fixed, answers) in BEFORE_LAUNCH_ANSWERS.items():
        user = ctx.users.get(username)
        if user is None:
            continue
        try:
            submit_feedback(user, Feedback.Kind.BEFORE_LAUNCH, program=launching, answers=answers, **fixed)
            answered += 1
        except ValidationError as exc:
            ctx.say(f"{username}: {' '.join(exc.messages)}")  # already answered (the demo runs again)
    ctx.say(
        ctx.style.SUCCESS(
            _("Surveys ready: %(program)s asks every employee what they need (%(n)d new answers).")
            % {"program": launching.title, "n": answered}
        )
    )
