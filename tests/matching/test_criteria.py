"""Criterion classes: each one scores one pair and vectorised alike, explains itself, and is one class to add."""

import random

import numpy as np
import pytest

from tests.matching.helpers import random_candidate, random_instance
from wagtail_mentoring.programs.matching import (
    CRITERIA,
    DEFAULT_CRITERIA,
    RULES,
    Candidate,
    Criteria,
    FlagRule,
    HardRule,
    LimitRule,
    MatchingConfigError,
    ScoredCriterion,
    match,
    reason_message,
    score,
    score_matrix,
    unmatched_message,
)
from wagtail_mentoring.programs.matching.criteria import (
    DifferentDepartment,
    MaxTimezoneGap,
    MentorMoreSenior,
    MinScore,
    SamePerson,
    SharedLanguage,
)
from wagtail_mentoring.programs.matching.features import PairBlock, build_sides

RESOLVED_RULES = DEFAULT_CRITERIA.resolve_rules(None)


def _people(seed: int, mentees: int = 12, mentors: int = 7):
    rng = random.Random(seed)
    return (
        [random_candidate(rng, i, False) for i in range(mentees)],
        [random_candidate(rng, 100 + j, True) for j in range(mentors)],
    )


def test_default_criteria_declare_their_kind_and_order():
    assert DEFAULT_CRITERIA.names == CRITERIA
    assert tuple(rule.name for rule in DEFAULT_CRITERIA.rules) == RULES
    assert all(not c.hard and isinstance(c, ScoredCriterion) for c in DEFAULT_CRITERIA.scored)
    assert all(r.hard and isinstance(r, HardRule) for r in DEFAULT_CRITERIA.rules)
    assert all(c.label() for c in DEFAULT_CRITERIA)
    with pytest.raises(ValueError, match="duplicate"):
        DEFAULT_CRITERIA.with_(SharedLanguage())


@pytest.mark.parametrize("criterion", DEFAULT_CRITERIA.scored, ids=lambda c: c.name)
def test_scored_criterion_one_pair_equals_vectorised(criterion):
    for seed in range(15):
        mentees, mentors = _people(seed)
        values = criterion.values(PairBlock(*build_sides(mentees, mentors)), RESOLVED_RULES)
        assert values.shape == (len(mentees), len(mentors))
        assert np.all((values >= 0) & (values <= 1))
        for i, mentee in enumerate(mentees):
            for j, mentor in enumerate(mentors):
                value, detail = criterion.explain(mentee, mentor, RESOLVED_RULES)
                assert criterion.value(mentee, mentor, RESOLVED_RULES) == pytest.approx(values[i, j], abs=1e-12)
                assert float(value) == pytest.approx(values[i, j], abs=1e-12)
                text = criterion.describe(detail, round(float(value), 6))
                assert text and isinstance(text, str)


@pytest.mark.parametrize(
    ("criterion_name", "mentee", "mentor", "value", "detail", "text"),
    [
        ("skills", Candidate(1, skills="python, sql"), Candidate(2, skills="python"), 0.5, {"shared": ["python"], "sought": 2}, "offers 1 of the 2 skills sought (python)"),
        ("goals", Candidate(1, career_goals="lead data team"), Candidate(2, career_goals="sales"), 0.0, {"common_terms": []}, "nothing in common"),
        ("interests", Candidate(1, interests="chess"), Candidate(2, interests="chess, film"), 0.5, {"shared": ["chess"]}, "chess"),
        ("department", Candidate(1, department="IT"), Candidate(2, department="it"), 0.0, {"mentee": "IT", "mentor": "it"}, "same department (IT)"),
        ("seniority", Candidate(1, seniority=1), Candidate(2, seniority=2), 2 / 3, {"gap": 1, "preferred": 2}, "mentor is 1 level above the mentee (preferred: 2)"),
        ("languages", Candidate(1, languages="en"), Candidate(2, languages="it"), 0.0, {"shared": []}, "none in common"),
        ("time_zone", Candidate(1, time_zone=0), Candidate(2, time_zone=6), 0.5, {"hours_apart": 6.0}, "6 hours apart"),
    ],
)  # fmt: skip
def test_each_criterion_explains_one_pair(criterion_name, mentee, mentor, value, detail, text):
    criterion = DEFAULT_CRITERIA.get(criterion_name)
    got_value, got_detail = criterion.explain(mentee, mentor, RESOLVED_RULES)
    assert float(got_value) == pytest.approx(value) and got_detail == detail
    assert criterion.describe(got_detail, got_value) == text
    assert reason_message({"criterion": criterion_name, "value": got_value, "detail": got_detail}).endswith(text)


@pytest.mark.parametrize(
    ("rule", "setting", "mentee", "mentor", "forbidden"),
    [
        (SamePerson(), None, Candidate(1, person_id=5), Candidate(2, person_id=5), True),
        (SamePerson(), None, Candidate(1), Candidate(2), False),
        (SharedLanguage(), True, Candidate(1, languages="en"), Candidate(2, languages="it"), True),
        (DifferentDepartment(), True, Candidate(1, department="IT"), Candidate(2, department="IT"), True),
        (DifferentDepartment(), True, Candidate(1), Candidate(2), False),
        (MentorMoreSenior(), True, Candidate(1, seniority=3), Candidate(2, seniority=3), True),
        (MaxTimezoneGap(), 2, Candidate(1, time_zone=0), Candidate(2, time_zone=3), True),
        (MaxTimezoneGap(), 2, Candidate(1), Candidate(2, time_zone=3), False),
    ],
)
def test_each_hard_rule_forbids_pairs(rule, setting, mentee, mentor, forbidden):
    assert rule.hard and rule.active(setting)
    block = PairBlock(*build_sides([mentee], [mentor]))
    assert bool(rule.forbids(block, setting, np.zeros((1, 1)))[0, 0]) is forbidden
    assert rule.label()


def test_min_score_rule_reads_the_score_and_checks_its_range():
    rule = MinScore()
    assert rule.uses_score and not rule.active(None) and rule.active(0.0)
    block = PairBlock(*build_sides([Candidate(1)], [Candidate(2)]))
    assert rule.forbids(block, 0.5, np.array([[0.4]]))[0, 0]
    with pytest.raises(MatchingConfigError, match="between 0 and 1"):
        rule.validate(1.5)
    with pytest.raises(MatchingConfigError, match="true or false"):
        SharedLanguage().validate(1)
    assert not SharedLanguage().active(False) and SamePerson().active(None)


def test_a_block_over_a_chunk_of_mentees_scores_those_rows():
    mentees, mentors = _people(3, mentees=20, mentors=6)
    a, b = build_sides(mentees, mentors)
    full, chunk = PairBlock(a, b), PairBlock(a.take(slice(5, 12)), b)
    for criterion in DEFAULT_CRITERIA.scored:
        assert np.array_equal(criterion.values(chunk, RESOLVED_RULES), criterion.values(full, RESOLVED_RULES)[5:12])


# --- a new criterion is one class ---------------------------------------------------------------


class SharedSkillCount(ScoredCriterion):
    """Test-only: how many skills the pair shares, up to three."""

    name = "shared_skill_count"
    default_weight = 2.0
    parameters = {"skill_count_cap": 3}

    title = "Skill count"

    def values(self, block, rules):
        return np.minimum(block.shared("skills"), rules["skill_count_cap"]) / rules["skill_count_cap"]

    def explain(self, mentee, mentor, rules):
        count = len(mentee.skills & mentor.skills)
        return min(count, rules["skill_count_cap"]) / rules["skill_count_cap"], {"count": count}

    def describe(self, detail, value):
        return f"{detail['count']} shared"


class MaxSeniorityGap(LimitRule):
    """Test-only hard rule: the mentor is at most this many levels above the mentee."""

    name = "max_seniority_gap"

    title = "seniority gap too large"

    def forbids(self, block, setting, scores):
        return block.seniority_gap > setting


class NeedsSkills(FlagRule):
    """Test-only hard rule: the mentee must seek at least one skill."""

    name = "needs_skills"

    title = "mentee seeks no skill"

    def forbids(self, block, setting, scores):
        return np.broadcast_to(block.mentee(block.mentees.sizes["skills"]) == 0, block.shape)


EXTENDED = DEFAULT_CRITERIA.with_(SharedSkillCount(), MaxSeniorityGap(), NeedsSkills())


def test_a_new_scored_criterion_is_one_class():
    mentee = Candidate(1, skills="python, sql, go")
    mentor = Candidate(2, skills="python, sql")
    base = score(mentee, mentor)
    extended = score(mentee, mentor, criteria=EXTENDED)
    # weights 9.5 + 2: the new criterion adds 2 * (2 / 3) points.
    assert extended == pytest.approx(round((base * 9.5 + 2 * 2 / 3) / 11.5, 6), abs=1e-6)
    assert score(mentee, mentor, {"shared_skill_count": 0}, criteria=EXTENDED) == pytest.approx(base * 9.5 / 9.5)
    assert score(mentee, mentor, rules={"skill_count_cap": 2}, criteria=EXTENDED) > extended
    (pair,) = match([mentee], [mentor], criteria=EXTENDED).pairs
    assert [r.criterion for r in pair.reasons] == [*CRITERIA, "shared_skill_count"]
    assert pair.score == extended
    assert sum(r.contribution for r in pair.reasons) == pytest.approx(pair.score, abs=1e-5)
    assert reason_message(pair.reasons[-1], EXTENDED) == "Skill count: 2 shared"
    with pytest.raises(MatchingConfigError, match="unknown matching criterion 'shared_skill_count'"):
        score(mentee, mentor, {"shared_skill_count": 1})  # not in the default criteria


def test_a_new_hard_rule_is_one_class():
    mentee = Candidate(1, seniority=1, skills="python")
    near, far = Candidate(10, seniority=3), Candidate(11, seniority=9)
    assert score(mentee, far, rules={"max_seniority_gap": 4}, criteria=EXTENDED) is None
    assert score(mentee, near, rules={"max_seniority_gap": 4}, criteria=EXTENDED) is not None
    assert score(mentee, far, criteria=EXTENDED) is not None  # off by default
    result = match(
        [mentee, Candidate(2, seniority=6)],
        [far],
        rules={"max_seniority_gap": 4, "needs_skills": True},
        criteria=EXTENDED,
    )
    assert result.pairs == ()
    first, second = result.unmatched
    assert first.detail == {"rules": {"max_seniority_gap": 1}}
    assert second.detail == {"rules": {"needs_skills": 1}}
    assert unmatched_message(first, EXTENDED) == "No mentor passes the program's rules: seniority gap too large (1)."
    with pytest.raises(MatchingConfigError, match="must be a number >= 0 or null"):
        score(mentee, near, rules={"max_seniority_gap": "far"}, criteria=EXTENDED)


def test_extended_criteria_leave_the_default_results_alone():
    for seed in range(20):
        mentees, mentors, weights, rules = random_instance(seed)
        weights = {**(weights or {}), "shared_skill_count": 0}
        default = score_matrix(mentees, mentors, {k: v for k, v in weights.items() if k in CRITERIA}, rules)
        extended = score_matrix(mentees, mentors, weights, rules, criteria=EXTENDED)
        assert np.array_equal(default, extended, equal_nan=True)


def test_criteria_lists_are_immutable_values():
    assert isinstance(EXTENDED, Criteria) and len(DEFAULT_CRITERIA.items) == 13
    assert DEFAULT_CRITERIA.get("shared_skill_count") is None and EXTENDED.get("shared_skill_count") is not None
