"""The matching engine is optimal, respects capacities and hard rules, and is deterministic."""

import random
from collections import Counter

import pytest

from tests.matching.helpers import brute_force, random_instance
from wagtail_mentoring.programs.matching import SCALE, Candidate, match, score

SEEDS = range(250)


def _key(result):
    return round(result.total_score * SCALE), len(result.pairs)


@pytest.mark.parametrize("strategy", ["best_total", "most_matched"])
def test_total_and_count_equal_brute_force_optimum(strategy):
    checked = 0
    for seed in SEEDS:
        mentees, mentors, weights, rules = random_instance(seed)
        result = match(mentees, mentors, weights, rules, strategy=strategy)
        expected = brute_force(mentees, mentors, weights, rules, strategy)
        assert _key(result) == expected, (seed, strategy, result)
        checked += len(result.pairs) >= 2
    assert checked > 60  # the instances are not trivially empty


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


def test_strategies_differ_on_a_known_instance():
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
def test_capacities_rules_and_exclusions_always_hold(strategy):
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
def test_same_input_same_output_whatever_the_order(strategy):
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


def test_ties_are_resolved_the_same_way_every_time():
    # Identical mentors: every assignment ties; the answer must not depend on input order.
    mentees = [Candidate(i, skills={"python"}) for i in range(6)]
    mentors = [Candidate(10 + j, skills={"python"}, capacity=2) for j in range(3)]
    first = match(mentees, mentors)
    assert match(list(reversed(mentees)), list(reversed(mentors))) == first
    assert len(first.pairs) == 6
    assert max(Counter(p.mentor_id for p in first.pairs).values()) <= 2


def test_larger_instance_beats_or_equals_greedy():
    rng = random.Random(3)
    mentees = [
        Candidate(i, skills=set(rng.sample("abcdefghij", 3)), seniority=rng.randint(1, 5), languages={"en"})
        for i in range(150)
    ]
    mentors = [
        Candidate(1000 + j, skills=set(rng.sample("abcdefghij", 4)), seniority=rng.randint(3, 9), capacity=3)
        for j in range(40)
    ]
    result = match(mentees, mentors, rules={"mentor_more_senior": True})
    load = Counter()
    greedy_total = 0.0
    for mentee in mentees:
        options = [
            (s, -m.id, m)
            for m in mentors
            if load[m.id] < m.capacity and (s := score(mentee, m, rules={"mentor_more_senior": True})) is not None
        ]
        if options:
            s, _, mentor = max(options, key=lambda o: (o[0], o[1]))
            load[mentor.id] += 1
            greedy_total += s
    assert result.total_score >= greedy_total - 1e-9
