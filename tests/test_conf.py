"""``wagtail_mentoring.conf``: defaults, lazy reads of WAGTAIL_MENTORING, reload on setting_changed."""

import ast
import re
from pathlib import Path

import pytest
from django.test import override_settings

from wagtail_mentoring.conf import DEFAULTS, MentoringSettings, mentoring_settings


def test_defaults_when_unset():
    with override_settings(WAGTAIL_MENTORING={}):
        for key, default in DEFAULTS.items():
            assert getattr(mentoring_settings, key) == default


def test_documented_defaults():
    assert DEFAULTS["MAX_KEY_RESULTS_PER_OBJECTIVE"] == 5
    assert DEFAULTS["MAX_OBJECTIVES_PER_PAIRING"] == 3
    assert DEFAULTS["HEALTH_ON_TRACK_MARGIN"] == 0.1
    assert DEFAULTS["HEALTH_AT_RISK_MARGIN"] == 0.25


def test_override_settings_is_picked_up_and_undone():
    assert mentoring_settings.MAX_KEY_RESULTS_PER_OBJECTIVE == 5
    with override_settings(WAGTAIL_MENTORING={"MAX_KEY_RESULTS_PER_OBJECTIVE": 2}):
        assert mentoring_settings.MAX_KEY_RESULTS_PER_OBJECTIVE == 2
        assert mentoring_settings.PAGE_SIZE == DEFAULTS["PAGE_SIZE"]  # other keys keep their default
    assert mentoring_settings.MAX_KEY_RESULTS_PER_OBJECTIVE == 5


def test_other_settings_changes_do_not_clear_the_cache():
    settings_obj = MentoringSettings(DEFAULTS)
    assert settings_obj.PAGE_SIZE == 25
    with override_settings(TIME_ZONE="Europe/Rome"):
        assert "PAGE_SIZE" in settings_obj._cache


def test_read_lazily_not_at_import(settings):
    # A fresh accessor reads nothing until asked, then reads the value current at that moment.
    accessor = MentoringSettings(DEFAULTS)
    settings.WAGTAIL_MENTORING = {"PAGE_SIZE": 7}
    assert accessor._cache == {}
    assert accessor.PAGE_SIZE == 7


def test_pytest_django_settings_fixture_reloads(settings):
    settings.WAGTAIL_MENTORING = {"HEALTH_AT_RISK_MARGIN": 0.3}
    assert mentoring_settings.HEALTH_AT_RISK_MARGIN == 0.3


def test_unknown_setting_is_an_attribute_error():
    with pytest.raises(AttributeError, match="Invalid WAGTAIL_MENTORING setting: 'NOPE'"):
        mentoring_settings.NOPE  # noqa: B018


def test_none_means_defaults():
    with override_settings(WAGTAIL_MENTORING=None):
        assert mentoring_settings.PAGE_SIZE == DEFAULTS["PAGE_SIZE"]


def test_every_setting_is_documented_in_the_settings_reference():
    root = Path(__file__).resolve().parents[1]
    reference = (root / "docs" / "settings.md").read_text()
    section = reference.split("## `WAGTAIL_MENTORING`", 1)[1].split("\n## ", 1)[0]
    assert "docs/settings.md" in (root / "README.md").read_text().split("## Settings", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([A-Z_]+)` \| `([^`]*)` \|", section, flags=re.M))
    assert {key for key, _default in documented} == set(DEFAULTS)
    for key, default in documented:
        assert ast.literal_eval(default) == DEFAULTS[key], (key, default)
