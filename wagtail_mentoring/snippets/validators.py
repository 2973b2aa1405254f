"""Validators for key-result values and confidence."""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail_mentoring.conf import mentoring_settings
from wagtail_mentoring.snippets.scoring import BINARY_KINDS, NUMERIC_KINDS, PERCENT_KIND

#: A confidence rating (key results and check-ins) runs from ``MIN_CONFIDENCE`` to ``MAX_CONFIDENCE``.
MIN_CONFIDENCE = 0
MAX_CONFIDENCE = 10
#: A percentage key result's check-in value runs from ``MIN_PERCENT`` to ``MAX_PERCENT``.
MIN_PERCENT = 0
MAX_PERCENT = 100


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
    """Confidence is an integer from :data:`MIN_CONFIDENCE` to :data:`MAX_CONFIDENCE` (0 to 10); ``None`` passes."""
    if value is None:
        return
    if not MIN_CONFIDENCE <= value <= MAX_CONFIDENCE:
        raise ValidationError(
            _("Confidence must be between %(min)d and %(max)d.") % {"min": MIN_CONFIDENCE, "max": MAX_CONFIDENCE},
            code="confidence_range",
        )


def validate_check_in_value(kind: str, value: float | None) -> None:
    """A check-in's value: finite and within ``MAX_ABS_VALUE``; 0 or 1 for yes/no and milestone key results
    (``scoring.BINARY_KINDS``); from ``MIN_PERCENT`` to ``MAX_PERCENT`` (0-100) for a percentage.

    Args:
        kind: the key result's kind.
        value: the value checked in.

    Raises:
        ValidationError: on the ``value`` field.
    """
    try:
        validate_finite(value)
    except ValidationError as exc:
        raise ValidationError({"value": exc}) from exc
    if kind in BINARY_KINDS and value not in (0, 1):
        raise ValidationError({"value": _("A yes/no or milestone key result takes 0 (not yet) or 1 (done).")})
    if kind == PERCENT_KIND and value is not None and not MIN_PERCENT <= value <= MAX_PERCENT:
        raise ValidationError(
            {"value": _("A percentage is between %(min)d and %(max)d.") % {"min": MIN_PERCENT, "max": MAX_PERCENT}}
        )


def validate_key_result_target(kind: str, start: float | None, target: float | None) -> None:
    """A numeric key result (``scoring.NUMERIC_KINDS``) needs a target that differs from its start value.

    Used by key results and by the suggested key results of objective templates.

    Raises:
        ValidationError: the target equals the start value, code ``target_equals_start``.
    """
    if kind in NUMERIC_KINDS and start is not None and start == target:
        raise ValidationError(
            _("The target must differ from the start value; otherwise there is nothing to measure."),
            code="target_equals_start",
        )
