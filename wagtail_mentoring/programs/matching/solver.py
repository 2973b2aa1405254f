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

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

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
#: Share of an earlier round's mentor prices used to warm-start the next solve (below 1: see
#: :func:`warm_penalty`).
WARM_SCALE = 0.99
#: Bellman-Ford passes allowed when checking a warm-started assignment; past them it is solved
#: again cold (a warm answer that is not optimal has a negative cycle, found only after
#: mentees + mentors passes).
WARM_CHECK_PASSES = 500


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
    rows: np.ndarray,
    cols: np.ndarray,
    values: np.ndarray,
    slots: np.ndarray,
    n: int,
    ceiling: float,
    penalty: np.ndarray | None = None,
) -> np.ndarray:
    """Optimal assignment using only the given (mentee, mentor) edges: mentor column per mentee, -1 if none.

    Sparse LAPJV over (mentee x slot) edges plus one private "no mentor" column per mentee, so a
    full matching always exists. Costs are ``ceiling - weight`` (real edge) and ``ceiling`` (no
    mentor): every row is matched once, so this minimises exactly ``-sum(weight)``.

    With a ``penalty`` per mentor (a warm start, see :func:`warm_penalty`), each edge to that mentor
    costs that much more. LAPJV then starts from nearly the right mentor prices and does a fraction
    of its work, but it optimises the penalised costs: the answer is a valid assignment, optimal
    for the real weights only if :func:`potentials` then finds no negative cycle (the caller checks).

    Args:
        rows: Mentee row of each edge.
        cols: Mentor column of each edge.
        values: Weight of each edge.
        slots: Slots per mentor.
        n: Number of mentees.
        ceiling: A number above every weight of the problem.
        penalty: Non-negative cost added to every edge of each mentor, or None.

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
            np.concatenate(
                (
                    ceiling - np.repeat(values if penalty is None else values - penalty[cols], per_edge),
                    np.full(n, ceiling),
                )
            ),
            (np.concatenate((edge_rows, np.arange(n))), np.concatenate((edge_slots, total_slots + np.arange(n)))),
        ),
        shape=(n, total_slots + n),
    )
    _row_ind, slot_of_row = min_weight_full_bipartite_matching(graph)
    mentor = np.full(n, -1, dtype=np.int64)
    real = slot_of_row < total_slots
    mentor[real] = np.searchsorted(first_slot, slot_of_row[real], side="right") - 1
    return mentor


def warm_penalty(distance: np.ndarray, n: int, m: int) -> np.ndarray:
    """Per-mentor penalties for a warm start of :func:`solve_edges`, from an earlier round's :func:`potentials`.

    A full mentor's potential below the sink's is the price its last slot fetched (the LP's shadow
    price of its capacity); a mentor with room has none. The penalised optimum is the real one when
    no penalty exceeds the new round's prices (for some optimal dual), so the prices are lowered by
    the lowest positive one: when every slot is filled (as many mentees as slots, the usual large
    problem) the prices are only defined up to a common shift, the one :func:`potentials` finds is
    arbitrary, and the next round's can be lower by about that shift for every mentor (a warm start
    then fails and is solved again cold). Slightly less than the lowered price
    (:data:`WARM_SCALE`) keeps the penalised optimum on the real one: at the full price, freeing a
    slot would tie with filling it.

    Args:
        distance: :func:`potentials` of the earlier round (mentees, mentors, s, t, root).
        n: Number of mentees.
        m: Number of mentors.

    Returns:
        A non-negative penalty per mentor.
    """
    price = np.maximum(distance[n + m + 1] - distance[n : n + m], 0.0)
    positive = price[price > 0]
    lowest = float(positive.min()) if len(positive) else 0.0
    return np.maximum(price - lowest, 0.0) * WARM_SCALE


def _bellman_ford(
    tails: np.ndarray, heads: np.ndarray, costs: np.ndarray, size: int, max_passes: int | None = None
) -> np.ndarray | None:
    """Shortest distances from node ``size - 1`` (vectorised passes, stops when stable).

    Returns None if a negative cycle exists (distances still change after ``size`` passes), or if
    they still change after ``max_passes`` passes (when given: the answer is then unknown).
    """
    order = np.argsort(heads, kind="stable")
    tails, heads, costs = tails[order], heads[order], costs[order]
    starts = np.flatnonzero(np.r_[True, heads[1:] != heads[:-1]])
    targets = heads[starts]
    distance = np.full(size, np.inf)
    distance[size - 1] = 0.0
    for _pass in range(size if max_passes is None else min(size, max_passes)):
        best = np.minimum.reduceat(distance[tails] + costs, starts)
        improved = best < distance[targets]
        if not improved.any():
            return distance
        distance[targets[improved]] = best[improved]
    return None


def potentials(
    rows: np.ndarray,
    cols: np.ndarray,
    values: np.ndarray,
    mentor: np.ndarray,
    slots: np.ndarray,
    m: int,
    max_passes: int | None = None,
) -> np.ndarray | None:
    """Dual potentials of an assignment that is optimal over the given edges (None if none exist).

    The assignment is a circulation s -> mentee -> mentor -> t -> s with cost ``-weight`` on the
    mentee -> mentor arcs. Optimal over these edges, its residual graph has no negative cycle and
    Bellman-Ford gives potentials ``d`` with non-negative reduced costs on every residual arc.

    A mentee node has one residual arc in (from its mentor, or from s when unmatched) besides the
    root's, so Bellman-Ford runs on the mentor nodes only, each mentee's arcs out joined to its arc
    in (mentor j -> mentee -> mentor k costs ``w[i, j] - w[i, k]``); the mentees' potentials then
    follow from their one arc in. The same shortest distances (exact integers), in half the passes.

    Args:
        rows: Mentee row of each candidate edge.
        cols: Mentor column of each candidate edge.
        values: Weight of each candidate edge.
        mentor: The assignment (mentor column per mentee row, -1 if unmatched).
        slots: Slots per mentor.
        m: Number of mentors.
        max_passes: Bellman-Ford passes allowed (over the mentor nodes), or None for the bound
            that detects a negative cycle.

    Returns:
        ``d`` for the ``n`` mentee nodes, then the ``m`` mentor nodes (and s, t and the root).
    """
    n = len(mentor)
    s, t, root = m, m + 1, m + 2  # nodes of the reduced graph: the mentors, then these three
    matched = mentor >= 0
    load = np.bincount(mentor[matched], minlength=m)
    in_match = mentor[rows] == cols
    held = np.zeros(n)  # the weight of each matched mentee's edge
    held[rows[in_match]] = values[in_match]
    free = ~in_match
    free_rows, free_cols, free_values = rows[free], cols[free], values[free]
    via = np.where(matched[free_rows], mentor[free_rows], s)  # the free edge's mentee's arc in
    root_cost = np.zeros(m)  # root -> mentee -> mentor k: the cheapest free edge into k (or 0)
    np.minimum.at(root_cost, free_cols, -free_values)
    mentors, matched_rows = np.arange(m), np.flatnonzero(matched)
    tails = [
        via,  # mentor j (or s) -> mentee -> mentor k
        mentor[matched_rows],  # mentor j -> its mentee -> s
        mentors[load < slots],
        np.full(int((load > 0).sum()), t),
        [t],
        [s] * int(matched.any()),
        np.full(m + 2, root),
    ]
    heads = [
        free_cols,
        np.full(len(matched_rows), s),
        np.full(int((load < slots).sum()), t),
        mentors[load > 0],
        [s],
        [t] * int(matched.any()),
        np.arange(m + 2),
    ]
    costs = [
        held[free_rows] - free_values,
        held[matched_rows],
        np.zeros(int((load < slots).sum())),
        np.zeros(int((load > 0).sum())),
        [0.0],
        [0.0] * int(matched.any()),
        np.concatenate((root_cost, [0.0, 0.0])),
    ]
    # (int64 throughout: an empty list, e.g. when no mentee is matched, would otherwise be float)
    reduced = _bellman_ford(
        np.concatenate(tails).astype(np.int64),
        np.concatenate(heads).astype(np.int64),
        np.concatenate(costs),
        m + 3,
        max_passes,
    )
    if reduced is None:
        return None
    # A mentee's arcs in: the root's (0), and its mentor's (its weight) or, unmatched, s's (0).
    through = np.where(matched, reduced[np.maximum(mentor, 0)] + held, reduced[s])
    return np.concatenate((np.minimum(through, 0.0), reduced))


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


# --- large problems: candidates generated chunk by chunk -------------------------------------------

#: Mentors per mentee kept by the first pass of :func:`solve_chunked`.
TOP_K = 40
#: Certificate rounds before the rows still in doubt get every allowed pair as a candidate.
MAX_CHUNKED_ROUNDS = 12
#: Mentee rows in doubt checked together by the certificate.
DOUBT_CHUNK = 64


@dataclass
class Certificate:
    """How :func:`solve_chunked` proved its assignment optimal over every allowed pair.

    Attributes:
        rounds: Solves on the candidate edges (1 when the first candidates were enough).
        candidates: Candidate edges in the last solve.
        allowed: Allowed pairs seen (every one is covered by the duality check).
        rescanned: Mentee rows whose allowed pairs were scored again by the check (the others were
            proved by their top-k bound alone).
        warm_starts: Solves warm-started from the previous round's mentor prices whose answer was
            proved optimal over its candidates (the others were solved again cold).
        proven: True: no allowed pair has a negative reduced cost, so the total is optimal.
    """

    rounds: int = 0
    candidates: int = 0
    allowed: int = 0
    rescanned: int = 0
    warm_starts: int = 0
    proven: bool = False


def edge_weights(scores: np.ndarray, n: int, strategy: str) -> np.ndarray:
    """:func:`pair_weights` for a list of allowed pairs (``n`` mentees in the problem)."""
    return integer_weights(np.rint(scores * SCALE), n, strategy)


def integer_weights(integer: np.ndarray, n: int, strategy: str) -> np.ndarray:
    """:func:`edge_weights` of scores given in units of ``1 / SCALE`` (float64 integers)."""
    return integer * (n + 1.0) + 1.0 if strategy == "best_total" else integer + (SCALE * n + 1.0)


def _top_k(values: np.ndarray, allowed: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` best allowed entries, and the best value each row left out.

    Among equal values the first columns are kept, so exactly ``k`` entries are kept per row (or
    every allowed one) and every entry left out is at most the best one left out.

    Args:
        values: Integer values of a (rows x cols) block (e.g. pair scores in units of ``1 / SCALE``),
            of magnitude below ``2**62 / cols``.
        allowed: Allowed entries of the block.
        k: Entries kept per row.

    Returns:
        ``(kept, theta)``: the bool mask of kept entries, and per row the best allowed value left
        out (float64; -inf when none: every allowed entry was kept).
    """
    rows, cols = values.shape
    if cols <= k:
        return allowed.copy(), np.full(rows, -np.inf)
    # Distinct keys ``value * cols + (cols - 1 - column)``: by value, then the first column first,
    # so one value partition with one pivot (much cheaper than an index partition, two pivots, or
    # a pass over ties) puts each row's (k+1)-th best at ``cols - k - 1``, the k best above it.
    key = values.astype(np.int64)
    key *= cols
    key += np.arange(cols - 1, -1, -1, dtype=np.int64)
    lowest = np.iinfo(np.int64).min
    key[~allowed] = lowest
    pivot = np.partition(key, cols - k - 1, axis=1)[:, cols - k - 1]
    kept = key > pivot[:, None]
    theta = np.where(pivot == lowest, -np.inf, (pivot // cols).astype(np.float64))
    return kept, theta


def _doubtful_pairs(
    chunks: Callable[..., Iterable[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]],
    doubt: np.ndarray,
    distance: np.ndarray,
    theta: np.ndarray,
    n: int,
    m: int,
) -> Iterator[tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """The allowed pairs that could break the certificate: row ``i`` in doubt, mentor ``j`` with
    ``d[j] > d[i] - theta[i]`` (a pair with a lower ``d[j]`` has ``w <= theta[i] <= d[i] - d[j]``).

    Rows are taken in order of that threshold, a chunk at a time, each against the mentors above
    its lowest threshold, so each rescan scores few columns.

    Yields:
        ``(rows done, rows, cols, scores, allowed)`` (see :meth:`~.generation.ChunkedPairs.chunks`).
    """
    threshold = distance[doubt] - theta[doubt]
    order = np.argsort(-threshold, kind="stable")
    doubt, threshold = doubt[order], threshold[order]
    mentor_distance = distance[n : n + m]
    for start in range(0, len(doubt), DOUBT_CHUNK):
        rows = doubt[start : start + DOUBT_CHUNK]
        columns = mentor_distance > threshold[start : start + DOUBT_CHUNK].min()
        for chunk in chunks(rows, columns):
            yield (start, *chunk)


def solve_chunked(
    chunks: Callable[..., Iterable[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]],
    n: int,
    capacity: np.ndarray,
    strategy: str,
    progress: Callable[[str, float], None] | None = None,
    k: int | None = None,
) -> tuple[list[tuple[int, int, float]], Certificate]:
    """Optimal pairs without a mentees x mentors array: top-k candidates, solve, check in chunks.

    Pass 1 reads every allowed pair once (``chunks()``) and keeps each mentee's ``k`` best mentors
    and the best weight it left out (``theta``). The candidates are solved exactly
    (:func:`solve_edges`) and :func:`potentials` gives dual values ``d``. A left-out pair (i, j)
    breaks the certificate only if ``w[i, j] > d[i] - d[j]``; as ``w[i, j] <= theta[i]``, every
    row with ``theta[i] + max(d[mentors]) <= d[i]`` is proved without looking at its pairs again.
    The other rows are scored again (``chunks(rows)``) and their violating pairs added; repeat
    until no allowed pair violates: by LP duality the assignment is then optimal over all of them.

    Args:
        chunks: ``chunks(rows=None, columns=None)`` yielding ``(rows, cols, scores, allowed)``
            blocks (see :meth:`~.generation.ChunkedPairs.chunks`).
        n: Number of mentee rows.
        capacity: Mentees each mentor column takes.
        strategy: One of :data:`STRATEGIES`.
        progress: ``progress(phase, fraction)``, or None.
        k: Candidates per mentee in pass 1 (default :data:`TOP_K`).

    Returns:
        ``(pairs, certificate)``: ``(mentee row, mentor column, score)`` of an optimal assignment.
    """
    k = TOP_K if k is None else max(1, int(k))
    m = len(capacity)
    report = progress or (lambda phase, fraction: None)
    theta = np.full(n, -np.inf)
    kept_rows, kept_cols, kept_weights, kept_scores = [], [], [], []
    per_mentor = np.zeros(m, dtype=np.int64)
    certificate = Certificate()
    done = 0
    report("candidates", 0.0)
    for chunk_rows, chunk_cols, chunk_scores, allowed in chunks():
        # Top-k on the integer scores: the weights are an increasing function of them.
        integer = chunk_scores * SCALE
        kept, best_left = _top_k(np.rint(integer, out=integer), allowed, k)
        theta[chunk_rows] = integer_weights(best_left, n, strategy)
        r, c = np.nonzero(kept)
        kept_rows.append(chunk_rows[r])
        kept_cols.append(chunk_cols[c])
        kept_scores.append(chunk_scores[r, c])
        kept_weights.append(edge_weights(kept_scores[-1], n, strategy))
        allowed_per_mentor = np.count_nonzero(allowed, axis=0)
        per_mentor[chunk_cols] += allowed_per_mentor
        certificate.allowed += int(allowed_per_mentor.sum())
        done += len(chunk_rows)
        report("candidates", min(done / max(n, 1), 1.0))
    if not certificate.allowed:
        certificate.proven = True
        return [], certificate
    rows, cols = np.concatenate(kept_rows), np.concatenate(kept_cols)
    weights, scores = np.concatenate(kept_weights), np.concatenate(kept_scores)
    # A mentor never needs more slots than it has allowed mentees.
    slots = np.minimum(capacity, per_mentor)
    ceiling = float(edge_weights(np.ones(1), n, strategy)[0]) + 1.0
    penalty = None
    while True:
        certificate.rounds += 1
        report("solving", min(certificate.rounds / MAX_CHUNKED_ROUNDS, 1.0))
        distance = None
        if penalty is not None:  # warm start from the last round's prices, kept only if proved optimal
            mentor = solve_edges(rows, cols, weights, slots, n, ceiling, penalty)
            distance = potentials(rows, cols, weights, mentor, slots, m, WARM_CHECK_PASSES)
            certificate.warm_starts += distance is not None
        if distance is None:
            mentor = solve_edges(rows, cols, weights, slots, n, ceiling)
            distance = potentials(rows, cols, weights, mentor, slots, m)
        if distance is None:  # impossible for an optimal candidate solution; check every row
            doubt = np.arange(n)
            distance = np.zeros(n + m + 3)
        else:
            highest = float(distance[n : n + m].max()) if m else 0.0
            doubt = np.flatnonzero(theta + highest > distance[:n])
            penalty = warm_penalty(distance, n, m)
        certificate.rescanned += len(doubt)
        known = rows * m + cols
        known.sort()
        added_rows, added_cols, added_weights, added_scores = [], [], [], []
        report("certificate", 0.0)
        for scanned, chunk_rows, chunk_cols, chunk_scores, allowed in _doubtful_pairs(
            chunks, doubt, distance, theta, n, m
        ):
            chunk_weights = edge_weights(chunk_scores, n, strategy)
            bad = allowed & (chunk_weights > distance[chunk_rows, None] - distance[None, n + chunk_cols])
            if certificate.rounds >= MAX_CHUNKED_ROUNDS:  # give these rows every allowed pair
                bad = allowed & bad.any(axis=1)[:, None]
            r, c = np.nonzero(bad)
            keys = chunk_rows[r] * m + chunk_cols[c]
            at = np.minimum(np.searchsorted(known, keys), len(known) - 1)
            new = known[at] != keys  # not a candidate yet (known is sorted)
            r, c = r[new], c[new]
            added_rows.append(chunk_rows[r])
            added_cols.append(chunk_cols[c])
            added_scores.append(chunk_scores[r, c])
            added_weights.append(chunk_weights[r, c])
            report("certificate", min(scanned / max(len(doubt), 1), 1.0))
        added = sum(len(a) for a in added_rows)
        if not added:
            certificate.candidates = len(rows)
            certificate.proven = True
            break
        rows = np.concatenate((rows, *added_rows))
        cols = np.concatenate((cols, *added_cols))
        weights = np.concatenate((weights, *added_weights))
        scores = np.concatenate((scores, *added_scores))
    report("solving", 1.0)
    chosen = np.flatnonzero(mentor[rows] == cols)  # each matched row's edge, once
    chosen = chosen[np.argsort(rows[chosen], kind="stable")]
    pairs = zip(rows[chosen].tolist(), cols[chosen].tolist(), scores[chosen].tolist(), strict=True)
    return list(pairs), certificate
