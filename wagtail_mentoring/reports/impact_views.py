"""Admin report "Impact across programs": every program the user coordinates, the total, cohorts by start quarter,
and participants against a baseline of non-participants (CSV/XLSX export of the program rows).

Only coordinators (and superusers) reach it, over the programs they coordinate; anyone else gets 404.
The figures come from ``reports.impact``; this view only reads the filters and renders.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import Group
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, Table
from wagtail.admin.views.reports import ReportView

from wagtail_mentoring.access.querysets import coordinated_programs, is_active_user
from wagtail_mentoring.conf import mentoring_settings
from wagtail_mentoring.exports import SafeSpreadsheetExportMixin
from wagtail_mentoring.programs.models import RATING_MAX, MentoringProfile
from wagtail_mentoring.reports import impact
from wagtail_mentoring.reports.charts import bar_chart


class ImpactFilterForm(forms.Form):
    """The report's programs (among those the user coordinates) and its baseline (a group or an attribute)."""

    programs = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Programs"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: every program you coordinate."),
    )
    group = forms.ModelChoiceField(
        label=gettext_lazy("Baseline: people in the group"),
        queryset=Group.objects.order_by("name"),
        required=False,
    )
    attribute = forms.ChoiceField(label=gettext_lazy("Baseline: profile attribute"), required=False, choices=())
    value = forms.CharField(
        label=gettext_lazy("Baseline: attribute value"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Matched whole, ignoring case, e.g. Finance."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programs"].queryset = coordinated_programs(user).order_by("title")
        self.fields["attribute"].choices = [("", "---------")] + [
            (name, MentoringProfile._meta.get_field(name).verbose_name.capitalize())
            for name in impact.BASELINE_ATTRIBUTES
        ]

    def clean(self):
        """An attribute needs a value, a value needs an attribute, and a baseline is a group or an attribute."""
        data = super().clean()
        attribute, value = data.get("attribute"), (data.get("value") or "").strip()
        if attribute and not value:
            self.add_error("value", _("Enter the value the attribute must have."))
        if value and not attribute and "attribute" not in self.errors:
            self.add_error("attribute", _("Choose the attribute this value is for."))
        if data.get("group") and attribute:
            self.add_error(
                None,
                _(
                    "Choose a group or a profile attribute for the baseline, not both: two baselines that differ "
                    "by one person would give away that person's figures."
                ),
            )
        data["value"] = value
        return data

    @property
    def has_baseline(self) -> bool:
        """Whether a valid baseline was chosen."""
        return self.is_valid() and bool(self.cleaned_data["group"] or self.cleaned_data["attribute"])


class FigureColumn(Column):
    """A figure: "n/a" when unknown (or the column's ``missing`` text), with its unit."""

    def __init__(self, name, unit: str = "", missing=None, **kwargs):
        super().__init__(name, **kwargs)
        self.unit = unit
        self.missing = missing

    def get_value(self, instance):
        """The figure as text."""
        value = super().get_value(instance)
        if value is None:
            return str(self.missing) if self.missing else _("n/a")
        return f"{value:g}{self.unit}" if isinstance(value, float) else f"{value}{self.unit}"


def figure_columns() -> list[Column]:
    """The figure columns shared by the program and cohort tables."""
    return [
        FigureColumn("participants", label=gettext_lazy("Participants")),
        FigureColumn("match_rate", label=gettext_lazy("Match rate"), unit="%"),
        FigureColumn("median_days_to_match", label=gettext_lazy("Median days to match")),
        FigureColumn("cadence_kept", label=gettext_lazy("Check-in cadence kept"), unit="%"),
        FigureColumn("average_rating", label=gettext_lazy("Average satisfaction (1-5)")),
        FigureColumn("nps", label=gettext_lazy("Net promoter score")),
        FigureColumn("average_grade", label=gettext_lazy("Average grade")),
        FigureColumn("objectives_achieved", label=gettext_lazy("Objectives achieved"), unit="%"),
        FigureColumn("skill_change", label=gettext_lazy("Skill change"), missing=gettext_lazy("not measured")),
        FigureColumn("retention_rate", label=gettext_lazy("Retention"), unit="%"),
        FigureColumn("promotion_rate", label=gettext_lazy("Promotion"), unit="%"),
    ]


EXPORT_HEADINGS = {
    "label": gettext_lazy("Program"),
    "participants": gettext_lazy("Participants"),
    "match_rate": gettext_lazy("Match rate (%)"),
    "median_days_to_match": gettext_lazy("Median days to match"),
    "cadence_kept": gettext_lazy("Check-in cadence kept (%)"),
    "average_rating": gettext_lazy("Average satisfaction (1-5)"),
    "nps": gettext_lazy("Net promoter score"),
    "nps_responses": gettext_lazy("NPS responses"),
    "average_grade": gettext_lazy("Average grade"),
    "objectives_achieved": gettext_lazy("Objectives achieved (%)"),
    "skill_change": gettext_lazy("Skill change"),
    "retention_rate": gettext_lazy("Retention (%)"),
    "promotion_rate": gettext_lazy("Promotion (%)"),
    "responses_withheld": gettext_lazy("Anonymous answers withheld"),
}


class ImpactReportView(SafeSpreadsheetExportMixin, ReportView):
    """Coordinators: the impact of every program they coordinate, the total, cohorts and a baseline."""

    page_title = gettext_lazy("Impact across programs")
    header_icon = "table"
    index_url_name = "wagtail_mentoring_impact"
    results_template_name = "wagtail_mentoring/reports/impact_results.html"
    paginate_by = None
    list_export = list(EXPORT_HEADINGS)
    export_headings = EXPORT_HEADINGS

    def dispatch(self, request, *args, **kwargs):
        """Answer 404 unless the user is active and coordinates at least one program (as the training report)."""
        if not is_active_user(request.user) or not coordinated_programs(request.user).exists():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def today(self):
        """The report's date, fixed once per request."""
        return timezone.localdate()

    @cached_property
    def form(self) -> ImpactFilterForm:
        """The filters, bound to the query string (an invalid form falls back to no filter and shows why)."""
        data = self.request.GET if set(self.request.GET) - {"export"} else None
        return ImpactFilterForm(data, user=self.request.user)

    @cached_property
    def programs(self):
        """The chosen programs, always among those the user coordinates (all of them when none is chosen)."""
        programs = coordinated_programs(self.request.user)
        if self.form.is_valid() and self.form.cleaned_data["programs"]:
            programs = programs.filter(pk__in=[p.pk for p in self.form.cleaned_data["programs"]])
        return programs

    @cached_property
    def report(self) -> impact.ImpactReport:
        """The figures (``reports.impact.impact_report``)."""
        return impact.impact_report(self.programs, self.today, no_start_label=_("No start date"))

    @property
    def columns(self):
        """The program column and the figures."""
        return [Column("label", label=gettext_lazy("Program")), *figure_columns()]

    def get_filename(self):
        """The export's file name, with the date."""
        return f"mentoring-impact-{self.today:%Y-%m-%d}"

    def get_queryset(self):
        """A row per program, then the total."""
        total = self.report.total
        total.label = _("Total (all programs)")
        return [*self.report.rows, total]

    def get_context_data(self, *args, **kwargs):
        """Add the filters, cohorts, baseline comparison and charts (not for an export)."""
        context = super().get_context_data(*args, **kwargs)
        if self.is_export:
            return context
        report = self.report
        context["form"] = self.form
        context["anonymity_minimum"] = mentoring_settings.ANONYMITY_MIN_RESPONSES
        context["withheld"] = report.total.responses_withheld
        context["cohorts"] = report.cohorts
        context["cohort_table"] = Table(
            [Column("label", label=_("Cohort (start quarter)")), *figure_columns()], report.cohorts
        )
        charts = [
            bar_chart(
                "wm-chart-cohort-match",
                _("Match rate by cohort"),
                [(row.label, row.match_rate) for row in report.cohorts],
                unit="%",
                max_value=100,
            ),
            bar_chart(
                "wm-chart-cohort-satisfaction",
                _("Average satisfaction by cohort (1-5)"),
                [(row.label, row.average_rating) for row in report.cohorts],
                max_value=RATING_MAX,
            ),
            bar_chart(
                "wm-chart-cohort-retention",
                _("Retention by cohort"),
                [(row.label, row.retention_rate) for row in report.cohorts],
                unit="%",
                max_value=100,
            ),
        ]
        if self.form.has_baseline:
            data = self.form.cleaned_data
            baseline = impact.baseline_users(data["group"], data["attribute"], data["value"])
            comparison = impact.compare_with_baseline(self.programs, baseline)
            context["comparison"] = comparison
            if comparison.baseline_shown:
                charts.append(
                    bar_chart(
                        "wm-chart-baseline",
                        _("Participants and baseline"),
                        [
                            (_("Retention: participants"), comparison.participant_retention),
                            (_("Retention: baseline"), comparison.baseline_retention),
                            (_("Promotion: participants"), comparison.participant_promotion),
                            (_("Promotion: baseline"), comparison.baseline_promotion),
                        ],
                        unit="%",
                        max_value=100,
                    )
                )
        context["charts"] = [chart.render() for chart in charts]
        return context
