"""Skill change per program for coordinators' reports: averages before and after, within the anonymity rule.

:func:`program_skill_change` is the one computation; the program report, its export and the
cross-program impact report call it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, Max, Q

from wagtail_mentoring.conf import mentoring_settings
from wagtail_mentoring.skills import rules
from wagtail_mentoring.skills.models import ProgramSkill, SkillRating
from wagtail_mentoring.surveys.anonymity import reportable_groups


@dataclass(frozen=True)
class SkillChange:
    """One program skill's change, over the people who rated themselves at the start and at closing.

    ``reported`` is False (and the averages None) when fewer than ``ANONYMITY_MIN_RESPONSES`` people rated
    both moments; ``people`` is then still given, as the report says why the skill is left out.
    """

    skill_id: int
    name: str
    people: int
    before: float | None
    after: float | None
    change: float | None
    reported: bool

    @property
    def before_percent(self) -> int:
        """The average before as a share of the scale, for its bar."""
        return rules.bar_percent(self.before)

    @property
    def after_percent(self) -> int:
        """The average after as a share of the scale, for its bar."""
        return rules.bar_percent(self.after)


def program_skill_change(programs, minimum: int | None = None) -> dict[int, list[SkillChange]]:
    """``{program id: [SkillChange per skill, in the program's order]}`` for many programs in two queries.

    Only self-ratings count (a mentor's rating of their mentee is for the pair). A person counts for a skill
    when they rated themselves at both moments; a skill with fewer such people than ``minimum`` (default
    ``WAGTAIL_MENTORING["ANONYMITY_MIN_RESPONSES"]``) is not reported (``surveys.anonymity.reportable_groups``).

    Args:
        programs: program pages or their ids (an iterable or a queryset).
        minimum: the fewest people a reported skill needs.
    """
    minimum = mentoring_settings.ANONYMITY_MIN_RESPONSES if minimum is None else minimum
    ids = [getattr(p, "pk", p) for p in programs]
    out: dict[int, list[SkillChange]] = {pk: [] for pk in ids}
    if not ids:
        return out
    skills = list(ProgramSkill.objects.filter(program_id__in=ids).order_by("sort_order", "pk"))
    pairs: dict[int, list[tuple[int, int]]] = defaultdict(list)
    rows = (
        SkillRating.objects.filter(skill__program_id__in=ids, rater_id=F("subject_id"))
        .order_by()
        .values("skill_id", "subject_id")
        .annotate(
            before=Max("level", filter=Q(moment=rules.START)),
            after=Max("level", filter=Q(moment=rules.CLOSING)),
        )
        .filter(before__isnull=False, after__isnull=False)
        .values_list("skill_id", "before", "after")
    )
    for skill_id, before, after in rows:
        pairs[skill_id].append((before, after))
    reportable = reportable_groups({s.pk: len(pairs[s.pk]) for s in skills}, minimum)
    for skill in skills:
        summary = rules.summarise(pairs[skill.pk], skill.pk in reportable)
        out.setdefault(skill.program_id, []).append(
            SkillChange(
                skill_id=skill.pk,
                name=skill.name,
                people=summary.people,
                before=summary.before,
                after=summary.after,
                change=summary.change,
                reported=summary.reported,
            )
        )
    return out
