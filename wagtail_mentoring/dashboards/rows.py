"""What the dashboard shows, shared by the front end (``dashboards.views``) and the admin's program
health (``dashboards.admin_views``): objective and key-result rows, the coordinator overview."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail_mentoring.access.querysets import (
    check_in_key_results,
    coordinated_programs,
    editable_objectives,
    visible_mentorships,
)
from wagtail_mentoring.dashboards import selectors
from wagtail_mentoring.dashboards.charts import Point, trend_chart, trend_table
from wagtail_mentoring.snippets import scoring
from wagtail_mentoring.snippets.models import Objective


# --- view models ----------------------------------------------------------------------------------
@dataclass
class KeyResultRow:
    """A key result as shown: progress, its trend chart and whether the viewer may check in."""

    key_result: object
    points: list
    chart: str
    can_check_in: bool
    table: str = ""

    @property
    def progress_percent(self) -> int:
        """The key result's progress (``snippets.scoring``) as a whole percentage."""
        return round(self.key_result.progress * 100)

    @property
    def last_check_in(self):
        """The newest check-in from the prefetched ``recent_check_ins``, or ``None``."""
        return self.key_result.recent_check_ins[0] if self.key_result.recent_check_ins else None


@dataclass
class ObjectiveRow:
    """An objective as shown: progress, grade, health and its key results."""

    objective: Objective
    health: str
    key_results: list = field(default_factory=list)
    can_edit: bool = False

    @property
    def progress_percent(self) -> int:
        """The objective's weighted progress as a whole percentage."""
        return round(self.objective.progress * 100)

    @property
    def grade(self) -> tuple[float, str]:
        """``(grade, band)`` from ``snippets.scoring.grade``."""
        return self.objective.grade

    @property
    def health_label(self) -> str:
        """The translated label of ``health`` (``snippets.scoring.health_label``)."""
        return scoring.health_label(self.health)

    @property
    def health_tone(self) -> str:
        """The tone of ``health`` (``snippets.scoring.health_tone``): badge and progress bar colour."""
        return scoring.health_tone(self.health)


def objective_rows(user, objectives) -> list[ObjectiveRow]:
    """View rows for prefetched objectives (two queries: what the user may check in on and edit)."""
    objectives = list(objectives)
    ids = [o.pk for o in objectives]
    can_check_in = set(check_in_key_results(user).filter(objective__in=ids).values_list("pk", flat=True))
    can_edit = set(editable_objectives(user).filter(pk__in=ids).values_list("pk", flat=True))
    today = timezone.localdate()
    rows = []
    for objective in objectives:
        row = ObjectiveRow(objective=objective, health=objective.health_on(today), can_edit=objective.pk in can_edit)
        for kr in objective.key_results.all():
            points = [Point(c.created_at, c.value) for c in reversed(kr.recent_check_ins)]
            chart = trend_chart(
                points,
                kr.start_value,
                kr.target_value,
                title=_("Trend of “%(kr)s”") % {"kr": kr.title},
                chart_id=f"wm-chart-{kr.pk}",
                unit=kr.unit,
            )
            table = trend_table(points, _("Check-ins of “%(kr)s”") % {"kr": kr.title}, kr.unit)
            row.key_results.append(KeyResultRow(kr, points, chart, kr.pk in can_check_in, table))
        rows.append(row)
    return rows


def admin_program_url(program) -> str:
    """The admin URL of a program's health view ('' when the admin is not installed)."""
    try:
        return reverse("wagtail_mentoring_dashboards:program", args=[program.pk])
    except NoReverseMatch:  # the admin is not installed
        return ""


def coordinator_overview(user) -> list[dict]:
    """Per coordinated program: pairs by health, stalled pairs and a link to the admin view."""
    programs = list(coordinated_programs(user).order_by("title"))
    if not programs:
        return []
    pairs = selectors.pair_summaries(
        user, visible_mentorships(user).filter(program__in=programs, status__in=selectors.OPEN_PAIR_STATUSES)
    )
    by_program: dict[int, list] = {p.pk: [] for p in programs}
    for pair in pairs:
        by_program.setdefault(pair.mentorship.program_id, []).append(pair)
    return [
        {
            "program": program,
            "pairs": len(by_program[program.pk]),
            "health": selectors.health_counts(by_program[program.pk]),
            "stalled": sum(1 for p in by_program[program.pk] if p.stalled),
            "admin_url": admin_program_url(program),
        }
        for program in programs
    ]
