"""OpenAPI 3 schema of the API (drf-spectacular), served at ``v1/schema/`` with Swagger UI at ``v1/docs/``."""

from __future__ import annotations

from pathlib import Path

import drf_spectacular_sidecar
from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.exceptions import ValidationError
from rest_framework.fields import CharField
from rest_framework.permissions import SAFE_METHODS
from rest_framework.relations import PrimaryKeyRelatedField

from wagtail_mentoring import __version__
from wagtail_mentoring.api.permissions import ReadAnyoneWriteActiveUser
from wagtail_mentoring.api.throttling import MentoringRateThrottle
from wagtail_mentoring.inputs import ID_MAX

#: drf-spectacular settings for this API's schema (applied per view, whatever the host's settings).
SCHEMA_SETTINGS = {
    "TITLE": "wagtail-mentoring API",
    "DESCRIPTION": (
        "Mentoring programs, pairings, OKRs, sessions, feedback and training, under the same "
        "permissions as the dashboards. Authenticate with a session or `Authorization: Token <key>`. "
        "Objects you may not see are 404; a parent you may not use is a 400 field error. Every error "
        'body is either `{"detail": "message"}` or, for invalid input, `{"field": ["message"]}` '
        "(errors of no single field under `non_field_errors`)."
    ),
    "VERSION": f"1 ({__version__})",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/v[0-9]+",
    "PREPROCESSING_HOOKS": ["wagtail_mentoring.api.schema.only_mentoring_endpoints"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "wagtail_mentoring.api.schema.variants_as_any_of",
        "wagtail_mentoring.api.schema.links_from_created_objects",
    ],
}

#: Where ``MentoringAutoSchema`` leaves a request's variants until :func:`variants_as_any_of` (drf-spectacular's
#: enum post-processing would otherwise merge each variant's one-value ``enum`` into the field's whole enum).
VARIANTS_KEY = "x-wagtail-mentoring-variants"


def variants_as_any_of(result: dict, **kwargs) -> dict:
    """Turn each component's request variants (``MentoringAutoSchema``, ``schema_variants``) into its ``anyOf``."""
    for component in result.get("components", {}).get("schemas", {}).values():
        variants = component.pop(VARIANTS_KEY, None)
        if variants is not None:
            component["anyOf"] = variants
    return result


#: The operations on a created object, by method, and the name of the OpenAPI link to each.
DETAIL_LINKS = {"get": "Read", "put": "Replace", "patch": "Update", "delete": "Delete"}


def links_from_created_objects(result: dict, **kwargs) -> dict:
    """Link each creation's ``201`` response to the operations on the created object (OpenAPI links).

    ``POST /things/`` answers the object with its ``id``; ``/things/{id}/`` reads, changes and deletes
    it. The links tell a client (and a stateful test) that the ``id`` of the one is the ``{id}`` of the
    others.
    """
    paths = result.get("paths", {})
    for path, operations in paths.items():
        created = operations.get("post", {}).get("responses", {}).get("201")
        detail = paths.get(f"{path}{{id}}/", {})
        if created is None or "{" in path or not detail:
            continue
        links = {
            name: {
                "operationId": detail[method]["operationId"],
                "parameters": {"id": "$response.body#/id"},
            }
            for method, name in DETAIL_LINKS.items()
            if method in detail
        }
        if links:
            created["links"] = links
    return result


def only_mentoring_endpoints(endpoints: list, **kwargs) -> list:
    """Keep this API's endpoints only, wherever the host mounts it and whatever else it serves."""
    return [
        endpoint
        for endpoint in endpoints
        if getattr(getattr(endpoint[3], "cls", None), "__module__", "").startswith("wagtail_mentoring.api.")
    ]


#: The body of every error but invalid input: ``{"detail": "message"}`` (DRF's exceptions).
ERROR_SCHEMA = {
    "type": "object",
    "description": "An error that concerns the whole request.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}

#: The body of invalid input (``api.exceptions``): each invalid field (``non_field_errors`` for errors
#: of no single field, ``page`` or a filter's name for a query parameter) with its messages; a nested
#: value (a list item, an object) has its errors nested the same way.
FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "description": "Invalid input: each invalid field (or `non_field_errors`) with its messages.",
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "object"},
        ]
    },
}

UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class MentoringAutoSchema(AutoSchema):
    """drf-spectacular's schema of a view, plus every error status the view can answer.

    The errors follow from how the API's views are built (``api.views.MentoringAPIMixin``), so they
    are derived here, once, rather than declared on each view:

    * **400** (field errors, or ``detail`` for malformed JSON): writes, and operations that take
      query parameters (filters, ``ordering``, ``page``);
    * **401**: every operation with an authentication scheme (missing or invalid credentials);
    * **403**: writes (an object the caller may see but not change, a CSRF failure);
    * **404**: operations with a path parameter (an object the caller may not see) or query
      parameters (a page past the last one);
    * **409** (field errors): creations (what the request asks for already exists), lifecycle actions and
      changes of a view with ``has_lifecycle`` (the object's status does not allow the change);
    * **413** and **415**: operations with a request body (too large, not JSON);
    * **429**: operations under the API's throttle.
    """

    def get_auth(self) -> list[dict]:
        """The security requirements, with anonymous access (``{}``) where the view allows it."""
        auths = super().get_auth()
        public_read = any(isinstance(p, ReadAnyoneWriteActiveUser) for p in self.view.get_permissions())
        if public_read and self.method in SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """A field's schema; an id of a related object is bounded to the ids the database can hold, and
        text refuses the NUL character (as DRF's ``CharField`` does) and, where it may not be blank, needs a
        character that is not white space (DRF trims it before it checks for blank)."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if not schema:
            return schema
        if isinstance(field, PrimaryKeyRelatedField) and schema.get("type") == "integer":
            schema.update(minimum=1, maximum=ID_MAX)
        if (
            direction == "request"
            and schema.get("type") == "string"
            and any(isinstance(v, ProhibitNullCharactersValidator) for v in getattr(field, "validators", ()))
        ):
            if isinstance(field, CharField) and field.trim_whitespace and not field.allow_blank:
                schema.setdefault("pattern", "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$")
            schema.setdefault("pattern", "^[^\\u0000]*$")
        return schema

    def _map_basic_serializer(self, serializer, direction):
        """A serializer's schema, with ``schema_variants`` as ``anyOf``.

        ``schema_variants`` is ``(field, {value: (required, empty)})``: when ``field`` has ``value``,
        the fields ``required`` are given (not null) and the fields ``empty`` are absent or null.
        """
        schema = super()._map_basic_serializer(serializer, direction)
        variants = getattr(serializer, "schema_variants", None)
        if direction == "request" and variants and not self._is_partial(serializer):
            field, shapes = variants
            properties = schema.get("properties", {})
            schema[VARIANTS_KEY] = [
                {
                    "properties": {
                        field: {"type": "string", "enum": [str(value)]},
                        **{name: {"type": properties[name].get("type", "integer")} for name in required},
                        **{name: {"nullable": True, "enum": [None]} for name in empty},
                    },
                    "required": [field, *required],
                }
                for value, (required, empty) in shapes.items()
            ]
        return schema

    @staticmethod
    def _is_partial(serializer) -> bool:
        return bool(getattr(serializer, "partial", False))

    def get_operation(self, *args, **kwargs) -> dict | None:
        """The operation, with bounded id path parameters and its error responses."""
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        parameters = operation.get("parameters", [])
        for parameter in parameters:
            if parameter["in"] == "path" and parameter["name"] == "id":  # every model here has integer ids
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": ID_MAX}
        media_types = self.map_renderers("media_type") or ["application/json"]
        for code, (description, schema) in self.error_responses(operation).items():
            operation["responses"].setdefault(
                code,
                {
                    "content": {media_type: {"schema": schema} for media_type in media_types},
                    "description": str(description),
                },
            )
        return operation

    def error_responses(self, operation: dict) -> dict[str, tuple[str, dict]]:
        """Status code to (description, body schema) of the errors ``operation`` can answer."""
        error = self.component("Error", ERROR_SCHEMA)
        field_errors = self.component("FieldErrors", FIELD_ERRORS_SCHEMA)
        locations = {parameter["in"] for parameter in operation.get("parameters", [])}
        has_body = "requestBody" in operation
        writes = self.method in UNSAFE_METHODS
        errors: dict[str, tuple[str, dict]] = {}
        if writes or "query" in locations:
            errors["400"] = (
                _("Invalid input: field errors (or a malformed request body)."),
                {"anyOf": [field_errors, error]},
            )
        if [auth for auth in operation.get("security", []) if auth]:
            errors["401"] = (_("Missing or invalid credentials."), error)
        if writes:
            errors["403"] = (_("You may see this object but not change it (or the CSRF check failed)."), error)
        if locations & {"path", "query"}:
            errors["404"] = (_("No such object (or you may not see it), or no such page."), error)
        if self.method == "POST" or (self.method in ("PUT", "PATCH") and getattr(self.view, "has_lifecycle", False)):
            errors["409"] = (
                _(
                    "It already exists (you already applied, you are already registered), or the object's "
                    "status does not allow the change (resuming an active pairing)."
                ),
                field_errors,
            )
        if has_body:
            errors["413"] = (_("The body is larger than the API accepts."), error)
            errors["415"] = (_("The request body is not JSON."), error)
        if any(isinstance(throttle, MentoringRateThrottle) for throttle in self.view.get_throttles()):
            errors["429"] = (_("Too many requests: try again later."), error)
        return errors

    def component(self, name: str, schema: dict) -> dict:
        """A reference to the schema component ``name`` (registered on first use)."""
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
        self.registry.register_on_missing(component)
        return component.ref


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 document of the API's ``v1`` routes."""

    custom_settings = SCHEMA_SETTINGS
    permission_classes = [ReadAnyoneWriteActiveUser]
    schema = MentoringAutoSchema()

    def initial(self, request, *args, **kwargs) -> None:
        """Refuse (400) a ``format`` or ``lang`` the schema does not list, before serving it."""
        choices = {"format": ("json", "yaml"), "lang": tuple(dict(settings.LANGUAGES))}
        errors = {
            name: [_("Enter one of: %(choices)s.") % {"choices": ", ".join(allowed)}]
            for name, allowed in choices.items()
            if name in request.query_params and request.query_params[name] not in allowed
        }
        if errors:
            raise ValidationError(errors)
        super().initial(request, *args, **kwargs)


#: Swagger UI's files, from the ``drf-spectacular-sidecar`` dependency: the docs page needs no CDN.
SWAGGER_UI_DIR = (
    Path(drf_spectacular_sidecar.__file__).resolve().parent / "static" / "drf_spectacular_sidecar" / "swagger-ui-dist"
)
#: The only files :func:`docs_asset` serves, with their content types.
SWAGGER_UI_FILES = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-standalone-preset.js": "text/javascript",
    "favicon-32x32.png": "image/png",
}
#: How long browsers may keep those files (they change only when the dependency is upgraded).
SWAGGER_UI_MAX_AGE = 24 * 60 * 60


class DocsView(SpectacularSwaggerView):
    """Swagger UI over :class:`SchemaView`, its files served by :func:`docs_asset` (works offline).

    The package cannot set the host's ``SPECTACULAR_SETTINGS`` (nor add ``drf_spectacular_sidecar``
    to its ``INSTALLED_APPS``), so the view points at its own asset route whatever they say.
    """

    permission_classes = [ReadAnyoneWriteActiveUser]

    @staticmethod
    def _swagger_ui_resource(filename: str) -> str:
        """The URL of one of :data:`SWAGGER_UI_FILES`, served by the API itself."""
        return reverse("wagtail_mentoring_api:docs_asset", args=[filename])

    @staticmethod
    def _swagger_ui_favicon() -> str:
        """The URL of Swagger UI's icon, served by the API itself."""
        return reverse("wagtail_mentoring_api:docs_asset", args=["favicon-32x32.png"])


@require_safe
def docs_asset(request, name: str) -> FileResponse:
    """One of Swagger UI's files (:data:`SWAGGER_UI_FILES`) from ``drf-spectacular-sidecar``; 404 for any other name.

    Args:
        request: the request (GET or HEAD).
        name: the file name, one of :data:`SWAGGER_UI_FILES`.

    Raises:
        Http404: the name is not one of them.
    """
    content_type = SWAGGER_UI_FILES.get(name)
    if content_type is None:
        raise Http404(name)
    response = FileResponse((SWAGGER_UI_DIR / name).open("rb"), content_type=content_type)
    patch_cache_control(response, public=True, max_age=SWAGGER_UI_MAX_AGE)
    return response
