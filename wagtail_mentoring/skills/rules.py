"""Skill ratings (pure): the scale, the moments, which ratings are due and the change between two moments.

No ORM here: ``skills.selectors`` and ``skills.metrics`` read the database and ask these functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

#: The scale of a rating, lowest and highest level.
LEVEL_MIN, LEVEL_MAX = 1, 5

#: The moments at which a skill is rated.
START, CLOSING = "start", "closing"
MOMENTS = (START, CLOSING)


def moment_choices() -> list[tuple[str, str]]:
    """The moments with their labels (``SkillRating.Moment`` uses the same values)."""
    return [(START, _("At the start")), (CLOSING, _("At closing"))]


def level_choices() -> list[tuple[int, str]]:
    """The described scale, ``(level, "level - description")`` from 1 to 5, shown wherever a level is chosen."""
    return [
        (1, _("1 - Beginner: I am just starting with this skill")),
        (2, _("2 - Developing: I can use it with help")),
        (3, _("3 - Capable: I use it on my own in familiar situations")),
        (4, _("4 - Strong: I use it well, also in new situations")),
        (5, _("5 - Expert: I could teach it to others")),
    ]


def is_level(value: object) -> bool:
    """True for an ``int`` level on the scale (a bool is not a level)."""
    return isinstance(value, int) and not isinstance(value, bool) and LEVEL_MIN <= value <= LEVEL_MAX


def missing_skills(skill_ids: Iterable[int], rated_ids: Iterable[int]) -> list[int]:
    """The skills (ids, in the given order) not rated yet at a moment.

    Example:
        >>> missing_skills([3, 4, 5], {4})
        [3, 5]
    """
    rated = set(rated_ids)
    return [pk for pk in skill_ids if pk not in rated]


def rating_due(is_open: bool, skill_ids: Iterable[int], rated_ids: Iterable[int]) -> bool:
    """Is a rating due: the moment is open for this rater and subject, and some skill is not rated yet?

    Args:
        is_open: whether the rater may rate the subject at this moment (``access.querysets``).
        skill_ids: the program's skills.
        rated_ids: the skills the rater has already rated for the subject at this moment.
    """
    return bool(is_open and missing_skills(skill_ids, rated_ids))


def change(before: int | None, after: int | None) -> int | None:
    """The change from ``before`` to ``after`` (``None`` unless both are known).

    Example:
        >>> change(2, 4), change(None, 4)
        (2, None)
    """
    if before is None or after is None:
        return None
    return after - before


@dataclass(frozen=True)
class ChangeSummary:
    """The change of one skill over the people who rated themselves at both moments."""

    people: int
    before: float | None
    after: float | None
    change: float | None
    reported: bool


def summarise(pairs: Iterable[tuple[int, int]], reportable: bool = True) -> ChangeSummary:
    """Averages of ``(before, after)`` self-ratings, one pair per person who rated both moments.

    ``reportable``: the caller's anonymity decision (``surveys.anonymity.reportable_groups``); when False, or
    with nobody, ``reported`` is False and no average is given. Averages are rounded to two decimals.

    Example:
        >>> summarise([(2, 4), (3, 4)])
        ChangeSummary(people=2, before=2.5, after=4.0, change=1.5, reported=True)
    """
    pairs = list(pairs)
    n = len(pairs)
    if n == 0 or not reportable:
        return ChangeSummary(people=n, before=None, after=None, change=None, reported=False)
    before = sum(b for b, _a in pairs) / n
    after = sum(a for _b, a in pairs) / n
    return ChangeSummary(
        people=n, before=round(before, 2), after=round(after, 2), change=round(after - before, 2), reported=True
    )


def bar_percent(level: float | None) -> int:
    """A level as a share of the scale's top, 0-100, for a bar drawn beside the number."""
    if level is None:
        return 0
    return round(max(0.0, min(float(level), LEVEL_MAX)) * 100 / LEVEL_MAX)


def rated_levels(rows: Iterable[tuple[int, str, int]]) -> Mapping[str, dict[int, int]]:
    """``{moment: {skill id: level}}`` from ``(skill id, moment, level)`` rows."""
    out: dict[str, dict[int, int]] = {moment: {} for moment in MOMENTS}
    for skill_id, moment, level in rows:
        out.setdefault(moment, {})[skill_id] = level
    return out
