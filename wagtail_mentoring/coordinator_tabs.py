"""The tab bar of a program's coordinator area in the admin: Health, Report, Training, Matching, Import.

Each tab is an existing per-program admin view; this module only names them, so the views of every
feature can share the bar without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

COORDINATOR_AREA_URL_NAME = "wagtail_mentoring_coordinator:index"
"""The landing page: the programs the user coordinates."""

landing_redirect = RedirectView.as_view(pattern_name=COORDINATOR_AREA_URL_NAME)
"""The former landing pages (program health, matching, reports) now open the coordinator area."""

TABS = (
    ("health", _("Health"), "wagtail_mentoring_dashboards:program"),
    ("report", _("Report"), "wagtail_mentoring_reports:program"),
    ("training", _("Training"), "wagtail_mentoring_coordinator:training"),
    ("matching", _("Matching"), "wagtail_mentoring_matching_review"),
    ("import", _("Import"), "wagtail_mentoring_import"),
)
"""(key, label, URL name taking the program id) of each tab, in display order."""


@dataclass(frozen=True)
class Tab:
    """One link of the tab bar."""

    key: str
    label: str
    url: str
    current: bool


def program_tabs(program, current: str) -> list[Tab]:
    """The tab bar of ``program``'s area, with ``current`` (a key of ``TABS``) marked as the page shown."""
    return [Tab(key, label, reverse(url_name, args=[program.pk]), key == current) for key, label, url_name in TABS]


class ProgramTabsMixin:
    """For a per-program admin view that is a tab of the coordinator area (``self.program`` is resolved).

    Adds the tab bar to the context and gives the page the area's breadcrumbs.
    """

    program_tab: str = ""

    def get_breadcrumbs_items(self):
        """Home › Programs I coordinate › the program (the tab's title is the page header)."""
        return self.breadcrumbs_items + [
            {"url": reverse(COORDINATOR_AREA_URL_NAME), "label": _("Programs I coordinate")},
            {"url": "", "label": self.program.title},
        ]

    def get_context_data(self, **kwargs):
        """The tab bar (``program_tabs``) and the program next to the view's own context."""
        context = super().get_context_data(**kwargs)
        context["program"] = self.program
        context["program_tabs"] = program_tabs(self.program, self.program_tab)
        return context
