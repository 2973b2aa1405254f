"""Optimal, explainable mentor-mentee matching over plain dataclasses (pure Python + numpy/scipy, no ORM).

Public API (the method is described in ``docs/matching.md``):

- :class:`Candidate`: one enrolled person (a mentee or a mentor).
- :func:`score` ``(mentee, mentor, weights=None, rules=None) -> float | None``: the pair score in
  ``[0, 1]``, or ``None`` when a hard rule forbids the pair.
- :func:`score_matrix`: the same scores for every (mentee, mentor) pair at once (``NaN`` where
  forbidden); ``score()`` is this function on a 1 x 1 problem.
- :func:`match` ``(mentees, mentors, weights=None, rules=None, strategy="best_total", excluded=None)
  -> MatchResult`` with :class:`Pair` (and its :class:`Reason` items) and :class:`Unmatched`.
- :func:`suggest` ``(mentee, mentors, weights=None, rules=None, limit=5)``: one mentee's best allowed
  mentors (self-match), with the same scores, rules and reasons as :func:`match`.
- :func:`reason_message`, :func:`unmatched_message`: stored reasons as translated sentences.

The package is split by concern; imports point down this list:

- ``engine``: :func:`match` (score, solve, explain the pairs, say why the others are unmatched).
- ``generation``: large problems' allowed pairs and scores, chunk by chunk, blocked on the hard rules.
- ``scoring``: pair scores and reasons, driven by a list of criteria.
- ``solver``: the optimal assignment (dense or sparse with an optimality certificate); numpy and
  scipy only.
- ``results`` and ``messages``: the output dataclasses and their translated texts.
- ``criteria``: one class per criterion and per hard rule, and :data:`DEFAULT_CRITERIA`.
- ``features``: candidates as arrays, and the pairwise quantities criteria read.
- ``candidates``, ``timezones``, ``i18n``: the input dataclass, time-zone offsets, gettext.
"""

from .candidates import Candidate, MatchingConfigError
from .criteria import (
    DEFAULT_CRITERIA,
    AlwaysRule,
    Criteria,
    Criterion,
    FlagRule,
    HardRule,
    LimitRule,
    ScoredCriterion,
)
from .engine import match, suggest
from .messages import (
    UNMATCHED_REASONS,
    criterion_label,
    reason_message,
    rule_label,
    score_words,
    unmatched_message,
)
from .results import MatchResult, Pair, Reason, Unmatched
from .scoring import score, score_matrix
from .solver import SCALE, STRATEGIES
from .timezones import utc_offset_hours

#: Names of the default scored criteria, in the order they are summed and explained.
CRITERIA: tuple[str, ...] = DEFAULT_CRITERIA.names
#: ``{criterion: default weight}``; a program overrides any of them.
DEFAULT_WEIGHTS: dict[str, float] = DEFAULT_CRITERIA.default_weights()
#: Hard rules, in the order they are reported (``same_person`` is always on).
RULES: tuple[str, ...] = tuple(rule.name for rule in DEFAULT_CRITERIA.rules)
#: Every rule and parameter a program may set, with its default.
DEFAULT_RULES: dict = DEFAULT_CRITERIA.default_rules()

__all__ = [
    "CRITERIA",
    "DEFAULT_CRITERIA",
    "DEFAULT_RULES",
    "DEFAULT_WEIGHTS",
    "RULES",
    "SCALE",
    "STRATEGIES",
    "UNMATCHED_REASONS",
    "AlwaysRule",
    "Candidate",
    "Criteria",
    "Criterion",
    "FlagRule",
    "HardRule",
    "LimitRule",
    "MatchResult",
    "MatchingConfigError",
    "Pair",
    "Reason",
    "ScoredCriterion",
    "Unmatched",
    "criterion_label",
    "match",
    "reason_message",
    "rule_label",
    "score",
    "score_words",
    "suggest",
    "score_matrix",
    "unmatched_message",
    "utc_offset_hours",
]
