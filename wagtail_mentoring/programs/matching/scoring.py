"""Pair scores and their reasons, driven by a :class:`~.criteria.Criteria` list.

The pair score is the weighted mean of the scored criteria's values, rounded to
:data:`~.solver.SCORE_DECIMALS` places; a pair that a hard rule forbids has no score.
:func:`score_block` computes every pair of a block at once, :func:`explain_pair` gives one pair's
per-criterion reasons, and :func:`score` is :func:`score_matrix` on a 1 x 1 problem, so all three
agree to the last digit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .candidates import Candidate
from .criteria import DEFAULT_CRITERIA, Criteria
from .features import PairBlock, build_sides
from .results import Reason
from .solver import SCORE_DECIMALS


@dataclass
class BlockScores:
    """Scores and rule verdicts of every pair of a block.

    Attributes:
        score: Rounded pair scores (whether or not the pair is allowed).
        blocked: ``{rule name: bool array}`` (True = the rule forbids the pair), for the active
            rules only, in the criteria's rule order.
    """

    score: np.ndarray
    blocked: dict[str, np.ndarray]

    @property
    def allowed(self) -> np.ndarray:
        """Pairs no active rule forbids."""
        allowed = np.ones(self.score.shape, dtype=bool)
        for mask in self.blocked.values():
            allowed &= ~mask
        return allowed


def total_weight(weights: Mapping[str, float]) -> float:
    """The sum of the weights (1.0 when every weight is 0, so nothing divides by zero).

    Args:
        weights: Resolved ``{criterion: weight}``.

    Returns:
        The divisor of the weighted mean.
    """
    return sum(weights.values()) or 1.0


def block_scores(
    block: PairBlock,
    weights: Mapping[str, float],
    rules: Mapping[str, Any],
    criteria: Criteria,
    values: Mapping[str, Callable[[], np.ndarray]] | None = None,
) -> np.ndarray:
    """The rounded score of every pair of ``block`` (hard rules not applied).

    A criterion with a zero weight, or whose inputs are unknown for the whole block
    (:meth:`~.criteria.ScoredCriterion.known`), adds exactly 0 to every pair and is skipped.

    Args:
        block: The pairs.
        weights: Resolved weights.
        rules: Resolved rules and parameters.
        criteria: The criteria (their order is the summation order).
        values: ``{criterion name: function}`` giving that criterion's weighted values
            (``weight * value``) for the block another way (e.g. from a table per group of
            candidates, weighted once); the same numbers.

    Returns:
        A float64 array of the block's shape.
    """
    total = block.zeros()
    scratch = None  # one buffer for every ``weight * value`` product: no new array per criterion
    values = values or {}
    for criterion in criteria.scored:
        weight = weights[criterion.name]
        if weight and criterion.known(block):
            if criterion.name in values:
                total += values[criterion.name]()
            else:
                scratch = np.empty_like(total) if scratch is None else scratch
                total += np.multiply(weight, criterion.values(block, rules), out=scratch)
    total /= total_weight(weights)
    return np.round(total, SCORE_DECIMALS, out=total)


def score_block(
    block: PairBlock, weights: Mapping[str, float], rules: Mapping[str, Any], criteria: Criteria
) -> BlockScores:
    """Score every pair of ``block`` and apply the active hard rules.

    Args:
        block: The pairs.
        weights: Resolved weights.
        rules: Resolved rules and parameters.
        criteria: The criteria (their order is the summation order).

    Returns:
        The scores and the rule verdicts.
    """
    scores = block_scores(block, weights, rules, criteria)
    blocked = {}
    for rule in criteria.rules:
        setting = rules.get(rule.name)
        if rule.active(setting):
            blocked[rule.name] = rule.forbids(block, setting, scores)
    return BlockScores(scores, blocked)


def explain_pair(
    mentee: Candidate,
    mentor: Candidate,
    weights: Mapping[str, float],
    rules: Mapping[str, Any],
    criteria: Criteria,
) -> tuple[Reason, ...]:
    """One :class:`~.results.Reason` per scored criterion for one pair, in the criteria's order.

    Args:
        mentee: The mentee.
        mentor: The mentor.
        weights: Resolved weights.
        rules: Resolved rules and parameters.
        criteria: The criteria.

    Returns:
        The reasons; their contributions add up to the pair score (within rounding).
    """
    divisor = total_weight(weights)
    reasons = []
    for criterion in criteria.scored:
        value, detail = criterion.explain(mentee, mentor, rules)
        value = float(value)
        weight = weights[criterion.name]
        reasons.append(
            Reason(
                criterion=criterion.name,
                weight=weight,
                value=round(value, SCORE_DECIMALS),
                contribution=round(weight * value / divisor, SCORE_DECIMALS),
                detail=detail,
            )
        )
    return tuple(reasons)


def score_candidates(
    mentees: Sequence[Candidate],
    mentors: Sequence[Candidate],
    weights: Mapping[str, float],
    rules: Mapping[str, Any],
    criteria: Criteria,
) -> BlockScores:
    """Every (mentee, mentor) pair scored, rows and columns in the order given (resolved settings).

    Args:
        mentees: Mentees (rows).
        mentors: Mentors (columns).
        weights: Resolved weights.
        rules: Resolved rules and parameters.
        criteria: The criteria.

    Returns:
        The scores and the rule verdicts.
    """
    return score_block(PairBlock(*build_sides(mentees, mentors)), weights, rules, criteria)


def score_matrix(
    mentees: Sequence[Candidate],
    mentors: Sequence[Candidate],
    weights: Mapping[str, float] | None = None,
    rules: Mapping[str, Any] | None = None,
    *,
    criteria: Criteria | None = None,
) -> np.ndarray:
    """Scores of every (mentee, mentor) pair, rows and columns in the order given; NaN where forbidden.

    Args:
        mentees: Mentees (rows).
        mentors: Mentors (columns).
        weights: ``{criterion: weight}`` overriding the defaults.
        rules: Hard rules and parameters overriding the defaults.
        criteria: The criteria (default :data:`~.criteria.DEFAULT_CRITERIA`).

    Returns:
        A float64 (mentees x mentors) array.

    Raises:
        MatchingConfigError: Unknown or invalid weights or rules.
    """
    criteria = criteria or DEFAULT_CRITERIA
    scored = score_candidates(
        mentees, mentors, criteria.resolve_weights(weights), criteria.resolve_rules(rules), criteria
    )
    return np.where(scored.allowed, scored.score, np.nan)


def score(
    mentee: Candidate,
    mentor: Candidate,
    weights: Mapping[str, float] | None = None,
    rules: Mapping[str, Any] | None = None,
    *,
    criteria: Criteria | None = None,
) -> float | None:
    """The pair score in [0, 1], or None when a hard rule forbids the pair (same maths as ``match``).

    Args:
        mentee: The mentee.
        mentor: The mentor.
        weights: ``{criterion: weight}`` overriding the defaults.
        rules: Hard rules and parameters overriding the defaults.
        criteria: The criteria (default :data:`~.criteria.DEFAULT_CRITERIA`).

    Returns:
        The score, or None.

    Raises:
        MatchingConfigError: Unknown or invalid weights or rules.
    """
    value = score_matrix([mentee], [mentor], weights, rules, criteria=criteria)[0, 0]
    return None if np.isnan(value) else float(value)
