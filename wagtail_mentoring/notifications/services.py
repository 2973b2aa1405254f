"""Run the reminder rules: record each reminder once (insert first), then enqueue its e-mail."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from wagtail_mentoring.notifications.models import KIND_TOPICS, NotificationChannel, ReminderLog, WebhookEndpoint
from wagtail_mentoring.notifications.preferences import opted_out
from wagtail_mentoring.notifications.rules import RULES, Reminder, Rule
from wagtail_mentoring.notifications.tasks import send_reminder


@dataclass
class RunResult:
    """What a run did: reminders sent (or that would be, in a dry run), and why others were skipped."""

    sent: list[Reminder] = field(default_factory=list)
    already_sent: int = 0
    opted_out: int = 0
    no_address: int = 0

    def by_kind(self) -> Counter:
        """How many reminders were sent per notification kind."""
        return Counter(r.kind for r in self.sent)


def due_reminders(now: dt.datetime, rules: list[Rule] | None = None) -> list[Reminder]:
    """Every reminder due at ``now`` by ``rules`` (all rules by default)."""
    return [reminder for rule in rules or RULES for reminder in rule.due(now)]


def _webhook_wanted(reminders: list[Reminder], off: set[tuple[int, str]]) -> set[tuple[int, str]]:
    """The e-mail opt-outs ``(user_id, kind)`` of ``reminders`` that a program webhook still carries (two queries)."""
    candidates = [r for r in reminders if (r.user_id, r.kind) in off and r.program_id and r.kind in KIND_TOPICS]
    if not candidates:
        return set()
    endpoints = WebhookEndpoint.objects.filter(active=True, program_id__in={r.program_id for r in candidates})
    topics = {
        (e.program_id, topic)
        for e in endpoints.only("program_id", "receives_reminders", "receives_celebrations", "receives_todos")
        for topic in set(KIND_TOPICS.values())
        if e.receives(topic)
    }
    if not topics:
        return set()
    hook_off = opted_out({r.user_id for r in candidates}, channel=NotificationChannel.WEBHOOK)
    return {
        (r.user_id, r.kind)
        for r in candidates
        if (r.program_id, KIND_TOPICS[r.kind]) in topics and (r.user_id, r.kind) not in hook_off
    }


def run_reminders(
    now: dt.datetime | None = None, *, dry_run: bool = False, rules: list[Rule] | None = None
) -> RunResult:
    """Send every due reminder once.

    Each reminder's ``ReminderLog`` row is inserted in its own transaction before the e-mail task is
    enqueued; the unique constraint on (rule, user, subject, period) makes a concurrent or repeated
    run fail that insert and skip the reminder, so nobody is told twice. A dry run writes nothing.
    """
    now = now or timezone.now()
    result = RunResult()
    reminders = due_reminders(now, rules)
    user_ids = {r.user_id for r in reminders}
    reachable = set(
        get_user_model().objects.filter(pk__in=user_ids, is_active=True).exclude(email="").values_list("pk", flat=True)
    )
    off = opted_out(user_ids)
    if off:
        # Opted out of the e-mail: still due when a webhook of the program takes the kind and the person
        # did not opt out there (e-mail only, and nothing changes, on sites without webhooks).
        off -= _webhook_wanted(reminders, off)
    logged = set()
    if dry_run:
        logged = set(
            ReminderLog.objects.filter(user_id__in=user_ids).values_list("rule", "user_id", "subject_key", "period")
        )
    for reminder in reminders:
        if reminder.user_id not in reachable:
            result.no_address += 1
            continue
        if (reminder.user_id, reminder.kind) in off:
            result.opted_out += 1
            continue
        key = (reminder.kind, reminder.user_id, reminder.subject_key, reminder.period)
        if dry_run:
            if key in logged:
                result.already_sent += 1
            else:
                result.sent.append(reminder)
            continue
        try:
            with transaction.atomic():
                log = ReminderLog.objects.create(
                    rule=reminder.kind,
                    user_id=reminder.user_id,
                    subject_key=reminder.subject_key,
                    period=reminder.period,
                    program_id=reminder.program_id,
                    context=reminder.context,
                )
        except IntegrityError:
            result.already_sent += 1
            continue
        send_reminder.enqueue(log.pk)
        result.sent.append(reminder)
    return result
