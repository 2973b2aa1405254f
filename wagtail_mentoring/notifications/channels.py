"""Notification channels: one contract (``deliver``) and a registry by name (``email``, ``webhook``).

What is due is decided elsewhere (``notifications.rules``, ``recognition.services``); the places that send
build one :class:`Notification` per recipient and call :func:`dispatch`, which hands it to every channel.
Each channel honours the recipient's opt-out for its own name (``notifications.preferences``).
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from wagtail_mentoring.links import absolute_url
from wagtail_mentoring.notifications.email import send_notification
from wagtail_mentoring.notifications.models import KIND_TOPICS, NotificationChannel, WebhookEndpoint
from wagtail_mentoring.notifications.notification import Notification
from wagtail_mentoring.notifications.preferences import wants
from wagtail_mentoring.notifications.webhooks import build_payload, deliver_webhook, encode


class Channel:
    """Base contract of a channel: deliver one notification (send it, or enqueue its sending)."""

    name: str = ""

    def deliver(self, notification: Notification) -> int:
        """Deliver ``notification`` unless its recipient opted out of its kind on this channel.

        Returns:
            How many messages were sent or enqueued (0 when skipped).
        """
        raise NotImplementedError  # pragma: no cover - abstract


class EmailChannel(Channel):
    """Today's e-mail (``notifications.email.send_notification``). Callers filter e-mail opt-outs in bulk."""

    name = NotificationChannel.EMAIL

    def deliver(self, notification: Notification) -> int:
        """Send the e-mail (0 for a recipient without an address or inactive)."""
        return send_notification(
            notification.user,
            notification.subject,
            notification.body,
            notification.action_label,
            notification.action_url,
            attachments=notification.attachments,
        )


class WebhookChannel(Channel):
    """The program's active webhooks that receive the notification's topic; one delivery task each."""

    name = NotificationChannel.WEBHOOK

    def deliver(self, notification: Notification) -> int:
        """Enqueue one signed delivery per matching endpoint (none for a kind outside the three topics)."""
        topic = KIND_TOPICS.get(notification.kind)
        if notification.program_id is None or topic is None:
            return 0
        endpoints = list(
            WebhookEndpoint.objects.filter(
                program_id=notification.program_id, active=True, **{f"receives_{topic}": True}
            )
        )
        if not endpoints or not wants(notification.user, notification.kind, self.name):
            return 0
        if notification.action_url:
            notification = replace(notification, action_url=absolute_url(notification.action_url))
        for endpoint in endpoints:
            body = encode(build_payload(endpoint.payload_format, notification))
            deliver_webhook.enqueue(endpoint.pk, str(uuid.uuid4()), str(notification.kind), notification.subject, body)
        return len(endpoints)


#: The channels by name; a host may register another with :func:`register_channel`.
CHANNELS: dict[str, Channel] = {}


def register_channel(channel: Channel) -> Channel:
    """Add (or replace) ``channel`` in the registry under its name."""
    CHANNELS[channel.name] = channel
    return channel


register_channel(EmailChannel())
register_channel(WebhookChannel())


def get_channel(name: str) -> Channel:
    """The channel registered as ``name`` (KeyError when unknown)."""
    return CHANNELS[name]


def dispatch(notification: Notification, channels: tuple[str, ...] | None = None) -> int:
    """Hand ``notification`` to every registered channel (or to those named); returns the e-mails sent.

    The count is the e-mail channel's, so that callers keep counting sent e-mails as before.
    """
    sent = 0
    for name, channel in CHANNELS.items():
        if channels is not None and name not in channels:
            continue
        delivered = channel.deliver(notification)
        if name == NotificationChannel.EMAIL:
            sent += delivered
    return sent
