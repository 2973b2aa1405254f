"""The matching engine is optimal, respects capacities and hard rules, and is deterministic."""

import math
import random
from collections import Counter

import pytest

from tests.matching.helpers import brute_force, random_instance
from wagtail_mentoring.programs.matching import SCALE, Candidate, match, score, score_matrix

SEEDS = range(200)


def _key(result):
    return round(result.total_score * SCALE), len(result.pairs)


@pytest.mark.parametrize("strategy", ["best_total", "most_matched"])
def test_total_and_count_equal_brute_force_optimum(strategy, solver):
    checked = 0
    for seed in SEEDS:
        mentees, mentors, weights, rules = random_instance(seed)
        result = match(mentees, mentors, weights, rules, strategy=strategy)
        expected = brute_force(mentees, mentors, weights, rules, strategy)
        assert _key(result) == expected, (seed, strategy, result)
        checked += len(result.pairs) >= 2
    assert checked > 45  # the instances are not trivially empty


def test_most_matched_matches_at_least_as_many_and_best_total_scores_at_least_as_much():
    differs = 0
    for seed in SEEDS:
        mentees, mentors, weights, rules = random_instance(seed, max_mentees=6, max_mentors=3)
        best = match(mentees, mentors, weights, rules, strategy="best_total")
        most = match(mentees, mentors, weights, rules, strategy="most_matched")
        assert len(most.pairs) >= len(best.pairs)
        assert best.total_score >= most.total_score - 1e-9
        differs += len(most.pairs) > len(best.pairs)
    assert differs > 0  # the strategies really differ on some instances


def test_strategies_differ_on_a_known_instance(solver):
    # A fits X much better than Y; B can only have X (rule: shared language).
    a = Candidate("a", skills={"python", "sql"}, languages={"en", "it"})
    b = Candidate("b", skills={"python", "design"}, languages={"en"})
    x = Candidate("x", skills={"python", "sql"}, languages={"en", "it"}, capacity=1)
    y = Candidate("y", skills=set(), languages={"it"}, capacity=1)
    weights = {"goals": 0, "interests": 0, "department": 0, "seniority": 0, "time_zone": 0, "languages": 0}
    rules = {"shared_language": True}
    best = match([a, b], [x, y], weights, rules, strategy="best_total")
    most = match([a, b], [x, y], weights, rules, strategy="most_matched")
    assert [(p.mentee_id, p.mentor_id) for p in best.pairs] == [("a", "x")]
    assert best.total_score == 1.0
    assert [u.mentee_id for u in best.unmatched] == ["b"]
    assert best.unmatched[0].reason == "capacity"
    assert sorted((p.mentee_id, p.mentor_id) for p in most.pairs) == [("a", "y"), ("b", "x")]
    assert most.total_score == 0.5  # a-y scores 0, b-x scores 0.5
    assert most.unmatched == ()


@pytest.mark.parametrize("strategy", ["best_total", "most_matched"])
def test_capacities_rules_and_exclusions_always_hold(strategy, solver):
    for seed in SEEDS:
        mentees, mentors, weights, rules = random_instance(seed, max_mentees=7, max_mentors=4)
        excluded = {c.id: "training incomplete" for c in (mentees + mentors)[::4]}
        result = match(mentees, mentors, weights, rules, strategy=strategy, excluded=excluded)
        by_id = {c.id: c for c in mentors}
        mentee_by_id = {c.id: c for c in mentees}
        load = Counter(p.mentor_id for p in result.pairs)
        for mentor_id, count in load.items():
            assert count <= by_id[mentor_id].capacity
        assert len({p.mentee_id for p in result.pairs}) == len(result.pairs)
        for pair in result.pairs:
            mentee, mentor = mentee_by_id[pair.mentee_id], by_id[pair.mentor_id]
            assert pair.mentee_id not in excluded and pair.mentor_id not in excluded
            assert score(mentee, mentor, weights, rules) == pair.score  # not None: no rule broken
            if rules.get("min_score") is not None:
                assert pair.score >= rules["min_score"]
            if mentee.person_id is not None:
                assert mentee.person_id != mentor.person_id
        # Every mentee is either paired or unmatched with a reason, exactly once.
        matched = {p.mentee_id for p in result.pairs}
        unmatched = {u.mentee_id for u in result.unmatched}
        assert matched | unmatched == set(mentee_by_id) and not matched & unmatched
        assert result.total_score == pytest.approx(sum(p.score for p in result.pairs), abs=1e-9)


@pytest.mark.parametrize("strategy", ["best_total", "most_matched"])
def test_same_input_same_output_whatever_the_order(strategy, solver):
    rng = random.Random(7)
    for seed in range(60):
        mentees, mentors, weights, rules = random_instance(seed, max_mentees=8, max_mentors=4)
        expected = match(mentees, mentors, weights, rules, strategy=strategy).as_dict()
        for _ in range(3):
            shuffled_mentees, shuffled_mentors = mentees[:], mentors[:]
            rng.shuffle(shuffled_mentees)
            rng.shuffle(shuffled_mentors)
            again = match(shuffled_mentees, shuffled_mentors, weights, rules, strategy=strategy)
            assert again.as_dict() == expected


def test_ties_are_resolved_the_same_way_every_time(solver):
    # Identical mentors: every assignment ties; the answer must not depend on input order.
    mentees = [Candidate(i, skills={"python"}) for i in range(6)]
    mentors = [Candidate(10 + j, skills={"python"}, capacity=2) for j in range(3)]
    first = match(mentees, mentors)
    assert match(list(reversed(mentees)), list(reversed(mentors))) == first
    assert len(first.pairs) == 6
    assert max(Counter(p.mentor_id for p in first.pairs).values()) <= 2


def test_larger_instance_beats_or_equals_greedy(solver):
    rng = random.Random(3)
    mentees = [
        Candidate(i, skills=set(rng.sample("abcdefghij", 3)), seniority=rng.randint(1, 5), languages={"en"})
        for i in range(150)
    ]
    mentors = [
        Candidate(1000 + j, skills=set(rng.sample("abcdefghij", 4)), seniority=rng.randint(3, 9), capacity=3)
        for j in range(40)
    ]
    rules = {"mentor_more_senior": True}
    result = match(mentees, mentors, rules=rules)
    matrix = score_matrix(mentees, mentors, rules=rules)  # mentees and mentors are in id order
    room = [m.capacity for m in mentors]
    greedy_total = 0.0
    for row in matrix:
        options = [(value, -j) for j, value in enumerate(row) if room[j] > 0 and not math.isnan(value)]
        if options:
            value, j = max(options)
            room[-j] -= 1
            greedy_total += value
    assert result.total_score >= greedy_total - 1e-9


@pytest.mark.parametrize("strategy", ["best_total", "most_matched"])
def test_sparse_solver_proves_and_reaches_the_dense_optimum(monkeypatch, strategy):
    from tests.matching.helpers import random_candidate
    from wagtail_mentoring.programs.matching import solver

    rng = random.Random(11)
    mentees = [random_candidate(rng, i, False) for i in range(120)]
    mentors = [random_candidate(rng, 1000 + j, True) for j in range(40)]
    rules = {"mentor_more_senior": True}
    dense = match(mentees, mentors, rules=rules, strategy=strategy)

    rounds = []
    original = solver.solve_edges
    monkeypatch.setattr(solver, "solve_edges", lambda *args: rounds.append(1) or original(*args))
    monkeypatch.setattr(solver, "DENSE_LIMIT", 0)
    monkeypatch.setattr(solver, "CANDIDATES_PER_MENTEE", 2)
    monkeypatch.setattr(solver, "MAX_ROUNDS", 50)
    sparse_result = match(mentees, mentors, rules=rules, strategy=strategy)
    assert len(rounds) > 1  # the certificate rejected the first candidate set and the solver grew it
    assert (sparse_result.total_score, len(sparse_result.pairs)) == (dense.total_score, len(dense.pairs))
