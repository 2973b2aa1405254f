"""Admin wiring for program reports: URLs, the "Program reports" and "Training completion" items, the outcomes viewset."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from wagtail_mentoring.access.querysets import is_coordinator
from wagtail_mentoring.menu import MENTORING_MENU_HOOK
from wagtail_mentoring.reports.training import TrainingCompletionReportView
from wagtail_mentoring.reports.views import ProgramReportIndexView, ProgramReportView
from wagtail_mentoring.reports.viewsets import OutcomeViewSet

register_snippet(OutcomeViewSet)

report_urls = [
    path("", ProgramReportIndexView.as_view(), name="index"),
    path("<int:program_id>/", ProgramReportView.as_view(), name="program"),
]


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("mentoring/reports/", include((report_urls, "wagtail_mentoring_reports"))),
        path(
            "mentoring/training-completion/",
            TrainingCompletionReportView.as_view(),
            name="wagtail_mentoring_training_completion",
        ),
        path(
            "mentoring/training-completion/results/",
            TrainingCompletionReportView.as_view(results_only=True),
            name="wagtail_mentoring_training_completion_results",
        ),
    ]


class CoordinatorMenuItem(MenuItem):
    """Shown only to users who coordinate at least one program."""

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


@hooks.register(MENTORING_MENU_HOOK)
def register_training_report_menu_item():
    return CoordinatorMenuItem(
        _("Training completion"),
        reverse("wagtail_mentoring_training_completion"),
        name="training-completion",
        icon_name="tasks",
        order=320,
    )
