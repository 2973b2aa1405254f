"""Skill models: ``ProgramSkill`` (a skill a program develops, edited on the program page) and ``SkillRating``."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from wagtail_mentoring.skills import rules

#: Longest skill name and description.
MAX_SKILL_NAME, MAX_SKILL_DESCRIPTION = 100, 255


class ProgramSkill(Orderable):
    """A skill the program develops; participants rate it at the start and at closing."""

    program = ParentalKey(
        "wagtail_mentoring.MentoringProgramPage",
        on_delete=models.CASCADE,
        related_name="skills",
        verbose_name=_("program"),
    )
    name = models.CharField(_("name"), max_length=MAX_SKILL_NAME)
    description = models.CharField(
        _("short description"),
        max_length=MAX_SKILL_DESCRIPTION,
        blank=True,
        help_text=_("Shown under the skill's name on the rating form."),
    )

    panels = [FieldPanel("name"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("program skill")
        verbose_name_plural = _("program skills")

    def __str__(self) -> str:
        return self.name


class SkillRating(models.Model):
    """One person's level (1-5) in one program skill at one moment, given by themselves or their mentor."""

    class Moment(models.TextChoices):
        START = rules.START, _("At the start")
        CLOSING = rules.CLOSING, _("At closing")

    skill = models.ForeignKey(ProgramSkill, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("skill"))
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="skill_ratings",
        verbose_name=_("rated person"),
    )
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="skill_ratings_given",
        verbose_name=_("rated by"),
    )
    moment = models.CharField(_("moment"), max_length=10, choices=Moment.choices)
    level = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(rules.LEVEL_MIN), MaxValueValidator(rules.LEVEL_MAX)]
    )
    created_at = models.DateTimeField(_("rated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("skill rating")
        verbose_name_plural = _("skill ratings")
        ordering = ["skill__sort_order", "skill_id", "moment"]
        constraints = [
            models.UniqueConstraint(
                fields=["skill", "subject", "rater", "moment"], name="wm_skill_rating_unique_skill_subject_rater_moment"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=rules.LEVEL_MIN, level__lte=rules.LEVEL_MAX), name="wm_skill_rating_level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.get_moment_display()}): {self.level}"

    @property
    def is_self_rating(self) -> bool:
        """True when the person rated themselves."""
        return self.subject_id == self.rater_id
