"""The notification preferences form: one checkbox per kind and channel (e-mail, and program chat for the kinds
webhooks carry)."""

from __future__ import annotations

from django import forms
from django.db import transaction

from wagtail_mentoring.notifications.models import (
    KIND_TOPICS,
    NotificationChannel,
    NotificationKind,
    NotificationPreference,
)


def field_name(kind: str, channel: str) -> str:
    """The form field of ``kind`` on ``channel``: the kind itself for e-mail (as before channels), else
    ``kind__channel``."""
    return kind if channel == NotificationChannel.EMAIL else f"{kind}__{channel}"


def channel_kinds(channel: str) -> list[tuple[str, str]]:
    """The ``(kind, label)`` choices offered on ``channel`` (webhooks carry only the kinds with a topic)."""
    if channel == NotificationChannel.EMAIL:
        return list(NotificationKind.choices)
    return [(kind, label) for kind, label in NotificationKind.choices if kind in KIND_TOPICS]


class PreferencesForm(forms.Form):
    """Tick the notifications you want on each channel; unticked ones are opted out."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        off = set(NotificationPreference.objects.filter(user=user, enabled=False).values_list("kind", "channel"))
        for channel in NotificationChannel.values:
            for kind, label in channel_kinds(channel):
                self.fields[field_name(kind, channel)] = forms.BooleanField(
                    label=label, required=False, initial=(kind, channel) not in off
                )

    def channels(self) -> list[tuple[str, list]]:
        """The bound fields grouped by channel label, in the order the template shows them."""
        return [
            (label, [self[field_name(kind, channel)] for kind, _label in channel_kinds(channel)])
            for channel, label in NotificationChannel.choices
        ]

    def save(self) -> None:
        """Store one enabled/disabled preference per kind and channel for the user, in one transaction."""
        with transaction.atomic():
            for channel in NotificationChannel.values:
                for kind, _label in channel_kinds(channel):
                    NotificationPreference.objects.update_or_create(
                        user=self.user,
                        kind=kind,
                        channel=channel,
                        defaults={"enabled": bool(self.cleaned_data.get(field_name(kind, channel)))},
                    )
