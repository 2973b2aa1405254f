"""Large problems: candidates generated in chunks, blocked on the hard rules, proved optimal in chunks."""

import math
import random

import numpy as np
import pytest

from tests.matching.conftest import use_chunked
from tests.matching.helpers import brute_force, random_candidate, random_instance
from wagtail_mentoring.programs.matching import SCALE, Candidate, engine, features, match, score, scoring
from wagtail_mentoring.programs.matching.criteria import TimeZone
from wagtail_mentoring.programs.matching.timezones import hours_apart


def _key(result):
    return round(result.total_score * SCALE), len(result.pairs)


def _medium_instance(seed: int):
    rng = random.Random(seed)
    mentees = [random_candidate(rng, i, False) for i in range(rng.randint(20, 40))]
    mentors = [random_candidate(rng, 1000 + j, True) for j in range(rng.randint(5, 12))]
    rules = {"shared_language": rng.random() < 0.5, "mentor_more_senior": rng.random() < 0.5}
    if rng.random() < 0.5:
        rules["max_timezone_gap_hours"] = rng.choice([2, 6])
    if rng.random() < 0.3:
        rules["min_score"] = 0.3
    if rng.random() < 0.3:
        rules["different_department"] = True
    return mentees, mentors, rules


@pytest.mark.parametrize("strategy", ["best_total", "most_matched"])
def test_chunked_path_reaches_the_dense_optimum_and_proves_it(monkeypatch, strategy):
    grew = 0
    for seed in range(40):
        mentees, mentors, rules = _medium_instance(seed)
        dense = match(mentees, mentors, rules=rules, strategy=strategy)
        with monkeypatch.context() as patched:
            use_chunked(patched, top_k=1, chunk_rows=3)
            chunked = match(mentees, mentors, rules=rules, strategy=strategy)
        assert _key(chunked) == _key(dense), seed
        assert chunked.certificate.proven
        grew += chunked.certificate.rounds > 1
        # Every pair is allowed, scored as score() scores it, and capacities hold.
        by_id = {c.id: c for c in mentees + mentors}
        for pair in chunked.pairs:
            assert score(by_id[pair.mentee_id], by_id[pair.mentor_id], rules=rules) == pair.score
        loads = {}
        for pair in chunked.pairs:
            loads[pair.mentor_id] = loads.get(pair.mentor_id, 0) + 1
        assert all(count <= by_id[mentor_id].capacity for mentor_id, count in loads.items())

        # The same mentees left out by the rules, for the same reasons (ties may swap who loses on capacity).
        def ruled_out(result):
            return {u.mentee_id: (u.reason, u.detail) for u in result.unmatched if u.reason != "capacity"}

        assert ruled_out(chunked) == ruled_out(dense)
        assert len(chunked.unmatched) == len(dense.unmatched)
    assert grew > 5  # one candidate per mentee is rarely enough: the certificate grew the candidates


@pytest.mark.parametrize("strategy", ["best_total", "most_matched"])
def test_chunked_path_equals_brute_force(monkeypatch, strategy):
    use_chunked(monkeypatch, top_k=1, chunk_rows=1)
    for seed in range(120):
        mentees, mentors, weights, rules = random_instance(seed, max_mentees=6, max_mentors=3)
        result = match(mentees, mentors, weights, rules, strategy=strategy)
        assert _key(result) == brute_force(mentees, mentors, weights, rules, strategy), seed


def test_no_mentees_by_mentors_array(monkeypatch):
    rng = random.Random(5)
    mentees = [random_candidate(rng, i, False) for i in range(60)]
    mentors = [random_candidate(rng, 1000 + j, True) for j in range(20)]
    shapes = []
    original = features.PairBlock.__init__

    def record(self, mentee_side, mentor_side):
        original(self, mentee_side, mentor_side)
        shapes.append((len(mentee_side), len(mentor_side)))

    monkeypatch.setattr(features.PairBlock, "__init__", record)
    use_chunked(monkeypatch, top_k=2, chunk_rows=8)
    result = match(mentees, mentors, rules={"mentor_more_senior": True, "shared_language": True})
    assert result.pairs and result.certificate.proven
    group_table, *chunks = shapes  # first the (mentee groups x mentor groups) rules, then chunks of 8 mentees
    assert group_table[0] < 60 and group_table[1] < 20
    assert chunks and max(rows for rows, _cols in chunks) <= 8


def test_blocking_scores_only_the_allowed_groups(monkeypatch):
    # Mentees speak "it" or "de", mentors only "it": with shared_language, "de" mentees are never scored.
    mentees = [Candidate(i, skills={"python"}, languages={"it" if i % 2 else "de"}) for i in range(40)]
    mentors = [Candidate(100 + j, skills={"python"}, languages={"it"}, capacity=2) for j in range(10)]
    scored = []
    original = scoring.block_scores

    def record(block, *args, **kwargs):
        scored.append((block.shape, block.mentees.sets["languages"].toarray()))  # vocabulary: de, it
        return original(block, *args, **kwargs)

    monkeypatch.setattr("wagtail_mentoring.programs.matching.generation.block_scores", record)
    use_chunked(monkeypatch, top_k=3, chunk_rows=10)
    result = match(mentees, mentors, rules={"shared_language": True})
    assert len(result.pairs) == 20
    assert [shape for shape, _languages in scored[:2]] == [(10, 10), (10, 10)]  # pass 1: the 20 "it" mentees
    assert all(languages[:, 0].sum() == 0 for _shape, languages in scored)  # no "de" mentee is ever scored
    assert {u.reason for u in result.unmatched} == {"rules"}


def test_reasons_are_explained_only_when_read(monkeypatch):
    calls = []
    original = engine.explain_pair
    monkeypatch.setattr(engine, "explain_pair", lambda *args: calls.append(1) or original(*args))
    mentees = [Candidate(i, skills={"python", "sql"}) for i in range(4)]
    mentors = [Candidate(10 + j, skills={"python"}, capacity=2) for j in range(2)]
    result = match(mentees, mentors)
    assert len(result.pairs) == 4 and not calls
    first = result.pairs[0].reasons
    assert calls == [1] and [r.criterion for r in first][0] == "skills"
    assert result.pairs[0].reasons is first and calls == [1]  # computed once
    result.as_dict()
    assert len(calls) == 4


def test_progress_reports_phases_and_fractions(monkeypatch):
    rng = random.Random(9)
    mentees = [random_candidate(rng, i, False) for i in range(30)]
    mentors = [random_candidate(rng, 1000 + j, True) for j in range(10)]
    for chunked in (False, True):
        reports = []
        with monkeypatch.context() as patched:
            if chunked:
                use_chunked(patched, top_k=1, chunk_rows=4)
            match(mentees, mentors, progress=lambda phase, fraction, seen=reports: seen.append((phase, fraction)))
        phases = [phase for phase, _fraction in reports]
        assert all(0.0 <= fraction <= 1.0 for _phase, fraction in reports)
        assert reports[-1] == ("done", 1.0)
        expected = {"candidates", "solving", "certificate"} if chunked else {"scoring", "solving"}
        assert expected <= set(phases)


def test_unknown_time_zones_skip_the_time_zone_criterion(monkeypatch):
    def fail(self, block, rules):
        raise AssertionError("time-zone values computed although every time zone is unknown")

    monkeypatch.setattr(TimeZone, "values", fail)
    mentees = [Candidate(i, skills={"python"}) for i in range(5)]
    mentors = [Candidate(10 + j, skills={"python"}, time_zone="Europe/Rome") for j in range(3)]
    result = match(mentees, mentors, rules={"max_timezone_gap_hours": 2})
    assert len(result.pairs) == 3
    reasons = {r.criterion: r for r in result.pairs[0].reasons}
    assert reasons["time_zone"].value == 0.0 and reasons["time_zone"].detail == {"hours_apart": None}


def test_hours_apart_fast_path_equals_the_modulo_formula():
    rng = np.random.default_rng(3)
    for spread in (14.0, 100.0):
        a = rng.uniform(-spread, spread, (50, 1))
        b = rng.uniform(-spread, spread, (1, 70))
        a[::4] = np.nan
        b[0, ::6] = np.nan
        diff = np.abs(a - b) % 24
        expected = np.minimum(diff, 24 - diff)
        assert np.array_equal(hours_apart(a, b), expected, equal_nan=True)
    assert hours_apart(23.0, -1.0) == 0.0 and math.isclose(hours_apart(10.0, -10.0), 4.0)
