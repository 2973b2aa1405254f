"""Admin wiring for programs: enrolment and mentorship viewsets, bulk actions, matching review and bulk import (tabs), page usage."""

from django.urls import path
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from wagtail_mentoring.access.viewsets import HiddenReferencesPageUsageView, count_visible_page_references
from wagtail_mentoring.compat import page_reference_views
from wagtail_mentoring.coordinator_tabs import landing_redirect
from wagtail_mentoring.programs import admin_views
from wagtail_mentoring.programs.bulk_actions import BULK_ACTIONS
from wagtail_mentoring.programs.group_viewsets import FillGroupsView, MentoringGroupViewSet
from wagtail_mentoring.programs.models import MentoringProgramPage
from wagtail_mentoring.programs.viewsets import EnrolmentViewSet, MentorshipViewSet

register_snippet(EnrolmentViewSet)
register_snippet(MentorshipViewSet)
register_snippet(MentoringGroupViewSet)

for _action in BULK_ACTIONS:
    hooks.register("register_bulk_action", _action)


@hooks.register("register_admin_urls")
def register_matching_urls():
    """Mount the matching landing page (``mentoring/matching/``), each program's Matching tab and its Import tab."""
    return [
        path("mentoring/matching/", landing_redirect, name="wagtail_mentoring_matching"),
        path(
            "mentoring/matching/<int:program_id>/",
            admin_views.MatchingReviewView.as_view(),
            name="wagtail_mentoring_matching_review",
        ),
        path(
            "mentoring/matching/<int:program_id>/progress/",
            admin_views.MatchingProgressView.as_view(),
            name="wagtail_mentoring_matching_progress",
        ),
        path("mentoring/import/<int:program_id>/", admin_views.ImportView.as_view(), name="wagtail_mentoring_import"),
        path("mentoring/groups-fill/", FillGroupsView.as_view(), name="wagtail_mentoring_fill_groups"),
        path(
            "mentoring/import/<int:program_id>/template.csv",
            admin_views.ImportTemplateView.as_view(),
            name="wagtail_mentoring_import_template",
        ),
    ]


@hooks.register("register_admin_viewset")
def register_program_page_views() -> list:
    """Program pages' usage and delete views never name nor count a private object the user may not see."""
    return page_reference_views(MentoringProgramPage, HiddenReferencesPageUsageView, count_visible_page_references)
