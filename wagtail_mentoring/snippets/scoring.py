"""Pure scoring functions for OKRs: progress, weighted objective progress, grade and health.

These implement the computation contract (README, "OKRs") and never touch the database; the models
expose them as properties.

Example:
    >>> key_result_progress("number", 0, 10, 5)
    0.5
    >>> objective_progress([(1.0, 1), (0.0, 3)])
    0.25
    >>> grade(0.66)
    (0.7, 'green')
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from wagtail_mentoring.conf import mentoring_settings

NUMERIC_KINDS = frozenset({"number", "percent", "currency"})
#: The kind whose values are percentages (0-100, ``validators.validate_check_in_value``).
PERCENT_KIND = "percent"
BINARY_KINDS = frozenset({"boolean", "milestone"})

HEALTH_ACHIEVED = "achieved"
HEALTH_ON_TRACK = "on_track"
HEALTH_AT_RISK = "at_risk"
HEALTH_OFF_TRACK = "off_track"
HEALTH_STATES = (HEALTH_ACHIEVED, HEALTH_ON_TRACK, HEALTH_AT_RISK, HEALTH_OFF_TRACK)

#: The tones a health state is shown in (the ``--wm-color-<tone>`` colours of ``mentoring.css``).
TONE_GOOD = "good"
TONE_WARN = "warn"
TONE_BAD = "bad"
TONE_NEUTRAL = "neutral"
#: The one label of each health state, on every surface (front end, admin, portal block, heatmap, exports).
HEALTH_LABELS = {
    HEALTH_ACHIEVED: _("Achieved"),
    HEALTH_ON_TRACK: _("On track"),
    HEALTH_AT_RISK: _("At risk"),
    HEALTH_OFF_TRACK: _("Off track"),
}
#: The label of "no health": a pairing without objectives.
NO_HEALTH_LABEL = _("No objectives")
#: The one tone of each health state: achieved and on track are good, at risk warns, off track is bad.
HEALTH_TONES = {
    HEALTH_ACHIEVED: TONE_GOOD,
    HEALTH_ON_TRACK: TONE_GOOD,
    HEALTH_AT_RISK: TONE_WARN,
    HEALTH_OFF_TRACK: TONE_BAD,
}

BAND_RED = "red"
BAND_YELLOW = "yellow"
BAND_GREEN = "green"
#: The highest grade in the red band (0.0-0.3) and in the yellow band (0.4-0.6); above is green.
RED_BAND_MAX = 0.3
YELLOW_BAND_MAX = 0.6

#: Tolerance for comparisons at a boundary (0.4 vs 0.5 - 0.1, a grade of 0.65), despite float rounding.
#: ``snippets.annotations`` uses the same one in SQL.
EPSILON = 1e-9


def health_label(state: str | None) -> str:
    """The translated label of a health state (:data:`HEALTH_LABELS`); :data:`NO_HEALTH_LABEL` for ``None``.

    Example:
        >>> health_label("off_track")
        'Off track'
    """
    if state is None:
        return str(NO_HEALTH_LABEL)
    return str(HEALTH_LABELS.get(state, state))


def health_tone(state: str | None) -> str:
    """The tone of a health state (:data:`HEALTH_TONES`): ``good``, ``warn``, ``bad``, else ``neutral``.

    Example:
        >>> health_tone("at_risk")
        'warn'
    """
    return HEALTH_TONES.get(state, TONE_NEUTRAL)


class HealthDisplay:
    """``health_label`` and ``health_tone`` for anything with a ``health`` state (a mixin).

    Example:
        >>> class Row(HealthDisplay):
        ...     health = "at_risk"
        >>> Row().health_label, Row().health_tone
        ('At risk', 'warn')
    """

    health: str | None

    @property
    def health_label(self) -> str:
        """The translated label of ``health`` (:func:`health_label`; "No objectives" for ``None``)."""
        return health_label(self.health)

    @property
    def health_tone(self) -> str:
        """The tone of ``health`` (:func:`health_tone`): badge and progress-bar colour."""
        return health_tone(self.health)


def with_unit(number: str, unit: str) -> str:
    """``number`` (already formatted) followed by ``unit``: a word after a space ("6 talks"), a symbol
    attached ("80%", "6.5/10"); ``number`` alone without a unit."""
    unit = (unit or "").strip()
    if not unit:
        return number
    return f"{number} {unit}" if unit[0].isalnum() else f"{number}{unit}"


def value_text(current: str, target: str, unit: str) -> str:
    """A numeric key result's value against its target, each part said once.

    A word unit ends the phrase ("3 of 10 talks"); a symbol unit, which is a scale or a sign, is attached to
    both numbers ("6.5/10, target 8/10", "35%, target 80%"), never printed apart nor after the target's scale.
    ``current`` and ``target`` are already formatted (localised) numbers.
    """
    unit = (unit or "").strip()
    if unit and not unit[0].isalnum():
        return str(
            _("%(current)s, target %(target)s")
            % {"current": with_unit(current, unit), "target": with_unit(target, unit)}
        )
    return with_unit(str(_("%(current)s of %(target)s") % {"current": current, "target": target}), unit)


def _clamp(value: float) -> float:
    """``value`` limited to [0, 1]."""
    return max(0.0, min(1.0, value))


def key_result_progress(kind: str, start: float, target: float, current: float | None) -> float:
    """Return a key result's progress in [0, 1].

    Numeric kinds: ``(current - start) / (target - start)`` clamped to [0, 1]; a target below the
    start means "decrease" and the same formula holds. Boolean and milestone: 1.0 when
    ``current >= 1``, else 0.0. A missing current value counts as the start value.

    Raises:
        ValueError: for a numeric kind whose target equals its start, or an unknown kind.
    """
    if kind in BINARY_KINDS:
        return 1.0 if current is not None and current >= 1 else 0.0
    if kind not in NUMERIC_KINDS:
        raise ValueError(f"Unknown key result kind: {kind!r}")
    start = float(start)
    target = float(target)
    if target == start:
        raise ValueError("A numeric key result needs a target different from its start value.")
    value = start if current is None else float(current)
    result = (value - start) / (target - start)
    if math.isnan(result):
        return 0.0
    return _clamp(result)


def saved_key_result_progress(kind: str, start: float, target: float, current: float | None) -> float:
    """A saved key result's progress (``KeyResult.progress``): :func:`key_result_progress`, and 0.0 for a
    numeric target equal to its start, which validation rejects but legacy rows may hold (never an error
    in a listing).
    """
    if kind in NUMERIC_KINDS and float(start) == float(target):
        return 0.0
    return key_result_progress(kind, start, target, current)


def objective_progress(items: Iterable[tuple[float, float]]) -> float:
    """Weighted mean of ``(progress, weight)`` pairs; 0.0 when there are none (or all weights are 0)."""
    total = 0.0
    weights = 0.0
    for progress, weight in items:
        weight = 1.0 if weight is None else float(weight)
        total += float(progress) * weight
        weights += weight
    if weights <= 0:
        return 0.0
    return _clamp(total / weights)


def grade(progress: float) -> tuple[float, str]:
    """Google-style end-of-cycle grade: progress rounded to one decimal, and its band.

    Bands: red 0.0-0.3, yellow 0.4-0.6, green 0.7-1.0.
    """
    # Round half up (0.65 -> 0.7), not Python's banker's rounding; the epsilon absorbs float noise.
    value = math.floor(_clamp(float(progress)) * 10 + 0.5 + EPSILON) / 10
    if value <= RED_BAND_MAX:
        band = BAND_RED
    elif value <= YELLOW_BAND_MAX:
        band = BAND_YELLOW
    else:
        band = BAND_GREEN
    return value, band


def expected_progress(start: dt.date | None, due: dt.date | None, on: dt.date) -> float:
    """Fraction of ``[start, due]`` elapsed at ``on``: 0 before the start, 1 from the due date.

    Without both dates nothing is expected yet (0.0).
    """
    if start is None or due is None:
        return 0.0
    if on <= start:
        return 0.0
    if on >= due:
        return 1.0
    return (on - start).days / (due - start).days


def health_against(
    progress: float,
    expected: float,
    on_track_margin: float | None = None,
    at_risk_margin: float | None = None,
) -> str:
    """Health of ``progress`` against the ``expected`` fraction: the one comparison every surface uses.

    ``achieved`` when progress >= 1; else ``on_track`` when progress >= expected - on_track_margin;
    ``at_risk`` when progress >= expected - at_risk_margin; else ``off_track``. The margins default
    to the ``HEALTH_ON_TRACK_MARGIN`` (0.1) and ``HEALTH_AT_RISK_MARGIN`` (0.25) settings.

    Example:
        >>> health_against(0.45, 0.5, 0.1, 0.25)
        'on_track'
    """
    if on_track_margin is None:
        on_track_margin = mentoring_settings.HEALTH_ON_TRACK_MARGIN
    if at_risk_margin is None:
        at_risk_margin = mentoring_settings.HEALTH_AT_RISK_MARGIN
    if progress >= 1:
        return HEALTH_ACHIEVED
    if progress >= expected - on_track_margin - EPSILON:
        return HEALTH_ON_TRACK
    if progress >= expected - at_risk_margin - EPSILON:
        return HEALTH_AT_RISK
    return HEALTH_OFF_TRACK


def health(
    progress: float,
    start: dt.date | None,
    due: dt.date | None,
    on: dt.date,
    on_track_margin: float | None = None,
    at_risk_margin: float | None = None,
) -> str:
    """Health at date ``on``: :func:`health_against` the progress expected by then (:func:`expected_progress`)."""
    return health_against(progress, expected_progress(start, due, on), on_track_margin, at_risk_margin)


#: The health states in which a key result is due a review ("what happened, what changes").
REVIEW_HEALTHS = frozenset({HEALTH_AT_RISK, HEALTH_OFF_TRACK})


def is_missed(progress: float, due: dt.date | None, on: dt.date) -> bool:
    """Is a key result missed at ``on``: its due date passed and its target not reached?

    Example:
        >>> is_missed(0.6, dt.date(2026, 3, 31), dt.date(2026, 4, 1))
        True
    """
    return due is not None and on > due and progress < 1


def needs_review(health_state: str, progress: float, due: dt.date | None, on: dt.date) -> bool:
    """May the pair review and realign a key result at ``on``: is it at risk, off track or missed?

    Example:
        >>> needs_review(HEALTH_ON_TRACK, 0.5, None, dt.date(2026, 4, 1))
        False
    """
    return health_state in REVIEW_HEALTHS or is_missed(progress, due, on)


def target_in_force(changes: Iterable[tuple[dt.datetime, float]], current: float, when: dt.datetime) -> float:
    """The target a key result had at ``when``, from its realignments.

    Args:
        changes: ``(changed_at, previous_target)`` of each realignment that changed the target, in any order.
        current: the key result's target now.
        when: the moment asked about (a check-in's time, say).

    Returns:
        The previous target of the first change after ``when``; ``current`` when none came after.

    Example:
        >>> t = dt.datetime(2026, 3, 1)
        >>> target_in_force([(t, 10.0)], 8.0, t - dt.timedelta(days=1)), target_in_force([(t, 10.0)], 8.0, t)
        (10.0, 8.0)
    """
    later = [(at, previous) for at, previous in changes if at > when]
    return min(later)[1] if later else current
