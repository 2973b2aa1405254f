"""Pair scores: criteria values, weights, hard rules, time zones, and score() equal to the matrix."""

import math

import numpy as np
import pytest

from tests.matching.helpers import random_instance
from wagtail_mentoring.programs.matching import (
    DEFAULT_WEIGHTS,
    Candidate,
    score,
    score_matrix,
    utc_offset_hours,
)

ONLY = dict.fromkeys(DEFAULT_WEIGHTS, 0)


def only(criterion: str) -> dict:
    return {**ONLY, criterion: 1}


def test_score_equals_the_vectorised_matrix_entry():
    compared = 0
    for seed in range(120):
        mentees, mentors, weights, rules = random_instance(seed, max_mentees=6, max_mentors=5)
        matrix = score_matrix(mentees, mentors, weights, rules)
        assert matrix.shape == (len(mentees), len(mentors))
        for i, mentee in enumerate(mentees):
            for j, mentor in enumerate(mentors):
                value = score(mentee, mentor, weights, rules)
                if value is None:
                    assert math.isnan(matrix[i, j])
                else:
                    assert value == matrix[i, j]
                    compared += 1
    assert compared > 300


def test_scores_are_weighted_means_in_unit_interval():
    mentees, mentors, weights, _rules = random_instance(11, max_mentees=6, max_mentors=5)
    matrix = score_matrix(mentees, mentors, weights)
    assert np.all((matrix >= 0) & (matrix <= 1))


def test_skills_coverage_of_what_the_mentee_seeks():
    mentee = Candidate(1, skills={"Python", " SQL ", "design"})
    assert score(mentee, Candidate(2, skills={"python", "sql", "go", "rust"}), only("skills")) == pytest.approx(2 / 3)
    assert score(Candidate(1), Candidate(2, skills={"python"}), only("skills")) == 0.0


def test_interests_jaccard():
    mentee = Candidate(1, interests={"chess", "music"})
    mentor = Candidate(2, interests={"music", "film", "running"})
    assert score(mentee, mentor, only("interests")) == 0.25


def test_career_goals_text_similarity():
    goals = "Become an engineering manager and lead a data team"
    assert score(Candidate(1, career_goals=goals), Candidate(2, career_goals=goals.upper()), only("goals")) == 1.0
    assert score(Candidate(1, career_goals="the and of"), Candidate(2, career_goals="the and of"), only("goals")) == 0
    assert (
        score(Candidate(1, career_goals="learn sales"), Candidate(2, career_goals="design systems"), only("goals")) == 0
    )
    partial = score(Candidate(1, career_goals="lead data team"), Candidate(2, career_goals="data team"), only("goals"))
    assert partial == pytest.approx(round(2 / math.sqrt(6), 6))


def test_department_diversity_bonus():
    weights = only("department")
    assert score(Candidate(1, department="IT"), Candidate(2, department="HR"), weights) == 1.0
    assert score(Candidate(1, department="IT"), Candidate(2, department="it"), weights) == 0.0
    assert score(Candidate(1), Candidate(2, department="HR"), weights) == 0.0  # unknown: no bonus


@pytest.mark.parametrize(
    ("mentee", "mentor", "expected"),
    [(1, 3, 1.0), (1, 2, 2 / 3), (1, 4, 2 / 3), (3, 3, 1 / 3), (5, 3, 0.0), (1, 9, 0.0)],
)
def test_seniority_gap_prefers_the_configured_gap(mentee, mentor, expected):
    value = score(Candidate(1, seniority=mentee), Candidate(2, seniority=mentor), only("seniority"))
    assert value == pytest.approx(expected, abs=1e-6)


def test_preferred_seniority_gap_is_configurable():
    rules = {"preferred_seniority_gap": 0}
    assert score(Candidate(1, seniority=3), Candidate(2, seniority=3), only("seniority"), rules) == 1.0


def test_shared_language():
    weights = only("languages")
    assert score(Candidate(1, languages={"EN", "it"}), Candidate(2, languages={"en"}), weights) == 1.0
    assert score(Candidate(1, languages="it, de"), Candidate(2, languages={"en"}), weights) == 0.0


def test_time_zone_closeness_wraps_around_the_day():
    weights = only("time_zone")
    assert score(Candidate(1, time_zone=0), Candidate(2, time_zone="UTC"), weights) == 1.0
    assert score(Candidate(1, time_zone=11), Candidate(2, time_zone=-11), weights) == pytest.approx(1 - 2 / 12)
    assert score(Candidate(1, time_zone=0), Candidate(2, time_zone=12), weights) == 0.0
    assert score(Candidate(1), Candidate(2, time_zone=3), weights) == 0.0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2, 2.0),
        (-3.5, -3.5),
        ("UTC", 0.0),
        ("UTC+2", 2.0),
        ("gmt-05:30", -5.5),
        ("+0530", 5.5),
        ("Asia/Kolkata", 5.5),
        ("Europe/Rome", 1.5),  # mean of winter (+1) and summer (+2)
        ("America/New_York", -4.5),
        ("Not/AZone", None),
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_utc_offset_hours(value, expected):
    assert utc_offset_hours(value) == expected


def test_weights_change_the_score():
    mentee = Candidate(1, skills={"python"}, department="IT")
    mentor = Candidate(2, skills={"python"}, department="IT")
    assert score(mentee, mentor, {**ONLY, "skills": 1, "department": 1}) == 0.5
    assert score(mentee, mentor, {**ONLY, "skills": 3, "department": 1}) == 0.75
    assert score(mentee, mentor, ONLY) == 0.0  # every weight zero: nothing earns points


@pytest.mark.parametrize(
    ("rules", "mentee", "mentor"),
    [
        ({"shared_language": True}, Candidate(1, languages={"it"}), Candidate(2, languages={"en"})),
        ({"shared_language": True}, Candidate(1), Candidate(2, languages={"en"})),
        ({"different_department": True}, Candidate(1, department="IT"), Candidate(2, department="It ")),
        ({"mentor_more_senior": True}, Candidate(1, seniority=4), Candidate(2, seniority=4)),
        ({"max_timezone_gap_hours": 3}, Candidate(1, time_zone="Europe/Rome"), Candidate(2, time_zone="Asia/Tokyo")),
        ({"min_score": 0.9}, Candidate(1), Candidate(2)),
        ({}, Candidate(1, person_id=7), Candidate(2, person_id=7)),
    ],
)
def test_hard_rules_forbid_the_pair(rules, mentee, mentor):
    assert score(mentee, mentor, rules=rules) is None


@pytest.mark.parametrize(
    ("rules", "mentee", "mentor"),
    [
        ({"shared_language": True}, Candidate(1, languages={"it", "en"}), Candidate(2, languages={"en"})),
        ({"different_department": True}, Candidate(1, department="IT"), Candidate(2)),
        ({"mentor_more_senior": True}, Candidate(1, seniority=4), Candidate(2, seniority=5)),
        ({"max_timezone_gap_hours": 3}, Candidate(1, time_zone="Europe/Rome"), Candidate(2, time_zone="UTC")),
        ({"max_timezone_gap_hours": 3}, Candidate(1), Candidate(2, time_zone="Asia/Tokyo")),  # unknown passes
        ({"min_score": 0.0}, Candidate(1), Candidate(2)),
        ({}, Candidate(1, person_id=7), Candidate(2, person_id=8)),
    ],
)
def test_hard_rules_allow_the_pair(rules, mentee, mentor):
    assert score(mentee, mentor, rules=rules) is not None


def test_score_equals_matrix_entry_on_a_larger_problem():
    from random import Random

    from tests.matching.helpers import random_candidate

    rng = Random(5)
    mentees = [random_candidate(rng, i, False) for i in range(200)]
    mentors = [random_candidate(rng, 1000 + j, True) for j in range(60)]
    matrix = score_matrix(mentees, mentors)
    for _ in range(300):
        i, j = rng.randrange(200), rng.randrange(60)
        value = score(mentees[i], mentors[j])
        assert (value is None and math.isnan(matrix[i, j])) or value == matrix[i, j]
