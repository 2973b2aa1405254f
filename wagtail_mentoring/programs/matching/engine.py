"""``match()``: from candidates to a :class:`~.results.MatchResult` (scoring, solving, unmatched reasons)."""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np

from .candidates import Candidate, MatchingConfigError, sorted_by_id
from .criteria import DEFAULT_CRITERIA, Criteria, MinScore
from .results import MatchResult, Pair, Unmatched
from .scoring import BlockScores, explain_pair, score_candidates
from .solver import SCORE_DECIMALS, STRATEGIES, solve


def _unmatched_reason(
    mentee: Candidate, row: int, scored: BlockScores, allowed: np.ndarray, rules: Mapping[str, Any], criteria: Criteria
) -> Unmatched:
    """Why an active mentee got no mentor although some mentor had capacity."""
    if allowed[row].any():
        return Unmatched(mentee.id, "capacity", {"eligible_mentors": int(allowed[row].sum())})
    score_rules = {rule.name for rule in criteria.rules if rule.uses_score}
    passes_hard = np.ones(allowed.shape[1], dtype=bool)
    for name, mask in scored.blocked.items():
        if name not in score_rules:
            passes_hard &= ~mask[row]
    if MinScore.name in scored.blocked and passes_hard.any():
        best = float(scored.score[row][passes_hard].max())
        return Unmatched(mentee.id, "min_score", {"min_score": rules[MinScore.name], "best_score": best})
    counts = {name: int(mask[row].sum()) for name, mask in scored.blocked.items()}
    return Unmatched(mentee.id, "rules", {"rules": {k: v for k, v in counts.items() if v}})


def match(
    mentees: Sequence[Candidate],
    mentors: Sequence[Candidate],
    weights: Mapping[str, float] | None = None,
    rules: Mapping[str, Any] | None = None,
    strategy: str = "best_total",
    excluded: Mapping[Hashable, str] | None = None,
    *,
    criteria: Criteria | None = None,
) -> MatchResult:
    """Propose an optimal assignment of mentees to mentors (see ``docs/matching.md``).

    Args:
        mentees: Mentees; ids unique and mutually comparable.
        mentors: Mentors; ``capacity`` slots each.
        weights: ``{criterion: weight}`` overriding the criteria's default weights.
        rules: Hard rules and parameters overriding their defaults.
        strategy: ``"best_total"`` or ``"most_matched"``.
        excluded: ``{candidate id: note}`` for people to leave out (applies to mentees and mentors
            with that id; ``Candidate.excluded_reason`` does the same per candidate).
        criteria: The criteria (default :data:`~.criteria.DEFAULT_CRITERIA`).

    Returns:
        The :class:`~.results.MatchResult`.

    Raises:
        MatchingConfigError: Unknown strategy, criterion or rule, bad values, or duplicate ids.
    """
    if strategy not in STRATEGIES:
        raise MatchingConfigError(f"unknown matching strategy {strategy!r}; expected one of {', '.join(STRATEGIES)}")
    criteria = criteria or DEFAULT_CRITERIA
    resolved_weights, resolved_rules = criteria.resolve_weights(weights), criteria.resolve_rules(rules)
    excluded = dict(excluded or {})
    mentees, mentors = sorted_by_id(mentees, "mentee"), sorted_by_id(mentors, "mentor")

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
        scored = score_candidates(active_mentees, active_mentors, resolved_weights, resolved_rules, criteria)
        allowed = scored.allowed
        capacity = np.array([c.capacity for c in active_mentors], dtype=np.int64)
        assigned = solve(allowed, scored.score, capacity, strategy)
        for i, j in assigned:
            mentee, mentor = active_mentees[i], active_mentors[j]
            reasons = explain_pair(mentee, mentor, resolved_weights, resolved_rules, criteria)
            pairs.append(Pair(mentee.id, mentor.id, float(scored.score[i, j]), reasons))
        matched_rows = {i for i, _j in assigned}
        for i, c in enumerate(active_mentees):
            if i not in matched_rows:
                unmatched[c.id] = _unmatched_reason(c, i, scored, allowed, resolved_rules, criteria)

    pairs.sort(key=lambda p: p.mentee_id)
    total = round(math.fsum(p.score for p in pairs), SCORE_DECIMALS)
    ordered_unmatched = tuple(unmatched[c.id] for c in mentees if c.id in unmatched)
    return MatchResult(tuple(pairs), ordered_unmatched, total, strategy, excluded_mentors)
