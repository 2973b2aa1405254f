"""The matching engine's input: :class:`Candidate` (one enrolled person) and :class:`MatchingConfigError`."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass


class MatchingConfigError(ValueError):
    """Invalid weights, rules, strategy or candidates; the message names the offending key."""


def normalise_set(values: Iterable[str] | str | None) -> frozenset[str]:
    """A set-valued field as stripped, case-folded strings (a string is split on commas).

    Args:
        values: An iterable of strings, a comma-separated string, or None.

    Returns:
        The normalised values; empty items are dropped.
    """
    if values is None:
        return frozenset()
    if isinstance(values, str):
        values = values.split(",")
    return frozenset(v.strip().casefold() for v in values if v and v.strip())


@dataclass
class Candidate:
    """A person to match: a mentee (skills = sought) or a mentor (skills = offered).

    Attributes:
        id: Unique per side and sortable (e.g. the enrolment pk).
        skills: Skills sought (mentee) or offered (mentor). Iterables or comma-separated strings.
        interests: Interests.
        languages: Languages spoken.
        department: Department name ("" when unknown).
        seniority: Seniority level (higher is more senior).
        capacity: How many mentees a mentor takes (ignored for mentees).
        career_goals: Free text compared by term similarity.
        time_zone: Hours from UTC (number), "UTC+2"/"+05:30", an IANA name, or None when unknown.
        person_id: The person behind the candidate (e.g. user pk): equal ids never pair.
        excluded_reason: If set, the candidate is left out of matching with this note.
    """

    id: Hashable
    skills: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    department: str = ""
    seniority: int = 0
    capacity: int = 1
    career_goals: str = ""
    time_zone: str | float | None = None
    person_id: Hashable | None = None
    excluded_reason: str | None = None

    def __post_init__(self) -> None:
        self.skills = normalise_set(self.skills)
        self.interests = normalise_set(self.interests)
        self.languages = normalise_set(self.languages)
        self.department = (self.department or "").strip()
        self.career_goals = self.career_goals or ""
        if isinstance(self.capacity, bool) or not isinstance(self.capacity, int) or self.capacity < 0:
            raise MatchingConfigError(f"capacity of candidate {self.id!r} must be an integer >= 0")
        if isinstance(self.seniority, bool) or not isinstance(self.seniority, int):
            raise MatchingConfigError(f"seniority of candidate {self.id!r} must be an integer")


def sorted_by_id(candidates: Sequence[Candidate], side: str) -> list[Candidate]:
    """The candidates of one side sorted by id, after checking they are Candidates with unique ids.

    Sorting first makes every matrix, and so the solver's answer, independent of the input order.

    Args:
        candidates: The mentees or the mentors.
        side: ``"mentee"`` or ``"mentor"``, for the error message.

    Returns:
        The candidates in id order.

    Raises:
        MatchingConfigError: A non-Candidate, a duplicate id, or ids that cannot be compared.
    """
    seen: set[Hashable] = set()
    for c in candidates:
        if not isinstance(c, Candidate):
            raise MatchingConfigError(f"{side} must be Candidate instances, not {type(c).__name__}")
        if c.id in seen:
            raise MatchingConfigError(f"duplicate {side} id {c.id!r}")
        seen.add(c.id)
    try:
        return sorted(candidates, key=lambda c: c.id)
    except TypeError as error:
        raise MatchingConfigError(f"{side} ids must be mutually comparable (all int or all str)") from error
