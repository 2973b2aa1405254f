"""Achievements (a key result or objective reaching 100%), celebrations shown to the pair, and kudos."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail_mentoring.people import display_name


class Achievement(models.Model):
    """A key result or an objective achieved; recorded exactly once (unique per key result / objective)."""

    class Kind(models.TextChoices):
        KEY_RESULT = "key_result", _("Key result achieved")
        OBJECTIVE = "objective", _("Objective achieved")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    key_result = models.ForeignKey(
        "wagtail_mentoring.KeyResult",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="achievements",
        verbose_name=_("key result"),
    )
    objective = models.ForeignKey(
        "wagtail_mentoring.Objective",
        on_delete=models.CASCADE,
        related_name="achievements",
        verbose_name=_("objective"),
    )
    mentorship = models.ForeignKey(
        "wagtail_mentoring.Mentorship",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="achievements",
        verbose_name=_("mentorship"),
    )
    achieved_at = models.DateTimeField(_("achieved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("achievement")
        ordering = ["-achieved_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["key_result"], condition=Q(kind="key_result"), name="wm_achievement_once_per_key_result"
            ),
            models.UniqueConstraint(
                fields=["objective"], condition=Q(kind="objective"), name="wm_achievement_once_per_objective"
            ),
        ]

    def __str__(self) -> str:
        return str(self.key_result if self.kind == self.Kind.KEY_RESULT else self.objective)

    @property
    def title(self) -> str:
        """The title of what was achieved: the key result's for a key-result achievement, else the objective's."""
        return self.key_result.title if self.kind == self.Kind.KEY_RESULT else self.objective.title


class Kudos(models.Model):
    """A thank-you from one participant of a pairing to the other."""

    mentorship = models.ForeignKey(
        "wagtail_mentoring.Mentorship", on_delete=models.CASCADE, related_name="kudos", verbose_name=_("mentorship")
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_kudos_sent", verbose_name=_("from")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentoring_kudos_received",
        verbose_name=_("to"),
    )
    message = models.CharField(_("message"), max_length=500, validators=[MinLengthValidator(2)])
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("kudos")
        verbose_name_plural = _("kudos")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=~Q(sender=models.F("recipient")), name="wm_kudos_not_self")]

    def __str__(self) -> str:
        return f"{display_name(self.sender)} \u2192 {display_name(self.recipient)}"


class Celebration(models.Model):
    """Something to celebrate on one user's dashboard until they dismiss it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentoring_celebrations",
        verbose_name=_("user"),
    )
    achievement = models.ForeignKey(
        Achievement, null=True, blank=True, on_delete=models.CASCADE, related_name="celebrations"
    )
    kudos = models.ForeignKey(Kudos, null=True, blank=True, on_delete=models.CASCADE, related_name="celebrations")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    seen_at = models.DateTimeField(_("seen at"), null=True, blank=True)

    class Meta:
        verbose_name = _("celebration")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "achievement"], condition=Q(achievement__isnull=False), name="wm_celebration_once"
            ),
            models.CheckConstraint(
                condition=Q(achievement__isnull=False) | Q(kudos__isnull=False), name="wm_celebration_has_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{display_name(self.user)}: {self.achievement or self.kudos}"
