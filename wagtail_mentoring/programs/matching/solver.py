"""The optimal assignment of mentees to mentor slots (numpy and scipy only; knows nothing of criteria).

Input: ``allowed`` (bool, mentees x mentors), ``scores`` (mentees x mentors, rounded to
:data:`SCORE_DECIMALS` places) and each mentor's ``capacity``. Output: the (mentee row, mentor
column) pairs of an optimal assignment for the strategy (see :data:`STRATEGIES` and
``docs/matching.md``). Scores become exact integer weights (:func:`pair_weights`); small problems
are solved densely (:func:`solve_dense`), large ones on candidate edges (:func:`solve_edges`) and
proved optimal over every allowed pair by LP-duality potentials (:func:`potentials`,
:func:`violations`), growing the candidates until the proof holds (:func:`solve_sparse`).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

#: Pair scores are rounded to this many decimal places ...
SCORE_DECIMALS = 6
#: ... and optimised as exact integers in units of 1 / SCALE.
SCALE = 10**SCORE_DECIMALS
#: ``best_total``: highest total score, then most pairs; ``most_matched``: most pairs, then total.
STRATEGIES: tuple[str, ...] = ("best_total", "most_matched")
#: Problems with more (mentee x slot) cells than this use the sparse, verified solver.
DENSE_LIMIT = 2_000_000
#: Mentors per mentee in the first sparse round (more are added while the optimality check fails).
CANDIDATES_PER_MENTEE = 150
#: Sparse rounds before falling back to the (exact, slower) dense solver.
MAX_ROUNDS = 8


def pair_weights(allowed: np.ndarray, scores: np.ndarray, strategy: str) -> np.ndarray:
    """Exact integer (as float64) pair weights encoding the lexicographic objective; 0 where forbidden.

    ``best_total``: ``s * (n + 1) + 1``; ``most_matched``: ``s + SCALE * n + 1``, with
    ``s = round(score * SCALE)`` and ``n`` mentees. Every weight stays below 2**53.

    Args:
        allowed: Allowed pairs (mentees x mentors).
        scores: Pair scores.
        strategy: One of :data:`STRATEGIES`.

    Returns:
        The weights.
    """
    integer = np.rint(scores * SCALE)
    n = float(allowed.shape[0])
    weight = integer * (n + 1.0) + 1.0 if strategy == "best_total" else integer + (SCALE * n + 1.0)
    weight[~allowed] = 0.0
    return weight


def solve_dense(weight: np.ndarray, allowed: np.ndarray, slots: np.ndarray) -> list[tuple[int, int]]:
    """One linear_sum_assignment over every (mentee, slot) cell.

    Args:
        weight: Pair weights (mentees x mentors).
        allowed: Allowed pairs.
        slots: Slots per mentor.

    Returns:
        ``(mentee row, mentor column)`` pairs, forbidden ones dropped.
    """
    slot_col = np.repeat(np.arange(weight.shape[1]), slots)
    slot_cost = weight[:, slot_col]
    np.negative(slot_cost, out=slot_cost)  # minimise the negated weights in place: no extra copy
    row_idx, slot_idx = linear_sum_assignment(slot_cost)
    del slot_cost
    cols = slot_col[slot_idx]
    keep = allowed[row_idx, cols]  # never propose a forbidden pair
    return list(zip(row_idx[keep].tolist(), cols[keep].tolist(), strict=True))


def solve_edges(
    rows: np.ndarray, cols: np.ndarray, values: np.ndarray, slots: np.ndarray, n: int, ceiling: float
) -> np.ndarray:
    """Optimal assignment using only the given (mentee, mentor) edges: mentor column per mentee, -1 if none.

    Sparse LAPJV over (mentee x slot) edges plus one private "no mentor" column per mentee, so a
    full matching always exists. Costs are ``ceiling - weight`` (real edge) and ``ceiling`` (no
    mentor): every row is matched once, so this minimises exactly ``-sum(weight)``.

    Args:
        rows: Mentee row of each edge.
        cols: Mentor column of each edge.
        values: Weight of each edge.
        slots: Slots per mentor.
        n: Number of mentees.
        ceiling: A number above every weight of the problem.

    Returns:
        The mentor column of each mentee row, -1 when unmatched.
    """
    first_slot = np.concatenate(([0], np.cumsum(slots)))
    total_slots = int(first_slot[-1])
    per_edge = slots[cols]
    edge_rows = np.repeat(rows, per_edge)
    edge_slots = np.repeat(first_slot[cols], per_edge) + (
        np.arange(per_edge.sum()) - np.repeat(np.cumsum(per_edge) - per_edge, per_edge)
    )
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


def _bellman_ford(tails: np.ndarray, heads: np.ndarray, costs: np.ndarray, size: int) -> np.ndarray | None:
    """Shortest distances from node ``size - 1`` (vectorised passes, stops when stable).

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


def potentials(
    rows: np.ndarray, cols: np.ndarray, values: np.ndarray, mentor: np.ndarray, slots: np.ndarray, m: int
) -> np.ndarray | None:
    """Dual potentials of an assignment that is optimal over the given edges (None if none exist).

    The assignment is a circulation s -> mentee -> mentor -> t -> s with cost ``-weight`` on the
    mentee -> mentor arcs. Optimal over these edges, its residual graph has no negative cycle and
    Bellman-Ford gives potentials ``d`` with non-negative reduced costs on every residual arc.

    Args:
        rows: Mentee row of each candidate edge.
        cols: Mentor column of each candidate edge.
        values: Weight of each candidate edge.
        mentor: The assignment (mentor column per mentee row, -1 if unmatched).
        slots: Slots per mentor.
        m: Number of mentors.

    Returns:
        ``d`` for the ``n`` mentee nodes, then the ``m`` mentor nodes (and three helper nodes).
    """
    n = len(mentor)
    s, t, root = n + m, n + m + 1, n + m + 2
    matched = mentor >= 0
    load = np.bincount(mentor[matched], minlength=m)
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
        np.where(in_match, values, -values),
        np.zeros(n),
        np.zeros(int((load < slots).sum())),
        np.zeros(int((load > 0).sum())),
        [0.0],
        [0.0] * int(matched.any()),
        np.zeros(n + m + 2),
    ]
    return _bellman_ford(np.concatenate(tails), np.concatenate(heads), np.concatenate(costs), n + m + 3)


def violations(
    distance: np.ndarray | None, weight: np.ndarray, allowed: np.ndarray, candidates: np.ndarray
) -> np.ndarray | None:
    """Allowed non-candidate pairs whose reduced cost is negative (None: the assignment is optimal).

    If every allowed pair outside the candidates has ``-w[i, j] + d[i] - d[j] >= 0``, the
    potentials ``d`` are a feasible dual solution with the assignment's value: by LP duality no
    assignment over all allowed pairs does better.

    Args:
        distance: :func:`potentials`, or None when they do not exist.
        weight: Pair weights (mentees x mentors).
        allowed: Allowed pairs.
        candidates: The pairs the assignment was solved on.

    Returns:
        The pairs to add, or None when the certificate holds.
    """
    if distance is None:  # a negative cycle: impossible for an optimal candidate solution; be safe
        return allowed.copy()  # keeps the loop going until it falls back to the dense solver
    n, m = weight.shape
    reduced = distance[:n, None] - distance[None, n : n + m] - weight
    violating = allowed & ~candidates & (reduced < 0)
    return violating if violating.any() else None


def solve_sparse(weight: np.ndarray, allowed: np.ndarray, slots: np.ndarray) -> list[tuple[int, int]]:
    """Candidate-edge solve, proven optimal by :func:`violations`; grows the candidates until it is.

    Takes and returns the same as :func:`solve_dense` (the pairs of an optimal assignment).
    """
    n, m = weight.shape
    k = min(CANDIDATES_PER_MENTEE, m)
    top = np.argpartition(-weight, k - 1, axis=1)[:, :k] if k < m else None
    candidates = allowed.copy() if top is None else np.zeros_like(allowed)
    if top is not None:
        np.put_along_axis(candidates, top, True, axis=1)
        candidates &= allowed
    ceiling = float(weight.max()) + 1.0
    for _round in range(MAX_ROUNDS):
        rows, cols = np.nonzero(candidates)
        values = weight[rows, cols]
        mentor = solve_edges(rows, cols, values, slots, n, ceiling)
        violating = violations(potentials(rows, cols, values, mentor, slots, m), weight, allowed, candidates)
        if violating is None:
            matched = np.flatnonzero(mentor >= 0)
            return list(zip(matched.tolist(), mentor[matched].tolist(), strict=True))
        candidates |= violating
    return solve_dense(weight, allowed, slots)  # still exact, only slower


def solve(allowed: np.ndarray, scores: np.ndarray, capacity: np.ndarray, strategy: str) -> list[tuple[int, int]]:
    """Optimal (mentee row, mentor column) pairs for ``strategy``, within each mentor's capacity.

    Rows, columns and slots that can never be used are removed first (the optimum is unchanged);
    then the dense or the sparse solver runs, depending on :data:`DENSE_LIMIT`.

    Args:
        allowed: Allowed pairs (mentees x mentors).
        scores: Pair scores.
        capacity: Mentees each mentor takes.
        strategy: One of :data:`STRATEGIES`.

    Returns:
        The pairs, as row and column indices of ``allowed``.
    """
    rows = np.flatnonzero(allowed.any(axis=1))
    cols = np.flatnonzero(allowed.any(axis=0) & (capacity > 0))
    if not len(rows) or not len(cols):
        return []
    sub_allowed = allowed[np.ix_(rows, cols)]
    # A mentor never needs more slots than it has allowed mentees.
    slots = np.minimum(capacity[cols], sub_allowed.sum(axis=0))
    weight = pair_weights(sub_allowed, scores[np.ix_(rows, cols)], strategy)
    if len(rows) * int(slots.sum()) <= DENSE_LIMIT:
        local = solve_dense(weight, sub_allowed, slots)
    else:
        local = solve_sparse(weight, sub_allowed, slots)
    return [(int(rows[r]), int(cols[c])) for r, c in local]
