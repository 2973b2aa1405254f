"""The notification preferences form: one checkbox per kind."""

from __future__ import annotations

from django import forms
from django.db import transaction

from wagtail_mentoring.notifications.models import NotificationKind, NotificationPreference


class PreferencesForm(forms.Form):
    """Tick the notifications you want; unticked kinds are opted out."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        off = set(NotificationPreference.objects.filter(user=user, enabled=False).values_list("kind", flat=True))
        for kind, label in NotificationKind.choices:
            self.fields[kind] = forms.BooleanField(label=label, required=False, initial=kind not in off)

    def save(self) -> None:
        """Store one enabled/disabled preference per notification kind for the user, in one transaction."""
        with transaction.atomic():
            for kind in NotificationKind.values:
                NotificationPreference.objects.update_or_create(
                    user=self.user, kind=kind, defaults={"enabled": bool(self.cleaned_data.get(kind))}
                )
