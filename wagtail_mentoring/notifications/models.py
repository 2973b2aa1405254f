"""Reminder delivery log (one row per reminder and period) and per-kind notification opt-outs."""

from __future__ import annotations

from django.conf import settings
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
    """A user's choice for one notification kind (a row with ``enabled=False`` is an opt-out)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentoring_notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="wm_notificationpref_unique")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {'on' if self.enabled else 'off'}"
