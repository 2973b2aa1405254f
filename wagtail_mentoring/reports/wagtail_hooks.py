"""Admin wiring for program reports: URLs, the "Program reports" item and the outcomes viewset."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from wagtail_mentoring.access.querysets import is_coordinator
from wagtail_mentoring.menu import MENTORING_MENU_HOOK
from wagtail_mentoring.reports.views import ProgramReportIndexView, ProgramReportView
from wagtail_mentoring.reports.viewsets import OutcomeViewSet

register_snippet(OutcomeViewSet)

report_urls = [
    path("", ProgramReportIndexView.as_view(), name="index"),
    path("<int:program_id>/", ProgramReportView.as_view(), name="program"),
]


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("mentoring/reports/", include((report_urls, "wagtail_mentoring_reports")))]


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_coordinator(request.user)


@hooks.register(MENTORING_MENU_HOOK)
def register_reports_menu_item():
    return CoordinatorMenuItem(
        _("Program reports"),
        reverse("wagtail_mentoring_reports:index"),
        name="mentoring-reports",
        icon_name="table",
        order=500,
    )
