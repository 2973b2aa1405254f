"""Editor-built surveys: a program's questions for one moment, built with Wagtail's form builder.

A :class:`SurveyPage` is a child page of a :class:`~wagtail_mentoring.programs.models.MentoringProgramPage`
with a ``moment`` (a :class:`~wagtail_mentoring.programs.models.Feedback` kind: after a session, the
pairing check, mid-point, closing, end of program, before launch). The fixed questions of every survey
(rating, optional NPS, comment; ``surveys.forms.SurveyForm``) are always asked first, so satisfaction and
NPS keep one meaning; the published survey of the program and moment adds its questions below them.
The answers are stored on the ``Feedback`` row (``answers``, ``survey``) by
``programs.services.submit_feedback``; the page's own form-builder submissions are never used.
"""

from __future__ import annotations

from django.db import models
from django.http import HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField

from wagtail_mentoring.inputs import MAX_TEXT_LENGTH
from wagtail_mentoring.programs.models import Feedback


class SurveyFormField(AbstractFormField):
    """One extra question of a :class:`SurveyPage` (the form builder's field: label, type, choices...)."""

    page = ParentalKey("SurveyPage", on_delete=models.CASCADE, related_name="form_fields")
    # The form builder's free-text settings, bounded as every text field of the package (``inputs``).
    choices = models.TextField(
        _("choices"),
        blank=True,
        max_length=MAX_TEXT_LENGTH,
        help_text=_("Comma or new line separated list of choices. Only applicable in checkboxes, radio and dropdown."),
    )
    default_value = models.TextField(
        _("default value"),
        blank=True,
        max_length=MAX_TEXT_LENGTH,
        help_text=_("Default value. Comma or new line separated values supported for checkboxes."),
    )

    class Meta(AbstractFormField.Meta):
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")


class SurveyPage(AbstractForm):
    """A program's extra survey questions for one moment (published: asked; draft: not yet).

    The page itself only describes the survey (and, before launch, links to its answer form); people
    answer on the survey routes (``engagement_urls``), where access is decided (``access.querysets``).
    """

    moment = models.CharField(
        _("moment"),
        max_length=16,
        choices=Feedback.Kind.choices,
        help_text=_(
            "When the survey is asked. Its questions are added below the rating, the likelihood to "
            "recommend and the comment, which every survey asks."
        ),
    )
    intro = models.TextField(_("introduction"), blank=True, max_length=2000)

    content_panels = AbstractForm.content_panels + [
        FieldPanel("moment"),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Extra questions")),
    ]
    parent_page_types = ["wagtail_mentoring.MentoringProgramPage"]
    subpage_types: list[str] = []
    template = "wagtail_mentoring/surveys/survey_page.html"
    landing_page_template = "wagtail_mentoring/surveys/survey_page.html"
    preview_modes = [("form", _("Form"))]

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def get_answer_url(self) -> str:
        """The before-launch answer form of this survey's program ('' for the other moments: they are asked
        on a pairing or a session, from the participant's to-dos)."""
        if self.moment != Feedback.Kind.BEFORE_LAUNCH:
            return ""
        try:
            return reverse("wagtail_mentoring:survey_before_launch", args=[self.get_parent().pk])
        except NoReverseMatch:
            return ""

    def serve(self, request, *args, **kwargs):
        """Describe the survey (the answers are given on the survey routes, never posted here)."""
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        context = self.get_context(request)
        context["answer_url"] = self.get_answer_url()
        return TemplateResponse(request, self.get_template(request), context)
