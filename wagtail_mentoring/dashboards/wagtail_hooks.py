"""Admin wiring for the dashboards: coordinator views (the Health tab), the home page panels, the admin stylesheet."""

from django.templatetags.static import static
from django.urls import include, path
from django.utils.html import format_html
from wagtail import hooks

from wagtail_mentoring.coordinator_tabs import landing_redirect
from wagtail_mentoring.dashboards import admin_views
from wagtail_mentoring.dashboards.panels import CoordinatorTodosPanel, MyMentoringPanel

admin_urlpatterns = [
    path("", landing_redirect, name="programs"),
    path("<int:program_id>/", admin_views.ProgramHealthView.as_view(), name="program"),
    path("pair/<int:pk>/", admin_views.PairDetailView.as_view(), name="pair"),
]


@hooks.register("register_admin_urls")
def register_dashboard_admin_urls():
    """Mount the coordinator area (program list, health tabs, pair detail) under ``mentoring/program-health/``."""
    return [
        path(
            "mentoring/program-health/",
            include((admin_urlpatterns, "wagtail_mentoring_dashboards"), namespace="wagtail_mentoring_dashboards"),
        )
    ]


@hooks.register("construct_homepage_panels")
def add_my_mentoring_panel(request, panels) -> None:
    """Add the "My mentoring" panel to the admin home page for users who take part in mentoring."""
    panel = MyMentoringPanel(request)
    if not panel.summary.is_empty:
        panels.append(panel)


@hooks.register("construct_homepage_panels")
def add_coordinator_todos_panel(request, panels) -> None:
    """Add "Waiting for you" (the coordinator's to-dos per program) for users who coordinate a program."""
    panel = CoordinatorTodosPanel(request)
    if not panel.is_empty:
        panels.append(panel)


@hooks.register("insert_global_admin_css")
def coordinator_admin_css() -> str:
    """The package's small admin stylesheet (to-dos, matching review, program report)."""
    return format_html('<link rel="stylesheet" href="{}">', static("wagtail_mentoring/admin/coordinator.css"))


@hooks.register("insert_global_admin_css")
def mentoring_admin_css() -> str:
    """The package's stylesheet in the admin: health badges and bars in the one tone of each state."""
    return format_html('<link rel="stylesheet" href="{}">', static("wagtail_mentoring/css/mentoring.css"))
