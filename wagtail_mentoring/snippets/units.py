"""How a key result's value is written with its unit: one rule for every surface that shows one."""

from __future__ import annotations


def with_unit(text: str, unit: str) -> str:
    """``text`` followed by ``unit``: a space before a word ("4 of 6 talks"), none before a sign ("50 of 80%",
    "6.5 of 8/10").

    Example:
        >>> with_unit("6.5 of 8", "/10")
        '6.5 of 8/10'
        >>> with_unit("4 of 6", "talks")
        '4 of 6 talks'
    """
    unit = (unit or "").strip()
    if not unit:
        return text
    return f"{text}{unit}" if not unit[0].isalnum() else f"{text} {unit}"
