"""``match()``: from candidates to a :class:`~.results.MatchResult` (scoring, solving, unmatched reasons)."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from functools import partial
from typing import Any

import numpy as np

from .candidates import Candidate, MatchingConfigError, sorted_by_id
from .criteria import DEFAULT_CRITERIA, Criteria, MinScore
from .features import PairBlock
from .generation import ChunkedPairs
from .results import MatchResult, Pair, Unmatched
from .scoring import BlockScores, explain_pair, score_block, score_candidates
from .solver import SCORE_DECIMALS, STRATEGIES, Certificate, solve, solve_chunked

#: Problems with more (mentee x mentor) pairs than this never build a mentees x mentors array:
#: candidates are generated chunk by chunk (:mod:`.generation`) and solved by
#: :func:`~.solver.solve_chunked`.
DENSE_PAIRS = 100_000
#: ``progress(phase, fraction)``: the phase ("scoring", "candidates", "solving", "certificate",
#: "explaining") and how much of it is done, in [0, 1].
Progress = Callable[[str, float], None]


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
    progress: Progress | None = None,
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
        progress: Called as ``progress(phase, fraction)`` while the engine works (see
            :data:`Progress`); None for no reports.

    Returns:
        The :class:`~.results.MatchResult`; each pair's reasons are computed when first read.

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
    certificate = None
    if active_mentees and not active_mentors:
        for c in active_mentees:
            unmatched[c.id] = Unmatched(c.id, "no_mentors")
    elif active_mentees:
        settings = (resolved_weights, resolved_rules, criteria)
        if len(active_mentees) * len(active_mentors) <= DENSE_PAIRS:
            assigned, reasons_of = _solve_dense(active_mentees, active_mentors, strategy, settings, progress)
        else:
            assigned, reasons_of, certificate = _solve_chunked(
                active_mentees, active_mentors, strategy, settings, progress
            )
        for i, j, value in assigned:
            mentee, mentor = active_mentees[i], active_mentors[j]
            explain = partial(explain_pair, mentee, mentor, resolved_weights, resolved_rules, criteria)
            pairs.append(Pair(mentee.id, mentor.id, value, explain))
        matched_rows = {i for i, _j, _value in assigned}
        unmatched.update(reasons_of([i for i in range(len(active_mentees)) if i not in matched_rows]))

    if progress is not None:
        progress("done", 1.0)
    pairs.sort(key=lambda p: p.mentee_id)
    total = round(math.fsum(p.score for p in pairs), SCORE_DECIMALS)
    ordered_unmatched = tuple(unmatched[c.id] for c in mentees if c.id in unmatched)
    return MatchResult(tuple(pairs), ordered_unmatched, total, strategy, excluded_mentors, certificate)


Settings = tuple[Mapping[str, float], Mapping[str, Any], Criteria]
Assigned = list[tuple[int, int, float]]
ReasonsOf = Callable[[list[int]], dict[Hashable, Unmatched]]


def _solve_dense(
    mentees: list[Candidate], mentors: list[Candidate], strategy: str, settings: Settings, progress: Progress | None
) -> tuple[Assigned, ReasonsOf]:
    """Small problems: every pair scored at once, then :func:`~.solver.solve`."""
    weights, rules, criteria = settings
    if progress is not None:
        progress("scoring", 0.0)
    scored = score_candidates(mentees, mentors, weights, rules, criteria)
    allowed = scored.allowed
    if progress is not None:
        progress("solving", 0.0)
    capacity = np.array([c.capacity for c in mentors], dtype=np.int64)
    assigned = [(i, j, float(scored.score[i, j])) for i, j in solve(allowed, scored.score, capacity, strategy)]

    def reasons_of(rows: list[int]) -> dict[Hashable, Unmatched]:
        return {mentees[i].id: _unmatched_reason(mentees[i], i, scored, allowed, rules, criteria) for i in rows}

    return assigned, reasons_of


def _solve_chunked(
    mentees: list[Candidate], mentors: list[Candidate], strategy: str, settings: Settings, progress: Progress | None
) -> tuple[Assigned, ReasonsOf, Certificate]:
    """Large problems: candidates generated in chunks and proved optimal (see :mod:`.generation`)."""
    weights, rules, criteria = settings
    pairs = ChunkedPairs(mentees, mentors, weights, rules, criteria)
    capacity = np.array([c.capacity for c in mentors], dtype=np.int64)
    assigned, certificate = solve_chunked(pairs.chunks, len(mentees), capacity, strategy, progress)

    def reasons_of(rows: list[int]) -> dict[Hashable, Unmatched]:
        found = {}
        step = pairs.chunk_rows
        for start in range(0, len(rows), step):
            chunk = np.asarray(rows[start : start + step], dtype=np.int64)
            block = PairBlock(pairs.mentee_side.take(chunk), pairs.mentor_side)
            scored = score_block(block, weights, rules, criteria)
            allowed = scored.allowed
            for local, i in enumerate(chunk.tolist()):
                found[mentees[i].id] = _unmatched_reason(mentees[i], local, scored, allowed, rules, criteria)
        return found

    return assigned, reasons_of, certificate


def suggest(
    mentee: Candidate,
    mentors: Sequence[Candidate],
    weights: Mapping[str, float] | None = None,
    rules: Mapping[str, Any] | None = None,
    limit: int = 5,
    *,
    criteria: Criteria | None = None,
) -> tuple[Pair, ...]:
    """The best mentors for one mentee (self-match): the same scores, hard rules and reasons as :func:`match`.

    Mentors without capacity or with an ``excluded_reason`` are never suggested, nor are pairs a hard
    rule forbids (the ``min_score`` rule included). Ordered by score (best first), then mentor id.

    Args:
        mentee: The mentee.
        mentors: The mentors; ``capacity`` free slots each.
        weights: ``{criterion: weight}`` overriding the defaults.
        rules: Hard rules and parameters overriding the defaults.
        limit: How many suggestions at most.
        criteria: The criteria (default :data:`~.criteria.DEFAULT_CRITERIA`).

    Returns:
        Up to ``limit`` :class:`~.results.Pair` items, their reasons computed on first read.

    Raises:
        MatchingConfigError: Unknown or invalid weights or rules, or duplicate mentor ids.
    """
    criteria = criteria or DEFAULT_CRITERIA
    resolved_weights, resolved_rules = criteria.resolve_weights(weights), criteria.resolve_rules(rules)
    if mentee.excluded_reason is not None or limit <= 0:
        return ()
    candidates = [
        c for c in sorted_by_id(mentors, "mentor") if c.capacity > 0 and c.excluded_reason is None and c.id != mentee.id
    ]
    if not candidates:
        return ()
    scored = score_candidates([mentee], candidates, resolved_weights, resolved_rules, criteria)
    allowed = scored.allowed[0]
    ranked = sorted((j for j in range(len(candidates)) if allowed[j]), key=lambda j: -float(scored.score[0, j]))
    pairs = []
    for j in ranked[:limit]:
        mentor = candidates[j]
        explain = partial(explain_pair, mentee, mentor, resolved_weights, resolved_rules, criteria)
        pairs.append(Pair(mentee.id, mentor.id, float(scored.score[0, j]), explain))
    return tuple(pairs)
