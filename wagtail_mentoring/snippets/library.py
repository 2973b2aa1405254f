"""Objective templates: the example objectives editors curate, with suggested key results, per program."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import Locale, Orderable, RevisionMixin, TranslatableMixin
from wagtail.search import index

from wagtail_mentoring.inputs import MAX_TEXT_LENGTH
from wagtail_mentoring.snippets import limits, scoring
from wagtail_mentoring.snippets.models import KeyResult, Objective, _short_number
from wagtail_mentoring.snippets.validators import validate_finite, validate_key_result_target

#: The objective levels a template may suit: a person's own objective (mentee, mentor) or the pair's.
TEMPLATE_LEVELS = (Objective.Level.MENTEE, Objective.Level.MENTOR, Objective.Level.PAIRING)
#: ``Objective.Level`` choices limited to :data:`TEMPLATE_LEVELS`.
TEMPLATE_LEVEL_CHOICES = [choice for choice in Objective.Level.choices if choice[0] in TEMPLATE_LEVELS]


class ObjectiveTemplate(TranslatableMixin, RevisionMixin, index.Indexed, ClusterableModel):
    """An example objective with suggested key results; "Start from a template" copies it into a draft objective.

    Editors curate the library in the admin (revisions, search, one translation per locale). A template
    with no programs suits every program.
    """

    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), max_length=MAX_TEXT_LENGTH, blank=True)
    category = models.CharField(
        _("category"), max_length=32, choices=Objective.Category.choices, default=Objective.Category.OTHER
    )
    level = models.CharField(
        _("level"),
        max_length=16,
        choices=TEMPLATE_LEVEL_CHOICES,
        default=Objective.Level.MENTEE,
        help_text=_("Who the objective suits: a mentee, a mentor, or the pair together."),
    )
    programs = ParentalManyToManyField(
        "wagtail_mentoring.MentoringProgramPage",
        blank=True,
        related_name="objective_templates",
        verbose_name=_("programs"),
        help_text=_("Leave empty to offer the template in every program."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.SearchField("description"),
        index.FilterField("id"),
        index.FilterField("category"),
        index.FilterField("level"),
        index.FilterField("locale"),
        index.FilterField("translation_key"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("objective template")
        verbose_name_plural = _("objective templates")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def program_names(self) -> str:
        """The programs' titles, comma-separated, or "Every program" (prefetch ``programs`` in listings)."""
        names = sorted(program.title for program in self.programs.all())
        return ", ".join(names) if names else str(_("Every program"))

    def max_key_results(self, programs=None) -> int:
        """The most suggested key results this template may carry (``limits.template_key_result_limit``).

        Args:
            programs: the template's programs when known (e.g. a form's cleaned value); else its saved ones.
        """
        if programs is None:
            programs = list(self.programs.all()) if self.pk else []
        return limits.template_key_result_limit(programs)


class ObjectiveTemplateKeyResult(Orderable):
    """A key result an objective template suggests: what to measure, from which start value to which target."""

    template = ParentalKey(
        ObjectiveTemplate, on_delete=models.CASCADE, related_name="key_results", verbose_name=_("objective template")
    )
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=KeyResult.Kind.choices, default=KeyResult.Kind.NUMBER)
    unit = models.CharField(_("unit"), max_length=32, blank=True)
    start_value = models.FloatField(_("start value"), default=0, validators=[validate_finite])
    target_value = models.FloatField(_("target value"), default=1, validators=[validate_finite])

    class Meta(Orderable.Meta):
        verbose_name = _("suggested key result")
        verbose_name_plural = _("suggested key results")

    def __str__(self) -> str:
        return self.title

    @property
    def target_text(self) -> str:
        """What the key result measures, localised: "from 0 to 6 talks", "from 40% to 80%"; for yes/no and
        milestones their kind ("Milestone")."""
        if self.kind not in scoring.NUMERIC_KINDS:
            return str(self.get_kind_display())
        return str(
            _("from %(start)s to %(target)s")
            % {
                "start": scoring.with_unit(_short_number(self.start_value), self.unit),
                "target": scoring.with_unit(_short_number(self.target_value), self.unit),
            }
        )

    def clean(self) -> None:
        """Reject a numeric target equal to the start value (``validators.validate_key_result_target``)."""
        try:
            validate_key_result_target(self.kind, self.start_value, self.target_value)
        except ValidationError as exc:
            raise ValidationError({"target_value": exc.messages}) from exc


def in_active_locale(templates: QuerySet) -> QuerySet:
    """``templates`` in the active language's locale, falling back to the default locale's version of a
    template that has no translation in it (one row per template, whatever the language).

    Filters by id only, so the result still accepts Wagtail search.
    """
    active, default = Locale.get_active(), Locale.get_default()
    if active.pk == default.pk:
        chosen = templates.filter(locale=default)
    else:
        translated = templates.filter(locale=active).values("translation_key")
        chosen = templates.filter(Q(locale=active) | (Q(locale=default) & ~Q(translation_key__in=translated)))
    return ObjectiveTemplate.objects.filter(pk__in=chosen.values("pk"))
