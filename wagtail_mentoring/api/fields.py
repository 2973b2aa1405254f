"""API fields of the input policy: numbers that refuse booleans, dates inside the window, and the mapping using them."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wagtail_mentoring.conf import mentoring_settings
from wagtail_mentoring.inputs import DATE_PATTERN, validate_not_boolean


class StrictFloatField(serializers.FloatField):
    """DRF's ``FloatField``, without reading ``true``/``false`` as 1.0/0.0 (booleans are not numbers).

    Without bounds of its own it takes ``MAX_ABS_VALUE`` (the bound of every key-result value), so the
    schema declares the values the server accepts.
    """

    def __init__(self, **kwargs) -> None:
        bounded = any(isinstance(v, (MinValueValidator, MaxValueValidator)) for v in kwargs.get("validators", ()))
        if not bounded and "min_value" not in kwargs and "max_value" not in kwargs:
            kwargs["min_value"] = -mentoring_settings.MAX_ABS_VALUE
            kwargs["max_value"] = mentoring_settings.MAX_ABS_VALUE
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        """Refuse a boolean, then convert as DRF does."""
        try:
            validate_not_boolean(data)
        except DjangoValidationError:
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field({"type": "string", "format": "date", "pattern": DATE_PATTERN})
class WindowDateField(serializers.DateField):
    """A date; the schema states the input policy's window (years 2000 to 2100) as a pattern."""


@extend_schema_field({"type": "string", "format": "date-time", "pattern": DATE_PATTERN})
class WindowDateTimeField(serializers.DateTimeField):
    """A date-time; the schema states the input policy's window (years 2000 to 2100) as a pattern."""


#: ``ModelSerializer.serializer_field_mapping`` with the input policy's number and date fields.
STRICT_FIELD_MAPPING = {
    **serializers.ModelSerializer.serializer_field_mapping,
    models.FloatField: StrictFloatField,
    models.DateField: WindowDateField,
    models.DateTimeField: WindowDateTimeField,
}
