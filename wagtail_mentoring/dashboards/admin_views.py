"""Coordinator views in the Wagtail admin: program health, heatmap, funnel, export, pair drill-down.

Only coordinators of a program (``access.coordinated_programs``) see its data; any other user gets a
404. Session notes never appear here: a pair's sessions show date, duration and format only.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView

from wagtail_mentoring.access.querysets import (
    coordinated_programs,
    get_visible_or_404,
    readable_session_fields,
    visible_mentorships,
    visible_sessions,
)
from wagtail_mentoring.coordinator_tabs import COORDINATOR_AREA_URL_NAME, ProgramTabsMixin
from wagtail_mentoring.dashboards import selectors
from wagtail_mentoring.dashboards.rows import coordinator_overview, objective_rows
from wagtail_mentoring.exports import SafeSpreadsheetExportMixin
from wagtail_mentoring.people import display_name

#: How many of a pair's newest sessions (date, duration, format) the coordinator's pair page lists.
PAIR_SESSIONS_SHOWN = 50


class CoordinatorMixin:
    """Resolve the program from the URL among those the user coordinates (else 404)."""

    def get_program(self):
        """The program in the URL (``program_id``) if the user coordinates it
        (``access.querysets.coordinated_programs``), else 404."""
        return get_visible_or_404(coordinated_programs(self.request.user), pk=self.kwargs["program_id"])


class ProgramListView(WagtailAdminTemplateMixin, TemplateView):
    """The coordinator area's landing page: the programs the user coordinates, each with its pairs by
    health and stalled pairs, and links to the program's tabs."""

    template_name = "wagtail_mentoring/dashboards/admin/program_list.html"
    page_title = _("Programs I coordinate")
    header_icon = "group"

    def get_breadcrumbs_items(self):
        """Wagtail's breadcrumbs ending with this page's title."""
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        """Add ``programs``: the user's coordinated programs with their health counts
        (``rows.coordinator_overview``)."""
        context = super().get_context_data(**kwargs)
        context["programs"] = coordinator_overview(self.request.user)
        return context


class ProgramHealthView(ProgramTabsMixin, SafeSpreadsheetExportMixin, CoordinatorMixin, ReportView):
    """The Health tab of a program: pairs by health, the pair heatmap (with each pair's journey), stalled pairs,
    funnel, training; CSV/XLSX export."""

    template_name = "wagtail_mentoring/dashboards/admin/program_health.html"
    results_template_name = "wagtail_mentoring/dashboards/admin/program_health_results.html"
    header_icon = "group"
    program_tab = "health"
    paginate_by = 50
    list_export = [
        "mentee_name",
        "mentor_name",
        "status_label",
        "health_label",
        "progress_percent",
        "expected_percent",
        "confidence_text",
        "last_check_in",
        "last_session",
        "days_since_session",
        "stalled_text",
        "journey_text",
    ]
    export_headings = {
        "mentee_name": _("Mentee"),
        "mentor_name": _("Mentor"),
        "status_label": _("Status"),
        "health_label": _("Health (worst objective)"),
        "progress_percent": _("Progress (%)"),
        "expected_percent": _("Expected (%)"),
        "confidence_text": _("Average confidence (0-10)"),
        "last_check_in": _("Last check-in"),
        "last_session": _("Last session"),
        "days_since_session": _("Days since last session"),
        "stalled_text": _("Stalled"),
        "journey_text": _("Journey"),
    }

    def setup(self, request, *args, **kwargs):
        """Keep the request on the view before ``get`` so that ``program`` can resolve early."""
        super().setup(request, *args, **kwargs)
        self.request = request

    @cached_property
    def program(self):
        """The program of this tab, resolved once per request (404 unless the user coordinates it)."""
        return self.get_program()

    def get_page_title(self):
        """The title, "Program health: <program title>"."""
        return _("Program health: %(program)s") % {"program": self.program.title}

    def get_filename(self):
        """The export's file name, from the program's slug."""
        return f"program-health-{self.program.slug}"

    def get_queryset(self):
        """The program's open pairs (``selectors.program_pairs``) ready for summaries (``selectors.pair_queryset``)."""
        user = self.request.user
        return selectors.pair_queryset(user, selectors.program_pairs(user, self.program))

    def get(self, request, *args, **kwargs):
        """Resolve the program first, so that a user who does not coordinate it gets a 404, not an empty page."""
        self.program  # noqa: B018 - resolve (or 404) before anything else
        return super().get(request, *args, **kwargs)

    def decorate_paginated_queryset(self, object_list):
        """Turn the page's mentorships into ``PairSummary`` rows (activity attached in two queries)."""
        return selectors.summarise_pairs(object_list)

    def get_context_data(self, **kwargs):
        """Add the figures computed over every open pair, not only the current page.

        ``health_counts``, ``stalled_pairs`` (the one stalled rule, ``programs.activity``), the enrolment
        ``funnel`` and ``training`` completion of the required learning paths.
        """
        context = super().get_context_data(**kwargs)
        user = self.request.user
        every_pair = selectors.pair_summaries(user, selectors.program_pairs(user, self.program))
        context.update(
            {
                "health_counts": selectors.health_counts(every_pair),
                "stalled_pairs": [p for p in every_pair if p.stalled],
                "funnel": selectors.enrolment_funnel(user, self.program),
                "training": selectors.training_completion(user, self.program),
            }
        )
        return context


class PairDetailView(WagtailAdminTemplateMixin, TemplateView):
    """A pair's objectives and key results for its program's coordinators; sessions without notes."""

    template_name = "wagtail_mentoring/dashboards/admin/pair_detail.html"
    header_icon = "group"

    @cached_property
    def mentorship(self):
        """The pairing in the URL, among those of programs the user coordinates (else 404), with mentor, mentee and
        program."""
        user = self.request.user
        queryset = visible_mentorships(user).filter(program__in=coordinated_programs(user).values("pk"))
        return get_visible_or_404(queryset.select_related("mentor", "mentee", "program"), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        """Resolve the pairing first, so that a pairing the user may not see is a 404."""
        self.mentorship  # noqa: B018 - resolve (or 404) before anything else
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        """The title, "<mentor> → <mentee>"."""
        return _("%(mentor)s → %(mentee)s") % {
            "mentor": display_name(self.mentorship.mentor),
            "mentee": display_name(self.mentorship.mentee),
        }

    def get_breadcrumbs_items(self):
        """Breadcrumbs: the coordinator area, the pairing's program health tab, this pair."""
        program = self.mentorship.program
        return self.breadcrumbs_items + [
            {"url": reverse(COORDINATOR_AREA_URL_NAME), "label": _("Programs I coordinate")},
            {"url": reverse("wagtail_mentoring_dashboards:program", args=[program.pk]), "label": program.title},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        """Add the pair's summary, its objective rows and its last sessions.

        Sessions carry date, duration and format only (``PAIR_SESSIONS_SHOWN`` of them, newest first):
        coordinators never read a pair's agenda, notes or next steps.
        """
        context = super().get_context_data(**kwargs)
        user = self.request.user
        mentorship = self.mentorship
        summary = selectors.pair_summaries(user, visible_mentorships(user).filter(pk=mentorship.pk))[0]
        context.update(
            {
                "mentorship": mentorship,
                "summary": summary,
                "objective_rows": objective_rows(user, selectors.pairing_objectives(user, mentorship)),
                # The session record only (date, duration, format): coordinators never read the pair's words.
                "sessions": list(
                    visible_sessions(user)
                    .filter(mentorship=mentorship)
                    .order_by("-date")
                    .values(*readable_session_fields(False))[:PAIR_SESSIONS_SHOWN]
                ),
                "format_labels": dict(mentorship.sessions.model.Format.choices),
                "status_labels": dict(mentorship.sessions.model.Status.choices),
            }
        )
        return context
