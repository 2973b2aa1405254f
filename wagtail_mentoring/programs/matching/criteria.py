"""Matching criteria, one class each: how a pair scores (one pair and vectorised), why, and the hard rules.

A :class:`ScoredCriterion` gives every pair a value in [0, 1] (weighted into the pair score) and
explains it; a :class:`HardRule` forbids pairs. Both are :class:`Criterion` classes and declare
which they are with ``hard``. :data:`DEFAULT_CRITERIA`, an ordered :class:`Criteria` list, drives
the score, the vectorised score, the reasons, the messages and the validation of a program's
weights and rules; adding a criterion is writing one class and listing an instance there (or
passing ``criteria=DEFAULT_CRITERIA.with_(MyCriterion())`` to ``match``/``score``).

Vectorised methods receive a :class:`~.features.PairBlock` and read its attributes only (per-side
arrays through ``block.mentees``/``block.mentors`` shaped with ``block.mentee()``/``block.mentor()``,
and the shared pairwise quantities), so they work on any block of pairs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import numpy as np

from .candidates import Candidate, MatchingConfigError
from .features import PairBlock, cached_text_vector
from .i18n import gettext as _
from .i18n import gettext_noop, join_items, ngettext
from .timezones import hours_apart, utc_offset_hours

#: How many common career-goals terms a reason lists (the most weighty first).
GOAL_TERMS_SHOWN = 5
#: Default of the ``preferred_seniority_gap`` setting (levels between mentor and mentee).
DEFAULT_PREFERRED_SENIORITY_GAP = 2
#: Hours apart at which the time-zone criterion reaches 0 (the far side of the 24-hour circle).
MAX_HOURS_APART = 12.0


def is_number(value: Any) -> bool:
    """True for a finite int or float that is not a bool.

    Args:
        value: Any value from a program's settings.

    Returns:
        Whether it is a usable number.
    """
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


# --- the two kinds of criterion -----------------------------------------------------------------


class Criterion:
    """One thing the engine looks at in a pair: a scored criterion or a hard rule.

    Attributes:
        name: The key in a program's weights (scored) or rules (hard), and in stored reasons.
        title: The English label (marked with ``gettext_noop``; :meth:`label` translates it).
        hard: True for a hard rule (forbids pairs), False for a scored criterion.
    """

    name: ClassVar[str]
    title: ClassVar[str]
    hard: ClassVar[bool]

    def label(self) -> str:
        """The translated ``title``: the criterion's name, or the rule's description, for coordinators."""
        return _(self.title)


class ScoredCriterion(Criterion):
    """A criterion that gives each pair a value in [0, 1], weighted into the pair score.

    Subclasses set ``name``, ``title`` and ``default_weight`` and implement :meth:`values`
    (vectorised), :meth:`explain` (one pair: value and the facts behind it) and :meth:`describe`.
    Both value paths must use the same formula so a pair's reasons add up to its score.

    Attributes:
        default_weight: The weight when a program sets none (>= 0).
        parameters: Settings that tune the criterion, ``{name: default}``, read from the program's
            rules (numbers >= 0).
        reads: The per-candidate inputs the value depends on, and nothing else (as
            :attr:`HardRule.reads`), or None. Large problems compute such a criterion once per
            group of candidates with equal inputs.
    """

    hard: ClassVar[bool] = False
    default_weight: ClassVar[float]
    parameters: ClassVar[Mapping[str, float]] = {}
    reads: ClassVar[tuple[str, ...] | None] = None

    def values(self, block: PairBlock, rules: Mapping[str, Any]) -> np.ndarray:
        """The criterion's value for every pair of ``block`` (float64, in [0, 1]).

        Args:
            block: The pairs and their shared quantities.
            rules: The resolved rules and parameters.

        Returns:
            An array of the block's shape.
        """
        raise NotImplementedError

    def known(self, block: PairBlock) -> bool:
        """False when the criterion's inputs are unknown for every pair of ``block`` (its values are
        then all 0 and the engine skips computing them).

        Args:
            block: The pairs.

        Returns:
            True unless every value is known to be 0 for lack of input.
        """
        return True

    def explain(self, mentee: Candidate, mentor: Candidate, rules: Mapping[str, Any]) -> tuple[float, dict[str, Any]]:
        """The value for one pair and the JSON-friendly facts behind it (shared items, gap, hours...).

        Args:
            mentee: The mentee.
            mentor: The mentor.
            rules: The resolved rules and parameters.

        Returns:
            ``(value, detail)``.
        """
        raise NotImplementedError

    def value(self, mentee: Candidate, mentor: Candidate, rules: Mapping[str, Any]) -> float:
        """The criterion's value for one pair (see :meth:`explain`).

        Args:
            mentee: The mentee.
            mentor: The mentor.
            rules: The resolved rules and parameters.

        Returns:
            The value in [0, 1].
        """
        return float(self.explain(mentee, mentor, rules)[0])

    def describe(self, detail: Mapping[str, Any], value: float) -> str:
        """The translated explanation of a stored reason, without the label.

        Args:
            detail: The detail that :meth:`explain` returned (possibly read back from JSON).
            value: The reason's value.

        Returns:
            A short sentence.
        """
        raise NotImplementedError


class HardRule(Criterion):
    """A rule that forbids pairs, switched on and set by a program's rules (``{name: setting}``).

    Subclasses set ``name`` and ``title``, implement :meth:`forbids`, and choose a setting
    kind by subclassing :class:`AlwaysRule`, :class:`FlagRule` or :class:`LimitRule`.

    Attributes:
        configurable: False for a rule that is always on and has no setting.
        default: The setting when a program sets none.
        uses_score: True if the rule reads the pair score (it is applied after scoring, and a
            mentee ruled out only by such rules is reported as ``min_score``).
        reads: The per-candidate inputs the verdict depends on, and nothing else (names of
            :class:`~.features.Side` arrays or set fields), or None when it depends on the pair
            itself. The engine blocks on such rules: it decides them once per group of candidates
            with equal inputs and scores only the groups' allowed pairs.
    """

    hard: ClassVar[bool] = True
    configurable: ClassVar[bool] = True
    default: ClassVar[Any] = None
    uses_score: ClassVar[bool] = False
    reads: ClassVar[tuple[str, ...] | None] = None

    def validate(self, value: Any) -> Any:
        """The setting a program gave, checked.

        Args:
            value: The value from the program's rules.

        Returns:
            The value to use.

        Raises:
            MatchingConfigError: The value has the wrong type or range.
        """
        return value

    def active(self, setting: Any) -> bool:
        """Whether the rule applies with this setting.

        Args:
            setting: The resolved setting.

        Returns:
            True when the rule forbids anything.
        """
        return setting is not None

    def forbids(self, block: PairBlock, setting: Any, scores: np.ndarray) -> np.ndarray:
        """Which pairs of ``block`` the rule forbids.

        Args:
            block: The pairs and their shared quantities.
            setting: The resolved, active setting.
            scores: The pair scores of the block (rounded).

        Returns:
            A bool array of the block's shape (True = forbidden).
        """
        raise NotImplementedError


class AlwaysRule(HardRule):
    """A hard rule that is always on and has no setting."""

    configurable: ClassVar[bool] = False

    def active(self, setting: Any) -> bool:
        """Always True."""
        return True


class FlagRule(HardRule):
    """A hard rule switched on with ``true`` (off by default)."""

    default: ClassVar[Any] = False

    def validate(self, value: Any) -> Any:
        """The setting, which must be a bool."""
        if not isinstance(value, bool):
            raise MatchingConfigError(f"rule {self.name!r} must be true or false, not {value!r}")
        return value

    def active(self, setting: Any) -> bool:
        """On when the setting is true."""
        return bool(setting)


class LimitRule(HardRule):
    """A hard rule with a numeric limit (>= 0, at most ``maximum`` if set), off when ``null``."""

    maximum: ClassVar[float | None] = None

    def validate(self, value: Any) -> Any:
        """The setting, which must be None or a number >= 0 (and at most ``maximum``)."""
        if value is not None and (not is_number(value) or value < 0):
            raise MatchingConfigError(f"rule {self.name!r} must be a number >= 0 or null, not {value!r}")
        if value is not None and self.maximum is not None and value > self.maximum:
            raise MatchingConfigError(f"rule {self.name!r} must be between 0 and {self.maximum:g}, not {value!r}")
        return value


# --- the list of criteria -----------------------------------------------------------------------


class Criteria:
    """An ordered, immutable list of criteria: what the engine scores, explains and enforces.

    Scored criteria are summed and explained in list order; hard rules are applied and reported
    in list order.
    """

    def __init__(self, items: Iterable[Criterion]) -> None:
        """Collect the criteria.

        Args:
            items: Scored criteria and hard rules, in order; names unique within each kind.

        Raises:
            ValueError: Two criteria of the same kind share a name.
        """
        self.items: tuple[Criterion, ...] = tuple(items)
        self.scored: tuple[ScoredCriterion, ...] = tuple(c for c in self.items if isinstance(c, ScoredCriterion))
        self.rules: tuple[HardRule, ...] = tuple(c for c in self.items if isinstance(c, HardRule))
        for group in (self.scored, self.rules):
            names = [c.name for c in group]
            if len(set(names)) != len(names):
                raise ValueError(f"duplicate criterion names in {names}")
        self._by_name = {c.name: c for c in self.items}

    def __iter__(self):
        return iter(self.items)

    def with_(self, *extra: Criterion) -> Criteria:
        """A new list with ``extra`` appended.

        Args:
            *extra: Criteria to add.

        Returns:
            The longer list.
        """
        return Criteria((*self.items, *extra))

    def get(self, name: str) -> Criterion | None:
        """The criterion or rule called ``name``, or None."""
        return self._by_name.get(name)

    @property
    def names(self) -> tuple[str, ...]:
        """Names of the scored criteria, in order."""
        return tuple(c.name for c in self.scored)

    def default_weights(self) -> dict[str, float]:
        """``{criterion: default weight}``, in order."""
        return {c.name: c.default_weight for c in self.scored}

    def default_rules(self) -> dict[str, Any]:
        """Every setting a program may give, with its default: rules in order, then parameters."""
        defaults = {rule.name: rule.default for rule in self.rules if rule.configurable}
        for criterion in self.scored:
            defaults.update(criterion.parameters)
        return defaults

    def resolve_weights(self, weights: Mapping[str, Any] | None) -> dict[str, float]:
        """The default weights overridden by a program's, checked.

        Args:
            weights: ``{criterion: weight}`` or None.

        Returns:
            A weight for every scored criterion, in order.

        Raises:
            MatchingConfigError: An unknown criterion or a weight that is not a number >= 0.
        """
        resolved = self.default_weights()
        for key, value in (weights or {}).items():
            if key not in resolved:
                raise MatchingConfigError(
                    f"unknown matching criterion {key!r}; expected one of {', '.join(self.names)}"
                )
            if not is_number(value) or value < 0:
                raise MatchingConfigError(f"weight of {key!r} must be a number >= 0, not {value!r}")
            resolved[key] = float(value)
        return resolved

    def resolve_rules(self, rules: Mapping[str, Any] | None) -> dict[str, Any]:
        """The default rules and parameters overridden by a program's, checked.

        Args:
            rules: ``{rule or parameter: setting}`` or None.

        Returns:
            Every setting (see :meth:`default_rules`).

        Raises:
            MatchingConfigError: An unknown key or a badly typed value.
        """
        resolved = self.default_rules()
        for key, value in (rules or {}).items():
            if key not in resolved:
                raise MatchingConfigError(f"unknown matching rule {key!r}; expected one of {', '.join(resolved)}")
            rule = self._by_name.get(key)
            if isinstance(rule, HardRule):
                value = rule.validate(value)
            elif not is_number(value) or value < 0:
                raise MatchingConfigError(f"{key!r} must be a number >= 0, not {value!r}")
            resolved[key] = value
        return resolved


# --- shared formulas -------------------------------------------------------------------------------
# Each takes NumPy arrays (the vectorised path) or Python numbers (one pair), and does the same IEEE
# operations on both, so the two paths agree to the last bit; plain Python is much faster per pair.


def clip01(value: Any, out: np.ndarray | None = None) -> Any:
    """``value`` clipped to [0, 1] (element-wise for an array, into ``out`` when given)."""
    return np.clip(value, 0.0, 1.0, out=out) if isinstance(value, np.ndarray) else min(max(value, 0.0), 1.0)


def coverage(shared: Any, sought: Any, out: np.ndarray | None = None) -> Any:
    """Share of the sought items that are offered (0 when nothing is sought; into ``out`` when given)."""
    if isinstance(sought, np.ndarray):
        return np.divide(shared, np.maximum(sought, 1), out=out)
    return shared / max(sought, 1)


def jaccard(shared: Any, size_a: Any, size_b: Any) -> Any:
    """Jaccard similarity from the intersection size and the two set sizes (0 for two empty sets)."""
    if not isinstance(shared, np.ndarray):
        return shared / max(size_a + size_b - shared, 1)
    union = size_a + size_b - shared  # the same operations as above, on one array reused in place
    np.maximum(union, 1, out=union)
    return np.divide(shared, union, out=union)


def seniority_value(gap: Any, preferred: float) -> Any:
    """``max(0, 1 - |gap - preferred| / (preferred + 1))``, capped at 1."""
    return clip01(1.0 - abs(gap - preferred) / (preferred + 1.0))


def time_zone_value(hours: Any) -> Any:
    """``1 - hours / 12`` in [0, 1]; 0 where the hours are unknown (NaN)."""
    if isinstance(hours, np.ndarray):
        return np.where(np.isnan(hours), 0.0, clip01(1.0 - np.nan_to_num(hours) / MAX_HOURS_APART))
    return 0.0 if math.isnan(hours) else clip01(1.0 - hours / MAX_HOURS_APART)


# --- scored criteria ------------------------------------------------------------------------------


class Skills(ScoredCriterion):
    """Coverage: the share of the skills the mentee seeks that the mentor offers."""

    name = "skills"
    title = gettext_noop("Skills")
    default_weight = 3.0

    def values(self, block: PairBlock, rules: Mapping[str, Any]) -> np.ndarray:
        """Coverage of every pair."""
        shared = block.shared("skills")  # a new array: divided in place
        return coverage(shared, block.mentee(block.mentees.sizes["skills"]), out=shared)

    def explain(self, mentee: Candidate, mentor: Candidate, rules: Mapping[str, Any]) -> tuple[float, dict[str, Any]]:
        """Coverage, the shared skills and how many were sought."""
        shared = sorted(mentee.skills & mentor.skills)
        return coverage(len(shared), len(mentee.skills)), {"shared": shared, "sought": len(mentee.skills)}

    def describe(self, detail: Mapping[str, Any], value: float) -> str:
        """The sentence, e.g. "offers 1 of the 2 skills sought (python)"."""
        shared, sought = detail.get("shared", []), detail.get("sought", 0)
        if not sought:
            return _("the mentee listed no skills to learn")
        text = ngettext(
            "offers %(count)d of the %(sought)d skill sought",
            "offers %(count)d of the %(sought)d skills sought",
            sought,
        ) % {"count": len(shared), "sought": sought}
        return f"{text} ({join_items(shared)})" if shared else text


class Goals(ScoredCriterion):
    """Cosine similarity of the two career-goals texts (term counts, stop words out)."""

    name = "goals"
    title = gettext_noop("Career goals")
    default_weight = 2.0

    def values(self, block: PairBlock, rules: Mapping[str, Any]) -> np.ndarray:
        """Similarity of every pair, clipped to [0, 1]."""
        similarity = block.goals_similarity  # a new array: clipped in place
        return clip01(similarity, out=similarity)

    def explain(self, mentee: Candidate, mentor: Candidate, rules: Mapping[str, Any]) -> tuple[float, dict[str, Any]]:
        """Similarity and the most weighty common terms."""
        va, vb = cached_text_vector(mentee.career_goals), cached_text_vector(mentor.career_goals)
        common = sorted(set(va) & set(vb))
        dot = 0.0
        for token in common:
            dot += va[token] * vb[token]
        terms = sorted(common, key=lambda t: (-va[t] * vb[t], t))[:GOAL_TERMS_SHOWN]
        return clip01(dot), {"common_terms": terms}

    def describe(self, detail: Mapping[str, Any], value: float) -> str:
        """The sentence, e.g. "in common: data, team"."""
        terms = detail.get("common_terms", [])
        return _("in common: %(terms)s") % {"terms": join_items(terms)} if terms else _("nothing in common")


class Interests(ScoredCriterion):
    """Jaccard similarity of the interests."""

    name = "interests"
    title = gettext_noop("Shared interests")
    default_weight = 1.0

    def values(self, block: PairBlock, rules: Mapping[str, Any]) -> np.ndarray:
        """Jaccard similarity of every pair."""
        sizes_a, sizes_b = block.mentees.sizes["interests"], block.mentors.sizes["interests"]
        return jaccard(block.shared("interests"), block.mentee(sizes_a), block.mentor(sizes_b))

    def explain(self, mentee: Candidate, mentor: Candidate, rules: Mapping[str, Any]) -> tuple[float, dict[str, Any]]:
        """Similarity and the shared interests."""
        shared = sorted(mentee.interests & mentor.interests)
        return jaccard(len(shared), len(mentee.interests), len(mentor.interests)), {"shared": shared}

    def describe(self, detail: Mapping[str, Any], value: float) -> str:
        """The shared interests."""
        shared = detail.get("shared", [])
        return join_items(shared) if shared else _("none in common")


class Department(ScoredCriterion):
    """Diversity bonus: 1 if both departments are known and differ, else 0."""

    name = "department"
    title = gettext_noop("Department diversity")
    default_weight = 1.0

    def values(self, block: PairBlock, rules: Mapping[str, Any]) -> np.ndarray:
        """1.0 where both are known and differ."""
        return (block.known_departments & ~block.same_department).astype(np.float64)

    def explain(self, mentee: Candidate, mentor: Candidate, rules: Mapping[str, Any]) -> tuple[float, dict[str, Any]]:
        """The bonus and both departments."""
        known = bool(mentee.department and mentor.department)
        value = float(known and mentee.department.casefold() != mentor.department.casefold())
        return value, {"mentee": mentee.department, "mentor": mentor.department}

    def describe(self, detail: Mapping[str, Any], value: float) -> str:
        """The sentence, e.g. "different departments (IT, HR)", "same department (IT)" or "department unknown"."""
        mentee, mentor = detail.get("mentee", ""), detail.get("mentor", "")
        if not mentee or not mentor:
            return _("department unknown")
        if value:
            return _("different departments (%(mentee)s, %(mentor)s)") % {"mentee": mentee, "mentor": mentor}
        return _("same department (%(department)s)") % {"department": mentee}


class Seniority(ScoredCriterion):
    """Closeness of the seniority gap to the program's preferred gap."""

    name = "seniority"
    title = gettext_noop("Seniority gap")
    default_weight = 1.0
    reads = ("seniority",)
    parameters: ClassVar[Mapping[str, float]] = {"preferred_seniority_gap": DEFAULT_PREFERRED_SENIORITY_GAP}

    def values(self, block: PairBlock, rules: Mapping[str, Any]) -> np.ndarray:
        """Closeness of every pair's gap."""
        return seniority_value(block.seniority_gap, float(rules["preferred_seniority_gap"]))

    def explain(self, mentee: Candidate, mentor: Candidate, rules: Mapping[str, Any]) -> tuple[float, dict[str, Any]]:
        """Closeness, the gap and the preferred gap."""
        gap = mentor.seniority - mentee.seniority
        value = seniority_value(float(gap), float(rules["preferred_seniority_gap"]))
        return value, {"gap": gap, "preferred": rules["preferred_seniority_gap"]}

    def describe(self, detail: Mapping[str, Any], value: float) -> str:
        """The sentence, e.g. "mentor is 2 levels above the mentee (preferred: 2)"."""
        gap = detail.get("gap", 0)
        return ngettext(
            "mentor is %(gap)d level above the mentee (preferred: %(preferred)s)",
            "mentor is %(gap)d levels above the mentee (preferred: %(preferred)s)",
            gap,
        ) % {"gap": gap, "preferred": detail.get("preferred", 0)}


class Languages(ScoredCriterion):
    """1 if the pair shares at least one language, else 0."""

    name = "languages"
    title = gettext_noop("Shared language")
    default_weight = 1.0
    reads = ("languages",)

    def values(self, block: PairBlock, rules: Mapping[str, Any]) -> np.ndarray:
        """1.0 where a language is shared."""
        return block.shares("languages").astype(np.float64)

    def explain(self, mentee: Candidate, mentor: Candidate, rules: Mapping[str, Any]) -> tuple[float, dict[str, Any]]:
        """1 or 0, and the shared languages."""
        shared = sorted(mentee.languages & mentor.languages)
        return float(bool(shared)), {"shared": shared}

    def describe(self, detail: Mapping[str, Any], value: float) -> str:
        """The shared languages."""
        shared = detail.get("shared", [])
        return join_items(shared) if shared else _("none in common")


class TimeZone(ScoredCriterion):
    """``1 - hours_apart / 12`` on the 24-hour circle; 0 when either time zone is unknown."""

    name = "time_zone"
    title = gettext_noop("Time zone")
    default_weight = 0.5
    reads = ("offset",)

    def values(self, block: PairBlock, rules: Mapping[str, Any]) -> np.ndarray:
        """Closeness of every pair's time zones."""
        return time_zone_value(block.hours_apart)

    def known(self, block: PairBlock) -> bool:
        """Some time zone is known on both sides."""
        return block.time_zones_known

    def explain(self, mentee: Candidate, mentor: Candidate, rules: Mapping[str, Any]) -> tuple[float, dict[str, Any]]:
        """Closeness and the hours apart (None when unknown)."""
        mentee_offset, mentor_offset = utc_offset_hours(mentee.time_zone), utc_offset_hours(mentor.time_zone)
        if mentee_offset is None or mentor_offset is None:
            return 0.0, {"hours_apart": None}
        hours = float(hours_apart(mentee_offset, mentor_offset))
        return time_zone_value(hours), {"hours_apart": hours}

    def describe(self, detail: Mapping[str, Any], value: float) -> str:
        """The sentence, e.g. "3 hours apart" or "time zone unknown"."""
        hours = detail.get("hours_apart")
        return _("time zone unknown") if hours is None else _("%(hours)s hours apart") % {"hours": f"{hours:g}"}


# --- hard rules -----------------------------------------------------------------------------------


class SamePerson(AlwaysRule):
    """A person never mentors themself (same ``person_id`` on both sides)."""

    name = "same_person"
    title = gettext_noop("a person cannot mentor themself")

    def forbids(self, block: PairBlock, setting: Any, scores: np.ndarray) -> np.ndarray:
        """Pairs of the same known person."""
        return block.same_person


class SharedLanguage(FlagRule):
    """They must share a language (unknown languages share none)."""

    name = "shared_language"
    title = gettext_noop("must share a language")
    reads = ("languages",)

    def forbids(self, block: PairBlock, setting: Any, scores: np.ndarray) -> np.ndarray:
        """Pairs without a common language."""
        return ~block.shares("languages")


class DifferentDepartment(FlagRule):
    """Not the same department (an empty department never clashes)."""

    name = "different_department"
    title = gettext_noop("must be in different departments")

    def forbids(self, block: PairBlock, setting: Any, scores: np.ndarray) -> np.ndarray:
        """Pairs in the same known department."""
        return block.same_department


class MentorMoreSenior(FlagRule):
    """The mentor's seniority must be higher than the mentee's."""

    name = "mentor_more_senior"
    title = gettext_noop("mentor must be more senior")
    reads = ("seniority",)

    def forbids(self, block: PairBlock, setting: Any, scores: np.ndarray) -> np.ndarray:
        """Pairs where the mentor is not more senior."""
        return block.seniority_gap <= 0


class MaxTimezoneGap(LimitRule):
    """At most this many hours apart (unknown time zones pass)."""

    name = "max_timezone_gap_hours"
    title = gettext_noop("time zones too far apart")
    reads = ("offset",)

    def forbids(self, block: PairBlock, setting: Any, scores: np.ndarray) -> np.ndarray:
        """Pairs more than ``setting`` hours apart (NaN compares False: unknown passes)."""
        if not block.time_zones_known:
            return np.zeros(block.shape, dtype=bool)
        return block.hours_apart > float(setting)


class MinScore(LimitRule):
    """The pair score must be at least this (between 0 and 1)."""

    name = "min_score"
    title = gettext_noop("score below the program's minimum")
    maximum = 1.0
    uses_score = True

    def forbids(self, block: PairBlock, setting: Any, scores: np.ndarray) -> np.ndarray:
        """Pairs scoring below ``setting``."""
        return scores < float(setting)


#: The engine's criteria: scored criteria in the order they are summed and explained, then the
#: hard rules in the order they are applied and reported.
DEFAULT_CRITERIA = Criteria(
    (
        Skills(),
        Goals(),
        Interests(),
        Department(),
        Seniority(),
        Languages(),
        TimeZone(),
        SamePerson(),
        SharedLanguage(),
        DifferentDepartment(),
        MentorMoreSenior(),
        MaxTimezoneGap(),
        MinScore(),
    )
)
