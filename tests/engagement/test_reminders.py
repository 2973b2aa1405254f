"""``mentoring_reminders``: once per period, dry run, --now, opt-out, overlapping runs (PostgreSQL)."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories import UserFactory, active_mentorship
from tests.factories.engagement import MentoringSessionFactory, at
from wagtail_mentoring.models import NotificationPreference, ReminderLog
from wagtail_mentoring.notifications.rules import NoSessionRule
from wagtail_mentoring.notifications.services import run_reminders

NOW = "2026-02-20T09:00"


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("mentoring_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
class TestCommand:
    def test_sends_once_per_period(self, roles, pairing_kr):
        MentoringSessionFactory(mentorship=roles["mentorship"], date=at(dt.date(2026, 1, 20)))
        out = run("--now", NOW)
        assert "Sent" in out
        first = len(mail.outbox)
        assert first > 0
        assert ReminderLog.objects.filter(sent_at__isnull=False).count() == ReminderLog.objects.count() == first
        out = run("--now", NOW)
        assert len(mail.outbox) == first
        assert f"{first} already sent" in out
        # Later the same day: same period, nothing new.
        run("--now", "2026-02-20T17:00")
        assert len(mail.outbox) == first

    def test_dry_run_sends_and_records_nothing(self, roles, pairing_kr):
        out = run("--dry-run", "--now", NOW)
        assert "Would send" in out
        assert mail.outbox == []
        assert ReminderLog.objects.count() == 0

    def test_bad_now_is_a_command_error(self, db):
        with pytest.raises(CommandError, match="--now"):
            run("--now", "yesterday-ish")

    def test_emails_have_text_and_escaped_html(self, roles, pairing_kr, program):
        program.title = "<script>alert(1)</script> Program"
        program.save()
        roles["mentor"].first_name = "<b>Bob</b>"
        roles["mentor"].save()
        run("--now", NOW, "--rule", "no_session")
        message = next(m for m in mail.outbox if roles["mentee"].email in m.to)
        html = message.alternatives[0][0]
        assert "<script>" not in html and "&lt;script&gt;" in html
        assert "<b>Bob</b>" not in html
        assert "<script>alert(1)</script> Program" in message.body  # plain text is not HTML-escaped
        assert "/mentoring-app/notifications/preferences/" in message.body

    def test_opt_out_per_kind(self, roles, pairing_kr):
        NotificationPreference.objects.create(user=roles["mentee"], kind="no_session", enabled=False)
        run("--now", NOW)
        to_mentee = [m for m in mail.outbox if roles["mentee"].email in m.to]
        to_mentor = [m for m in mail.outbox if roles["mentor"].email in m.to]
        assert {m.subject for m in to_mentor} - {m.subject for m in to_mentee} == {"Plan your next mentoring session"}
        assert to_mentee  # other kinds still arrive
        assert not ReminderLog.objects.filter(user=roles["mentee"], rule="no_session").exists()

    def test_inactive_users_and_users_without_email_get_nothing(self, roles, program):
        quiet = UserFactory(email="")
        active_mentorship(program=program, mentor=roles["inactive"], mentee=quiet)
        run("--now", NOW)
        assert not ReminderLog.objects.filter(user__in=[roles["inactive"], quiet]).exists()

    def test_notes_never_reach_an_email(self, roles, pairing_kr):
        MentoringSessionFactory(mentorship=roles["mentorship"], date=at(dt.date(2026, 1, 20)), notes="TOP-SECRET-NOTE")
        run("--now", "2026-12-20T09:00")
        assert mail.outbox
        for message in mail.outbox:
            assert "TOP-SECRET-NOTE" not in message.body
            assert "TOP-SECRET-NOTE" not in message.alternatives[0][0]

    def test_query_count_does_not_grow_with_pairs(self, roles, program):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def count():
            with CaptureQueriesContext(connection) as ctx:
                list(NoSessionRule().due(at(dt.date(2026, 3, 1))))
            return len(ctx)

        small = count()
        for _i in range(10):
            active_mentorship(program=program)
        assert count() == small


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_runs_never_send_twice(roles, pairing_kr):
    """Two runs started together (two threads, two connections) send each reminder exactly once."""
    now = at(dt.date(2026, 2, 20))
    expected = len([r for rule_reminders in [run_reminders(now, dry_run=True).sent] for r in rule_reminders])
    assert expected > 0
    barrier = threading.Barrier(2)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(run_reminders(now))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(len(r.sent) for r in results) == expected
    assert sum(r.already_sent for r in results) == expected
    assert ReminderLog.objects.count() == expected
    assert len(mail.outbox) == expected
