"""Pair reasons, unmatched reasons, edge cases and configuration errors of the matching engine."""

import json

import pytest
from django.utils import translation

from tests.matching.helpers import random_instance
from wagtail_mentoring.programs.matching import (
    CRITERIA,
    Candidate,
    MatchingConfigError,
    match,
    reason_message,
    unmatched_message,
)


def _reasons(pair):
    return {r.criterion: r for r in pair.reasons}


def test_pair_reasons_explain_every_criterion_and_add_up_to_the_score():
    mentee = Candidate(
        1,
        skills={"python", "sql"},
        interests={"chess"},
        languages={"en"},
        department="IT",
        seniority=2,
        career_goals="lead a data team",
        time_zone="UTC",
    )
    mentor = Candidate(
        2,
        skills={"python"},
        interests={"chess", "film"},
        languages={"en", "it"},
        department="HR",
        seniority=4,
        career_goals="data team lead",
        time_zone="UTC+3",
    )
    (pair,) = match([mentee], [mentor]).pairs
    reasons = _reasons(pair)
    assert tuple(reasons) == CRITERIA
    assert reasons["skills"].value == 0.5 and reasons["skills"].detail == {"shared": ["python"], "sought": 2}
    assert reasons["interests"].detail == {"shared": ["chess"]} and reasons["interests"].value == 0.5
    assert reasons["goals"].value == 1.0 and set(reasons["goals"].detail["common_terms"]) == {"data", "team", "lead"}
    assert reasons["department"].value == 1.0 and reasons["department"].detail == {"mentee": "IT", "mentor": "HR"}
    assert reasons["seniority"].detail == {"gap": 2, "preferred": 2} and reasons["seniority"].value == 1.0
    assert reasons["languages"].detail == {"shared": ["en"]}
    assert reasons["time_zone"].detail == {"hours_apart": 3.0} and reasons["time_zone"].value == 0.75
    assert sum(r.contribution for r in pair.reasons) == pytest.approx(pair.score, abs=1e-5)
    for reason in pair.reasons:
        assert reason.contribution == pytest.approx(reason.weight * reason.value / 9.5, abs=1e-6)
    assert "python" in reasons["skills"].message
    assert "3 hours apart" in reasons["time_zone"].message
    assert "IT" in reasons["department"].message and "HR" in reasons["department"].message


def test_reason_contributions_match_pair_scores_on_random_instances():
    for seed in range(80):
        mentees, mentors, weights, rules = random_instance(seed)
        for pair in match(mentees, mentors, weights, rules).pairs:
            assert sum(r.contribution for r in pair.reasons) == pytest.approx(pair.score, abs=1e-5)
            assert all(0 <= r.value <= 1 for r in pair.reasons)
            assert all(reason_message(r) for r in pair.reasons)


def test_reason_messages_cover_empty_details_and_json_round_trip():
    mentee, mentor = Candidate(1), Candidate(2)
    result = match([mentee], [mentor])
    data = json.loads(json.dumps(result.as_dict()))
    messages = [reason_message(r) for r in data["pairs"][0]["reasons"]]
    assert messages == [r.message for r in result.pairs[0].reasons]
    joined = " | ".join(messages)
    assert "no skills to learn" in joined and "time zone unknown" in joined and "department unknown" in joined


def test_messages_go_through_django_translation(monkeypatch):
    seen = []

    def fake_gettext(message):
        seen.append(message)
        return "[it] " + message

    monkeypatch.setattr(translation, "gettext", fake_gettext)
    result = match([Candidate(1, excluded_reason="training")], [])
    assert result.unmatched[0].message == "[it] Left out of matching: training"
    assert "Left out of matching: %(note)s" in seen


def test_unmatched_excluded_by_mapping_or_field():
    mentees = [Candidate(1), Candidate(2, excluded_reason="Mentee training not complete"), Candidate(3)]
    mentors = [Candidate(10, capacity=5), Candidate(11, capacity=5)]
    result = match(mentees, mentors, excluded={1: "Required training not complete", 11: "Mentor training missing"})
    assert [p.mentee_id for p in result.pairs] == [3]
    assert result.pairs[0].mentor_id == 10
    reasons = {u.mentee_id: u for u in result.unmatched}
    assert reasons[1].reason == "excluded" and reasons[1].detail == {"note": "Required training not complete"}
    assert reasons[2].detail == {"note": "Mentee training not complete"}
    assert "Required training not complete" in reasons[1].message
    assert result.excluded_mentors == ((11, "Mentor training missing"),)


def test_unmatched_when_no_mentor_has_capacity():
    for mentors in ([], [Candidate(10, capacity=0)], [Candidate(10, excluded_reason="untrained")]):
        result = match([Candidate(1), Candidate(2)], mentors)
        assert result.pairs == () and result.total_score == 0
        assert [(u.mentee_id, u.reason) for u in result.unmatched] == [(1, "no_mentors"), (2, "no_mentors")]
        assert "No mentor" in result.unmatched[0].message


def test_unmatched_because_of_rules_names_the_rules():
    mentee = Candidate(1, languages={"it"}, department="IT", seniority=5)
    mentors = [
        Candidate(10, languages={"en"}, department="HR", seniority=9),
        Candidate(11, languages={"it"}, department="IT", seniority=9),
        Candidate(12, languages={"it"}, department="HR", seniority=3),
    ]
    rules = {"shared_language": True, "different_department": True, "mentor_more_senior": True}
    (unmatched,) = match([mentee], mentors, rules=rules).unmatched
    assert unmatched.reason == "rules"
    assert unmatched.detail == {"rules": {"shared_language": 1, "different_department": 1, "mentor_more_senior": 1}}
    assert "must share a language (1)" in unmatched.message


def test_unmatched_below_min_score():
    mentee = Candidate(1, skills={"python"})
    mentors = [Candidate(10, skills={"sales"}), Candidate(11, skills={"design"}, languages={"en"})]
    result = match([mentee], mentors, rules={"min_score": 0.9})
    (unmatched,) = result.unmatched
    assert unmatched.reason == "min_score"
    assert unmatched.detail["min_score"] == 0.9 and 0 < unmatched.detail["best_score"] < 0.9
    assert "0.9" in unmatched.message


def test_unmatched_when_suitable_mentors_are_full():
    mentees = [Candidate(i, skills={"python"}) for i in range(1, 4)]
    result = match(mentees, [Candidate(10, skills={"python"}, capacity=2)])
    assert len(result.pairs) == 2
    (unmatched,) = result.unmatched
    assert unmatched.reason == "capacity" and unmatched.detail == {"eligible_mentors": 1}
    assert "at capacity" in unmatched.message


def test_edge_cases():
    assert match([], []).as_dict() == {
        "strategy": "best_total",
        "total_score": 0,
        "pairs": [],
        "unmatched": [],
        "excluded_mentors": [],
    }
    assert match([], [Candidate(1)]).pairs == ()
    everyone_forbidden = match(
        [Candidate(1, seniority=9)], [Candidate(2, seniority=1)], rules={"mentor_more_senior": True}
    )
    assert everyone_forbidden.pairs == () and everyone_forbidden.unmatched[0].reason == "rules"
    # Zero-score but allowed pairs still count as matches (more matched at equal total).
    result = match([Candidate(1), Candidate(2)], [Candidate(3, capacity=2)], weights=dict.fromkeys(CRITERIA, 0))
    assert len(result.pairs) == 2 and result.total_score == 0


def test_same_ids_on_both_sides_are_fine():
    result = match([Candidate(1, person_id="ann")], [Candidate(1, person_id="bob")])
    assert [(p.mentee_id, p.mentor_id) for p in result.pairs] == [(1, 1)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weights": {"height": 1}}, "unknown matching criterion 'height'"),
        ({"weights": {"skills": -1}}, "weight of 'skills'"),
        ({"weights": {"skills": "3"}}, "weight of 'skills'"),
        ({"rules": {"speaks_klingon": True}}, "unknown matching rule 'speaks_klingon'"),
        ({"rules": {"shared_language": "yes"}}, "rule 'shared_language' must be true or false"),
        ({"rules": {"min_score": 2}}, "between 0 and 1"),
        ({"rules": {"max_timezone_gap_hours": -1}}, "max_timezone_gap_hours"),
        ({"rules": {"preferred_seniority_gap": None}}, "preferred_seniority_gap"),
        ({"strategy": "random"}, "unknown matching strategy 'random'"),
    ],
)
def test_bad_configuration_raises_a_clear_error(kwargs, message):
    with pytest.raises(MatchingConfigError, match=message):
        match([Candidate(1)], [Candidate(2)], **kwargs)


def test_bad_candidates_raise_clear_errors():
    with pytest.raises(MatchingConfigError, match="duplicate mentee id 1"):
        match([Candidate(1), Candidate(1)], [])
    with pytest.raises(MatchingConfigError, match="mutually comparable"):
        match([Candidate(1), Candidate("a")], [])
    with pytest.raises(MatchingConfigError, match="capacity"):
        Candidate(1, capacity=-1)
    with pytest.raises(MatchingConfigError, match="seniority"):
        Candidate(1, seniority="senior")
    with pytest.raises(MatchingConfigError, match="Candidate instances"):
        match([{"id": 1}], [])


def test_unmatched_message_accepts_stored_json():
    stored = {"mentee_id": 1, "reason": "capacity", "detail": {"eligible_mentors": 3}}
    assert unmatched_message(stored) == "All 3 suitable mentors are already at capacity."
