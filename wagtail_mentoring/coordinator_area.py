"""The admin's "Mentoring" menu (a ``ViewSetGroup``) and its coordinator area.

The group's submenu gathers the snippet viewsets (they join it with ``menu_hook = MENTORING_MENU_HOOK``,
Wagtail's hook for a group's submenu, and keep their own permission-checked menu items) and the
coordinator area: a landing page listing the programs the user coordinates and, per program, the tabs
Health, Report, Training, Matching and Import (see ``coordinator_tabs``).
"""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup

from wagtail_mentoring.access.querysets import coordinated_programs, get_visible_or_404, is_coordinator
from wagtail_mentoring.coordinator_tabs import TABS
from wagtail_mentoring.dashboards.admin_views import ProgramListView
from wagtail_mentoring.menu import MENTORING_MENU_HOOK
from wagtail_mentoring.reports.training import ProgramTrainingReportView


class CoordinatorMenuItem(MenuItem):
    """A menu item shown only to users who coordinate at least one program (superusers coordinate all)."""

    def is_shown(self, request) -> bool:
        """Whether ``request.user`` coordinates a program."""
        return is_coordinator(request.user)


class ProgramAreaView(RedirectView):
    """A program's area opens on its first tab; 404 for anyone who does not coordinate the program."""

    def get_redirect_url(self, *args, **kwargs):
        """The first tab's URL, once the program is known to be coordinated by the user."""
        program = get_visible_or_404(coordinated_programs(self.request.user), pk=kwargs["program_id"])
        return reverse(TABS[0][2], args=[program.pk])


class CoordinatorAreaViewSet(ViewSet):
    """Coordinators' admin area: the landing page, each program's area and its Training tab."""

    name = "wagtail_mentoring_coordinator"
    url_prefix = "mentoring/coordinator"
    menu_label = _("Programs I coordinate")
    menu_name = "coordinator-area"
    icon = "group"
    menu_order = 100
    menu_item_class = CoordinatorMenuItem

    def get_urlpatterns(self):
        """The landing page first (the menu item points at it), then the per-program routes."""
        return [
            path("", ProgramListView.as_view(), name="index"),
            path("<int:program_id>/", ProgramAreaView.as_view(), name="program"),
            path("<int:program_id>/training/", ProgramTrainingReportView.as_view(), name="training"),
            path(
                "<int:program_id>/training/results/",
                ProgramTrainingReportView.as_view(results_only=True),
                name="training_results",
            ),
        ]


class MentoringViewSetGroup(ViewSetGroup):
    """The "Mentoring" menu: the coordinator area, then every item registered with ``MENTORING_MENU_HOOK``.

    Wagtail hides a submenu whose items are all hidden, so a user who may see none of them sees no menu.
    """

    menu_label = _("Mentoring")
    menu_name = "mentoring"
    menu_icon = "group"
    menu_order = 250
    submenu_hook = MENTORING_MENU_HOOK
    items = (CoordinatorAreaViewSet,)

    def get_menu_item(self, order: int | None = None) -> SubmenuMenuItem:
        """The submenu, fed by :attr:`submenu_hook` on every supported Wagtail.

        Wagtail 8.0 reads ``submenu_hook`` itself; 7.4 LTS has no such attribute and would show only
        ``items``, so the menu is built here as 8.0 builds it.
        """
        return SubmenuMenuItem(
            label=self.menu_label,
            menu=Menu(register_hook_name=self.submenu_hook, items=self.get_submenu_items()),
            name=self.menu_name,
            icon_name=self.menu_icon,
            order=order if order is not None else self.menu_order,
        )
