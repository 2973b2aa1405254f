"""Outgoing webhooks: payloads from an allow-list of fields, HMAC-SHA256 signatures, and the delivery task.

A delivery is one task per attempt: an attempt that fails (no answer, a 5xx, a 408 or a 429) logs a
:class:`~wagtail_mentoring.notifications.models.WebhookDelivery` row and enqueues the next attempt after an
exponential backoff (``WEBHOOK_BACKOFF_SECONDS`` doubled each time), until ``WEBHOOK_MAX_ATTEMPTS``. On a
task backend that cannot defer (the immediate backend of development sites) the next attempt runs at once.
Neither the secret, nor the URL, nor the body is ever logged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request

from django.utils import timezone
from django_tasks import task

from wagtail_mentoring.conf import mentoring_settings
from wagtail_mentoring.notifications.models import KIND_TOPICS, NotificationKind, WebhookDelivery, WebhookEndpoint
from wagtail_mentoring.notifications.notification import Notification

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Mentoring-Signature"
TIMESTAMP_HEADER = "X-Mentoring-Timestamp"
DELIVERY_HEADER = "X-Mentoring-Delivery"
#: Answers worth another attempt (besides no answer at all and every 5xx).
RETRY_STATUSES = frozenset({408, 429})


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are not followed: a 3xx ends the attempt (the configured URL is the only one ever called)."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def sign(secret: str, body: bytes) -> str:
    """The signature header value of ``body``: ``sha256=`` and the hex HMAC-SHA256 of the raw body with ``secret``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str) -> bool:
    """Does ``signature`` (the header's value) sign ``body`` with ``secret``? (Constant-time comparison.)"""
    return hmac.compare_digest(sign(secret, body), signature or "")


def backoff(attempt: int) -> dt.timedelta:
    """How long to wait after failed attempt number ``attempt`` (1-based) before the next one."""
    return dt.timedelta(seconds=mentoring_settings.WEBHOOK_BACKOFF_SECONDS * 2 ** (attempt - 1))


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def payload_fields(notification: Notification) -> dict[str, str]:
    """The only fields of a notification that may leave through a webhook (the allow-list).

    Session notes, agendas and next steps are never among them: rules' messages do not carry them, and
    nothing else of the notification is read here.
    """
    return {
        "kind": str(notification.kind),
        "kind_label": str(NotificationKind(notification.kind).label),
        "topic": str(KIND_TOPICS.get(notification.kind, "")),
        "title": notification.subject,
        "text": notification.body,
        "recipient": notification.recipient_name,
        "program": notification.program,
        "url": notification.action_url,
        "action_label": notification.action_label,
    }


def build_payload(payload_format: str, notification: Notification) -> dict:
    """The JSON body for ``payload_format`` (``slack``, ``teams`` or ``json``), from :func:`payload_fields` only."""
    f = payload_fields(notification)
    if payload_format == WebhookEndpoint.Format.SLACK:
        lines = [f"*{_slack_escape(f['title'])}* ({_slack_escape(f['recipient'])})", _slack_escape(f["text"])]
        if f["url"]:
            lines.append(f"<{f['url']}|{_slack_escape(f['action_label'] or f['title'])}>")
        return {"text": "\n".join(line for line in lines if line)}
    if payload_format == WebhookEndpoint.Format.TEAMS:
        blocks = [
            {"type": "TextBlock", "text": f["title"], "weight": "Bolder", "wrap": True},
            {"type": "TextBlock", "text": f["recipient"], "isSubtle": True, "wrap": True},
            {"type": "TextBlock", "text": f["text"], "wrap": True},
        ]
        card = {
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "type": "AdaptiveCard",
            "version": "1.4",
            "body": blocks,
        }
        if f["url"]:
            card["actions"] = [{"type": "Action.OpenUrl", "title": f["action_label"] or f["title"], "url": f["url"]}]
        return {
            "type": "message",
            "text": f["title"],
            "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": card}],
        }
    return {key: value for key, value in f.items() if key != "action_label"}


def encode(payload: dict) -> str:
    """The raw body sent (and signed): compact JSON, UTF-8."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def post(endpoint: WebhookEndpoint, body: bytes, delivery_id: str) -> tuple[int | None, str]:
    """POST ``body`` to ``endpoint``, signed; the status code (None without an answer) and a short error."""
    if not endpoint.url.lower().startswith(("https://", "http://")):
        return None, "ValueError: unsupported URL scheme"
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above and by the model's validator
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "wagtail-mentoring-webhook",
            SIGNATURE_HEADER: sign(endpoint.secret, body),
            TIMESTAMP_HEADER: str(int(time.time())),
            DELIVERY_HEADER: delivery_id,
        },
    )
    try:
        with _opener.open(request, timeout=mentoring_settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        # The reason of a connection error never holds the URL; keep the class name and a bounded text.
        return None, f"{type(exc).__name__}: {reason}"[:255]


def should_retry(status: int | None) -> bool:
    """Is an attempt that ended with ``status`` (None: no answer) worth another one?"""
    return status is None or status >= 500 or status in RETRY_STATUSES


@task()
def deliver_webhook(endpoint_id: int, delivery_id: str, kind: str, title: str, body: str, attempt: int = 1) -> bool:
    """Make attempt ``attempt`` of one delivery; log it; enqueue the next attempt after a backoff if worth it.

    Returns whether this attempt succeeded (a 2xx answer). An endpoint deleted or made inactive since is skipped.
    """
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id, active=True).first()
    if endpoint is None:
        return False
    status, error = post(endpoint, body.encode(), delivery_id)
    succeeded = status is not None and 200 <= status < 300
    WebhookDelivery.objects.create(
        endpoint=endpoint,
        delivery_id=delivery_id,
        kind=kind,
        title=title[:255],
        attempt=attempt,
        status_code=status,
        error=error,
        succeeded=succeeded,
    )
    logger.info("webhook %s delivery %s attempt %s: %s", endpoint.pk, delivery_id, attempt, status or error)
    if not succeeded and should_retry(status) and attempt < mentoring_settings.WEBHOOK_MAX_ATTEMPTS:
        args = (endpoint_id, delivery_id, kind, title, body, attempt + 1)
        if deliver_webhook.get_backend().supports_defer:
            deliver_webhook.using(run_after=timezone.now() + backoff(attempt)).enqueue(*args)
        else:
            deliver_webhook.enqueue(*args)
    return succeeded
