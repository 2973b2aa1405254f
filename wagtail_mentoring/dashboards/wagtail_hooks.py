"""Admin wiring for the dashboards: coordinator views, their menu item and the home page panel."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from wagtail_mentoring.access.querysets import coordinated_programs
from wagtail_mentoring.dashboards import admin_views
from wagtail_mentoring.dashboards.panels import MyMentoringPanel
from wagtail_mentoring.menu import MENTORING_MENU_HOOK

admin_urlpatterns = [
    path("", admin_views.ProgramListView.as_view(), name="programs"),
    path("<int:program_id>/", admin_views.ProgramHealthView.as_view(), name="program"),
    path("pair/<int:pk>/", admin_views.PairDetailView.as_view(), name="pair"),
]


@hooks.register("register_admin_urls")
def register_dashboard_admin_urls():
    return [
        path(
            "mentoring/program-health/",
            include((admin_urlpatterns, "wagtail_mentoring_dashboards"), namespace="wagtail_mentoring_dashboards"),
        )
    ]


class CoordinatorMenuItem(MenuItem):
    """Shown only to users who coordinate at least one program."""

    def is_shown(self, request) -> bool:
        return coordinated_programs(request.user).exists()


@hooks.register(MENTORING_MENU_HOOK)
def register_program_health_menu_item():
    return CoordinatorMenuItem(
        _("Program health"),
        reverse("wagtail_mentoring_dashboards:programs"),
        name="program-health",
        icon_name="group",
        order=300,
    )


@hooks.register("construct_homepage_panels")
def add_my_mentoring_panel(request, panels) -> None:
    panel = MyMentoringPanel(request)
    if not panel.summary.is_empty:
        panels.append(panel)
