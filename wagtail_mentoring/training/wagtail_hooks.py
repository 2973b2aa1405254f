"""Admin wiring of the training feature: snippet viewsets and the completion report."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from wagtail_mentoring.access.querysets import coordinated_programs
from wagtail_mentoring.menu import MENTORING_MENU_HOOK
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


class CoordinatorMenuItem(MenuItem):
    """Shown only to users who coordinate at least one program."""

    def is_shown(self, request):
        return coordinated_programs(request.user).exists()


@hooks.register(MENTORING_MENU_HOOK)
def register_training_report_menu_item():
    return CoordinatorMenuItem(
        _("Training completion"),
        reverse("wagtail_mentoring_training_completion"),
        name="training-completion",
        icon_name="tasks",
        order=320,
    )
