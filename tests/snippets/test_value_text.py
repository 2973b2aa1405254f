"""A key result's value is said once with its unit: a word after the target, a symbol on each number."""

import pytest
from django.utils import translation

from tests.dashboards.conftest import make_objective
from tests.factories import KeyResultFactory
from wagtail_mentoring.snippets.scoring import value_text, with_unit


@pytest.mark.parametrize(
    ("number", "unit", "expected"),
    [("6", "talks", "6 talks"), ("80", "%", "80%"), ("6.5", "/10", "6.5/10"), ("3", "", "3"), ("3", " h ", "3 h")],
)
def test_with_unit(number, unit, expected):
    assert with_unit(number, unit) == expected


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("/10", "6.5/10, target 8/10"),
        ("%", "6.5%, target 8%"),
        ("talks", "6.5 of 8 talks"),
        ("", "6.5 of 8"),
    ],
)
def test_value_text_says_the_scale_once(unit, expected):
    assert value_text("6.5", "8", unit) == expected


@pytest.mark.django_db
def test_key_result_value_text_is_localised(roles):
    objective = make_objective(roles["mentee"], roles["mentorship"])
    kr = KeyResultFactory(objective=objective, unit="/10", start_value=3, target_value=8, current_value=6.5)
    assert kr.value_text == "6.5/10, target 8/10"
    assert " /10" not in kr.value_text and "of 8" not in kr.value_text
    with translation.override("it"):
        assert kr.value_text == "6,5/10, obiettivo 8/10"
    milestone = KeyResultFactory(objective=objective, kind="milestone", start_value=0, target_value=1, current_value=1)
    assert milestone.value_text == "Done"
