"""Admin wiring of the training feature: snippet viewsets and the completion report."""

from django.urls import path
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from wagtail_mentoring.training.reports import TrainingCompletionReportView
from wagtail_mentoring.training.viewsets import LearningPathViewSet, TrainingEventViewSet

register_snippet(LearningPathViewSet)
register_snippet(TrainingEventViewSet)


@hooks.register("register_admin_urls")
def register_training_report_urls():
    return [
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
