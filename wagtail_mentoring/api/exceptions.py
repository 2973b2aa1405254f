"""The API's exception handler: Django ``ValidationError`` from services becomes a 400 with field errors
(a 409 when it only says the thing already exists or its status does not allow the change)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

#: Error codes of the services meaning "this already exists" (already applied, already registered) or
#: "the object's current status does not allow it" (resuming an active pairing): a valid request, a 409.
CONFLICT_CODES = frozenset({"duplicate", "invalid_transition"})


class Conflict(exceptions.ValidationError):
    """409: a valid request that conflicts with what exists; the body has field errors like a 400."""

    status_code = status.HTTP_409_CONFLICT


def mentoring_exception_handler(exc, context):
    """DRF's handler, plus Django ``ValidationError`` mapped to ``400 {field: [messages]}``.

    Errors without a field go under ``non_field_errors`` (DRF's ``NON_FIELD_ERRORS_KEY``), so every
    error body is either ``{"detail": "..."}`` or ``{field: [messages]}``. When every error's code is
    in :data:`CONFLICT_CODES`, the status is 409 (the request was valid; what it asks for exists).
    """
    if isinstance(exc, DjangoValidationError):
        codes = {error.code for error in exc.error_list} if hasattr(exc, "error_list") else set()
        if hasattr(exc, "error_dict"):
            codes = {error.code for errors in exc.error_dict.values() for error in errors}
        conflict = bool(codes) and codes <= CONFLICT_CODES
        exc = (Conflict if conflict else exceptions.ValidationError)(detail=as_serializer_error(exc))
    return exception_handler(exc, context)
