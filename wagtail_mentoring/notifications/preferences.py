"""Per-kind notification opt-outs."""

from __future__ import annotations

from collections.abc import Iterable

from wagtail_mentoring.notifications.models import NotificationPreference


def opted_out(user_ids: Iterable[int], kind: str | None = None) -> set[tuple[int, str]]:
    """The ``(user_id, kind)`` pairs users have switched off (one query)."""
    qs = NotificationPreference.objects.filter(user_id__in=list(user_ids), enabled=False)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return set(qs.values_list("user_id", "kind"))


def wants(user, kind: str) -> bool:
    """Does ``user`` want notifications of ``kind``? (Yes unless they opted out.)"""
    return not NotificationPreference.objects.filter(user=user, kind=kind, enabled=False).exists()
