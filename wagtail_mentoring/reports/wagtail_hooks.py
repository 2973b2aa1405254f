"""Admin wiring for program reports: URLs (the Report tab, the training completion report, the impact across
programs) and the outcomes viewset."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from wagtail_mentoring.access.querysets import is_coordinator
from wagtail_mentoring.coordinator_tabs import landing_redirect
from wagtail_mentoring.menu import MENTORING_MENU_HOOK
from wagtail_mentoring.reports.impact_views import ImpactReportView
from wagtail_mentoring.reports.training import TrainingCompletionReportView
from wagtail_mentoring.reports.views import ProgramReportView, ProgramSurveyResultsView
from wagtail_mentoring.reports.viewsets import OutcomeViewSet, outcome_person_chooser

register_snippet(OutcomeViewSet)


@hooks.register("register_admin_viewset")
def register_outcome_person_chooser():
    """The chooser of the person an outcome is recorded for (``reports.viewsets.outcome_person_chooser``)."""
    return outcome_person_chooser


report_urls = [
    path("", landing_redirect, name="index"),
    path("<int:program_id>/", ProgramReportView.as_view(), name="program"),
    path("<int:program_id>/surveys/", ProgramSurveyResultsView.as_view(), name="program_surveys"),
]


@hooks.register("register_admin_urls")
def register_report_urls():
    """Mount the program reports and the cross-program training completion and impact reports in the admin."""
    return [
        path("mentoring/impact/", ImpactReportView.as_view(), name="wagtail_mentoring_impact"),
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


class ImpactMenuItem(MenuItem):
    """ "Impact across programs" in the Mentoring menu, shown only to users who coordinate a program."""

    def is_shown(self, request) -> bool:
        """Whether ``request.user`` coordinates a program (superusers coordinate all)."""
        return is_coordinator(request.user)


@hooks.register(MENTORING_MENU_HOOK)
def register_impact_menu_item():
    """Mentoring → Impact across programs, after the coordinator area."""
    return ImpactMenuItem(
        _("Impact across programs"),
        reverse("wagtail_mentoring_impact"),
        name="mentoring-impact",
        icon_name="table",
        order=110,
    )
