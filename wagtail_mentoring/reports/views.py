"""Admin program report: one program's report (CSV/XLSX export), a tab of its coordinator area.

Only coordinators of a program (and superusers) reach its report; anyone else gets 404.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from io import BytesIO

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.mixins import Echo
from wagtail.admin.views.reports import ReportView

from wagtail_mentoring.access.querysets import coordinated_programs, get_visible_or_404
from wagtail_mentoring.conf import mentoring_settings
from wagtail_mentoring.coordinator_tabs import ProgramTabsMixin
from wagtail_mentoring.exports import SafeSpreadsheetExportMixin, neutralise_formula
from wagtail_mentoring.programs.models import RATING_MAX, Mentorship
from wagtail_mentoring.reports import metrics
from wagtail_mentoring.reports.charts import bar_chart
from wagtail_mentoring.skills.metrics import program_skill_change


class ProgramReportView(ProgramTabsMixin, SafeSpreadsheetExportMixin, ReportView):
    """The Report tab of a program: participation, matching, activity, grades, satisfaction, outcomes."""

    template_name = "wagtail_mentoring/coordinator/base_tab.html"
    program_tab = "report"
    results_template_name = "wagtail_mentoring/reports/program_report_results.html"
    header_icon = "table"
    paginate_by = 50
    columns = [
        Column("mentor_name", label=gettext_lazy("Mentor")),
        Column("mentee_name", label=gettext_lazy("Mentee")),
        Column("get_status_display", label=gettext_lazy("Status")),
        Column("started_on", label=gettext_lazy("Started")),
        Column("sessions_count", label=gettext_lazy("Sessions")),
        Column("last_session_on", label=gettext_lazy("Last session")),
        Column("check_ins_count", label=gettext_lazy("Check-ins")),
        Column("last_check_in_on", label=gettext_lazy("Last check-in")),
        Column("average_grade", label=gettext_lazy("Average grade")),
        Column("stalled_label", label=gettext_lazy("Stalled")),
    ]
    list_export = [
        "mentor_name",
        "mentee_name",
        "status",
        "started_on",
        "ended_on",
        "sessions_count",
        "last_session_on",
        "check_ins_count",
        "last_check_in_on",
        "average_grade",
        "stalled",
    ]
    export_headings = {
        "mentor_name": gettext_lazy("Mentor"),
        "mentee_name": gettext_lazy("Mentee"),
        "status": gettext_lazy("Status"),
        "started_on": gettext_lazy("Started"),
        "ended_on": gettext_lazy("Ended"),
        "sessions_count": gettext_lazy("Sessions"),
        "last_session_on": gettext_lazy("Last session"),
        "check_ins_count": gettext_lazy("Check-ins"),
        "last_check_in_on": gettext_lazy("Last check-in"),
        "average_grade": gettext_lazy("Average grade"),
        "stalled": gettext_lazy("Stalled"),
    }

    def dispatch(self, request, *args, **kwargs):
        """Resolve the program from the URL among those the user coordinates
        (``access.querysets.coordinated_programs``), else 404."""
        self.program = get_visible_or_404(coordinated_programs(request.user), pk=kwargs["program_id"])
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def today(self):
        """The report's date, fixed once per request so that every figure uses the same day."""
        return timezone.localdate()

    def get_page_title(self):
        """The title, "Report: <program title>"."""
        return _("Report: %(program)s") % {"program": self.program.title}

    def get_index_url(self):
        """This program's Report tab."""
        return reverse("wagtail_mentoring_reports:program", args=[self.program.pk])

    def get_filename(self):
        """The export's file name: program slug and date."""
        return f"mentoring-report-{self.program.slug}-{self.today:%Y-%m-%d}"

    def get_queryset(self):
        """Every pair of the program, for the table and the export (``metrics.pair_queryset``)."""
        return metrics.pair_queryset(self.program)

    def decorate_paginated_queryset(self, object_list):
        """Add activity and grades to the page's pairs (``metrics.decorate_pairs``) and the stalled column's text."""
        pairs = metrics.decorate_pairs(object_list, self.program, self.today)
        for pair in pairs:
            pair.stalled_label = _("Yes") if pair.stalled else ""
        return pairs

    def get_context_data(self, *args, **kwargs):
        """Add the program's figures (``metrics.program_report``) and its four bar charts.

        An export needs only the table, so it skips the figures and charts.
        """
        context = super().get_context_data(*args, **kwargs)
        if self.is_export:
            return context
        # The table's rows are decorated after pagination; rebuild the table from them.
        context["object_list"] = self.decorate_paginated_queryset(context["object_list"])
        context["table"] = self.get_table(context["object_list"])
        report = metrics.program_report(self.program, self.today)
        context["report"] = report
        context["skill_change"] = self.skill_change
        context["anonymity_minimum"] = mentoring_settings.ANONYMITY_MIN_RESPONSES
        context["charts"] = [
            bar_chart(
                "wm-chart-status",
                _("Pairs by status"),
                [(label, report.status_counts.get(value, 0)) for value, label in STATUS_LABELS()],
            ).render(),
            bar_chart(
                "wm-chart-sessions",
                _("Pairs by number of sessions"),
                report.sessions_distribution,
            ).render(),
            bar_chart(
                "wm-chart-rates",
                _("Key rates"),
                [
                    (_("Match rate"), report.match_rate),
                    (_("Check-in cadence kept"), report.cadence_kept),
                    (_("Completion"), report.completion_rate),
                    (_("Promotion"), report.promotion_rate),
                    (_("Retention"), report.retention_rate),
                ],
                unit="%",
                max_value=100,
            ).render(),
            bar_chart(
                "wm-chart-satisfaction",
                _("Average rating by survey (1-5)"),
                [(label, avg) for label, _n, avg in report.satisfaction],
                max_value=RATING_MAX,
            ).render(),
        ]
        return context

    @cached_property
    def skill_change(self):
        """The program's skills before and after (``skills.metrics.program_skill_change``), within anonymity."""
        return program_skill_change([self.program])[self.program.pk]

    def skill_export_rows(self) -> list[list]:
        """The skills section of the export: a heading row, then one row per skill (averages left blank, with a
        note, for a skill below the anonymity minimum)."""
        minimum = mentoring_settings.ANONYMITY_MIN_RESPONSES
        rows = [[_("Skill"), _("People"), _("Average before"), _("Average after"), _("Average change")]]
        for row in self.skill_change:
            if row.reported:
                rows.append([neutralise_formula(row.name), row.people, row.before, row.after, row.change])
            else:
                note = _("Fewer than %(minimum)d people rated both moments: left out.") % {"minimum": minimum}
                rows.append([neutralise_formula(row.name), note, "", "", ""])
        return rows

    def stream_csv(self, queryset):
        """The pairs (Wagtail's CSV), then an empty line and the skills section (:meth:`skill_export_rows`)."""
        yield from super().stream_csv(queryset)
        if self.skill_change:
            writer = csv.writer(Echo())
            yield writer.writerow([])
            for row in self.skill_export_rows():
                yield writer.writerow(row)

    def write_xlsx(self, queryset, output):
        """The pairs on the first sheet (Wagtail's XLSX), the skills section on a second sheet, "Skills"."""
        pairs = BytesIO()
        super().write_xlsx(queryset, pairs)
        pairs.seek(0)
        workbook = load_workbook(pairs)
        if self.skill_change:
            sheet = workbook.create_sheet(title=_("Skills")[:31])
            for row in self.skill_export_rows():
                sheet.append(row)
        workbook.save(output)

    def get(self, request, *args, **kwargs):
        """Render the report, or the export (whose rows are decorated here, since exports are not paginated)."""
        self.object_list = self.get_filtered_queryset()
        context = self.get_context_data()
        if self.is_export:
            context["object_list"] = self.decorate_paginated_queryset(context["object_list"])
        return self.render_to_response(context)


def STATUS_LABELS():  # noqa: N802 - a lazy constant
    """The mentorship statuses shown in the report (all but *proposed*), with their labels, translated when called."""
    return [(v, label) for v, label in Mentorship.Status.choices if v != "proposed"]


@dataclass(frozen=True)
class SurveyResultRow:
    """One exported line of a survey's results: a choice's count, a number's average or one text answer."""

    survey: str
    moment: str
    question: str
    answer: str
    value: float | int | str


def survey_result_rows(surveys: list) -> list[SurveyResultRow]:
    """The export's lines of ``metrics.survey_results``: only the surveys shown (the anonymity rule)."""
    rows = []
    for survey in surveys:
        if not survey.shown:
            continue
        for q in survey.questions:
            line = functools.partial(SurveyResultRow, survey.title, survey.moment, q.question.label)
            if q.kind == "choice":
                rows += [line(choice, n) for choice, n in q.counts]
            elif q.kind == "number":
                rows.append(line(_("Average"), "" if q.average is None else q.average))
            else:
                rows += [line(text, "") for text in q.texts]
    return rows


class ProgramSurveyResultsView(SafeSpreadsheetExportMixin, ReportView):
    """The CSV/XLSX export of a program's editor-built survey results (the report shows them on its page).

    The same rows as the report (``metrics.program_report``): an anonymous program's withheld answers and
    surveys below the minimum are left out, and no row names an author or a date.
    """

    template_name = "wagtail_mentoring/coordinator/base_tab.html"
    list_export = ["survey", "moment", "question", "answer", "value"]
    export_headings = {
        "survey": gettext_lazy("Survey"),
        "moment": gettext_lazy("Moment"),
        "question": gettext_lazy("Question"),
        "answer": gettext_lazy("Answer"),
        "value": gettext_lazy("Count or average"),
    }

    def dispatch(self, request, *args, **kwargs):
        """Resolve the program among those the user coordinates (else 404); without an export format, go
        to the report's survey section."""
        self.program = get_visible_or_404(coordinated_programs(request.user), pk=kwargs["program_id"])
        if request.GET.get("export") not in ("csv", "xlsx"):
            return redirect(reverse("wagtail_mentoring_reports:program", args=[self.program.pk]) + "#surveys")
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self):
        """The export's file name: program slug and date."""
        return f"mentoring-surveys-{self.program.slug}-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        """The result rows (``metrics.program_report``'s surveys)."""
        return survey_result_rows(metrics.program_report(self.program).surveys)
