"""The SMART helper: each criterion met or not, with a hint to fix it."""

import pytest

from tests.factories.core import KeyResultFactory, ObjectiveFactory, OKRCycleFactory
from wagtail_mentoring.snippets.smart import evaluate, evaluate_objective


def _by_key(criteria):
    return {c.key: c for c in criteria}


BASE = {
    "description": "Run the team retro confidently.",
    "key_result_kinds": ["number", "milestone"],
    "key_result_limit": 5,
    "has_parent": True,
    "program_goals": [],
    "has_due_date": True,
    "has_cycle": False,
}


def test_all_met():
    criteria = evaluate(**BASE)
    assert [c.key for c in criteria] == ["specific", "measurable", "achievable", "relevant", "time_bound"]
    assert all(c.met for c in criteria)
    assert {c.status for c in criteria} == {"met"}


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"description": "   "}, "specific"),
        ({"key_result_kinds": ["boolean", "milestone"]}, "measurable"),
        ({"key_result_kinds": []}, "measurable"),
        ({"key_result_kinds": ["number"] * 6}, "achievable"),
        ({"has_parent": False}, "relevant"),
        ({"has_due_date": False}, "time_bound"),
    ],
)
def test_each_criterion_fails_alone(change, key):
    criteria = _by_key(evaluate(**{**BASE, **change}))
    assert not criteria[key].met
    assert criteria[key].status == "not_met"
    assert str(criteria[key].hint)
    assert all(c.met for k, c in criteria.items() if k != key)


def test_relevant_through_program_goals_and_time_bound_through_cycle():
    criteria = _by_key(
        evaluate(
            **{
                **BASE,
                "has_parent": False,
                "program_goals": ["", "Increase retention"],
                "has_due_date": False,
                "has_cycle": True,
            }
        )
    )
    assert criteria["relevant"].met
    assert criteria["time_bound"].met
    assert not _by_key(evaluate(**{**BASE, "has_parent": False, "program_goals": ["  "]}))["relevant"].met


def test_achievable_hint_names_the_limit():
    criteria = _by_key(evaluate(**{**BASE, "key_result_kinds": ["number"] * 4, "key_result_limit": 3}))
    assert "3" in str(criteria["achievable"].hint)


@pytest.mark.django_db
def test_evaluate_objective(program):
    program.goals = "Increase retention\nGrow leaders"
    program.max_key_results = 1
    program.save()
    objective = ObjectiveFactory(description="", program=program, due_date=None, cycle=None)
    KeyResultFactory(objective=objective, kind="boolean", start_value=0, target_value=1)
    KeyResultFactory(objective=objective, kind="milestone", start_value=0, target_value=1)
    criteria = _by_key(evaluate_objective(objective))
    assert not criteria["specific"].met
    assert not criteria["measurable"].met
    assert not criteria["achievable"].met  # 2 key results, program allows 1
    assert criteria["relevant"].met  # program goals
    assert not criteria["time_bound"].met
    objective.cycle = OKRCycleFactory()
    assert _by_key(evaluate_objective(objective))["time_bound"].met


@pytest.mark.django_db
def test_evaluate_unsaved_objective():
    objective = ObjectiveFactory.build(description="x", parent=None, program=None, due_date=None)
    criteria = _by_key(evaluate_objective(objective))
    assert not criteria["measurable"].met
    assert criteria["achievable"].met
