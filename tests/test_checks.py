"""System checks wagtail_mentoring.E001 (apps), E002 (guardian backend), E003 (settings), E004 (API schema class)."""

from unittest import mock

import pytest
from django.apps import apps
from django.core.checks import Error, run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from wagtail_mentoring import checks

GUARDIAN = "guardian.backends.ObjectPermissionBackend"


def _ours(errors: list) -> list[Error]:
    return [e for e in errors if e.id.startswith("wagtail_mentoring.")]


def test_correct_configuration_has_no_errors():
    assert _ours(run_checks()) == []
    assert checks.check_required_apps() == []
    assert checks.check_guardian_backend() == []
    assert checks.check_settings_dict() == []


@pytest.mark.parametrize("missing", sorted(checks.REQUIRED_APPS))
def test_e001_each_missing_app_is_reported_with_a_hint(missing):
    real = apps.is_installed
    with mock.patch.object(checks.apps, "is_installed", side_effect=lambda name: name != missing and real(name)):
        errors = checks.check_required_apps()
    assert [e.id for e in errors] == ["wagtail_mentoring.E001"]
    assert f"'{missing}'" in errors[0].msg
    assert errors[0].hint == f"Add '{missing}' to INSTALLED_APPS in your settings."


def test_e001_makes_manage_py_check_fail():
    real = apps.is_installed
    with mock.patch.object(checks.apps, "is_installed", side_effect=lambda name: name != "guardian" and real(name)):
        with pytest.raises(SystemCheckError) as excinfo:
            call_command("check")
    message = str(excinfo.value)
    assert "(wagtail_mentoring.E001) wagtail-mentoring needs 'guardian' in INSTALLED_APPS." in message
    assert "HINT: Add 'guardian' to INSTALLED_APPS in your settings." in message


@pytest.mark.parametrize(
    "backends",
    [
        ["django.contrib.auth.backends.ModelBackend"],
        [],
    ],
)
def test_e002_guardian_backend_missing(backends):
    with override_settings(AUTHENTICATION_BACKENDS=backends):
        errors = _ours(run_checks())
    assert [e.id for e in errors] == ["wagtail_mentoring.E002"]
    assert "AUTHENTICATION_BACKENDS" in errors[0].msg
    assert GUARDIAN in errors[0].hint
    assert "django.contrib.auth.backends.ModelBackend" in errors[0].hint


def test_e002_makes_manage_py_check_fail():
    with override_settings(AUTHENTICATION_BACKENDS=["django.contrib.auth.backends.ModelBackend"]):
        with pytest.raises(SystemCheckError) as excinfo:
            call_command("check")
    message = str(excinfo.value)
    assert "wagtail_mentoring.E002" in message
    assert "HINT: Set AUTHENTICATION_BACKENDS" in message


@pytest.mark.parametrize("value", [None, {}, {"PAGE_SIZE": 10}, {"HEALTH_ON_TRACK_MARGIN": 0.2, "FROM_EMAIL": "a@b.c"}])
def test_e003_valid_settings(value):
    with override_settings(WAGTAIL_MENTORING=value):
        assert checks.check_settings_dict() == []


@pytest.mark.parametrize("value", [[("PAGE_SIZE", 10)], "PAGE_SIZE=10", 3])
def test_e003_settings_not_a_dict(value):
    with override_settings(WAGTAIL_MENTORING=value):
        errors = checks.check_settings_dict()
    assert [e.id for e in errors] == ["wagtail_mentoring.E003"]
    assert "must be a dict" in errors[0].msg
    assert "WAGTAIL_MENTORING = {...}" in errors[0].hint


def test_e003_unknown_key_lists_the_known_ones():
    with override_settings(WAGTAIL_MENTORING={"PAGESIZE": 10, "MAX_KEY_RESULTS": 3}):
        errors = checks.check_settings_dict()
    assert [e.id for e in errors] == ["wagtail_mentoring.E003"] * 2
    assert [e.msg for e in errors] == [
        "Unknown WAGTAIL_MENTORING setting 'MAX_KEY_RESULTS'.",
        "Unknown WAGTAIL_MENTORING setting 'PAGESIZE'.",
    ]
    assert "PAGE_SIZE" in errors[0].hint and "MAX_KEY_RESULTS_PER_OBJECTIVE" in errors[0].hint


@pytest.mark.parametrize(
    ("key", "bad", "expected"),
    [
        ("MAX_KEY_RESULTS_PER_OBJECTIVE", 0, "a positive integer"),
        ("MAX_KEY_RESULTS_PER_OBJECTIVE", "5", "a positive integer"),
        ("MAX_OBJECTIVES_PER_PAIRING", True, "a positive integer"),
        ("MAX_ABS_VALUE", float("inf"), "a positive finite number"),
        ("HEALTH_ON_TRACK_MARGIN", 1.5, "a number between 0 and 1"),
        ("HEALTH_AT_RISK_MARGIN", -0.1, "a number between 0 and 1"),
        ("STALLED_CHECK_IN_DAYS", 0, "None or a positive integer (days)"),
        ("STALLED_SESSION_DAYS", 2.5, "None or a positive integer (days)"),
        ("PAGE_SIZE", -1, "a positive integer"),
        ("MAX_PAGE_SIZE", None, "a positive integer"),
        ("FROM_EMAIL", 42, "None or an e-mail address"),
    ],
)
def test_e003_bad_values_say_what_is_expected(key, bad, expected):
    from wagtail_mentoring.conf import DEFAULTS

    with override_settings(WAGTAIL_MENTORING={key: bad}):
        errors = checks.check_settings_dict()
    assert [e.id for e in errors] == ["wagtail_mentoring.E003"]
    assert errors[0].msg == f"WAGTAIL_MENTORING[{key!r}] is {bad!r}; it must be {expected}."
    assert errors[0].hint == (
        f"Set WAGTAIL_MENTORING[{key!r}] to {expected}, or remove it to use the default ({DEFAULTS[key]!r})."
    )


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ({"HEALTH_ON_TRACK_MARGIN": 0.3}, "'HEALTH_ON_TRACK_MARGIN'] is larger than 'HEALTH_AT_RISK_MARGIN'"),
        ({"PAGE_SIZE": 200}, "'PAGE_SIZE'] is larger than 'MAX_PAGE_SIZE'"),
        ({"PAGE_SIZE": 20, "MAX_PAGE_SIZE": 10}, "'PAGE_SIZE'] is larger than 'MAX_PAGE_SIZE'"),
    ],
)
def test_e003_inconsistent_values(value, fragment):
    with override_settings(WAGTAIL_MENTORING=value):
        errors = _ours(run_checks())
    assert [e.id for e in errors] == ["wagtail_mentoring.E003"]
    assert fragment in errors[0].msg
    assert errors[0].hint


def test_every_default_has_a_rule():
    from wagtail_mentoring.conf import DEFAULTS

    assert set(checks.SETTING_RULES) == set(DEFAULTS)
    for key, (is_valid, _expected) in checks.SETTING_RULES.items():
        assert is_valid(DEFAULTS[key]), key


def test_e004_api_schema_class_must_be_drf_spectaculars():
    assert checks.check_api_schema_class() == []  # control: tests.settings sets it
    with override_settings(REST_FRAMEWORK={}):
        errors = checks.check_api_schema_class()
    assert [e.id for e in errors] == ["wagtail_mentoring.E004"]
    assert "drf_spectacular.openapi.AutoSchema" in errors[0].hint


def test_e004_silent_when_the_api_is_not_included():
    from django.urls import NoReverseMatch

    with (
        override_settings(REST_FRAMEWORK={}),
        mock.patch("wagtail_mentoring.checks.reverse", side_effect=NoReverseMatch),
    ):
        assert checks.check_api_schema_class() == []
