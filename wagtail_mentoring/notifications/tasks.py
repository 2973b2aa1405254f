"""django-tasks task that delivers reminder e-mails (achievement and kudos e-mails: ``recognition.services``)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from wagtail_mentoring.notifications.email import send_notification
from wagtail_mentoring.notifications.models import ReminderLog
from wagtail_mentoring.notifications.rules import get_rule


@task()
def send_reminder(log_id: int) -> int:
    """Send the reminder recorded in ``ReminderLog`` ``log_id`` (once: a sent entry is skipped)."""
    log = ReminderLog.objects.select_related("user").filter(pk=log_id, sent_at__isnull=True).first()
    if log is None:
        return 0
    message = get_rule(log.rule).message(log.context)
    sent = send_notification(log.user, message.subject, message.body, message.action_label, message.action_url)
    ReminderLog.objects.filter(pk=log.pk).update(sent_at=timezone.now())
    return sent
