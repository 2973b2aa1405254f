"""System checks (ids ``wagtail_mentoring.E001``...) for a misconfigured host project."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, register

REQUIRED_APPS = {
    "guardian": "guardian",
    "wagtail": "wagtail",
    "wagtail.snippets": "wagtail.snippets",
    "wagtail.contrib.routable_page": "wagtail.contrib.routable_page",
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


@register(Tags.compatibility)
def check_settings_dict(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """E003: WAGTAIL_MENTORING is a dict whose keys are all known settings."""
    from wagtail_mentoring.conf import DEFAULTS

    value = getattr(settings, "WAGTAIL_MENTORING", {})
    if not isinstance(value, dict):
        return [
            Error(
                "WAGTAIL_MENTORING must be a dict.",
                hint="Define WAGTAIL_MENTORING = {...} with the keys listed in the README.",
                id="wagtail_mentoring.E003",
            )
        ]
    unknown = sorted(set(value) - set(DEFAULTS))
    return [
        Error(
            f"Unknown WAGTAIL_MENTORING setting {key!r}.",
            hint="Check the spelling against the settings reference in the README.",
            id="wagtail_mentoring.E003",
        )
        for key in unknown
    ]
