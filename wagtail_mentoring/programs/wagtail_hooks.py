"""Admin wiring for programs: enrolment and mentorship viewsets, bulk actions, matching review."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from wagtail_mentoring.access.querysets import is_coordinator
from wagtail_mentoring.menu import MENTORING_MENU_HOOK
from wagtail_mentoring.programs import admin_views
from wagtail_mentoring.programs.bulk_actions import BULK_ACTIONS
from wagtail_mentoring.programs.viewsets import EnrolmentViewSet, MentorshipViewSet

register_snippet(EnrolmentViewSet)
register_snippet(MentorshipViewSet)

for _action in BULK_ACTIONS:
    hooks.register("register_bulk_action", _action)


@hooks.register("register_admin_urls")
def register_matching_urls():
    return [
        path("mentoring/matching/", admin_views.MatchingIndexView.as_view(), name="wagtail_mentoring_matching"),
        path(
            "mentoring/matching/<int:program_id>/",
            admin_views.MatchingReviewView.as_view(),
            name="wagtail_mentoring_matching_review",
        ),
    ]


class CoordinatorMenuItem(MenuItem):
    """Shown to users who coordinate a program."""

    def is_shown(self, request):
        return is_coordinator(request.user)


@hooks.register(MENTORING_MENU_HOOK)
def register_matching_menu_item():
    return CoordinatorMenuItem(
        _("Matching"), reverse("wagtail_mentoring_matching"), name="mentoring-matching", icon_name="group", order=220
    )
