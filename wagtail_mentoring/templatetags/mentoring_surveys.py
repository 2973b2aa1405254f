"""``{% before_launch_survey_url page as url %}``: the program page's "Tell us what you need" link."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse

from wagtail_mentoring.access.querysets import feedback_programs
from wagtail_mentoring.programs.models import Feedback
from wagtail_mentoring.programs.services import already_answered
from wagtail_mentoring.surveys.scheduling import SURVEY_URL_NAMES

register = template.Library()


@register.simple_tag(takes_context=True)
def before_launch_survey_url(context, program) -> str:
    """The answer form of ``program``'s before-launch survey when it is open to the request's user
    (``access.feedback_programs``: any active employee, until the program starts) and they have not
    answered it yet (``programs.services.already_answered``); '' otherwise, and for anonymous visitors."""
    user = getattr(context.get("request"), "user", None)
    if user is None or program is None or not user.is_authenticated:
        return ""
    kind = Feedback.Kind.BEFORE_LAUNCH
    if not feedback_programs(user, kind).filter(pk=program.pk).exists():
        return ""
    if already_answered(user, kind, program=program):
        return ""
    try:
        return reverse(f"wagtail_mentoring:{SURVEY_URL_NAMES[kind]}", args=[program.pk])
    except NoReverseMatch:
        return ""
