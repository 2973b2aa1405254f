"""A program page's timeline follows the program's own dates (pure rule, no ORM).

A milestone either names a date, or is anchored to one of the program's dates (the enrolment
deadline, the start or the end) with an offset in days. An anchored milestone moves with the program:
change the program's dates (or copy last year's page) and its timeline follows, so the page cannot say
"kick-off in February" for a program that starts in October. A milestone anchored to a date the
program does not set is refused when the page is saved (:func:`missing_anchors`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

#: The program dates a milestone may follow (the page's field names).
ANCHORS = ("enrolment_deadline", "start_date", "end_date")
#: The largest offset from an anchor, in days, either way (a program runs for about a year).
MAX_OFFSET_DAYS = 730


def milestone_date(
    date: dt.date | None, anchor: str, offset_days: int | None, program_dates: Mapping[str, dt.date | None]
) -> dt.date | None:
    """The date a milestone shows: its anchor's program date plus ``offset_days``, else its own ``date``.

    ``anchor`` is ``""`` (the milestone's own date) or one of :data:`ANCHORS`; ``program_dates`` maps
    those names to the program's dates. ``None`` when the milestone has no date to show (an anchor
    the program does not set, or neither an anchor nor a date).
    """
    if anchor:
        base = program_dates.get(anchor)
        if base is None:
            return None
        return base + dt.timedelta(days=offset_days or 0)
    return date


def missing_anchors(anchors: Iterable[str], program_dates: Mapping[str, dt.date | None]) -> list[str]:
    """The anchors used by milestones that the program does not set (in order, without repeats)."""
    missing: list[str] = []
    for anchor in anchors:
        if anchor and program_dates.get(anchor) is None and anchor not in missing:
            missing.append(anchor)
    return missing
