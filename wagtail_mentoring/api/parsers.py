"""The API's JSON parser: body size and nesting depth are limited before the body is parsed."""

from __future__ import annotations

import io

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser

from wagtail_mentoring.inputs import MAX_BODY_BYTES, MAX_JSON_DEPTH, json_too_deep


class RequestTooLarge(exceptions.APIException):
    """413: the request body is longer than ``inputs.MAX_BODY_BYTES``."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser behind the input policy's limits (``wagtail_mentoring.inputs``).

    A body longer than ``MAX_BODY_BYTES`` is a 413 (refused from its ``Content-Length`` without
    reading it, else after reading one byte more than the limit); one nested deeper than
    ``MAX_JSON_DEPTH`` is a 400. Neither reaches the JSON decoder, which recurses on nested input.
    """

    max_bytes = MAX_BODY_BYTES
    max_depth = MAX_JSON_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        """Read at most ``max_bytes``, check the nesting, then parse as DRF does."""
        request = (parser_context or {}).get("request")
        length = getattr(request, "META", {}).get("CONTENT_LENGTH") if request is not None else None
        if length and str(length).isdigit() and int(length) > self.max_bytes:
            raise RequestTooLarge()
        body = stream.read(self.max_bytes + 1)
        if len(body) > self.max_bytes:
            raise RequestTooLarge()
        if json_too_deep(body, self.max_depth):
            raise exceptions.ParseError(
                _("JSON parse error - nested deeper than %(limit)d levels.") % {"limit": self.max_depth}
            )
        return super().parse(io.BytesIO(body), media_type, parser_context)
