"""Training services: completion tracking and capacity-safe event registration."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail_mentoring.training.models import (
    TrainingCompletion,
    TrainingEvent,
    TrainingRegistration,
    TrainingResourcePage,
)


def mark_complete(user, resource: TrainingResourcePage) -> TrainingCompletion:
    """Mark ``resource`` done for ``user`` (idempotent)."""
    completion, _created = TrainingCompletion.objects.get_or_create(user=user, resource=resource)
    return completion


def mark_incomplete(user, resource: TrainingResourcePage) -> None:
    """Undo :func:`mark_complete` (idempotent)."""
    TrainingCompletion.objects.filter(user=user, resource=resource).delete()


def register(event: TrainingEvent, user) -> TrainingRegistration:
    """Give ``user`` a place at ``event``; capacity holds under concurrent registrations.

    The event row is locked (``SELECT ... FOR UPDATE``) while places are counted, so two
    registrations for the last place serialise and the second is refused.

    Raises:
        ValidationError: the event is full, has started, or the user is already registered.
    """
    with transaction.atomic():
        locked = TrainingEvent.objects.select_for_update().get(pk=event.pk)
        if locked.start <= timezone.now():
            raise ValidationError(_("This event has already started."), code="started")
        if TrainingRegistration.objects.filter(event=locked, user=user).exists():
            raise ValidationError(_("You are already registered for this event."), code="duplicate")
        if TrainingRegistration.objects.filter(event=locked).count() >= locked.capacity:
            raise ValidationError(_("This event is full."), code="full")
        try:
            with transaction.atomic():
                return TrainingRegistration.objects.create(event=locked, user=user)
        except IntegrityError as exc:
            raise ValidationError(_("You are already registered for this event."), code="duplicate") from exc


def cancel_registration(event: TrainingEvent, user) -> bool:
    """Cancel ``user``'s place at ``event``; returns whether there was one."""
    deleted, _rows = TrainingRegistration.objects.filter(event=event, user=user).delete()
    return bool(deleted)
