"""OKR write operations that must be atomic: recording a check-in."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail_mentoring.snippets.models import CheckIn, KeyResult
from wagtail_mentoring.snippets.validators import validate_confidence, validate_finite


def record_check_in(
    key_result: KeyResult | int,
    author,
    value: float,
    confidence: int | None = None,
    note: str = "",
    created_at=None,
) -> CheckIn:
    """Record a check-in and set the key result's current value (and confidence) atomically.

    The key result row is locked (``SELECT ... FOR UPDATE``) for the duration of the transaction, so
    concurrent check-ins serialise and the current value always equals the newest check-in's value.
    Permission is the caller's concern (see ``wagtail_mentoring.access``).

    Raises:
        ValidationError: for a non-finite or out-of-range value or confidence.
    """
    validate_finite(value)
    validate_confidence(confidence)
    pk = key_result.pk if isinstance(key_result, KeyResult) else key_result
    with transaction.atomic():
        locked = KeyResult.objects.select_for_update().get(pk=pk)
        if locked.kind in ("boolean", "milestone") and value not in (0, 1):
            raise ValidationError({"value": _("A yes/no or milestone key result takes 0 or 1.")})
        check_in = CheckIn(
            key_result=locked,
            author=author,
            value=float(value),
            confidence=locked.confidence if confidence is None else confidence,
            note=note,
            created_at=created_at or timezone.now(),
        )
        check_in.full_clean(exclude=["key_result", "author"])
        check_in.save()
        newest = CheckIn.objects.filter(key_result=locked).order_by("-created_at", "-pk").first()
        KeyResult.objects.filter(pk=pk).update(
            current_value=newest.value, confidence=newest.confidence, updated_at=timezone.now()
        )
    if isinstance(key_result, KeyResult):
        key_result.current_value = newest.value
        key_result.confidence = newest.confidence
    return check_in


def add_key_result(objective, **fields) -> KeyResult:
    """Add a key result to a saved objective, validated, within the objective's key-result limit.

    The objective row is locked so that two concurrent additions cannot both pass the limit.

    Raises:
        ValidationError: invalid fields, or the objective already has as many key results as allowed.
    """
    from wagtail_mentoring.snippets.models import Objective
    from wagtail_mentoring.snippets.validators import key_result_limit, validate_key_result_count

    with transaction.atomic():
        locked = Objective.objects.select_for_update().get(pk=objective.pk)
        validate_key_result_count(locked.key_results.count() + 1, key_result_limit(locked))
        key_result = KeyResult(objective=locked, **fields)
        key_result.full_clean()
        key_result.save()
    return key_result
