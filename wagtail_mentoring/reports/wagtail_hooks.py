"""Admin wiring for program reports: URLs (the Report tab, the training completion report) and the outcomes viewset."""

from django.urls import include, path
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from wagtail_mentoring.coordinator_tabs import landing_redirect
from wagtail_mentoring.reports.training import TrainingCompletionReportView
from wagtail_mentoring.reports.views import ProgramReportView, ProgramSurveyResultsView
from wagtail_mentoring.reports.viewsets import OutcomeViewSet

register_snippet(OutcomeViewSet)

report_urls = [
    path("", landing_redirect, name="index"),
    path("<int:program_id>/", ProgramReportView.as_view(), name="program"),
    path("<int:program_id>/surveys/", ProgramSurveyResultsView.as_view(), name="program_surveys"),
]


@hooks.register("register_admin_urls")
def register_report_urls():
    """Mount the program reports and the cross-program training completion report in the admin."""
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
