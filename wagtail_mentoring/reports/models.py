"""Outcomes a program records about its mentees (promotion, retention), for the program report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail_mentoring.inputs import validate_date_window
from wagtail_mentoring.people import display_name


class Outcome(models.Model):
    """A recorded outcome for a mentorship's mentee, e.g. promoted or left the organisation."""

    class Kind(models.TextChoices):
        PROMOTED = "promoted", _("Promoted")
        ROLE_CHANGE = "role_change", _("Moved to a new role")
        RETAINED = "retained", _("Still with the organisation")
        LEFT = "left", _("Left the organisation")

    mentorship = models.ForeignKey(
        "wagtail_mentoring.Mentorship", on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("mentorship")
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

    def __str__(self) -> str:
        return f"{self.mentorship}: {self.get_kind_display()}"

    def get_recorded_by_display(self) -> str:
        """Who recorded it, by name (``people.display_name``); empty when unknown."""
        return display_name(self.recorded_by)
