"""django-tasks tasks that deliver notification e-mails (reminders, achievements and kudos)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from wagtail_mentoring.notifications.email import send_notification


@task()
def send_reminder(log_id: int) -> int:
    """Send the reminder recorded in ``ReminderLog`` ``log_id`` (once: a sent entry is skipped)."""
    from wagtail_mentoring.notifications.models import ReminderLog
    from wagtail_mentoring.notifications.rules import get_rule

    log = ReminderLog.objects.select_related("user").filter(pk=log_id, sent_at__isnull=True).first()
    if log is None:
        return 0
    message = get_rule(log.rule).message(log.context)
    sent = send_notification(log.user, message.subject, message.body, message.action_label, message.action_url)
    ReminderLog.objects.filter(pk=log.pk).update(sent_at=timezone.now())
    return sent


@task()
def send_achievement(achievement_id: int) -> int:
    """E-mail the people concerned by an achievement (unless they opted out of achievements)."""
    from wagtail_mentoring.recognition.models import Achievement
    from wagtail_mentoring.recognition.services import achievement_message, achievement_recipients

    achievement = (
        Achievement.objects.select_related("key_result", "objective", "mentorship__mentor", "mentorship__mentee")
        .filter(pk=achievement_id)
        .first()
    )
    if achievement is None:
        return 0
    subject, body = achievement_message(achievement)
    return sum(send_notification(user, subject, body) for user in achievement_recipients(achievement))


@task()
def send_kudos(kudos_id: int) -> int:
    """E-mail a kudos to its recipient (unless they opted out of achievements and kudos)."""
    from django.utils.translation import gettext as _

    from wagtail_mentoring.notifications.models import NotificationKind
    from wagtail_mentoring.notifications.preferences import wants
    from wagtail_mentoring.recognition.models import Kudos

    kudos = Kudos.objects.select_related("sender", "recipient").filter(pk=kudos_id).first()
    if kudos is None or not wants(kudos.recipient, NotificationKind.ACHIEVEMENT):
        return 0
    sender = kudos.sender.get_full_name() or kudos.sender.get_username()
    return send_notification(
        kudos.recipient,
        _("%(name)s sent you kudos") % {"name": sender},
        _("%(name)s wrote: “%(message)s”") % {"name": sender, "message": kudos.message},
    )
