"""Time zones as hours from UTC, and the distance between two of them on the 24-hour circle."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np

HOURS_PER_DAY = 24.0
#: IANA names use the mean of their offsets at these instants (daylight saving counts half).
REFERENCE_INSTANTS = (datetime(2025, 1, 15, 12, tzinfo=UTC), datetime(2025, 7, 15, 12, tzinfo=UTC))
#: Distinct time-zone names whose offsets are remembered.
OFFSET_CACHE_SIZE = 1024
_MINUTES_PER_HOUR = 60
_SECONDS_PER_HOUR = 3600
_UTC_NAMES = frozenset({"UTC", "GMT", "Z"})
_OFFSET_RE = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


@lru_cache(maxsize=OFFSET_CACHE_SIZE)
def _offset_from_name(name: str) -> float | None:
    text = name.strip()
    if not text:
        return None
    if text.upper() in _UTC_NAMES:
        return 0.0
    found = _OFFSET_RE.match(text)
    if found:
        sign, hours, minutes = found.groups()
        value = int(hours) + int(minutes or 0) / _MINUTES_PER_HOUR
        return -value if sign == "-" else value
    try:
        zone = ZoneInfo(text)
    except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return None
    offsets = [
        instant.astimezone(zone).utcoffset().total_seconds() / _SECONDS_PER_HOUR for instant in REFERENCE_INSTANTS
    ]
    return sum(offsets) / len(offsets)


def utc_offset_hours(time_zone: str | float | None) -> float | None:
    """Hours from UTC for a time zone given as a number, "UTC+2"/"-05:30", or an IANA name.

    IANA names use the mean of their offsets on 15 January and 15 July 2025 (so daylight saving
    counts half and the result never depends on today's date).

    Args:
        time_zone: The time zone, or None.

    Returns:
        The offset in hours, or None when the value is unknown.
    """
    if time_zone is None or isinstance(time_zone, bool):
        return None
    if isinstance(time_zone, int | float):
        return float(time_zone) if math.isfinite(time_zone) else None
    return _offset_from_name(str(time_zone))


def hours_apart(offset_a: float | np.ndarray, offset_b: float | np.ndarray) -> float | np.ndarray:
    """Hours between two UTC offsets on the 24-hour circle (scalars or broadcasting arrays; NaN stays NaN).

    Args:
        offset_a: Hours from UTC.
        offset_b: Hours from UTC.

    Returns:
        The distance, between 0 and 12.
    """
    diff = abs(offset_a - offset_b)
    if not isinstance(diff, np.ndarray):
        diff %= HOURS_PER_DAY
        return min(diff, HOURS_PER_DAY - diff)
    # ``% 24`` is slow on NaN (an unknown time zone) and needless below 24 hours. Real offsets are
    # less than 48 hours apart, where ``x - 24`` equals ``x % 24`` exactly (Sterbenz); NaN stays NaN.
    if np.nanmax(diff, initial=0.0) < 2 * HOURS_PER_DAY:
        np.subtract(diff, HOURS_PER_DAY, out=diff, where=diff >= HOURS_PER_DAY)
    else:
        diff = np.where(np.isnan(diff), np.nan, np.fmod(np.nan_to_num(diff), HOURS_PER_DAY))
    return np.minimum(diff, HOURS_PER_DAY - diff)
