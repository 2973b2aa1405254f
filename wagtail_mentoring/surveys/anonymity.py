"""Anonymity of survey answers (pure): which answers an aggregate may include without identifying anyone.

An anonymous program's answers are reported in groups of one survey kind and one period (a calendar
month, :func:`survey_period`); a group with fewer answers than the minimum
(``WAGTAIL_MENTORING["ANONYMITY_MIN_RESPONSES"]``) is left out of every aggregate, comment list and
export, because a single "Pairing check" answer in a month, set against the pairs' start dates,
tells who gave it. No answer's own date is ever shown.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping


def survey_period(answered_on: dt.date) -> str:
    """The reporting period of an answer given on ``answered_on``: its calendar month, ``"YYYY-MM"``."""
    return f"{answered_on.year:04d}-{answered_on.month:02d}"


def period_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first day of every period from the one holding ``first`` to the one after ``last``'s.

    A database groups answers by period with these edges (``[start, next start)``), natively, instead of
    calling :func:`survey_period` on each answer.

    Example:
        >>> period_starts(dt.date(2026, 11, 15), dt.date(2027, 1, 2))
        [datetime.date(2026, 11, 1), datetime.date(2026, 12, 1), datetime.date(2027, 1, 1), datetime.date(2027, 2, 1)]
    """
    starts = [first.replace(day=1)]
    while starts[-1] <= last:
        month = starts[-1]
        starts.append(
            month.replace(year=month.year + 1, month=1) if month.month == 12 else month.replace(month=month.month + 1)
        )
    return starts


def reportable_groups(counts: Mapping[Hashable, int], minimum: int) -> set:
    """The group keys (e.g. ``(kind, period)``) with at least ``minimum`` answers.

    Args:
        counts: the number of answers of each group.
        minimum: the fewest answers of one group that may be reported.

    Example:
        >>> reportable_groups({("session", "2026-03"): 3, ("pairing_check", "2026-03"): 1}, 3)
        {('session', '2026-03')}
    """
    return {key for key, n in counts.items() if n >= minimum}


def reportable_answers(answers: Iterable[tuple[int, str, dt.date]], minimum: int) -> list[int]:
    """The ids of the answers an anonymous aggregate may include (the rule over a list of answers).

    Args:
        answers: ``(id, kind, answered_on)`` for every answer of the program.
        minimum: the fewest answers of one kind and period that may be reported.

    Returns:
        The ids whose ``(kind, period)`` group has at least ``minimum`` answers, in input order.
    """
    rows = [(pk, (kind, survey_period(on))) for pk, kind, on in answers]
    groups = reportable_groups(Counter(key for _pk, key in rows), minimum)
    return [pk for pk, key in rows if key in groups]
