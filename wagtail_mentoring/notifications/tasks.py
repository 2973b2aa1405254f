"""django-tasks task that delivers reminders through the channels (achievements and kudos: ``recognition.services``;
webhook attempts: ``notifications.webhooks``)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from wagtail_mentoring.notifications.channels import dispatch
from wagtail_mentoring.notifications.models import NotificationChannel, ReminderLog
from wagtail_mentoring.notifications.notification import Notification
from wagtail_mentoring.notifications.preferences import wants
from wagtail_mentoring.notifications.rules import get_rule


@task()
def send_reminder(log_id: int) -> int:
    """Send the reminder recorded in ``ReminderLog`` ``log_id`` through every channel (once: a sent entry is
    skipped); returns the e-mails sent."""
    log = ReminderLog.objects.select_related("user", "program").filter(pk=log_id, sent_at__isnull=True).first()
    if log is None:
        return 0
    message = get_rule(log.rule).message(log.context)
    sent = dispatch(
        Notification(
            kind=log.rule,
            user=log.user,
            subject=message.subject,
            body=message.body,
            action_label=message.action_label,
            action_url=message.action_url,
            program_id=log.program_id,
            program=log.program.title if log.program else "",
        ),
        # A reminder is logged for someone opted out of its e-mail only when a webhook still carries it.
        channels=None if wants(log.user, log.rule) else (NotificationChannel.WEBHOOK,),
    )
    ReminderLog.objects.filter(pk=log.pk).update(sent_at=timezone.now())
    return sent
