"""Notification channels: e-mail unchanged, signed webhook deliveries with retries, opt-outs, no session notes."""

import datetime as dt
import json
import logging

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from wagtail_mentoring.models import MentoringSession, NotificationPreference, WebhookDelivery, WebhookEndpoint
from wagtail_mentoring.notifications import webhooks
from wagtail_mentoring.notifications.channels import CHANNELS, WebhookChannel, dispatch
from wagtail_mentoring.notifications.notification import Notification
from wagtail_mentoring.notifications.services import run_reminders

pytestmark = pytest.mark.django_db

SECRET = "s3cret-value-never-shown"
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def endpoint(program, url, **fields):
    defaults = {"name": "Chat", "secret": SECRET, "payload_format": "json", "receives_todos": True}
    return WebhookEndpoint.objects.create(program=program, url=url, **{**defaults, **fields})


def note(roles, **fields):
    return Notification(
        "check_in_due",
        roles["mentee"],
        "Check-in due",
        "Two key results wait.",
        "Check in",
        "/mentoring/",
        program_id=roles["mentorship"].program_id,
        program="Leadership mentoring",
        **fields,
    )


def test_registry_has_email_and_webhook():
    assert set(CHANNELS) >= {"email", "webhook"}


def test_sign_and_verify():
    body = b'{"a":1}'
    signature = webhooks.sign("k", body)
    assert signature.startswith("sha256=") and len(signature) == 7 + 64
    assert webhooks.verify("k", body, signature)
    assert not webhooks.verify("other", body, signature) and not webhooks.verify("k", body + b" ", signature)


@pytest.mark.parametrize("fmt", ["slack", "teams", "json"])
def test_payload_shapes(roles, fmt):
    payload = webhooks.build_payload(fmt, note(roles))
    if fmt == "slack":
        assert set(payload) == {"text"} and "Check-in due" in payload["text"]
    elif fmt == "teams":
        assert payload["type"] == "message" and payload["attachments"][0]["content"]["type"] == "AdaptiveCard"
    else:
        assert payload["kind"] == "check_in_due" and payload["title"] == "Check-in due"
        assert payload["program"] == "Leadership mentoring"


def test_delivery_is_signed_and_logged(roles, receiver, caplog):
    hook = endpoint(roles["mentorship"].program, receiver.url)
    caplog.set_level(logging.DEBUG)
    assert dispatch(note(roles)) == 1  # the e-mail, unchanged
    assert len(mail.outbox) == 1
    [(headers, body)] = receiver.requests
    assert webhooks.verify(SECRET, body, headers["X-Mentoring-Signature"])
    assert abs(int(headers["X-Mentoring-Timestamp"]) - timezone.now().timestamp()) < 60
    payload = json.loads(body)
    assert payload["url"].startswith("http") and payload["recipient"]
    [row] = WebhookDelivery.objects.filter(endpoint=hook)
    assert (row.status_code, row.attempt, row.succeeded, row.kind) == (200, 1, True, "check_in_due")
    assert SECRET not in caplog.text and "path-secret" not in caplog.text
    assert SECRET not in json.dumps(list(WebhookDelivery.objects.values()), default=str)


def test_inactive_endpoint_and_topics_skipped(roles, receiver):
    program = roles["mentorship"].program
    endpoint(program, receiver.url, active=False)
    endpoint(program, receiver.url, receives_reminders=False)
    dispatch(note(roles))
    assert receiver.requests == []


def test_other_program_endpoint_not_called(roles, receiver):
    endpoint(roles["other_mentorship"].program, receiver.url)
    dispatch(note(roles))
    assert receiver.requests == []


@override_settings(TASKS=DUMMY_TASKS)
def test_retry_with_backoff_then_success(roles, receiver):
    from django_tasks import default_task_backend

    hook = endpoint(roles["mentorship"].program, receiver.url)
    receiver.statuses = [500, 503, 200]
    WebhookChannel().deliver(note(roles))
    backend = default_task_backend
    runs = 0
    while backend.results:
        result = backend.results.pop(0)
        if runs:
            delay = result.task.run_after - timezone.now()
            expected = webhooks.backoff(runs)
            assert expected - dt.timedelta(seconds=5) < delay <= expected
        result.task.call(*result.args, **result.kwargs)
        runs += 1
    assert runs == 3
    rows = list(WebhookDelivery.objects.filter(endpoint=hook).order_by("attempt"))
    assert [(r.attempt, r.status_code, r.succeeded) for r in rows] == [(1, 500, False), (2, 503, False), (3, 200, True)]
    assert len({r.delivery_id for r in rows}) == 1
    assert webhooks.backoff(2) == 2 * webhooks.backoff(1)


@override_settings(WAGTAIL_MENTORING={"WEBHOOK_MAX_ATTEMPTS": 3})
def test_gives_up_after_max_attempts(roles, receiver):
    hook = endpoint(roles["mentorship"].program, receiver.url)
    receiver.statuses = [500]
    WebhookChannel().deliver(note(roles))
    assert list(
        WebhookDelivery.objects.filter(endpoint=hook).values_list("attempt", flat=True).order_by("attempt")
    ) == [
        1,
        2,
        3,
    ]
    assert len(receiver.requests) == 3


def test_client_error_not_retried_and_no_answer_logged(roles, receiver):
    hook = endpoint(roles["mentorship"].program, receiver.url)
    receiver.statuses = [400]
    WebhookChannel().deliver(note(roles))
    assert list(WebhookDelivery.objects.values_list("attempt", "status_code")) == [(1, 400)]
    hook.url = "http://127.0.0.1:9/closed"
    hook.save()
    with override_settings(WAGTAIL_MENTORING={"WEBHOOK_MAX_ATTEMPTS": 2}):
        WebhookChannel().deliver(note(roles))
    errors = list(WebhookDelivery.objects.filter(status_code__isnull=True).values_list("error", flat=True))
    assert len(errors) == 2 and all(errors) and not any("closed" in e for e in errors)


def test_opt_out_per_kind_and_channel(roles, receiver):
    endpoint(roles["mentorship"].program, receiver.url)
    NotificationPreference.objects.create(user=roles["mentee"], kind="check_in_due", channel="webhook", enabled=False)
    assert dispatch(note(roles)) == 1  # e-mail still goes
    assert receiver.requests == []
    NotificationPreference.objects.create(user=roles["mentee"], kind="no_session", channel="webhook", enabled=True)
    dispatch(Notification("no_session", roles["mentee"], "t", "b", program_id=roles["mentorship"].program_id))
    assert len(receiver.requests) == 1


def test_email_opt_out_does_not_touch_webhook_preference(roles):
    NotificationPreference.objects.create(user=roles["mentee"], kind="check_in_due", enabled=False)
    from wagtail_mentoring.notifications.preferences import wants

    assert not wants(roles["mentee"], "check_in_due") and wants(roles["mentee"], "check_in_due", "webhook")


@pytest.mark.parametrize("fmt", ["slack", "teams", "json"])
def test_session_notes_never_leave(roles, receiver, fmt):
    pair = roles["mentorship"]
    endpoint(pair.program, receiver.url, payload_format=fmt)
    now = timezone.make_aware(dt.datetime(2026, 6, 10, 9, 0))
    MentoringSession.objects.create(
        mentorship=pair,
        status="planned",
        date=now + dt.timedelta(days=1, hours=5),
        location="Room 4.12",
        agenda="AGENDA-PRIVATE",
        notes="NOTES-PRIVATE",
        next_steps="STEPS-PRIVATE",
    )
    MentoringSession.objects.create(
        mentorship=pair,
        status="held",
        date=now - dt.timedelta(days=40),
        notes="OLD-NOTES-PRIVATE",
        agenda="OLD-AGENDA-PRIVATE",
    )
    result = run_reminders(now)
    assert result.sent
    assert receiver.requests
    for _headers, body in receiver.requests:
        text = body.decode()
        assert "PRIVATE" not in text
    assert not WebhookDelivery.objects.filter(title__contains="PRIVATE").exists()


def test_payload_fields_are_an_allow_list(roles):
    fields = webhooks.payload_fields(note(roles, attachments=(("x.ics", "NOTES", "text/calendar"),)))
    assert set(fields) == {
        "kind",
        "kind_label",
        "topic",
        "title",
        "text",
        "recipient",
        "program",
        "url",
        "action_label",
    }
    assert "NOTES" not in json.dumps(fields)


def test_achievement_posted_once_per_achievement(roles, receiver, pairing_kr, django_capture_on_commit_callbacks):
    from wagtail_mentoring.snippets.services import record_check_in

    endpoint(roles["mentorship"].program, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        record_check_in(pairing_kr, roles["mentee"], 10)
    kinds = [json.loads(body)["kind"] for _h, body in receiver.requests]
    assert kinds == ["achievement", "achievement"]  # the key result and the objective, not one per person
    NotificationPreference.objects.create(user=roles["mentor"], kind="achievement", channel="webhook", enabled=False)
    assert WebhookDelivery.objects.count() == 2


def test_email_opt_out_still_posts_to_the_program_chat(roles, receiver):
    """Opting out of a kind's e-mail leaves its webhook posts on (and without webhooks nothing is logged)."""
    pair = roles["mentorship"]
    now = timezone.make_aware(dt.datetime(2026, 6, 10, 9, 0))
    MentoringSession.objects.create(mentorship=pair, status="planned", date=now + dt.timedelta(days=1, hours=5))
    NotificationPreference.objects.create(user=roles["mentee"], kind="session_tomorrow", enabled=False)
    from wagtail_mentoring.notifications.rules import SessionTomorrowRule

    rules = [SessionTomorrowRule()]
    assert run_reminders(now, rules=rules, dry_run=True).opted_out == 1  # no webhook: as before
    endpoint(pair.program, receiver.url)
    result = run_reminders(now, rules=rules)
    assert result.opted_out == 0 and len(result.sent) == 2
    assert [m.to for m in mail.outbox] == [[roles["mentor"].email]]
    recipients = sorted(json.loads(body)["recipient"] for _h, body in receiver.requests)
    assert len(recipients) == 2
    NotificationPreference.objects.create(
        user=roles["mentee"], kind="session_tomorrow", channel="webhook", enabled=False
    )
    later = now + dt.timedelta(days=7)
    MentoringSession.objects.create(mentorship=pair, status="planned", date=later + dt.timedelta(days=1, hours=5))
    assert run_reminders(later, rules=rules, dry_run=True).opted_out == 1  # off on both channels


def test_redirects_are_not_followed(roles, receiver):
    endpoint(roles["mentorship"].program, receiver.url)
    receiver.statuses = [302]
    WebhookChannel().deliver(note(roles))
    assert len(receiver.requests) == 1
    assert list(WebhookDelivery.objects.values_list("attempt", "status_code", "succeeded")) == [(1, 302, False)]
