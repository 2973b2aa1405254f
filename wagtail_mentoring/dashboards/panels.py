"""The Wagtail admin home page's panels: "My mentoring" and the coordinator's to-dos ("Waiting for you")."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.ui.components import Component
from wagtail.models import Page

from wagtail_mentoring.coordinator_tabs import COORDINATOR_AREA_URL_NAME
from wagtail_mentoring.dashboards.models import MentoringDashboardPage
from wagtail_mentoring.dashboards.selectors import user_summary
from wagtail_mentoring.dashboards.todos import ProgramTodos, coordinator_todos

#: The URL name of a program's Matching tab.
MATCHING_URL_NAME = "wagtail_mentoring_matching_review"


def dashboard_url(request=None) -> str | None:
    """The URL of the first live mentoring dashboard page, if the site has one.

    Read as a plain ``Page`` of the dashboard's type: the URL needs the page's path, not its own table.
    """
    page = Page.objects.live().type(MentoringDashboardPage).first()
    return page.get_url(request) if page is not None else None


class MyMentoringPanel(Component):
    """The user's next session, objectives at risk and check-ins due, with a link to the dashboard."""

    name = "wagtail_mentoring_my_mentoring"
    order = 110
    template_name = "wagtail_mentoring/dashboards/admin/home_panel.html"

    def __init__(self, request, summary=None) -> None:
        self.request = request
        self.summary = summary if summary is not None else user_summary(request.user)

    def get_context_data(self, parent_context=None):
        """The user's summary, the dashboard's URL (``None`` when no dashboard page is live) and the heading."""
        return {
            "summary": self.summary,
            "dashboard_url": dashboard_url(self.request),
            "heading": _("My mentoring"),
        }


@dataclass(frozen=True)
class TodoLink:
    """One kind of thing waiting for a coordinator: how many, what (words agreeing with the count) and the
    admin page where to act."""

    key: str
    count: int
    text: str
    url: str


def _listing(url_name: str, **params) -> str:
    """An admin listing's URL filtered by ``params`` (the listing's own filters)."""
    return f"{reverse(url_name)}?{urlencode(params)}"


def todo_links(todos: ProgramTodos) -> list[TodoLink]:
    """The links of one program's to-dos (only the kinds with something waiting), each to the place to act.

    Args:
        todos: the program's counts (``todos.coordinator_todos``); its proposals include the pairs a
            matching run in the admin saved (the matching review keeps its proposal in the database).
    """
    pk = todos.program.pk
    candidates = [
        (
            "applications",
            todos.applications,
            ngettext("application to review", "applications to review", todos.applications),
            _listing("wagtailsnippets_wagtail_mentoring_enrolment:list", program=pk, status="applied"),
        ),
        (
            "proposals",
            todos.proposals,
            ngettext("proposed pairing to approve", "proposed pairings to approve", todos.proposals),
            _listing("wagtailsnippets_wagtail_mentoring_mentorship:list", program=pk, status="proposed"),
        ),
        (
            "unmatched",
            todos.unmatched,
            ngettext("accepted mentee without a mentor", "accepted mentees without a mentor", todos.unmatched),
            reverse(MATCHING_URL_NAME, args=[pk]),
        ),
        (
            "stalled",
            todos.stalled,
            ngettext("stalled pair", "stalled pairs", todos.stalled),
            reverse("wagtail_mentoring_dashboards:program", args=[pk]) + "#stalled-pairs",
        ),
        (
            "low_scores",
            todos.low_scores,
            ngettext("low survey score since last month", "low survey scores since last month", todos.low_scores),
            reverse("wagtail_mentoring_reports:program", args=[pk]) + "#summary",
        ),
    ]
    return [TodoLink(key, n, text, url) for key, n, text, url in candidates if n]


class CoordinatorTodosPanel(Component):
    """What waits for a coordinator, per program they coordinate, each count linking to where to act."""

    name = "wagtail_mentoring_coordinator_todos"
    order = 105
    template_name = "wagtail_mentoring/dashboards/admin/todos_panel.html"

    def __init__(self, request) -> None:
        self.request = request
        self.programs = [(todos, todo_links(todos)) for todos in coordinator_todos(request.user)]

    @property
    def is_empty(self) -> bool:
        """True for a user who coordinates no program (the panel is not shown)."""
        return not self.programs

    def get_context_data(self, parent_context=None):
        """The programs with their to-do links, the heading and the coordinator area's URL."""
        return {
            "programs": self.programs,
            "heading": _("Waiting for you"),
            "area_url": reverse(COORDINATOR_AREA_URL_NAME),
        }
