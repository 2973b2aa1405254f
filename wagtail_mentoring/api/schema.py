"""OpenAPI 3 schema of the API (drf-spectacular), served at ``v1/schema/`` with Swagger UI at ``v1/docs/``."""

from __future__ import annotations

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from wagtail_mentoring import __version__
from wagtail_mentoring.api.permissions import ReadAnyoneWriteActiveUser

#: drf-spectacular settings for this API's schema (applied per view, whatever the host's settings).
SCHEMA_SETTINGS = {
    "TITLE": "wagtail-mentoring API",
    "DESCRIPTION": (
        "Mentoring programs, pairings, OKRs, sessions, feedback and training, under the same "
        "permissions as the dashboards. Authenticate with a session or `Authorization: Token <key>`. "
        "Objects you may not see are 404; a parent you may not use is a 400 field error."
    ),
    "VERSION": f"1 ({__version__})",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/v[0-9]+",
    "PREPROCESSING_HOOKS": ["wagtail_mentoring.api.schema.only_mentoring_endpoints"],
}


def only_mentoring_endpoints(endpoints: list, **kwargs) -> list:
    """Keep this API's endpoints only, wherever the host mounts it and whatever else it serves."""
    return [
        endpoint
        for endpoint in endpoints
        if getattr(getattr(endpoint[3], "cls", None), "__module__", "").startswith("wagtail_mentoring.api.")
    ]


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 document of the API's ``v1`` routes."""

    custom_settings = SCHEMA_SETTINGS
    permission_classes = [ReadAnyoneWriteActiveUser]


class DocsView(SpectacularSwaggerView):
    """Swagger UI over :class:`SchemaView`."""

    permission_classes = [ReadAnyoneWriteActiveUser]
