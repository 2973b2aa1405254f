"""OpenAPI schema hooks of the example intranet: document the mentoring API only."""

from __future__ import annotations

from typing import Any

API_PREFIX = "/api/mentoring/"


def only_mentoring_api(endpoints: list[tuple[Any, ...]], **kwargs: Any) -> list[tuple[Any, ...]]:
    """drf-spectacular preprocessing hook: keep the mentoring API, drop Wagtail's internal admin API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]
