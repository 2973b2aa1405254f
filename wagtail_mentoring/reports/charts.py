"""Server-rendered SVG bar charts with a text alternative (a caption and a data table)."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from wagtail_mentoring.snippets.scoring import with_unit

BAR_HEIGHT = 22
GAP = 8
#: The narrowest label column (pixels); a chart with longer labels widens it (:func:`label_width`).
LABEL_WIDTH = 140
PLOT_WIDTH = 320
VALUE_WIDTH = 60
#: An upper bound of one character's width in the 12 px labels (sans-serif), and the gap before the bar.
LABEL_CHAR_WIDTH = 7.5
LABEL_GAP = 6


def label_width(labels: list[str]) -> int:
    """The label column's width (pixels) that holds the longest of ``labels`` whole (none is clipped)."""
    longest = max((len(label) for label in labels), default=0)
    return max(LABEL_WIDTH, int(round(longest * LABEL_CHAR_WIDTH)) + 2 * LABEL_GAP)


@dataclass(frozen=True)
class Bar:
    """One bar of a :class:`BarChart`: its label, value, displayed text and geometry (``y``, ``width`` in pixels)."""

    label: str
    value: float
    display: str
    y: int
    width: int


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart; every label and value also appears in the text alternative."""

    chart_id: str
    title: str
    description: str
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    plot_width: int = PLOT_WIDTH
    value_width: int = VALUE_WIDTH

    @property
    def width(self) -> int:
        """The SVG's total width: label column, plot area and value column."""
        return self.label_width + self.plot_width + self.value_width

    def render(self) -> SafeString:
        """The chart as accessible SVG with a data table (``wagtail_mentoring/reports/bar_chart.html``)."""
        return render_to_string("wagtail_mentoring/reports/bar_chart.html", {"chart": self})


def bar_chart(
    chart_id: str,
    title: str,
    data: list[tuple[str, float | None]],
    unit: str = "",
    max_value: float | None = None,
    description: str = "",
) -> BarChart:
    """Build a chart from ``(label, value)`` pairs (``None`` values are shown as "n/a")."""
    values = [v for _label, v in data if v is not None]
    top = max_value or (max(values) if values else 0) or 1
    bars = []
    for i, (label, value) in enumerate(data):
        width = int(round(PLOT_WIDTH * max(0.0, min(1.0, (value or 0) / top))))
        if value is None:
            display = _("n/a")
        else:
            display = with_unit(floatformat(value, -1), unit)
        bars.append(Bar(str(label), value or 0, display, GAP + i * (BAR_HEIGHT + GAP), width))
    return BarChart(
        chart_id,
        str(title),
        str(description),
        bars,
        GAP + len(bars) * (BAR_HEIGHT + GAP),
        label_width=label_width([bar.label for bar in bars]),
    )
