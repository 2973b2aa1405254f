"""MentoringDashboardPage: the employee's mentoring dashboard, placed anywhere in the page tree."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField
from wagtail.models import Page


class MentoringDashboardPage(RoutablePageMixin, Page):
    """One page that shows each logged-in user the mentoring sections that apply to them."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types: list[str] = []
    max_count = 1
    template = "wagtail_mentoring/dashboards/dashboard_page.html"

    class Meta:
        verbose_name = _("mentoring dashboard")
