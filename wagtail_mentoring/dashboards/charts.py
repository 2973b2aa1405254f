"""Server-rendered SVG charts with a text alternative (no JavaScript, no external assets)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.utils import dateformat
from django.utils.formats import get_format, number_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wagtail_mentoring.snippets.scoring import with_unit


@dataclass(frozen=True)
class Point:
    """One plotted check-in."""

    when: dt.datetime
    value: float


@lru_cache(maxsize=4096)
def _fmt_in(value: float, language: str) -> str:
    return number_format(f"{value:g}")


def _fmt(value: float) -> str:
    """A value as short localised text; cached per value and language (charts repeat values)."""
    return _fmt_in(float(value), get_language() or "")


@lru_cache(maxsize=4096)
def _day_in(day: dt.date, fmt: str, language: str) -> str:
    return dateformat.format(day, fmt)


def _day(when: dt.datetime | dt.date, fmt: str) -> str:
    """``when``'s date in ``fmt`` (a date format), cached per day and language: check-ins share days."""
    day = when.date() if isinstance(when, dt.datetime) else when
    return _day_in(day, fmt, get_language() or "")


def trend_summary(points: Sequence[Point], start: float, target: float, unit: str = "") -> str:
    """A one-sentence text alternative of a trend chart."""
    if not points:
        return _("No check-ins yet; start %(start)s, target %(target)s %(unit)s.") % {
            "start": _fmt(start),
            "target": _fmt(target),
            "unit": unit,
        }
    first, last = points[0], points[-1]
    return _(
        "%(n)d check-ins from %(first_date)s to %(last_date)s: from %(first)s to %(last)s %(unit)s "
        "(start %(start)s, target %(target)s)."
    ) % {
        "n": len(points),
        "first_date": _day(first.when, get_format("SHORT_DATE_FORMAT")),
        "last_date": _day(last.when, get_format("SHORT_DATE_FORMAT")),
        "first": _fmt(first.value),
        "last": _fmt(last.value),
        "unit": unit,
        "start": _fmt(start),
        "target": _fmt(target),
    }


def trend_chart(
    points: Sequence[Point],
    start: float,
    target: float,
    *,
    title: str,
    chart_id: str,
    unit: str = "",
    width: int = 240,
    height: int = 64,
) -> SafeString:
    """An SVG line chart of check-in values between the start and target lines.

    ``points`` must be in chronological order. The SVG is ``role="img"`` and labelled by its
    ``<title>`` and ``<desc>`` (the sentence from :func:`trend_summary`); every text is escaped.
    """
    pad = 4
    low = min([start, target, *(p.value for p in points)])
    high = max([start, target, *(p.value for p in points)])
    span = (high - low) or 1.0

    def y(value: float) -> float:
        return round(pad + (height - 2 * pad) * (1 - (value - low) / span), 1)

    def x(index: int) -> float:
        if len(points) <= 1:
            return float(width // 2)
        return round(pad + (width - 2 * pad) * index / (len(points) - 1), 1)

    # Coordinates are numbers computed here: built as plain strings once per chart, no per-point escaping.
    xy = [(x(i), y(p.value)) for i, p in enumerate(points)]
    coords = " ".join(f"{cx},{cy}" for cx, cy in xy)
    title_id = f"{chart_id}-title"
    desc_id = f"{chart_id}-desc"
    # Safe: only floats computed above go into these strings.
    dots = mark_safe(  # noqa: S308
        "".join(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="currentColor"></circle>' for cx, cy in xy)
    )
    line = mark_safe(  # noqa: S308
        f'<polyline points="{coords}" fill="none" stroke="currentColor" stroke-width="2"></polyline>'
    )
    return format_html(
        '<svg class="wm-chart" id="{chart_id}" role="img" aria-labelledby="{title_id} {desc_id}" '
        'width="{w}" height="{h}" viewBox="0 0 {w} {h}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{title_id}">{title}</title><desc id="{desc_id}">{desc}</desc>'
        '<line x1="0" x2="{w}" y1="{ys}" y2="{ys}" stroke="#9ca3af" stroke-dasharray="3 3"></line>'
        '<line x1="0" x2="{w}" y1="{yt}" y2="{yt}" stroke="#15803d" stroke-dasharray="6 3"></line>'
        "{line}{dots}</svg>",
        chart_id=chart_id,
        title_id=title_id,
        desc_id=desc_id,
        w=width,
        h=height,
        title=title,
        desc=trend_summary(points, start, target, unit),
        ys=y(start),
        yt=y(target),
        line=line if len(points) > 1 else "",
        dots=dots,
    )


def trend_table(points: Sequence[Point], caption: str, unit: str = "") -> SafeString:
    """The chart's data as a visually-hidden table (for screen readers), newest last; all text escaped."""
    if not points:
        return SafeString("")
    # The date format is looked up once per table, the unit escaped once; dates and numbers need no escaping.
    date_fmt = get_format("SHORT_DATE_FORMAT")
    suffix = escape(with_unit("", unit))
    rows = mark_safe(  # noqa: S308 - every text in it is escaped here
        "".join(
            f"<tr><td>{escape(dateformat.format(p.when, date_fmt))}</td><td>{escape(_fmt(p.value))}{suffix}</td></tr>"
            for p in points
        )
    )
    return format_html(
        '<table class="wm-visually-hidden"><caption>{}</caption><thead><tr><th scope="col">{}</th>'
        '<th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
        caption,
        _("Date"),
        _("Value"),
        rows,
    )
