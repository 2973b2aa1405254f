"""Validators for key-result values and confidence."""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail_mentoring.conf import mentoring_settings


def validate_finite(value: float | None) -> None:
    """Reject NaN, infinities and values beyond ``MAX_ABS_VALUE``."""
    if value is None:
        return
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("Enter a number."), code="invalid") from exc
    if not math.isfinite(number):
        raise ValidationError(_("Enter a finite number."), code="not_finite")
    limit = mentoring_settings.MAX_ABS_VALUE
    if abs(number) > limit:
        raise ValidationError(
            _("Enter a number between -%(limit)s and %(limit)s.") % {"limit": f"{limit:g}"}, code="out_of_range"
        )


def validate_confidence(value: int | None) -> None:
    """Confidence is an integer from 0 to 10."""
    if value is None:
        return
    if not 0 <= value <= 10:
        raise ValidationError(_("Confidence must be between 0 and 10."), code="confidence_range")
