"""Demo skills: each program lists the skills it develops; mentees rated themselves at the start, and the
engineering program's closed pairs rated themselves (and the mentor their mentee) at closing."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from wagtail_mentoring.demo.base import DemoContext
from wagtail_mentoring.models import Enrolment, MentoringProgramPage, Mentorship, ProgramSkill
from wagtail_mentoring.skills import rules
from wagtail_mentoring.skills.services import rate_skills

#: The skills each demo program develops (name, short description), by program slug.
PROGRAM_SKILLS = {
    "leadership": [
        ("Giving feedback", "Clear, kind and specific feedback that people can act on."),
        ("Delegating", "Handing over work with the context and trust it needs."),
        ("Running meetings", "Meetings with a purpose, an agenda and decisions."),
        ("Coaching", "Helping people find their own answers."),
    ],
    "engineering": [
        ("System design", "Choosing structures that stay simple as they grow."),
        ("Code review", "Reviews that improve the code and teach."),
        ("Estimating", "Forecasts the team can plan with."),
    ],
}
#: The completed pair (mentor, mentee) whose mentor also rated the mentee at closing.
RATED_PAIR = ("mentor2", "mentee5")


def _ensure_skills(program: MentoringProgramPage) -> None:
    """Give ``program`` its demo skills through a published revision (as an editor would), once."""
    if ProgramSkill.objects.filter(program=program).exists():
        return
    for i, (name, description) in enumerate(PROGRAM_SKILLS[program.slug]):
        program.skills.add(ProgramSkill(name=name, description=description, sort_order=i))
    program.save_revision().publish()


def _levels(skills, start: int, grown: bool = False) -> dict[int, int]:
    """Deterministic levels on the scale, varied per skill; ``grown``: the same person at closing, one or two
    levels higher depending on the skill."""
    return {
        s.pk: max(rules.LEVEL_MIN, min(rules.LEVEL_MAX, start + (i % 2) + ((1 + (i + start) % 2) if grown else 0)))
        for i, s in enumerate(skills)
    }


def run(ctx: DemoContext) -> None:
    """Add the skills, then the ratings: every accepted leadership mentee but one (``mentee5``, whose dashboard
    then asks them) rated themselves at the start; in engineering, the people of the completed and ended pairs
    rated themselves at the start and at closing, and :data:`RATED_PAIR`'s mentor rated the mentee."""
    programs = {p.slug: p for p in MentoringProgramPage.objects.filter(slug__in=PROGRAM_SKILLS)}
    if not programs:
        ctx.say(_("Skills: no demo programs (run the programs demo step first); nothing created."))
        return
    for program in programs.values():
        _ensure_skills(program)
    leadership = programs.get("leadership")
    if leadership is not None:
        skills = list(ProgramSkill.objects.filter(program=leadership).order_by("sort_order", "pk"))
        accepted = Enrolment.objects.filter(
            program=leadership, role=Enrolment.Role.MENTEE, status=Enrolment.Status.ACCEPTED
        ).select_related("user")
        for n, enrolment in enumerate(accepted.order_by("user__username")):
            if enrolment.user.username != RATED_PAIR[1]:
                rate_skills(enrolment.user, leadership, rules.START, _levels(skills, 1 + n % 3))
    engineering = programs.get("engineering")
    if engineering is not None:
        skills = list(ProgramSkill.objects.filter(program=engineering).order_by("sort_order", "pk"))
        closed = Mentorship.objects.filter(
            program=engineering, status__in=[Mentorship.Status.COMPLETED, Mentorship.Status.ENDED]
        ).select_related("mentor", "mentee")
        for n, pair in enumerate(closed.order_by("pk")):
            for person in (pair.mentee, pair.mentor):
                rate_skills(person, engineering, rules.START, _levels(skills, 1 + n))
                rate_skills(person, engineering, rules.CLOSING, _levels(skills, 1 + n, grown=True))
            if (pair.mentor.get_username(), pair.mentee.get_username()) == RATED_PAIR:
                rate_skills(pair.mentor, engineering, rules.CLOSING, _levels(skills, 3), subject=pair.mentee)
    users = get_user_model().objects.filter(skill_ratings_given__isnull=False).distinct().count()
    ctx.say(_("Skills listed; %(n)d people have rated them.") % {"n": users})
