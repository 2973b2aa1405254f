"""API fields of the input policy: numbers that refuse booleans, and the model-field mapping using them."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import serializers

from wagtail_mentoring.inputs import validate_not_boolean


class StrictFloatField(serializers.FloatField):
    """DRF's ``FloatField``, without reading ``true``/``false`` as 1.0/0.0 (booleans are not numbers)."""

    def to_internal_value(self, data):
        """Refuse a boolean, then convert as DRF does."""
        try:
            validate_not_boolean(data)
        except DjangoValidationError:
            self.fail("invalid")
        return super().to_internal_value(data)


#: ``ModelSerializer.serializer_field_mapping`` with model float fields served by :class:`StrictFloatField`.
STRICT_FIELD_MAPPING = {**serializers.ModelSerializer.serializer_field_mapping, models.FloatField: StrictFloatField}
