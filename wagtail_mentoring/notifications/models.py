"""Reminder delivery log, per-kind and per-channel notification opt-outs, and program webhooks with their log."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """Every kind of notification a user may opt out of."""

    CHECK_IN_DUE = "check_in_due", _("Check-in due")
    NO_SESSION = "no_session", _("No session for a while")
    PAIRING_STALLED = "pairing_stalled", _("Pairing stalled (coordinators)")
    ENROLMENT_REVIEW = "enrolment_review", _("Enrolments awaiting review (coordinators)")
    MENTEE_UNMATCHED = "mentee_unmatched", _("Mentees left unmatched (coordinators)")
    SURVEY_DUE = "survey_due", _("Feedback survey due")
    ENDING_SOON = "ending_soon", _("Mentorship ending soon")
    ACHIEVEMENT = "achievement", _("Achievements and kudos")
    SESSION_INVITATION = "session_invitation", _("Session invitations (calendar)")
    SESSION_TOMORROW = "session_tomorrow", _("Session tomorrow")
    MENTORSHIP_REQUEST = "mentorship_request", _("Mentorship requests waiting for your answer")
    GROUP_SESSION_DUE = "group_session_due", _("Group session due")


class NotificationChannel(models.TextChoices):
    """The channels a notification may go through (``notifications.channels`` holds their code)."""

    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Program chat (webhook)")


class NotificationTopic(models.TextChoices):
    """The three families of notifications a webhook may receive."""

    REMINDERS = "reminders", _("Reminders")
    CELEBRATIONS = "celebrations", _("Celebrations")
    TODOS = "todos", _("Coordinator to-dos")


#: The topic of each notification kind (the one place a kind is classed as a reminder, celebration or to-do).
#: Session invitations (calendar files) and kudos (personal words) stay e-mail only.
KIND_TOPICS: dict[str, str] = {
    NotificationKind.CHECK_IN_DUE: NotificationTopic.REMINDERS,
    NotificationKind.NO_SESSION: NotificationTopic.REMINDERS,
    NotificationKind.SURVEY_DUE: NotificationTopic.REMINDERS,
    NotificationKind.ENDING_SOON: NotificationTopic.REMINDERS,
    NotificationKind.SESSION_TOMORROW: NotificationTopic.REMINDERS,
    NotificationKind.MENTORSHIP_REQUEST: NotificationTopic.REMINDERS,
    NotificationKind.GROUP_SESSION_DUE: NotificationTopic.REMINDERS,
    NotificationKind.ACHIEVEMENT: NotificationTopic.CELEBRATIONS,
    NotificationKind.PAIRING_STALLED: NotificationTopic.TODOS,
    NotificationKind.ENROLMENT_REVIEW: NotificationTopic.TODOS,
    NotificationKind.MENTEE_UNMATCHED: NotificationTopic.TODOS,
}


class ReminderLog(models.Model):
    """One reminder sent to one user about one subject for one period.

    The unique constraint is what makes ``mentoring_reminders`` safe to run concurrently: a run
    inserts the row first and only sends when the insert succeeded.
    """

    rule = models.CharField(_("rule"), max_length=32, choices=NotificationKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_reminders", verbose_name=_("user")
    )
    subject_key = models.CharField(_("subject"), max_length=100)
    period = models.CharField(_("period"), max_length=64)
    program = models.ForeignKey(
        "wagtail_mentoring.MentoringProgramPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("program"),
    )
    context = models.JSONField(_("message context"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder log entry")
        verbose_name_plural = _("reminder log")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "user", "subject_key", "period"], name="wm_reminderlog_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule} \u2192 {self.user} ({self.subject_key} / {self.period})"


class NotificationPreference(models.Model):
    """A user's choice for one notification kind on one channel (a row with ``enabled=False`` is an opt-out)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentoring_notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    channel = models.CharField(
        _("channel"), max_length=16, choices=NotificationChannel.choices, default=NotificationChannel.EMAIL
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "channel"], name="wm_notificationpref_unique_channel")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind}/{self.channel} {'on' if self.enabled else 'off'}"


def validate_webhook_url(value: str) -> None:
    """A webhook URL must use https (plain http is accepted only while ``DEBUG`` is on)."""
    parts = urlsplit(value)
    allowed = ("https", "http") if settings.DEBUG else ("https",)
    if parts.scheme not in allowed or not parts.hostname:
        raise ValidationError(_("Enter an https:// address."), code="https_required")


class WebhookEndpoint(models.Model):
    """An outgoing webhook of one program (a Slack or Teams incoming webhook, or any JSON receiver).

    The secret signs each body (HMAC-SHA256); it is never shown back, exported or logged.
    """

    class Format(models.TextChoices):
        SLACK = "slack", _("Slack")
        TEAMS = "teams", _("Microsoft Teams")
        JSON = "json", _("JSON")

    name = models.CharField(_("name"), max_length=100)
    program = models.ForeignKey(
        "wagtail_mentoring.MentoringProgramPage",
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("program"),
    )
    url = models.URLField(_("URL"), max_length=500, validators=[validate_webhook_url])
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        help_text=_("Used to sign each message (HMAC-SHA256). Never shown again after saving."),
    )
    payload_format = models.CharField(_("payload format"), max_length=8, choices=Format.choices, default=Format.JSON)
    receives_reminders = models.BooleanField(_("reminders"), default=True)
    receives_celebrations = models.BooleanField(_("celebrations"), default=True)
    receives_todos = models.BooleanField(_("coordinator to-dos"), default=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["program_id", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    def receives(self, topic: str) -> bool:
        """Does this endpoint take notifications of ``topic`` (a :class:`NotificationTopic`)?"""
        return bool(getattr(self, f"receives_{topic}", False))

    @property
    def host(self) -> str:
        """The URL's host only: what listings show (the path of a chat webhook URL is itself a secret)."""
        return urlsplit(self.url).hostname or ""


class WebhookDelivery(models.Model):
    """One attempt at delivering one notification to one webhook (never the secret, URL path or body)."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("webhook")
    )
    delivery_id = models.CharField(_("delivery"), max_length=36, db_index=True)
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    title = models.CharField(_("title"), max_length=255)
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=255, blank=True)
    succeeded = models.BooleanField(_("succeeded"), default=False)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.endpoint} #{self.attempt} ({self.status_code or self.error})"
