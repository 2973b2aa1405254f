"""Per-kind and per-channel notification opt-outs (e-mail is the default channel)."""

from __future__ import annotations

from collections.abc import Iterable

from wagtail_mentoring.notifications.models import NotificationChannel, NotificationPreference


def opted_out(
    user_ids: Iterable[int], kind: str | None = None, channel: str = NotificationChannel.EMAIL
) -> set[tuple[int, str]]:
    """The ``(user_id, kind)`` pairs users have switched off on ``channel`` (one query)."""
    qs = NotificationPreference.objects.filter(user_id__in=list(user_ids), channel=channel, enabled=False)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return set(qs.values_list("user_id", "kind"))


def wants(user, kind: str, channel: str = NotificationChannel.EMAIL) -> bool:
    """Does ``user`` want notifications of ``kind`` on ``channel``? (Yes unless they opted out.)"""
    return not NotificationPreference.objects.filter(user=user, kind=kind, channel=channel, enabled=False).exists()
