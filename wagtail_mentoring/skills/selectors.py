"""Read models of skill ratings for the dashboard: the ratings due to a person and a pair's change per skill.

Who may rate whom at which moment is ``access.querysets`` (``skill_rating_programs``,
``skill_rating_mentorships``); whether a rating is due and the change are ``skills.rules``. Each function
costs a fixed number of queries, however many programs, pairs, skills or ratings there are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from wagtail_mentoring.access.querysets import skill_rating_mentorships, skill_rating_programs
from wagtail_mentoring.skills import rules
from wagtail_mentoring.skills.models import ProgramSkill, SkillRating


@dataclass
class DueRating:
    """A rating the user should give: a program's skills at a moment, for themselves or their mentee."""

    program: object
    moment: str
    skills: list = field(default_factory=list)
    missing: int = 0
    mentorship: object = None  # the pairing whose mentee the user rates as mentor; None for themselves


def skills_by_program(program_ids) -> dict[int, list[ProgramSkill]]:
    """``{program id: its skills in order}`` in one query."""
    out: dict[int, list[ProgramSkill]] = defaultdict(list)
    for skill in ProgramSkill.objects.filter(program_id__in=list(program_ids)).order_by("sort_order", "pk"):
        out[skill.program_id].append(skill)
    return out


def due_skill_ratings(user) -> list[DueRating]:
    """The skill ratings due to ``user``: their own at the start and at closing, and each mentee's at closing.

    A rating is due while the moment is open (``access``) and a skill of the program is not rated yet
    (``rules.rating_due``). About five queries in all.
    """
    start = {p.pk: p for p in skill_rating_programs(user, rules.START).order_by("title", "pk")}
    closing = {p.pk: p for p in skill_rating_programs(user, rules.CLOSING).order_by("title", "pk")}
    mentored = list(skill_rating_mentorships(user).select_related("mentee", "program").order_by("pk"))
    program_ids = set(start) | set(closing) | {m.program_id for m in mentored}
    if not program_ids:
        return []
    skills = skills_by_program(program_ids)
    rated: dict[tuple[int, int, str], set[int]] = defaultdict(set)
    for program_id, subject_id, moment, skill_id in SkillRating.objects.filter(
        rater=user, skill__program_id__in=program_ids
    ).values_list("skill__program_id", "subject_id", "moment", "skill_id"):
        rated[(program_id, subject_id, moment)].add(skill_id)
    due: list[DueRating] = []
    for moment, programs in ((rules.START, start), (rules.CLOSING, closing)):
        for program in programs.values():
            ids = [s.pk for s in skills[program.pk]]
            if rules.rating_due(True, ids, rated[(program.pk, user.pk, moment)]):
                missing = rules.missing_skills(ids, rated[(program.pk, user.pk, moment)])
                due.append(DueRating(program, moment, skills[program.pk], len(missing)))
    for mentorship in mentored:
        ids = [s.pk for s in skills[mentorship.program_id]]
        done = rated[(mentorship.program_id, mentorship.mentee_id, rules.CLOSING)]
        if rules.rating_due(True, ids, done):
            missing = len(rules.missing_skills(ids, done))
            due.append(DueRating(mentorship.program, rules.CLOSING, skills[mentorship.program_id], missing, mentorship))
    return due


@dataclass
class SkillChangeRow:
    """One skill of a pair: the mentee's own levels before and after, the change, and the mentor's closing level."""

    skill: ProgramSkill
    before: int | None = None
    after: int | None = None
    mentor_level: int | None = None

    @property
    def change(self) -> int | None:
        """After minus before (``rules.change``), None until both are rated."""
        return rules.change(self.before, self.after)

    @property
    def before_percent(self) -> int:
        """The before level as a share of the scale, for its bar."""
        return rules.bar_percent(self.before)

    @property
    def after_percent(self) -> int:
        """The after level as a share of the scale, for its bar."""
        return rules.bar_percent(self.after)

    @property
    def mentor_percent(self) -> int:
        """The mentor's level as a share of the scale, for its bar."""
        return rules.bar_percent(self.mentor_level)


def attach_skill_changes(mentorships) -> None:
    """Set ``skill_changes`` (a list of :class:`SkillChangeRow`, empty when nothing is rated) on each mentorship.

    The rows are the mentee's: their own start and closing levels and their mentor's closing level, in the
    pairing's program. The caller passes pairings the viewer may see (``access``); two queries in all.
    """
    mentorships = list(mentorships)
    for mentorship in mentorships:
        mentorship.skill_changes = []
    if not mentorships:
        return
    skills = skills_by_program({m.program_id for m in mentorships})
    condition = Q()
    for m in mentorships:
        condition |= Q(skill__program_id=m.program_id, subject_id=m.mentee_id, rater_id__in=(m.mentee_id, m.mentor_id))
    levels: dict[tuple[int, int, int, str], int] = {}
    for skill_id, subject_id, rater_id, moment, level in SkillRating.objects.filter(condition).values_list(
        "skill_id", "subject_id", "rater_id", "moment", "level"
    ):
        levels[(skill_id, subject_id, rater_id, moment)] = level
    for m in mentorships:
        rows = [
            SkillChangeRow(
                skill,
                before=levels.get((skill.pk, m.mentee_id, m.mentee_id, rules.START)),
                after=levels.get((skill.pk, m.mentee_id, m.mentee_id, rules.CLOSING)),
                mentor_level=levels.get((skill.pk, m.mentee_id, m.mentor_id, rules.CLOSING)),
            )
            for skill in skills[m.program_id]
        ]
        if any(r.before is not None or r.after is not None or r.mentor_level is not None for r in rows):
            m.skill_changes = rows
