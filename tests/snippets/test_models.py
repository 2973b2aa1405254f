"""Model properties (progress, grade, health) and validation of OKR snippets."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import UserFactory
from tests.factories.core import KeyResultFactory, ObjectiveFactory, OKRCycleFactory
from wagtail_mentoring.models import CheckIn, KeyResult, Objective, OKRCycle
from wagtail_mentoring.snippets.limits import key_result_limit, validate_key_result_count
from wagtail_mentoring.snippets.validators import validate_confidence, validate_finite

pytestmark = pytest.mark.django_db


def test_key_result_progress_property():
    kr = KeyResultFactory(start_value=40, target_value=10, current_value=25)
    assert kr.progress == 0.5
    assert kr.progress_percent == 50
    milestone = KeyResultFactory(kind="milestone", start_value=0, target_value=1, current_value=1)
    assert milestone.progress == 1.0


def test_key_result_with_invalid_legacy_data_does_not_crash():
    kr = KeyResultFactory.build(start_value=3, target_value=3, current_value=3)
    assert kr.progress == 0.0


def test_objective_progress_grade_health():
    today = timezone.localdate()
    objective = ObjectiveFactory(start_date=today - dt.timedelta(days=50), due_date=today + dt.timedelta(days=50))
    KeyResultFactory(objective=objective, start_value=0, target_value=10, current_value=10, weight=1)
    KeyResultFactory(objective=objective, start_value=0, target_value=10, current_value=0, weight=3)
    objective = Objective.objects.get(pk=objective.pk)
    assert objective.progress == 0.25
    assert objective.grade == (0.3, "red")
    assert objective.grade_value == 0.3
    assert objective.grade_band == "red"
    assert objective.health == "at_risk"  # expected 0.5; 0.25 is exactly expected - 0.25
    assert objective.health_label == "At risk"
    assert objective.progress_percent == 25


def test_objective_without_key_results():
    objective = ObjectiveFactory()
    assert objective.progress == 0.0
    assert objective.grade == (0.0, "red")


def test_objective_dates_fall_back_to_cycle():
    cycle = OKRCycleFactory(start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 4, 11))
    objective = ObjectiveFactory(start_date=None, due_date=None, cycle=cycle)
    KeyResultFactory(objective=objective, current_value=4)
    assert objective.effective_start == cycle.start_date
    assert objective.effective_due == cycle.end_date
    assert objective.health_on(dt.date(2026, 2, 20)) == "on_track"  # expected 0.5, progress 0.4
    assert objective.health_on(dt.date(2026, 5, 1)) == "off_track"


# --- validation -------------------------------------------------------------------------------
def test_numeric_target_equal_to_start():
    kr = KeyResultFactory.build(objective=ObjectiveFactory(), start_value=5, target_value=5)
    with pytest.raises(ValidationError) as exc:
        kr.full_clean()
    assert "target_value" in exc.value.message_dict
    assert "differ" in exc.value.message_dict["target_value"][0]


def test_boolean_key_result_ignores_start_target_equality():
    kr = KeyResultFactory.build(objective=ObjectiveFactory(), kind="boolean", start_value=0, target_value=0)
    kr.full_clean()


def test_objective_due_before_start():
    objective = ObjectiveFactory.build(
        owner=UserFactory(), start_date=dt.date(2026, 3, 1), due_date=dt.date(2026, 2, 1)
    )
    with pytest.raises(ValidationError) as exc:
        objective.full_clean()
    assert "due_date" in exc.value.message_dict


def test_cycle_end_before_start():
    cycle = OKRCycle(name="Bad", start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError) as exc:
        cycle.full_clean()
    assert "end_date" in exc.value.message_dict


def test_key_result_due_before_objective_start():
    objective = ObjectiveFactory(start_date=dt.date(2026, 3, 1), due_date=dt.date(2026, 6, 1))
    kr = KeyResultFactory.build(objective=objective, due_date=dt.date(2026, 2, 1))
    with pytest.raises(ValidationError) as exc:
        kr.full_clean()
    assert "due_date" in exc.value.message_dict


def test_objective_cannot_align_to_itself_or_a_descendant():
    parent = ObjectiveFactory()
    child = ObjectiveFactory(parent=parent, owner=parent.owner)
    parent.parent = child
    with pytest.raises(ValidationError) as exc:
        parent.full_clean()
    assert "parent" in exc.value.message_dict
    child.parent = child
    with pytest.raises(ValidationError):
        child.full_clean()


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), 1e13, -1e13, "abc"])
def test_non_finite_and_out_of_range_values(value):
    with pytest.raises(ValidationError):
        validate_finite(value)
    kr = KeyResultFactory.build(objective=ObjectiveFactory(), start_value=0, target_value=10)
    if isinstance(value, float):
        kr.current_value = value
        with pytest.raises(ValidationError) as exc:
            kr.full_clean()
        assert "current_value" in exc.value.message_dict


def test_finite_values_pass():
    validate_finite(0)
    validate_finite(-1e12)
    validate_finite(None)


@pytest.mark.parametrize("value", [-1, 11, 100])
def test_confidence_out_of_range(value):
    with pytest.raises(ValidationError, match="between 0 and 10"):
        validate_confidence(value)
    kr = KeyResultFactory.build(objective=ObjectiveFactory(), confidence=value)
    with pytest.raises(ValidationError) as exc:
        kr.full_clean()
    assert "confidence" in exc.value.message_dict


def test_key_result_limit_from_setting_and_program(settings, program):
    assert key_result_limit() == 5
    settings.WAGTAIL_MENTORING = {"MAX_KEY_RESULTS_PER_OBJECTIVE": 3}
    assert key_result_limit() == 3
    program.max_key_results = 2
    assert key_result_limit(program=program) == 2
    objective = ObjectiveFactory.build(program=program)
    assert key_result_limit(objective) == 2


def test_validate_key_result_count():
    validate_key_result_count(5, 5)
    with pytest.raises(ValidationError, match="at most 5 key results"):
        validate_key_result_count(6, 5)


def test_models_importable_from_package():
    assert {CheckIn, KeyResult, Objective, OKRCycle}
