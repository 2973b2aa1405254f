"""The SQL health annotation agrees with ``scoring`` (the listing's health filter relies on it)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.core import KeyResultFactory, ObjectiveFactory, OKRCycleFactory
from wagtail_mentoring.models import Objective
from wagtail_mentoring.snippets.annotations import with_health

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 2, 20)  # 50 days into [2026-01-01, 2026-04-11]
SPAN = {"start_date": dt.date(2026, 1, 1), "due_date": dt.date(2026, 4, 11)}


def _objective(values, **fields):
    objective = ObjectiveFactory(**{**SPAN, **fields})
    for kind, start, target, current, weight in values:
        KeyResultFactory(
            objective=objective, kind=kind, start_value=start, target_value=target, current_value=current, weight=weight
        )
    return objective


@pytest.fixture
def spread():
    return [
        _objective([("number", 0, 10, 10, 1)]),  # achieved
        _objective([("number", 0, 10, 4, 1)]),  # 0.4: on_track at the boundary
        _objective([("number", 40, 10, 32.5, 1)]),  # decrease, 0.25: at_risk at the boundary
        _objective([("number", 0, 10, 2, 1), ("boolean", 0, 1, 0, 1)]),  # 0.1: off_track
        _objective([("milestone", 0, 1, 1, 1), ("percent", 0, 100, None, 3)]),  # 0.25 weighted: at_risk
        _objective([("number", 0, 10, 50, 1), ("number", 0, 10, -5, 1)]),  # clamped: 0.5, on_track
        _objective([]),  # no key results: 0.0, off_track
        _objective(
            [("number", 0, 10, 0, 1)],
            start_date=None,
            due_date=None,
            cycle=OKRCycleFactory(**{"start_date": SPAN["start_date"], "end_date": SPAN["due_date"]}),
        ),
        _objective([("number", 0, 10, 0, 1)], start_date=dt.date(2026, 3, 1)),  # not started: on_track
        _objective([("number", 0, 10, 8, 1)], due_date=dt.date(2026, 2, 1)),  # after due: 0.8 at_risk
        _objective([("number", 0, 10, 8, 1)], start_date=None, due_date=None),  # no dates: on_track
    ]


def test_sql_health_matches_python(spread):
    annotated = {o.pk: o for o in with_health(Objective.objects.all(), ON)}
    for objective in Objective.objects.prefetch_related("key_results").select_related("cycle"):
        row = annotated[objective.pk]
        assert row.progress_value == pytest.approx(objective.progress), objective
        assert row.health_value == objective.health_on(ON), (objective, row.progress_value, row.expected_value)
    states = [annotated[o.pk].health_value for o in spread]
    assert states[:4] == ["achieved", "on_track", "at_risk", "off_track"]
    assert set(states) == {"achieved", "on_track", "at_risk", "off_track"}


def test_one_query(spread):
    with CaptureQueriesContext(connection) as ctx:
        list(with_health(Objective.objects.all(), ON).filter(health_value="at_risk"))
    assert len(ctx.captured_queries) == 1


def test_margins_from_settings(settings, spread):
    settings.WAGTAIL_MENTORING = {"HEALTH_ON_TRACK_MARGIN": 0.3, "HEALTH_AT_RISK_MARGIN": 0.45}
    at = {o.pk: o.health_value for o in with_health(Objective.objects.all(), ON)}
    assert at[spread[2].pk] == "on_track"  # 0.25 >= 0.5 - 0.3
    assert at[spread[3].pk] == "at_risk"  # 0.1 >= 0.5 - 0.45
