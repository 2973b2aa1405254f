"""The API's exception handler: Django ``ValidationError`` from services becomes a 400 with field errors."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler


def mentoring_exception_handler(exc, context):
    """DRF's handler, plus Django ``ValidationError`` mapped to ``400 {field: [messages]}``.

    Errors without a field go under ``non_field_errors`` (DRF's ``NON_FIELD_ERRORS_KEY``), so every
    error body is either ``{"detail": "..."}`` or ``{field: [messages]}``.
    """
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    return exception_handler(exc, context)
