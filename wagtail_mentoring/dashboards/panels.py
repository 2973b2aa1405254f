"""The "My mentoring" panel on the Wagtail admin home page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from wagtail_mentoring.dashboards.models import MentoringDashboardPage
from wagtail_mentoring.dashboards.selectors import user_summary


def dashboard_url(request=None) -> str | None:
    """The URL of the first live mentoring dashboard page, if the site has one."""
    page = MentoringDashboardPage.objects.live().first()
    return page.get_url(request) if page is not None else None


class MyMentoringPanel(Component):
    """The user's next session, objectives at risk and check-ins due, with a link to the dashboard."""

    name = "wagtail_mentoring_my_mentoring"
    order = 110
    template_name = "wagtail_mentoring/dashboards/admin/home_panel.html"

    def __init__(self, request, summary=None) -> None:
        self.request = request
        self.summary = summary if summary is not None else user_summary(request.user)

    def get_context_data(self, parent_context=None):
        """The user's summary, the dashboard's URL (``None`` when no dashboard page is live) and the heading."""
        return {
            "summary": self.summary,
            "dashboard_url": dashboard_url(self.request),
            "heading": _("My mentoring"),
        }
