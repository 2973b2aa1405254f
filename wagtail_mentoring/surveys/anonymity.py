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
from collections.abc import Hashable, Iterable


def survey_period(answered_on: dt.date) -> str:
    """The reporting period of an answer given on ``answered_on``: its calendar month, ``"YYYY-MM"``."""
    return f"{answered_on.year:04d}-{answered_on.month:02d}"


def reportable_groups(keys: Iterable[Hashable], minimum: int) -> set:
    """The group keys (e.g. ``(kind, period)``) that occur at least ``minimum`` times in ``keys``."""
    return {key for key, n in Counter(keys).items() if n >= minimum}


def reportable_answers(answers: Iterable[tuple[int, str, dt.date]], minimum: int) -> list[int]:
    """The ids of the answers an anonymous aggregate may include.

    Args:
        answers: ``(id, kind, answered_on)`` for every answer of the program.
        minimum: the fewest answers of one kind and period that may be reported.

    Returns:
        The ids whose ``(kind, period)`` group has at least ``minimum`` answers, in input order.
    """
    rows = [(pk, (kind, survey_period(on))) for pk, kind, on in answers]
    groups = reportable_groups((key for _pk, key in rows), minimum)
    return [pk for pk, key in rows if key in groups]
