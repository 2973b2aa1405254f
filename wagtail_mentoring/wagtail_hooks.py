"""Wagtail admin wiring: each feature registers its snippets, menu items and panels in its own module."""

from wagtail_mentoring.dashboards import wagtail_hooks as _dashboards  # noqa: F401
from wagtail_mentoring.programs import wagtail_hooks as _programs  # noqa: F401
from wagtail_mentoring.reports import wagtail_hooks as _reports  # noqa: F401
from wagtail_mentoring.snippets import wagtail_hooks as _snippets  # noqa: F401
from wagtail_mentoring.training import wagtail_hooks as _training  # noqa: F401
