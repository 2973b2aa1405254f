"""``mentoring_reminders``: send due reminders and nudges once per period (safe to run from cron)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from wagtail_mentoring.inputs import in_date_window
from wagtail_mentoring.notifications.models import NotificationKind
from wagtail_mentoring.notifications.rules import RULES
from wagtail_mentoring.notifications.services import run_reminders
from wagtail_mentoring.programs.selfmatch import expire_requests

#: The time of day a date-only ``--now`` stands for (the start of a working day).
DATE_ONLY_TIME = dt.time(9, 0)


def parse_now(value: str) -> dt.datetime:
    """An ISO date or date-time (naive values are in the current time zone; a date alone means :data:`DATE_ONLY_TIME`).

    Raises:
        ValueError: ``value`` is neither.
    """
    parsed = parse_datetime(value)
    if parsed is None:
        day = parse_date(value)
        if day is None:
            raise ValueError(value)
        parsed = dt.datetime.combine(day, DATE_ONLY_TIME)
    if not in_date_window(parsed):
        raise ValueError(value)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


class Command(BaseCommand):
    """``manage.py mentoring_reminders``: run the reminder rules (``notifications.rules.RULES``) once for now."""

    help = (
        "Send due mentoring reminders (check-ins, sessions, surveys, stalled pairings, enrolments to review). "
        "Each reminder is sent once per period, even when runs overlap."
    )

    def add_arguments(self, parser):
        """``--dry-run``, ``--now`` (pretend date) and ``--rule`` (only these rule kinds, repeatable)."""
        parser.add_argument("--dry-run", action="store_true", help="List what would be sent; send and record nothing.")
        parser.add_argument("--now", help="Pretend it is this date or date-time (ISO 8601), e.g. 2026-05-01T09:00.")
        parser.add_argument(
            "--rule", action="append", choices=[r.kind for r in RULES], help="Only run this rule (repeatable)."
        )

    def handle(self, *args, dry_run=False, now=None, rule=None, **options):
        """Send what ``notifications.services.run_reminders`` finds due and print a count per kind.

        Each reminder is recorded per user, subject and period, so overlapping runs send it once.

        Raises:
            CommandError: ``--now`` is not an ISO date or date-time.
        """
        try:
            when = parse_now(now) if now else timezone.now()
        except (ValueError, OverflowError) as exc:
            raise CommandError(f"--now: not an ISO date or date-time: {now!r}") from exc
        rules = [r for r in RULES if r.kind in rule] if rule else None
        if not dry_run:
            expired = expire_requests(when)
            if expired:
                self.stdout.write(f"Expired {expired} mentorship request(s) left unanswered.")
        result = run_reminders(when, dry_run=dry_run, rules=rules)
        labels = dict(NotificationKind.choices)
        verb = "Would send" if dry_run else "Sent"
        for kind, count in sorted(result.by_kind().items()):
            self.stdout.write(f"{verb} {count} \u00d7 {labels.get(kind, kind)}")
        if dry_run and options.get("verbosity", 1) > 1:
            for reminder in result.sent:
                self.stdout.write(f"  {reminder.kind} user={reminder.user_id} {reminder.subject_key} {reminder.period}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {len(result.sent)} reminder(s); {result.already_sent} already sent, "
                f"{result.opted_out} opted out, {result.no_address} without an address."
            )
        )
