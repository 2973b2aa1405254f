"""Outcomes recorded about people (promotion, retention): a mentorship's mentee for the program report, or any
person (``user``, no mentorship) so that HR can record non-participants for the impact report's baseline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail_mentoring.inputs import validate_date_window
from wagtail_mentoring.people import display_name


class Outcome(models.Model):
    """A recorded outcome, e.g. promoted or left the organisation: of a mentorship's mentee, or of a person
    (``user``) with no mentorship, such as a non-participant of the impact report's baseline."""

    class Kind(models.TextChoices):
        PROMOTED = "promoted", _("Promoted")
        ROLE_CHANGE = "role_change", _("Moved to a new role")
        RETAINED = "retained", _("Still with the organisation")
        LEFT = "left", _("Left the organisation")

    mentorship = models.ForeignKey(
        "wagtail_mentoring.Mentorship",
        on_delete=models.CASCADE,
        related_name="outcomes",
        verbose_name=_("mentorship"),
        null=True,
        blank=True,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentoring_outcomes",
        verbose_name=_("person"),
        null=True,
        blank=True,
        help_text=_("For a person outside any pairing (e.g. a non-participant); leave empty for a mentorship."),
    )
    kind = models.CharField(_("outcome"), max_length=16, choices=Kind.choices)
    date = models.DateField(_("date"), default=timezone.localdate, validators=[validate_date_window])
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("outcome")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mentorship__isnull=False, user__isnull=True)
                | models.Q(mentorship__isnull=True, user__isnull=False),
                name="wm_outcome_mentorship_or_person",
            )
        ]

    def __str__(self) -> str:
        subject = self.mentorship if self.mentorship_id else display_name(self.user)
        return f"{subject}: {self.get_kind_display()}"

    @property
    def person_id(self) -> int | None:
        """The id of the person the outcome is about: the ``user``, or the mentorship's mentee."""
        return self.user_id if self.user_id else self.mentorship.mentee_id

    def get_recorded_by_display(self) -> str:
        """Who recorded it, by name (``people.display_name``); empty when unknown."""
        return display_name(self.recorded_by)
