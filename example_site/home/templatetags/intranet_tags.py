"""Template tags of the example intranet: the main navigation, found in the page tree."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

register = template.Library()

#: (label, page model "app_label.ModelName", URL used while no such page is published yet).
NAV_ITEMS = [
    (_("My mentoring"), "wagtail_mentoring.MentoringDashboardPage", "/mentoring/"),
    (_("Programs"), "wagtail_mentoring.MentoringProgramIndexPage", "/programs/"),
    (_("Training"), "wagtail_mentoring.TrainingLibraryPage", "/training/"),
]


@register.inclusion_tag("home/tags/main_nav.html", takes_context=True)
def main_nav(context) -> dict:
    """The main navigation: each item links to the first live page of its type, else its default URL."""
    from django.apps import apps

    request = context.get("request")
    path = request.path if request is not None else ""
    items = []
    for label, model_name, fallback in NAV_ITEMS:
        model = apps.get_model(model_name)
        page = Page.objects.type(model).live().order_by("path").first()
        url = (page.get_url(request) if page is not None else None) or fallback
        items.append({"label": label, "url": url, "current": path.startswith(url) and url != "/"})
    return {"items": items, "request": request}
