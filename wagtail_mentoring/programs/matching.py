"""Optimal, explainable mentor-mentee matching over plain dataclasses (pure Python + numpy/scipy, no ORM).

Public API (DESIGN.md "Matching contract"):

- :class:`Candidate`: one enrolled person (a mentee or a mentor).
- :func:`score` ``(mentee, mentor, weights=None, rules=None) -> float | None``: the pair score in
  ``[0, 1]``, or ``None`` when a hard rule forbids the pair.
- :func:`score_matrix`: the same scores for every (mentee, mentor) pair at once, vectorised
  (``NaN`` where forbidden). ``score()`` is this function on a 1 x 1 problem.
- :func:`match` ``(mentees, mentors, weights=None, rules=None, strategy="best_total", excluded=None)
  -> MatchResult``.

Score
-----
Each criterion yields a value in ``[0, 1]``; the pair score is the weighted mean of those values,
``sum(weight_c * value_c) / sum(weight_c)``, rounded to 6 decimal places (so it is always in
``[0, 1]``, and the optimisation below runs on exact integers). Criteria and default weights
(:data:`DEFAULT_WEIGHTS`; a program overrides any of them with a ``{criterion: weight}`` dict,
weights must be >= 0):

==============  ======  ===========================================================================
criterion       weight  value
==============  ======  ===========================================================================
``skills``      3.0     coverage: share of the skills the mentee seeks that the mentor offers
``goals``       2.0     cosine similarity of the two career-goals texts (term counts, stop words out)
``interests``   1.0     Jaccard similarity of the interests
``department``  1.0     1 if both departments are known and differ (diversity bonus), else 0
``seniority``   1.0     ``max(0, 1 - |gap - preferred| / (preferred + 1))`` with
                        ``gap = mentor.seniority - mentee.seniority`` and ``preferred`` the
                        ``preferred_seniority_gap`` rule setting (default 2)
``languages``   1.0     1 if they share at least one language, else 0
``time_zone``   0.5     ``1 - hours_apart / 12`` (hours apart on the 24-hour circle); 0 if unknown
==============  ======  ===========================================================================

Set-valued fields (skills, interests, languages) are compared case-insensitively (values are
stripped and case-folded).

Hard rules
----------
``rules`` is a dict; every key is optional (:data:`DEFAULT_RULES`). A pair that breaks one is
*forbidden*: ``score()`` returns ``None`` and ``match()`` never proposes it.

- ``shared_language`` (bool): they must share a language (unknown languages share none).
- ``different_department`` (bool): not the same department (an empty department never clashes).
- ``mentor_more_senior`` (bool): ``mentor.seniority > mentee.seniority``.
- ``max_timezone_gap_hours`` (number or None): at most this many hours apart (unknown passes).
- ``min_score`` (number or None): the pair score must be at least this.
- ``preferred_seniority_gap`` (number, default 2) is not a rule but tunes the seniority criterion.

A mentor is never paired with themself (same ``person_id``). Unknown keys or wrongly typed values
raise :class:`MatchingConfigError` (a ``ValueError``) with a message naming the key.

Assignment (what ``match`` optimises)
-------------------------------------
Every mentor is expanded into ``capacity`` identical slots, and one
``scipy.optimize.linear_sum_assignment`` over the (mentees x slots) matrix picks at most one slot
per mentee and one mentee per slot. Forbidden pairs get weight 0 and are dropped afterwards, so they
are never proposed. With integer scores ``s = round(score * 10**6)``, ``n`` mentees and
``B = 10**6 * n + 1``:

- ``strategy="best_total"`` maximises the total score of the proposed pairs; among assignments
  with the same (maximal) total it matches as many mentees as possible. Weight of an allowed pair:
  ``s * (n + 1) + 1``. A mentee may stay unmatched although an allowed mentor exists, when giving
  them that mentor would lower the total (the mentor scores higher with someone else).
- ``strategy="most_matched"`` first maximises the number of matched mentees, then the total score.
  Weight of an allowed pair: ``B + s``.

Both objectives are lexicographic and exact (integer weights below 2**53), so the result is a true
optimum, not an approximation. Rows, columns and slots that can never be used (mentees without an
allowed mentor, mentors without an allowed mentee, slots beyond the number of allowed mentees) are
removed before solving, which does not change the optimum.

Large problems (more than :data:`DENSE_LIMIT` mentee x slot cells, e.g. 5,000 x 5,000) are solved
on a sparse graph instead, still exactly: each mentee keeps its :data:`CANDIDATES_PER_MENTEE` best
allowed mentors, ``scipy.sparse.csgraph.min_weight_full_bipartite_matching`` (sparse LAPJV) solves
that, and an LP-duality certificate (Bellman-Ford potentials on the residual graph) proves the
result optimal over *all* allowed pairs. Pairs that break the certificate are added and the solve
repeats; after a few rounds it falls back to the dense solver. The answer has the same optimal
objective as the dense solver (tests compare both with a brute force).

Determinism and ties: candidates are sorted by ``id`` before anything else (ids must be unique per
side and mutually comparable), so the matrix, and therefore the solver's answer, depends only on the
data and never on input order. Among assignments that tie on both objectives, the one the solver
reaches on the id-sorted matrix is returned; the same input always gives the same output.

Unmatched mentees get one reason code (:data:`UNMATCHED_REASONS`), checked in this order:
``excluded`` (left out by the caller, e.g. required training not complete: the caller's text is in
``detail["note"]``), ``no_mentors`` (no mentor with free capacity at all), ``rules`` (every mentor
breaks a hard rule; ``detail["rules"]`` counts the mentors each rule ruled out), ``min_score``
(some mentors pass the other rules, but all score below ``min_score``), ``capacity`` (every allowed
mentor is full). Pair reasons are per-criterion contributions (:class:`Reason`). Codes and details
are JSON-friendly; :func:`reason_message` and :func:`unmatched_message` turn them into translated
sentences when shown (Django's gettext is imported lazily, so this module imports without Django).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

__all__ = [
    "CRITERIA",
    "DEFAULT_RULES",
    "DEFAULT_WEIGHTS",
    "RULES",
    "STRATEGIES",
    "UNMATCHED_REASONS",
    "Candidate",
    "MatchResult",
    "MatchingConfigError",
    "Pair",
    "Reason",
    "Unmatched",
    "criterion_label",
    "match",
    "reason_message",
    "rule_label",
    "score",
    "score_matrix",
    "unmatched_message",
    "utc_offset_hours",
]

CRITERIA: tuple[str, ...] = ("skills", "goals", "interests", "department", "seniority", "languages", "time_zone")
DEFAULT_WEIGHTS: dict[str, float] = {
    "skills": 3.0,
    "goals": 2.0,
    "interests": 1.0,
    "department": 1.0,
    "seniority": 1.0,
    "languages": 1.0,
    "time_zone": 0.5,
}
#: Hard rules, in the order they are reported. ``same_person`` is always on.
RULES: tuple[str, ...] = (
    "same_person",
    "shared_language",
    "different_department",
    "mentor_more_senior",
    "max_timezone_gap_hours",
    "min_score",
)
DEFAULT_RULES: dict[str, Any] = {
    "shared_language": False,
    "different_department": False,
    "mentor_more_senior": False,
    "max_timezone_gap_hours": None,
    "min_score": None,
    "preferred_seniority_gap": 2,
}
STRATEGIES: tuple[str, ...] = ("best_total", "most_matched")
UNMATCHED_REASONS: tuple[str, ...] = ("excluded", "no_mentors", "rules", "min_score", "capacity")

SCALE = 10**6  # scores are rounded to 1 / SCALE and optimised as integers
_DECIMALS = 6
_STOP_WORDS = frozenset(
    """a about an and are as at be become becoming by for from get getting have i in into is it its
    me more my of on or our so that the their them this to want wants we what will with would like
    il la le lo gli i un una di da del della e ed in per con su che non mi voglio""".split()
)
_TOKEN_RE = re.compile(r"[^\W\d_]{2,}")
_OFFSET_RE = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


class MatchingConfigError(ValueError):
    """Invalid weights, rules, strategy or candidates; the message names the offending key."""


# --- translation (lazy: the module imports and runs without Django) -----------------------------


def _(message: str) -> str:
    """Translate with Django's gettext when Django is configured; otherwise return the message."""
    try:
        from django.utils.translation import gettext

        return gettext(message)
    except Exception:  # Django missing or settings not configured (e.g. the benchmark)
        return message


def ngettext(singular: str, plural: str, number: int) -> str:
    """Plural-aware translation with the same fallback as :func:`_`."""
    try:
        from django.utils.translation import ngettext as django_ngettext

        return django_ngettext(singular, plural, number)
    except Exception:
        return singular if number == 1 else plural


def criterion_label(criterion: str) -> str:
    """The translated, human name of a criterion (e.g. ``"time_zone"`` -> "Time zone")."""
    labels = {
        "skills": _("Skills"),
        "goals": _("Career goals"),
        "interests": _("Shared interests"),
        "department": _("Department diversity"),
        "seniority": _("Seniority gap"),
        "languages": _("Shared language"),
        "time_zone": _("Time zone"),
    }
    return labels.get(criterion, criterion)


def rule_label(rule: str) -> str:
    """The translated description of a hard rule."""
    labels = {
        "same_person": _("a person cannot mentor themself"),
        "shared_language": _("must share a language"),
        "different_department": _("must be in different departments"),
        "mentor_more_senior": _("mentor must be more senior"),
        "max_timezone_gap_hours": _("time zones too far apart"),
        "min_score": _("score below the program's minimum"),
    }
    return labels.get(rule, rule)


def _join(items: Iterable[str]) -> str:
    return ", ".join(items)


def reason_message(reason: Reason | Mapping[str, Any]) -> str:
    """A translated sentence explaining one criterion's contribution to a pair's score.

    Accepts a :class:`Reason` or its :meth:`Reason.as_dict` form (as stored in JSON).
    """
    data = reason.as_dict() if isinstance(reason, Reason) else reason
    criterion, detail = data["criterion"], data.get("detail") or {}
    if criterion == "skills":
        shared, sought = detail.get("shared", []), detail.get("sought", 0)
        if not sought:
            text = _("the mentee listed no skills to learn")
        else:
            text = ngettext(
                "offers %(count)d of the %(sought)d skill sought",
                "offers %(count)d of the %(sought)d skills sought",
                sought,
            ) % {"count": len(shared), "sought": sought}
            if shared:
                text += f" ({_join(shared)})"
    elif criterion == "goals":
        terms = detail.get("common_terms", [])
        text = _("in common: %(terms)s") % {"terms": _join(terms)} if terms else _("nothing in common")
    elif criterion == "interests":
        shared = detail.get("shared", [])
        text = _join(shared) if shared else _("none in common")
    elif criterion == "department":
        mentee, mentor = detail.get("mentee", ""), detail.get("mentor", "")
        if not mentee or not mentor:
            text = _("department unknown")
        elif data.get("value"):
            text = _("different departments (%(mentee)s, %(mentor)s)") % {"mentee": mentee, "mentor": mentor}
        else:
            text = _("same department (%(department)s)") % {"department": mentee}
    elif criterion == "seniority":
        gap = detail.get("gap", 0)
        text = ngettext(
            "mentor is %(gap)d level above the mentee (preferred: %(preferred)s)",
            "mentor is %(gap)d levels above the mentee (preferred: %(preferred)s)",
            gap,
        ) % {
            "gap": gap,
            "preferred": detail.get("preferred", 0),
        }
    elif criterion == "languages":
        shared = detail.get("shared", [])
        text = _join(shared) if shared else _("none in common")
    elif criterion == "time_zone":
        hours = detail.get("hours_apart")
        text = _("time zone unknown") if hours is None else _("%(hours)s hours apart") % {"hours": f"{hours:g}"}
    else:
        text = criterion
    return f"{criterion_label(criterion)}: {text}"


def unmatched_message(unmatched: Unmatched | Mapping[str, Any]) -> str:
    """A translated sentence saying why a mentee was left unmatched.

    Accepts an :class:`Unmatched` or its :meth:`Unmatched.as_dict` form.
    """
    data = unmatched.as_dict() if isinstance(unmatched, Unmatched) else unmatched
    reason, detail = data["reason"], data.get("detail") or {}
    if reason == "excluded":
        note = detail.get("note") or ""
        return _("Left out of matching: %(note)s") % {"note": note} if note else _("Left out of matching.")
    if reason == "no_mentors":
        return _("No mentor with free capacity is available.")
    if reason == "rules":
        counts = detail.get("rules", {})
        parts = [f"{rule_label(rule)} ({count})" for rule, count in counts.items()]
        return _("No mentor passes the program's rules: %(rules)s.") % {"rules": _join(parts)}
    if reason == "min_score":
        return _("Every possible mentor scores below the minimum of %(min)s (best: %(best)s).") % {
            "min": f"{detail.get('min_score', 0):g}",
            "best": f"{detail.get('best_score', 0):g}",
        }
    if reason == "capacity":
        count = detail.get("eligible_mentors", 0)
        return ngettext(
            "The only suitable mentor is already at capacity.",
            "All %(count)d suitable mentors are already at capacity.",
            count,
        ) % {"count": count}
    return reason


# --- data -----------------------------------------------------------------------------------------


def _normalise_set(values: Iterable[str] | str | None) -> frozenset[str]:
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
        self.skills = _normalise_set(self.skills)
        self.interests = _normalise_set(self.interests)
        self.languages = _normalise_set(self.languages)
        self.department = (self.department or "").strip()
        self.career_goals = self.career_goals or ""
        if isinstance(self.capacity, bool) or not isinstance(self.capacity, int) or self.capacity < 0:
            raise MatchingConfigError(f"capacity of candidate {self.id!r} must be an integer >= 0")
        if isinstance(self.seniority, bool) or not isinstance(self.seniority, int):
            raise MatchingConfigError(f"seniority of candidate {self.id!r} must be an integer")


@dataclass(frozen=True)
class Reason:
    """One criterion's part of a pair's score.

    Attributes:
        criterion: A name from :data:`CRITERIA`.
        weight: The criterion's weight.
        value: The criterion value in [0, 1].
        contribution: Points of the pair score: ``weight * value / total weight``.
        detail: JSON-friendly facts behind the value (shared items, gap, hours...).
    """

    criterion: str
    weight: float
    value: float
    contribution: float
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """Translated explanation (see :func:`reason_message`)."""
        return reason_message(self)

    def as_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "weight": self.weight,
            "value": self.value,
            "contribution": self.contribution,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Pair:
    """A proposed mentorship: mentee, mentor, score and its per-criterion reasons."""

    mentee_id: Hashable
    mentor_id: Hashable
    score: float
    reasons: tuple[Reason, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "mentee_id": self.mentee_id,
            "mentor_id": self.mentor_id,
            "score": self.score,
            "reasons": [r.as_dict() for r in self.reasons],
        }


@dataclass(frozen=True)
class Unmatched:
    """A mentee left without a mentor, with a reason code from :data:`UNMATCHED_REASONS`."""

    mentee_id: Hashable
    reason: str
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """Translated explanation (see :func:`unmatched_message`)."""
        return unmatched_message(self)

    def as_dict(self) -> dict[str, Any]:
        return {"mentee_id": self.mentee_id, "reason": self.reason, "detail": self.detail}


@dataclass(frozen=True)
class MatchResult:
    """The proposal: pairs (by mentee id), unmatched mentees (by id) and the total score.

    Attributes:
        pairs: Proposed pairs, sorted by mentee id.
        unmatched: Mentees without a mentor, sorted by mentee id, each with a reason.
        total_score: Sum of the pair scores.
        strategy: The strategy used.
        excluded_mentors: ``(mentor_id, note)`` for mentors left out by the caller.
    """

    pairs: tuple[Pair, ...]
    unmatched: tuple[Unmatched, ...]
    total_score: float
    strategy: str
    excluded_mentors: tuple[tuple[Hashable, str], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "strategy": self.strategy,
            "total_score": self.total_score,
            "pairs": [p.as_dict() for p in self.pairs],
            "unmatched": [u.as_dict() for u in self.unmatched],
            "excluded_mentors": [list(m) for m in self.excluded_mentors],
        }


# --- configuration ------------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _resolve_weights(weights: Mapping[str, Any] | None) -> dict[str, float]:
    resolved = dict(DEFAULT_WEIGHTS)
    for key, value in (weights or {}).items():
        if key not in DEFAULT_WEIGHTS:
            raise MatchingConfigError(f"unknown matching criterion {key!r}; expected one of {', '.join(CRITERIA)}")
        if not _is_number(value) or value < 0:
            raise MatchingConfigError(f"weight of {key!r} must be a number >= 0, not {value!r}")
        resolved[key] = float(value)
    return resolved


def _resolve_rules(rules: Mapping[str, Any] | None) -> dict[str, Any]:
    resolved = dict(DEFAULT_RULES)
    for key, value in (rules or {}).items():
        if key not in DEFAULT_RULES:
            raise MatchingConfigError(f"unknown matching rule {key!r}; expected one of {', '.join(DEFAULT_RULES)}")
        if key in ("shared_language", "different_department", "mentor_more_senior"):
            if not isinstance(value, bool):
                raise MatchingConfigError(f"rule {key!r} must be true or false, not {value!r}")
        elif key == "preferred_seniority_gap":
            if not _is_number(value) or value < 0:
                raise MatchingConfigError(f"{key!r} must be a number >= 0, not {value!r}")
        elif value is not None and (not _is_number(value) or value < 0):
            raise MatchingConfigError(f"rule {key!r} must be a number >= 0 or null, not {value!r}")
        if key == "min_score" and value is not None and value > 1:
            raise MatchingConfigError(f"rule 'min_score' must be between 0 and 1, not {value!r}")
        resolved[key] = value
    return resolved


# --- time zones ---------------------------------------------------------------------------------

_REFERENCE_INSTANTS = (datetime(2025, 1, 15, 12, tzinfo=UTC), datetime(2025, 7, 15, 12, tzinfo=UTC))


@lru_cache(maxsize=1024)
def _offset_from_name(name: str) -> float | None:
    text = name.strip()
    if not text:
        return None
    if text.upper() in ("UTC", "GMT", "Z"):
        return 0.0
    found = _OFFSET_RE.match(text)
    if found:
        sign, hours, minutes = found.groups()
        value = int(hours) + int(minutes or 0) / 60
        return -value if sign == "-" else value
    try:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(text)
    except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return None
    offsets = [instant.astimezone(zone).utcoffset().total_seconds() / 3600 for instant in _REFERENCE_INSTANTS]
    return sum(offsets) / len(offsets)


def utc_offset_hours(time_zone: str | float | None) -> float | None:
    """Hours from UTC for a time zone given as a number, "UTC+2"/"-05:30", or an IANA name.

    IANA names use the mean of their offsets on 15 January and 15 July 2025 (so daylight saving
    counts half and the result never depends on today's date). Unknown values give None.
    """
    if time_zone is None or isinstance(time_zone, bool):
        return None
    if isinstance(time_zone, int | float):
        return float(time_zone) if math.isfinite(time_zone) else None
    return _offset_from_name(str(time_zone))


# --- criterion formulas (shared by the vectorised and per-pair paths; scalars or arrays) -----------


def _coverage(inter, sought):
    return inter / np.maximum(sought, 1)


def _jaccard(inter, size_a, size_b):
    return inter / np.maximum(size_a + size_b - inter, 1)


def _seniority_value(gap, preferred):
    return np.clip(1.0 - np.abs(gap - preferred) / (preferred + 1.0), 0.0, 1.0)


def _hours_apart(offset_a, offset_b):
    diff = np.abs(offset_a - offset_b) % 24.0
    return np.minimum(diff, 24.0 - diff)


def _time_zone_value(hours):
    return np.where(np.isnan(hours), 0.0, np.clip(1.0 - np.nan_to_num(hours) / 12.0, 0.0, 1.0))


def _tokens(text: str) -> list[str]:
    return [t for t in _TOKEN_RE.findall(text.casefold()) if t not in _STOP_WORDS]


def _text_vector(text: str) -> dict[str, float]:
    """Unit-length term-count vector, keys sorted (the summation order is part of the contract)."""
    counts = Counter(_tokens(text))
    if not counts:
        return {}
    keys = sorted(counts)
    norm = math.sqrt(sum(counts[k] * counts[k] for k in keys))
    return {k: counts[k] / norm for k in keys}


# --- vectorised features ------------------------------------------------------------------------


@dataclass
class _Side:
    skills: sparse.csr_matrix
    interests: sparse.csr_matrix
    languages: sparse.csr_matrix
    goals: sparse.csr_matrix
    skills_n: np.ndarray
    interests_n: np.ndarray
    languages_n: np.ndarray
    department: np.ndarray
    seniority: np.ndarray
    offset: np.ndarray
    person: np.ndarray


def _vocabulary(*groups: Iterable[Iterable[str]]) -> dict[str, int]:
    tokens: set[str] = set()
    for group in groups:
        for items in group:
            tokens.update(items)
    return {token: index for index, token in enumerate(sorted(tokens))}


def _binary(rows: Sequence[Iterable[str]], vocab: dict[str, int]) -> sparse.csr_matrix:
    indptr, indices = [0], []
    for items in rows:
        indices.extend(sorted(vocab[t] for t in items))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    return sparse.csr_matrix((data, np.asarray(indices, dtype=np.int64), indptr), shape=(len(rows), len(vocab)))


def _weighted(rows: Sequence[dict[str, float]], vocab: dict[str, int]) -> sparse.csr_matrix:
    indptr, indices, data = [0], [], []
    for vector in rows:
        for token, value in vector.items():  # keys are sorted, vocab is sorted: indices ascend
            indices.append(vocab[token])
            data.append(value)
        indptr.append(len(indices))
    return sparse.csr_matrix(
        (np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int64), indptr), shape=(len(rows), len(vocab))
    )


def _features(mentees: Sequence[Candidate], mentors: Sequence[Candidate]) -> tuple[_Side, _Side]:
    people = (mentees, mentors)
    vocab_skills = _vocabulary(*([c.skills for c in side] for side in people))
    vocab_interests = _vocabulary(*([c.interests for c in side] for side in people))
    vocab_languages = _vocabulary(*([c.languages for c in side] for side in people))
    goals = [[_text_vector(c.career_goals) for c in side] for side in people]
    vocab_goals = _vocabulary(*goals)
    departments = _vocabulary(*([[c.department.casefold()] if c.department else [] for c in side] for side in people))
    persons = {p: i for i, p in enumerate({c.person_id for side in people for c in side if c.person_id is not None})}

    def side(candidates: Sequence[Candidate], vectors: list[dict[str, float]]) -> _Side:
        return _Side(
            skills=_binary([c.skills for c in candidates], vocab_skills),
            interests=_binary([c.interests for c in candidates], vocab_interests),
            languages=_binary([c.languages for c in candidates], vocab_languages),
            goals=_weighted(vectors, vocab_goals),
            skills_n=np.array([len(c.skills) for c in candidates], dtype=np.float64),
            interests_n=np.array([len(c.interests) for c in candidates], dtype=np.float64),
            languages_n=np.array([len(c.languages) for c in candidates], dtype=np.float64),
            department=np.array(
                [departments[c.department.casefold()] if c.department else -1 for c in candidates], dtype=np.int64
            ),
            seniority=np.array([c.seniority for c in candidates], dtype=np.float64),
            offset=np.array(
                [np.nan if (o := utc_offset_hours(c.time_zone)) is None else o for c in candidates], dtype=np.float64
            ),
            person=np.array([-1 if c.person_id is None else persons[c.person_id] for c in candidates], dtype=np.int64),
        )

    return side(mentees, goals[0]), side(mentors, goals[1])


def _dense_product(a: sparse.csr_matrix, b: sparse.csr_matrix) -> np.ndarray:
    if a.shape[1] == 0:
        return np.zeros((a.shape[0], b.shape[0]))
    return (a @ b.T).toarray()


@dataclass
class _Matrices:
    score: np.ndarray  # rounded pair scores, n x m
    blocked: dict[str, np.ndarray]  # rule -> bool n x m (True = rule forbids), rules in RULES order

    @property
    def allowed(self) -> np.ndarray:
        allowed = np.ones(self.score.shape, dtype=bool)
        for mask in self.blocked.values():
            allowed &= ~mask
        return allowed


def _matrices(mentees: Sequence[Candidate], mentors: Sequence[Candidate], weights, rules) -> _Matrices:
    a, b = _features(mentees, mentors)
    total_weight = sum(weights.values()) or 1.0
    preferred = float(rules["preferred_seniority_gap"])

    languages_inter = _dense_product(a.languages, b.languages)
    hours = _hours_apart(a.offset[:, None], b.offset[None, :])
    gap = b.seniority[None, :] - a.seniority[:, None]
    same_department = (a.department[:, None] == b.department[None, :]) & (a.department[:, None] >= 0)
    known_departments = (a.department[:, None] >= 0) & (b.department[None, :] >= 0)

    # Accumulate in CRITERIA order (the per-pair path uses the same order).
    total = np.zeros((len(mentees), len(mentors)))
    for criterion in CRITERIA:
        weight = weights[criterion]
        if criterion == "skills":
            value = _coverage(_dense_product(a.skills, b.skills), a.skills_n[:, None])
        elif criterion == "goals":
            value = np.clip(_dense_product(a.goals, b.goals), 0.0, 1.0)
        elif criterion == "interests":
            value = _jaccard(_dense_product(a.interests, b.interests), a.interests_n[:, None], b.interests_n[None, :])
        elif criterion == "department":
            value = (known_departments & ~same_department).astype(np.float64)
        elif criterion == "seniority":
            value = _seniority_value(gap, preferred)
        elif criterion == "languages":
            value = (languages_inter > 0).astype(np.float64)
        else:
            value = _time_zone_value(hours)
        total += weight * value
        del value
    scores = np.round(total / total_weight, _DECIMALS)

    blocked = {"same_person": (a.person[:, None] == b.person[None, :]) & (a.person[:, None] >= 0)}
    if rules["shared_language"]:
        blocked["shared_language"] = languages_inter == 0
    if rules["different_department"]:
        blocked["different_department"] = same_department
    if rules["mentor_more_senior"]:
        blocked["mentor_more_senior"] = gap <= 0
    if rules["max_timezone_gap_hours"] is not None:
        blocked["max_timezone_gap_hours"] = hours > float(rules["max_timezone_gap_hours"])  # NaN compares False
    if rules["min_score"] is not None:
        blocked["min_score"] = scores < float(rules["min_score"])
    return _Matrices(scores, blocked)


def _check_ids(candidates: Sequence[Candidate], side: str) -> list[Candidate]:
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


def score_matrix(
    mentees: Sequence[Candidate],
    mentors: Sequence[Candidate],
    weights: Mapping[str, float] | None = None,
    rules: Mapping[str, Any] | None = None,
) -> np.ndarray:
    """Scores of every (mentee, mentor) pair, rows and columns in the order given; NaN where forbidden."""
    matrices = _matrices(mentees, mentors, _resolve_weights(weights), _resolve_rules(rules))
    return np.where(matrices.allowed, matrices.score, np.nan)


def score(
    mentee: Candidate,
    mentor: Candidate,
    weights: Mapping[str, float] | None = None,
    rules: Mapping[str, Any] | None = None,
) -> float | None:
    """The pair score in [0, 1], or None when a hard rule forbids the pair (same maths as ``match``)."""
    value = score_matrix([mentee], [mentor], weights, rules)[0, 0]
    return None if np.isnan(value) else float(value)


# --- explanations -------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _cached_vector(text: str) -> dict[str, float]:
    return _text_vector(text)


def _reasons(mentee: Candidate, mentor: Candidate, weights: dict[str, float], rules: dict[str, Any]):
    total_weight = sum(weights.values()) or 1.0
    preferred = float(rules["preferred_seniority_gap"])
    mentee_offset, mentor_offset = utc_offset_hours(mentee.time_zone), utc_offset_hours(mentor.time_zone)
    reasons = []
    for criterion in CRITERIA:
        if criterion == "skills":
            shared = sorted(mentee.skills & mentor.skills)
            value = _coverage(len(shared), len(mentee.skills))
            detail = {"shared": shared, "sought": len(mentee.skills)}
        elif criterion == "goals":
            va, vb = _cached_vector(mentee.career_goals), _cached_vector(mentor.career_goals)
            common = sorted(set(va) & set(vb))
            dot = 0.0
            for token in common:
                dot += va[token] * vb[token]
            value = min(max(dot, 0.0), 1.0)
            detail = {"common_terms": sorted(common, key=lambda t: (-va[t] * vb[t], t))[:5]}
        elif criterion == "interests":
            shared = sorted(mentee.interests & mentor.interests)
            value = _jaccard(len(shared), len(mentee.interests), len(mentor.interests))
            detail = {"shared": shared}
        elif criterion == "department":
            known = bool(mentee.department and mentor.department)
            value = float(known and mentee.department.casefold() != mentor.department.casefold())
            detail = {"mentee": mentee.department, "mentor": mentor.department}
        elif criterion == "seniority":
            gap = mentor.seniority - mentee.seniority
            value = _seniority_value(float(gap), preferred)
            detail = {"gap": gap, "preferred": rules["preferred_seniority_gap"]}
        elif criterion == "languages":
            shared = sorted(mentee.languages & mentor.languages)
            value = float(bool(shared))
            detail = {"shared": shared}
        else:
            if mentee_offset is None or mentor_offset is None:
                hours, value = None, 0.0
            else:
                hours = float(_hours_apart(mentee_offset, mentor_offset))
                value = _time_zone_value(hours)
            detail = {"hours_apart": hours}
        value = float(value)
        reasons.append(
            Reason(
                criterion=criterion,
                weight=weights[criterion],
                value=round(value, _DECIMALS),
                contribution=round(weights[criterion] * value / total_weight, _DECIMALS),
                detail=detail,
            )
        )
    return tuple(reasons)


# --- assignment ---------------------------------------------------------------------------------


#: Problems with more (mentee x slot) cells than this use the sparse, verified solver.
DENSE_LIMIT = 2_000_000
#: Mentors per mentee in the first sparse round (more are added while the optimality check fails).
CANDIDATES_PER_MENTEE = 150
_MAX_ROUNDS = 8


def _weights(allowed: np.ndarray, scores: np.ndarray, strategy: str) -> np.ndarray:
    """Exact integer (as float64) pair weights encoding the lexicographic objective; 0 where forbidden."""
    integer = np.rint(scores * SCALE)
    n = float(allowed.shape[0])
    weight = integer * (n + 1.0) + 1.0 if strategy == "best_total" else integer + (SCALE * n + 1.0)
    weight[~allowed] = 0.0
    return weight


def _solve_dense(weight: np.ndarray, allowed: np.ndarray, slots: np.ndarray) -> list[tuple[int, int]]:
    """One linear_sum_assignment over every (mentee, slot) cell."""
    slot_col = np.repeat(np.arange(weight.shape[1]), slots)
    slot_cost = weight[:, slot_col]
    np.negative(slot_cost, out=slot_cost)  # minimise the negated weights in place: no extra copy
    row_idx, slot_idx = linear_sum_assignment(slot_cost)
    del slot_cost
    cols = slot_col[slot_idx]
    keep = allowed[row_idx, cols]  # never propose a forbidden pair
    return list(zip(row_idx[keep].tolist(), cols[keep].tolist(), strict=True))


def _solve_candidates(weight: np.ndarray, candidates: np.ndarray, slots: np.ndarray) -> np.ndarray:
    """Optimal assignment using only the candidate edges: mentor column per mentee row, -1 if none.

    Sparse LAPJV over (mentee x slot) edges plus one private "no mentor" column per mentee, so a
    full matching always exists. Costs are ``C - weight`` (real edge) and ``C`` (no mentor): every
    row is matched once, so this minimises exactly ``-sum(weight)``.
    """
    n, m = weight.shape
    rows, cols = np.nonzero(candidates)
    values = weight[rows, cols]
    first_slot = np.concatenate(([0], np.cumsum(slots)))
    total_slots = int(first_slot[-1])
    per_edge = slots[cols]
    edge_rows = np.repeat(rows, per_edge)
    edge_slots = np.repeat(first_slot[cols], per_edge) + (
        np.arange(per_edge.sum()) - np.repeat(np.cumsum(per_edge) - per_edge, per_edge)
    )
    ceiling = float(weight.max()) + 1.0
    graph = sparse.csr_matrix(
        (
            np.concatenate((ceiling - np.repeat(values, per_edge), np.full(n, ceiling))),
            (np.concatenate((edge_rows, np.arange(n))), np.concatenate((edge_slots, total_slots + np.arange(n)))),
        ),
        shape=(n, total_slots + n),
    )
    _row_ind, slot_of_row = min_weight_full_bipartite_matching(graph)
    mentor = np.full(n, -1, dtype=np.int64)
    real = slot_of_row < total_slots
    mentor[real] = np.searchsorted(first_slot, slot_of_row[real], side="right") - 1
    return mentor


def _potentials(tails: np.ndarray, heads: np.ndarray, costs: np.ndarray, size: int) -> np.ndarray | None:
    """Bellman-Ford shortest distances from node ``size - 1`` (vectorised passes, stops when stable).

    Returns None if a negative cycle exists (distances still change after ``size`` passes).
    """
    order = np.argsort(heads, kind="stable")
    tails, heads, costs = tails[order], heads[order], costs[order]
    starts = np.flatnonzero(np.r_[True, heads[1:] != heads[:-1]])
    targets = heads[starts]
    distance = np.full(size, np.inf)
    distance[size - 1] = 0.0
    for _pass in range(size):
        best = np.minimum.reduceat(distance[tails] + costs, starts)
        improved = best < distance[targets]
        if not improved.any():
            return distance
        distance[targets[improved]] = best[improved]
    return None


def _violations(weight, allowed, candidates, slots, mentor) -> np.ndarray | None:
    """Allowed non-candidate pairs that could improve the assignment (None: it is optimal for all pairs).

    The assignment is a circulation s -> mentee -> mentor -> t -> s with cost ``-weight`` on the
    mentee -> mentor arcs. It is optimal over the candidate arcs, so its residual graph has no
    negative cycle and Bellman-Ford gives potentials ``d`` with non-negative reduced costs on every
    residual arc. If every other allowed arc also has a non-negative reduced cost
    (``-w[i, j] + d[i] - d[j] >= 0``) the potentials prove optimality over all pairs (LP duality).
    """
    n, m = weight.shape
    s, t, root = n + m, n + m + 1, n + m + 2
    matched = mentor >= 0
    load = np.bincount(mentor[matched], minlength=m)
    rows, cols = np.nonzero(candidates)
    in_match = mentor[rows] == cols
    mentees, mentors = np.arange(n), np.arange(m)
    tails = [
        np.where(in_match, n + cols, rows),  # mentee -> mentor (free) or back (matched)
        np.where(matched, mentees, s),  # s -> unmatched mentee; matched mentee -> s
        n + mentors[load < slots],
        np.full(int((load > 0).sum()), t),
        [t],
        [s] * int(matched.any()),
        np.full(n + m + 2, root),
    ]
    heads = [
        np.where(in_match, rows, n + cols),
        np.where(matched, s, mentees),
        np.full(int((load < slots).sum()), t),
        n + mentors[load > 0],
        [s],
        [t] * int(matched.any()),
        np.arange(n + m + 2),
    ]
    costs = [
        np.where(in_match, weight[rows, cols], -weight[rows, cols]),
        np.zeros(n),
        np.zeros(int((load < slots).sum())),
        np.zeros(int((load > 0).sum())),
        [0.0],
        [0.0] * int(matched.any()),
        np.zeros(n + m + 2),
    ]
    distance = _potentials(np.concatenate(tails), np.concatenate(heads), np.concatenate(costs), n + m + 3)
    if distance is None:  # a negative cycle: impossible for an optimal candidate solution; be safe
        return allowed.copy()  # keeps the loop going until it falls back to the dense solver
    reduced = distance[:n, None] - distance[None, n : n + m] - weight
    violating = allowed & ~candidates & (reduced < 0)
    return violating if violating.any() else None


def _solve(allowed: np.ndarray, scores: np.ndarray, capacity: np.ndarray, strategy: str) -> list[tuple[int, int]]:
    """Optimal (mentee row, mentor column) pairs; see the module docstring for the objective."""
    rows = np.flatnonzero(allowed.any(axis=1))
    cols = np.flatnonzero(allowed.any(axis=0) & (capacity > 0))
    if not len(rows) or not len(cols):
        return []
    sub_allowed = allowed[np.ix_(rows, cols)]
    # A mentor never needs more slots than it has allowed mentees.
    slots = np.minimum(capacity[cols], sub_allowed.sum(axis=0))
    weight = _weights(sub_allowed, scores[np.ix_(rows, cols)], strategy)
    if len(rows) * int(slots.sum()) <= DENSE_LIMIT:
        local = _solve_dense(weight, sub_allowed, slots)
    else:
        local = _solve_sparse(weight, sub_allowed, slots)
    return [(int(rows[r]), int(cols[c])) for r, c in local]


def _solve_sparse(weight: np.ndarray, allowed: np.ndarray, slots: np.ndarray) -> list[tuple[int, int]]:
    """Candidate-edge solve, proven optimal by :func:`_violations`; grows the candidates until it is."""
    k = min(CANDIDATES_PER_MENTEE, weight.shape[1])
    top = np.argpartition(-weight, k - 1, axis=1)[:, :k] if k < weight.shape[1] else None
    candidates = allowed.copy() if top is None else np.zeros_like(allowed)
    if top is not None:
        np.put_along_axis(candidates, top, True, axis=1)
        candidates &= allowed
    for _round in range(_MAX_ROUNDS):
        mentor = _solve_candidates(weight, candidates, slots)
        violating = _violations(weight, allowed, candidates, slots, mentor)
        if violating is None:
            matched = np.flatnonzero(mentor >= 0)
            return list(zip(matched.tolist(), mentor[matched].tolist(), strict=True))
        candidates |= violating
    return _solve_dense(weight, allowed, slots)  # still exact, only slower


def match(
    mentees: Sequence[Candidate],
    mentors: Sequence[Candidate],
    weights: Mapping[str, float] | None = None,
    rules: Mapping[str, Any] | None = None,
    strategy: str = "best_total",
    excluded: Mapping[Hashable, str] | None = None,
) -> MatchResult:
    """Propose an optimal assignment of mentees to mentors (see the module docstring).

    Args:
        mentees: Mentees; ids unique and mutually comparable.
        mentors: Mentors; ``capacity`` slots each.
        weights: ``{criterion: weight}`` overriding :data:`DEFAULT_WEIGHTS`.
        rules: Hard rules overriding :data:`DEFAULT_RULES`.
        strategy: ``"best_total"`` or ``"most_matched"``.
        excluded: ``{candidate id: note}`` for people to leave out (applies to mentees and mentors
            with that id; ``Candidate.excluded_reason`` does the same per candidate).

    Returns:
        The :class:`MatchResult`.

    Raises:
        MatchingConfigError: Unknown strategy, criterion or rule, bad values, or duplicate ids.
    """
    if strategy not in STRATEGIES:
        raise MatchingConfigError(f"unknown matching strategy {strategy!r}; expected one of {', '.join(STRATEGIES)}")
    resolved_weights, resolved_rules = _resolve_weights(weights), _resolve_rules(rules)
    excluded = dict(excluded or {})
    mentees, mentors = _check_ids(mentees, "mentee"), _check_ids(mentors, "mentor")

    def note(c: Candidate) -> str | None:
        if c.excluded_reason is not None:
            return c.excluded_reason
        return excluded.get(c.id)

    unmatched: dict[Hashable, Unmatched] = {}
    active_mentees = []
    for c in mentees:
        if (text := note(c)) is not None:
            unmatched[c.id] = Unmatched(c.id, "excluded", {"note": text})
        else:
            active_mentees.append(c)
    excluded_mentors = tuple((c.id, text) for c in mentors if (text := note(c)) is not None)
    active_mentors = [c for c in mentors if note(c) is None and c.capacity > 0]

    pairs: list[Pair] = []
    if active_mentees and not active_mentors:
        for c in active_mentees:
            unmatched[c.id] = Unmatched(c.id, "no_mentors")
    elif active_mentees:
        matrices = _matrices(active_mentees, active_mentors, resolved_weights, resolved_rules)
        allowed = matrices.allowed
        capacity = np.array([c.capacity for c in active_mentors], dtype=np.int64)
        assigned = _solve(allowed, matrices.score, capacity, strategy)
        for i, j in assigned:
            mentee, mentor = active_mentees[i], active_mentors[j]
            pairs.append(
                Pair(
                    mentee.id,
                    mentor.id,
                    float(matrices.score[i, j]),
                    _reasons(mentee, mentor, resolved_weights, resolved_rules),
                )
            )
        matched_rows = {i for i, _j in assigned}
        hard = [rule for rule in matrices.blocked if rule != "min_score"]
        for i, c in enumerate(active_mentees):
            if i in matched_rows:
                continue
            if allowed[i].any():
                unmatched[c.id] = Unmatched(c.id, "capacity", {"eligible_mentors": int(allowed[i].sum())})
                continue
            passes_hard = np.ones(len(active_mentors), dtype=bool)
            for rule in hard:
                passes_hard &= ~matrices.blocked[rule][i]
            if "min_score" in matrices.blocked and passes_hard.any():
                best = float(matrices.score[i][passes_hard].max())
                detail = {"min_score": resolved_rules["min_score"], "best_score": best}
                unmatched[c.id] = Unmatched(c.id, "min_score", detail)
            else:
                counts = {rule: int(matrices.blocked[rule][i].sum()) for rule in matrices.blocked}
                unmatched[c.id] = Unmatched(c.id, "rules", {"rules": {k: v for k, v in counts.items() if v}})

    pairs.sort(key=lambda p: p.mentee_id)
    total = round(math.fsum(p.score for p in pairs), _DECIMALS)
    ordered_unmatched = tuple(unmatched[c.id] for c in mentees if c.id in unmatched)
    return MatchResult(tuple(pairs), ordered_unmatched, total, strategy, excluded_mentors)
