"""System checks (ids ``wagtail_mentoring.E001``...) for a misconfigured host project."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string
from drf_spectacular.openapi import AutoSchema
from rest_framework.settings import api_settings

from wagtail_mentoring.conf import DEFAULTS

REQUIRED_APPS = {
    "guardian": "guardian",
    "wagtail": "wagtail",
    "wagtail.snippets": "wagtail.snippets",
    "wagtail.contrib.routable_page": "wagtail.contrib.routable_page",
    "wagtail.contrib.forms": "wagtail.contrib.forms",
    "rest_framework": "rest_framework",
    "django_filters": "django_filters",
    "taggit": "taggit",
    "modelcluster": "modelcluster",
}

GUARDIAN_BACKEND = "guardian.backends.ObjectPermissionBackend"


@register(Tags.compatibility)
def check_required_apps(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """E001: every app the package builds on is in INSTALLED_APPS."""
    errors = []
    for name, entry in REQUIRED_APPS.items():
        if not apps.is_installed(name):
            errors.append(
                Error(
                    f"wagtail-mentoring needs '{entry}' in INSTALLED_APPS.",
                    hint=f"Add '{entry}' to INSTALLED_APPS in your settings.",
                    id="wagtail_mentoring.E001",
                )
            )
    return errors


@register(Tags.security)
def check_guardian_backend(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """E002: django-guardian's object permission backend is enabled."""
    backends = getattr(settings, "AUTHENTICATION_BACKENDS", [])
    if GUARDIAN_BACKEND not in backends:
        return [
            Error(
                "django-guardian's object permission backend is not in AUTHENTICATION_BACKENDS; "
                "mentoring data would be invisible to its owners.",
                hint=(
                    "Set AUTHENTICATION_BACKENDS = ['django.contrib.auth.backends.ModelBackend', "
                    f"'{GUARDIAN_BACKEND}']."
                ),
                id="wagtail_mentoring.E002",
            )
        ]
    return []


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _optional_positive_int(value: Any) -> bool:
    return value is None or _positive_int(value)


def _positive_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value > 0


def _fraction(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1


def _optional_str(value: Any) -> bool:
    return value is None or (isinstance(value, str) and bool(value.strip()))


#: What each setting must be: (test, description used in the error message).
SETTING_RULES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "MAX_OBJECTIVES_PER_PAIRING": (_positive_int, "a positive integer"),
    "MAX_KEY_RESULTS_PER_OBJECTIVE": (_positive_int, "a positive integer"),
    "MAX_ABS_VALUE": (_positive_number, "a positive finite number"),
    "HEALTH_ON_TRACK_MARGIN": (_fraction, "a number between 0 and 1"),
    "HEALTH_AT_RISK_MARGIN": (_fraction, "a number between 0 and 1"),
    "STALLED_CHECK_IN_DAYS": (_optional_positive_int, "None or a positive integer (days)"),
    "STALLED_SESSION_DAYS": (_optional_positive_int, "None or a positive integer (days)"),
    "PAGE_SIZE": (_positive_int, "a positive integer"),
    "DASHBOARD_PAGE_SIZE": (_positive_int, "a positive integer"),
    "MAX_PAGE_SIZE": (_positive_int, "a positive integer"),
    "ENROLMENT_REVIEW_DAYS": (_positive_int, "a positive integer (days)"),
    "UNMATCHED_MENTEE_DAYS": (_positive_int, "a positive integer (days)"),
    "SESSION_RATING_WINDOW_DAYS": (_positive_int, "a positive integer (days)"),
    "CLOSING_SURVEY_WINDOW_DAYS": (_positive_int, "a positive integer (days)"),
    "PROGRAM_SURVEY_WINDOW_DAYS": (_positive_int, "a positive integer (days)"),
    "CERTIFICATE_MIN_SESSIONS": (_positive_int, "a positive integer"),
    "ANONYMITY_MIN_RESPONSES": (_positive_int, "a positive integer"),
    "FROM_EMAIL": (_optional_str, "None or an e-mail address"),
    "IMPORT_MAX_FILE_SIZE": (_positive_int, "a positive integer (bytes)"),
    "IMPORT_MAX_ROWS": (_positive_int, "a positive integer"),
    "IMPORT_CREATE_USERS": (lambda value: isinstance(value, bool), "True or False"),
    "PROFILE_ATTRIBUTES": (_optional_str, "None or the dotted path of a function"),
    "WEBHOOK_MAX_ATTEMPTS": (_positive_int, "a positive integer"),
    "WEBHOOK_BACKOFF_SECONDS": (
        lambda value: isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 86400,
        "a number of seconds from 0 to 86400",
    ),
    "WEBHOOK_TIMEOUT_SECONDS": (_positive_number, "a positive number (seconds)"),
    "SELF_MATCH_SUGGESTIONS": (_positive_int, "a positive integer"),
}


def _settings_error(message: str, hint: str) -> Error:
    return Error(message, hint=hint, id="wagtail_mentoring.E003")


@register(Tags.compatibility)
def check_settings_dict(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """E003: WAGTAIL_MENTORING is a dict of known settings with valid values."""
    value = getattr(settings, "WAGTAIL_MENTORING", {})
    if value is None:
        return []
    if not isinstance(value, dict):
        return [
            _settings_error(
                f"WAGTAIL_MENTORING must be a dict, not {type(value).__name__}.",
                "Define WAGTAIL_MENTORING = {...} with the keys listed in the settings reference (docs/settings.md).",
            )
        ]
    errors = [
        _settings_error(
            f"Unknown WAGTAIL_MENTORING setting {key!r}.",
            "Check the spelling against the settings reference (docs/settings.md); known settings: "
            + ", ".join(sorted(DEFAULTS))
            + ".",
        )
        for key in sorted(set(value) - set(DEFAULTS), key=str)
    ]
    for key, (is_valid, expected) in SETTING_RULES.items():
        if key in value and not is_valid(value[key]):
            errors.append(
                _settings_error(
                    f"WAGTAIL_MENTORING[{key!r}] is {value[key]!r}; it must be {expected}.",
                    f"Set WAGTAIL_MENTORING[{key!r}] to {expected}, or remove it to use the default "
                    f"({DEFAULTS[key]!r}).",
                )
            )
    if errors:
        return errors
    merged = {**DEFAULTS, **value}
    if merged["HEALTH_ON_TRACK_MARGIN"] > merged["HEALTH_AT_RISK_MARGIN"]:
        errors.append(
            _settings_error(
                "WAGTAIL_MENTORING['HEALTH_ON_TRACK_MARGIN'] is larger than 'HEALTH_AT_RISK_MARGIN'.",
                "The on-track margin must not exceed the at-risk margin (defaults 0.1 and 0.25).",
            )
        )
    if merged["PAGE_SIZE"] > merged["MAX_PAGE_SIZE"]:
        errors.append(
            _settings_error(
                "WAGTAIL_MENTORING['PAGE_SIZE'] is larger than 'MAX_PAGE_SIZE'.",
                "Lower PAGE_SIZE or raise MAX_PAGE_SIZE.",
            )
        )
    return errors


SPECTACULAR_AUTOSCHEMA = "drf_spectacular.openapi.AutoSchema"


@register(Tags.compatibility)
def check_api_schema_class(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """E004: with the API included, DRF's ``DEFAULT_SCHEMA_CLASS`` is drf-spectacular's AutoSchema.

    drf-spectacular reads it when the API's views are imported; with DRF's own default the schema
    view (``v1/schema/``) fails for every request.
    """
    try:
        reverse("wagtail_mentoring_api:schema")
    except (NoReverseMatch, ImportError, ImproperlyConfigured):
        return []  # the API is not included (or the URLconf is broken, which Django reports itself)
    schema_class = api_settings.DEFAULT_SCHEMA_CLASS
    if isinstance(schema_class, type) and issubclass(schema_class, AutoSchema):
        return []
    return [
        Error(
            "The wagtail-mentoring API is included, but REST_FRAMEWORK['DEFAULT_SCHEMA_CLASS'] is not "
            "drf-spectacular's AutoSchema; the API schema and its Swagger UI would fail.",
            hint=f"Set REST_FRAMEWORK = {{'DEFAULT_SCHEMA_CLASS': '{SPECTACULAR_AUTOSCHEMA}'}} in your settings.",
            id="wagtail_mentoring.E004",
        )
    ]


@register(Tags.compatibility)
def check_profile_attributes(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """E005: ``WAGTAIL_MENTORING["PROFILE_ATTRIBUTES"]``, when set, imports and names a callable."""
    value = getattr(settings, "WAGTAIL_MENTORING", None)
    path = value.get("PROFILE_ATTRIBUTES") if isinstance(value, dict) else None
    if not isinstance(path, str) or not path.strip():
        return []  # unset, or reported by E003
    try:
        function = import_string(path)
    except ImportError as exc:
        problem = f"cannot be imported ({exc})"
    else:
        if callable(function):
            return []
        problem = "is not callable"
    return [
        Error(
            f"WAGTAIL_MENTORING['PROFILE_ATTRIBUTES'] is {path!r}, which {problem}.",
            hint=(
                "Name a function taking the user and returning a dict of profile attributes, e.g. "
                "'intranet.profiles.profile_attributes' (see docs/import.md), or remove the key."
            ),
            id="wagtail_mentoring.E005",
        )
    ]
