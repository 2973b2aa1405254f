"""Admin wiring for programs: enrolment and mentorship viewsets, bulk actions, matching review."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from wagtail_mentoring.compat import register_permission_policy
from wagtail_mentoring.menu import MENTORING_MENU_HOOK
from wagtail_mentoring.programs import admin_views
from wagtail_mentoring.programs.bulk_actions import BULK_ACTIONS
from wagtail_mentoring.programs.models import Enrolment, Mentorship
from wagtail_mentoring.programs.permissions import (
    CoordinatorPermissionPolicy,
    _coordinates_any,
    coordinated_enrolments,
    coordinated_mentorships,
)
from wagtail_mentoring.programs.viewsets import EnrolmentViewSet, MentorshipViewSet

register_permission_policy(Enrolment, CoordinatorPermissionPolicy(Enrolment, coordinated_enrolments), exact_class=True)
register_permission_policy(
    Mentorship, CoordinatorPermissionPolicy(Mentorship, coordinated_mentorships), exact_class=True
)
register_snippet(EnrolmentViewSet)
register_snippet(MentorshipViewSet)

for _action in BULK_ACTIONS:
    # A late order so that the scoped delete replaces Wagtail's snippet delete for these models.
    hooks.register("register_bulk_action", _action, order=100)


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
    def is_shown(self, request):
        return _coordinates_any(request.user)


@hooks.register(MENTORING_MENU_HOOK)
def register_matching_menu_item():
    return CoordinatorMenuItem(
        _("Matching"), reverse("wagtail_mentoring_matching"), name="mentoring-matching", icon_name="group", order=220
    )
