"""The computation contract (README, "OKRs"), case by case (pure functions, no database)."""

import datetime as dt
import math

import pytest

from wagtail_mentoring.conf import mentoring_settings
from wagtail_mentoring.snippets import scoring
from wagtail_mentoring.snippets.scoring import expected_progress, grade, health, key_result_progress, objective_progress


class TestKeyResultProgress:
    @pytest.mark.parametrize("kind", ["number", "percent", "currency"])
    def test_numeric_linear(self, kind):
        assert key_result_progress(kind, 0, 10, 5) == 0.5
        assert key_result_progress(kind, 20, 40, 25) == 0.25

    def test_decreasing_target(self):
        # From 40 bugs down to 10: at 25 we are half way; at 10 done; at 50 nothing.
        assert key_result_progress("number", 40, 10, 25) == 0.5
        assert key_result_progress("number", 40, 10, 10) == 1.0
        assert key_result_progress("number", 40, 10, 50) == 0.0

    def test_clamped_below_and_above(self):
        assert key_result_progress("number", 0, 10, -5) == 0.0
        assert key_result_progress("number", 0, 10, 15) == 1.0
        assert key_result_progress("percent", 100, 50, 20) == 1.0  # overshooting a decrease

    def test_missing_current_counts_as_start(self):
        assert key_result_progress("number", 3, 10, None) == 0.0

    @pytest.mark.parametrize("kind", ["boolean", "milestone"])
    def test_binary_kinds(self, kind):
        assert key_result_progress(kind, 0, 1, 1) == 1.0
        assert key_result_progress(kind, 0, 1, 2) == 1.0
        assert key_result_progress(kind, 0, 1, 0.99) == 0.0
        assert key_result_progress(kind, 0, 1, 0) == 0.0
        assert key_result_progress(kind, 0, 1, None) == 0.0

    def test_target_equal_to_start_is_an_error(self):
        with pytest.raises(ValueError, match="target"):
            key_result_progress("number", 5, 5, 5)

    def test_unknown_kind(self):
        with pytest.raises(ValueError):
            key_result_progress("vibes", 0, 1, 1)


class TestObjectiveProgress:
    def test_weighted_mean(self):
        assert objective_progress([(1.0, 1), (0.0, 3)]) == 0.25
        assert objective_progress([(0.5, 2), (1.0, 2)]) == 0.75

    def test_default_weight_is_one(self):
        assert objective_progress([(1.0, None), (0.0, None)]) == 0.5

    def test_none_is_zero(self):
        assert objective_progress([]) == 0.0
        assert objective_progress(iter(())) == 0.0

    def test_zero_weights_is_zero(self):
        assert objective_progress([(1.0, 0)]) == 0.0


class TestGrade:
    @pytest.mark.parametrize(
        ("progress", "expected"),
        [
            (0.0, (0.0, "red")),
            (0.3, (0.3, "red")),
            (0.34, (0.3, "red")),
            (0.35, (0.4, "yellow")),  # rounds half up
            (0.4, (0.4, "yellow")),
            (0.6, (0.6, "yellow")),
            (0.64, (0.6, "yellow")),
            (0.65, (0.7, "green")),
            (0.66, (0.7, "green")),
            (0.7, (0.7, "green")),
            (0.95, (1.0, "green")),
            (1.0, (1.0, "green")),
        ],
    )
    def test_rounding_and_bands(self, progress, expected):
        assert grade(progress) == expected

    def test_clamped(self):
        assert grade(1.7) == (1.0, "green")
        assert grade(-0.2) == (0.0, "red")


START = dt.date(2026, 1, 1)
DUE = dt.date(2026, 4, 11)  # 100 days after START


class TestHealth:
    def test_span_is_100_days(self):
        assert (DUE - START).days == 100

    def test_expected_progress(self):
        assert expected_progress(START, DUE, dt.date(2025, 12, 1)) == 0.0
        assert expected_progress(START, DUE, START) == 0.0
        assert expected_progress(START, DUE, START + dt.timedelta(days=50)) == 0.5
        assert expected_progress(START, DUE, DUE) == 1.0
        assert expected_progress(START, DUE, DUE + dt.timedelta(days=9)) == 1.0
        assert expected_progress(None, DUE, START) == 0.0
        assert expected_progress(START, None, START) == 0.0

    def test_achieved(self):
        assert health(1.0, START, DUE, START) == "achieved"
        assert health(1.0, START, DUE, DUE + dt.timedelta(days=30)) == "achieved"

    @pytest.mark.parametrize(
        ("progress", "state"),
        [
            (0.99, "on_track"),
            (0.5, "on_track"),
            (0.4, "on_track"),  # exactly expected - 0.1
            (0.39, "at_risk"),
            (0.25, "at_risk"),  # exactly expected - 0.25
            (0.24, "off_track"),
            (0.0, "off_track"),
        ],
    )
    def test_boundaries_at_half_time(self, progress, state):
        on = START + dt.timedelta(days=50)  # expected 0.5
        assert health(progress, START, DUE, on) == state

    def test_before_start_everything_is_on_track(self):
        assert health(0.0, START, DUE, START - dt.timedelta(days=3)) == "on_track"

    def test_after_due_expected_is_one(self):
        after = DUE + dt.timedelta(days=1)
        assert health(0.9, START, DUE, after) == "on_track"
        assert health(0.89, START, DUE, after) == "at_risk"
        assert health(0.75, START, DUE, after) == "at_risk"
        assert health(0.74, START, DUE, after) == "off_track"

    def test_explicit_margins(self):
        on = START + dt.timedelta(days=50)
        assert health(0.3, START, DUE, on, on_track_margin=0.2, at_risk_margin=0.4) == "on_track"
        assert health(0.1, START, DUE, on, on_track_margin=0.2, at_risk_margin=0.4) == "at_risk"

    def test_margins_come_from_settings(self, settings):
        on = START + dt.timedelta(days=50)
        assert health(0.35, START, DUE, on) == "at_risk"
        settings.WAGTAIL_MENTORING = {"HEALTH_ON_TRACK_MARGIN": 0.2, "HEALTH_AT_RISK_MARGIN": 0.3}
        assert mentoring_settings.HEALTH_ON_TRACK_MARGIN == 0.2
        assert health(0.35, START, DUE, on) == "on_track"
        assert health(0.2, START, DUE, on) == "at_risk"
        assert health(0.19, START, DUE, on) == "off_track"

    def test_settings_restored_after_override(self):
        # The previous test's override is undone and conf reloaded on setting_changed.
        assert mentoring_settings.HEALTH_ON_TRACK_MARGIN == 0.1
        assert mentoring_settings.HEALTH_AT_RISK_MARGIN == 0.25

    def test_states_constant(self):
        assert set(scoring.HEALTH_STATES) == {"achieved", "on_track", "at_risk", "off_track"}
        assert not math.isnan(expected_progress(START, START, START + dt.timedelta(days=1)))
