"""The pieces made faster for matching at scale: top-k with ties, shared feature rows, chunk sizes."""

import os
import random
import subprocess
import sys
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from tests.matching.conftest import use_chunked
from tests.matching.helpers import random_candidate
from wagtail_mentoring.programs.matching import SCALE, engine, generation, match, solver
from wagtail_mentoring.programs.matching.criteria import DEFAULT_CRITERIA
from wagtail_mentoring.programs.matching.features import SET_FIELDS, build_sides, text_matrix, text_vector

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("seed", range(40))
def test_top_k_keeps_k_best_and_bounds_the_rest(seed):
    rng = np.random.default_rng(seed)
    rows, cols = int(rng.integers(1, 8)), int(rng.integers(1, 12))
    k = int(rng.integers(1, 6))
    weights = rng.integers(0, 4, size=(rows, cols)).astype(np.float64)  # many ties
    allowed = rng.random((rows, cols)) < 0.7
    kept, theta = solver._top_k(weights, allowed, k)
    assert not (kept & ~allowed).any()
    for i in range(rows):
        row_allowed = np.flatnonzero(allowed[i])
        assert kept[i].sum() == min(k, len(row_allowed))
        left = [weights[i, j] for j in row_allowed if not kept[i, j]]
        kept_values = weights[i, kept[i]]
        if left:
            assert theta[i] == max(left)
            assert kept_values.min() >= max(left)
        else:
            assert theta[i] == -np.inf
        # The kept entries are k best: their sum is the sum of the k largest allowed weights.
        best = np.sort(weights[i, row_allowed])[::-1][:k]
        assert kept_values.sum() == best.sum()


def test_top_k_with_every_weight_equal_keeps_exactly_k():
    weights = np.full((3, 50), 7.0)
    allowed = np.ones((3, 50), dtype=bool)
    kept, theta = solver._top_k(weights, allowed, 4)
    assert kept.sum(axis=1).tolist() == [4, 4, 4]
    assert theta.tolist() == [7.0, 7.0, 7.0]


@pytest.mark.parametrize("seed", range(5))
def test_shared_feature_rows_equal_each_candidates_own(seed):
    rng = random.Random(seed)
    mentees = [random_candidate(rng, i, False) for i in range(30)]
    mentors = [random_candidate(rng, 100 + j, True) for j in range(12)]
    # Some candidates share a set or a text with another one, as in real programs.
    mentees[1].skills, mentees[2].career_goals = mentees[0].skills, mentees[0].career_goals
    mentee_side, mentor_side = build_sides(mentees, mentors)
    for side, people in ((mentee_side, mentees), (mentor_side, mentors)):
        for name in SET_FIELDS:
            matrix = side.sets[name]
            assert matrix.has_sorted_indices
            vocabulary = sorted({v for c in mentees + mentors for v in getattr(c, name)})
            for row, candidate in enumerate(people):
                present = {vocabulary[j] for j in matrix[row].indices}
                assert present == set(getattr(candidate, name))
                assert side.sizes[name][row] == len(getattr(candidate, name))
        terms = sorted({t for c in mentees + mentors for t in text_vector(c.career_goals)})
        for row, candidate in enumerate(people):
            vector = side.goals[row]
            assert dict(zip((terms[j] for j in vector.indices), vector.data, strict=True)) == text_vector(
                candidate.career_goals
            )


def test_chunks_are_sized_by_cells(monkeypatch):
    rng = random.Random(3)
    mentees = [random_candidate(rng, i, False) for i in range(50)]
    mentors = [random_candidate(rng, 100 + j, True) for j in range(10)]
    weights, rules = DEFAULT_CRITERIA.resolve_weights(None), DEFAULT_CRITERIA.resolve_rules(None)
    monkeypatch.setattr(generation, "CHUNK_ROWS", None)
    monkeypatch.setattr(generation, "CHUNK_CELLS", 100)
    monkeypatch.setattr(generation, "MIN_CHUNK_ROWS", 4)
    pairs = generation.ChunkedPairs(mentees, mentors, weights, rules, DEFAULT_CRITERIA)
    assert pairs.chunk_rows == 10
    assert max(len(rows) for rows, *_ in pairs.chunks()) <= 10
    monkeypatch.setattr(generation, "CHUNK_CELLS", 10)
    assert generation.ChunkedPairs(mentees, mentors, weights, rules, DEFAULT_CRITERIA).chunk_rows == 4
    monkeypatch.setattr(generation, "CHUNK_ROWS", 7)
    assert generation.ChunkedPairs(mentees, mentors, weights, rules, DEFAULT_CRITERIA).chunk_rows == 7


def test_engine_imports_and_matches_without_django_settings():
    """The benchmarks and plain scripts use the engine without configuring Django."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = (
        "from wagtail_mentoring.programs.matching import Candidate, match; "
        "from wagtail_mentoring.programs.matching.messages import score_words; "
        "r = match([Candidate(1, skills='python')], [Candidate(2, skills='python')]); "
        "print(len(r.pairs), r.pairs[0].reasons[0].criterion, score_words(0.9).replace(' ', '_'))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "skills", "Excellent_match"]


def _counted(calls, original, *args):
    calls.append(len(args))
    return original(*args)


def _key(result):
    return round(result.total_score * SCALE), len(result.pairs)


@pytest.mark.parametrize("strategy", ["best_total", "most_matched"])
@pytest.mark.parametrize("scale", [solver.WARM_SCALE, 1.0, 3.0])
def test_warm_started_rounds_reach_the_dense_optimum(monkeypatch, strategy, scale):
    """Rounds after the first start from the last round's prices. A warm answer is kept only when the
    certificate's potentials prove it optimal; over-priced warm starts (scale 1 ties, 3 distorts) fall
    back to a cold solve, and the result is the dense optimum either way."""
    monkeypatch.setattr(solver, "WARM_SCALE", scale)
    warm = cold_again = 0
    for seed in range(30):
        rng = random.Random(seed)
        mentees = [random_candidate(rng, i, False) for i in range(rng.randint(20, 40))]
        mentors = [random_candidate(rng, 1000 + j, True) for j in range(rng.randint(4, 10))]
        rules = {"shared_language": rng.random() < 0.5}
        dense = match(mentees, mentors, rules=rules, strategy=strategy)
        with monkeypatch.context() as patched:
            use_chunked(patched, top_k=1, chunk_rows=4)
            calls: list[int] = []
            patched.setattr(solver, "solve_edges", partial(_counted, calls, solver.solve_edges))
            chunked = match(mentees, mentors, rules=rules, strategy=strategy)
        assert _key(chunked) == _key(dense), seed
        assert chunked.certificate.proven
        attempts = sum(1 for count in calls if count == 7)  # solves given a penalty
        assert attempts == max(chunked.certificate.rounds - 1, 0)
        warm += chunked.certificate.warm_starts
        cold_again += attempts - chunked.certificate.warm_starts
    if scale < 1.0:
        assert warm > 10  # warm starts are used, and proved
    if scale > 1.0 and strategy == "best_total":
        assert cold_again > 0  # and a bad one is caught (most_matched's prices, lowered, stay exact here)


def test_warm_penalty_prices_full_mentors_only():
    n, m = 3, 4
    distance = np.zeros(n + m + 3)
    distance[n : n + m] = [-5.0, 0.0, 2.0, -1.0]  # t's potential is 0: mentors 0 and 3 are full
    penalty = solver.warm_penalty(distance, n, m)
    # Prices 5 and 1, lowered by the lowest positive price (the common shift the duals may take).
    assert penalty.tolist() == pytest.approx([4.0 * solver.WARM_SCALE, 0.0, 0.0, 0.0])


@pytest.mark.parametrize("strategy", ["best_total", "most_matched"])
def test_one_chunk_problems_reread_the_kept_chunk_and_reach_the_dense_optimum(monkeypatch, strategy):
    """When every mentee fits in one chunk, the certificate reads its rows from the chunk kept by the
    first pass instead of scoring them again: the same pairs and scores as scoring them again."""
    reread = 0
    for seed in range(25):
        rng = random.Random(seed)
        mentees = [random_candidate(rng, i, False) for i in range(rng.randint(20, 40))]
        mentors = [random_candidate(rng, 1000 + j, True) for j in range(rng.randint(4, 10))]
        rules = {"shared_language": rng.random() < 0.5, "mentor_more_senior": rng.random() < 0.5}
        dense = match(mentees, mentors, rules=rules, strategy=strategy)
        with monkeypatch.context() as patched:
            patched.setattr(engine, "DENSE_PAIRS", 0)
            patched.setattr(solver, "TOP_K", 1)
            chunked = match(mentees, mentors, rules=rules, strategy=strategy)
        assert _key(chunked) == _key(dense), seed
        assert chunked.certificate.proven
        reread += chunked.certificate.rescanned > 0

        weights, resolved = DEFAULT_CRITERIA.resolve_weights(None), DEFAULT_CRITERIA.resolve_rules(rules)
        pairs = generation.ChunkedPairs(mentees, mentors, weights, resolved, DEFAULT_CRITERIA)
        fresh = generation.ChunkedPairs(mentees, mentors, weights, resolved, DEFAULT_CRITERIA)
        assert len(list(pairs.chunks())) == 1 and pairs._whole is not None
        rows = np.asarray(rng.sample(range(len(mentees)), min(5, len(mentees))))
        columns = np.asarray([rng.random() < 0.6 for _ in mentors])
        kept, scored = list(pairs.chunks(rows, columns)), list(fresh.chunks(rows, columns))
        if not scored:  # no column left for these rows: nothing allowed in the kept chunk either
            assert not any(a.any() for *_, a in kept)
            continue
        ((r1, c1, s1, a1),), ((r2, c2, s2, a2),) = kept, scored
        assert r1.tolist() == r2.tolist()
        at = np.searchsorted(c1, c2)  # the kept chunk may list more columns (all forbidden for these rows)
        assert c1[at].tolist() == c2.tolist()
        assert np.array_equal(s1[:, at], s2) and np.array_equal(a1[:, at], a2)
        assert not np.delete(a1, at, axis=1).any()
    assert reread > 5


def _full_graph_potentials(rows, cols, values, mentor, slots, m):
    """Plain Bellman-Ford on the whole residual graph (mentee nodes included), in Python: the reference."""
    n = len(mentor)
    s, t, root = n + m, n + m + 1, n + m + 2
    load = [0] * m
    for j in mentor:
        if j >= 0:
            load[j] += 1
    arcs = []
    for i, j, w in zip(rows.tolist(), cols.tolist(), values.tolist(), strict=True):
        arcs.append((n + j, i, w) if mentor[i] == j else (i, n + j, -w))
    for i in range(n):
        arcs.append((i, s, 0.0) if mentor[i] >= 0 else (s, i, 0.0))
    arcs += [(n + j, t, 0.0) for j in range(m) if load[j] < slots[j]]
    arcs += [(t, n + j, 0.0) for j in range(m) if load[j] > 0]
    arcs += [(t, s, 0.0)] + [(s, t, 0.0)] * int(max(mentor.tolist(), default=-1) >= 0)
    arcs += [(root, v, 0.0) for v in range(n + m + 2)]
    size = n + m + 3
    distance = [float("inf")] * size
    distance[root] = 0.0
    for _pass in range(size):
        changed = False
        for tail, head, cost in arcs:
            if distance[tail] + cost < distance[head]:
                distance[head] = distance[tail] + cost
                changed = True
        if not changed:
            return distance
    return None


@pytest.mark.parametrize("seed", range(60))
def test_potentials_on_the_mentor_nodes_equal_the_whole_residual_graphs(seed):
    """potentials() runs Bellman-Ford over the mentors only (each mentee joined to its one arc in):
    the same distances as the whole residual graph, and None where that graph has a negative cycle."""
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 10)), int(rng.integers(1, 6))
    rows, cols = np.nonzero(rng.random((n, m)) < 0.6)
    values = rng.integers(1, 20, size=len(rows)).astype(np.float64)
    slots = rng.integers(1, 3, size=m)
    if seed % 2 and len(rows):
        mentor = solver.solve_edges(rows, cols, values, slots, n, float(values.max()) + 1.0)
    else:  # an arbitrary assignment, often not optimal: a negative cycle
        mentor, load = np.full(n, -1), np.zeros(m, dtype=np.int64)
        for e in rng.permutation(len(rows)):
            if mentor[rows[e]] < 0 and load[cols[e]] < slots[cols[e]]:
                mentor[rows[e]], load[cols[e]] = cols[e], load[cols[e]] + 1
    expected = _full_graph_potentials(rows, cols, values, mentor, slots, m)
    found = solver.potentials(rows, cols, values, mentor, slots, m)
    if expected is None:
        assert found is None
    else:
        assert found is not None and found.tolist() == expected


def test_text_matrix_rows_equal_each_texts_own_vector():
    """text_matrix tokenises every text in one pass (line breaks between texts): each row must still be
    that text's text_vector, bit for bit, whatever the text holds (breaks, stop words, digits, case
    folding that changes lengths, Greek final sigma)."""
    rng = random.Random(7)
    pieces = list("abcΣσςΑΒßẞİıiÉé_1\n\r\t-. ") + ["the ", "and ", "Straße ", "ΟΔΟΣ\n", "ﬁne ", "x "]
    texts = ["", "\n", "the and", "ΑΣ\nΒΣ", "Grow into a Staff engineer\nand lead"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 25))) for _ in range(300)]
    matrix = text_matrix(texts)
    terms = sorted({term for text in texts for term in text_vector(text)})
    assert matrix.shape == (len(texts), len(terms)) and matrix.has_sorted_indices
    for row, text in enumerate(texts):
        vector = matrix[row]
        found = dict(zip((terms[j] for j in vector.indices), vector.data.tolist(), strict=True))
        assert found == text_vector(text) and list(found) == list(text_vector(text)), text
