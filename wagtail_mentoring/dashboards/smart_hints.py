"""SMART hints for an objective: adapts ``snippets.smart`` and falls back to a local check until it lands.

Templates consume a list of ``(criterion, met, hint)`` tuples whatever the source.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from django.utils.translation import gettext as _

Hint = tuple[str, bool, str]


def _normalise(items: Iterable) -> list[Hint]:
    hints = []
    for item in items:
        if isinstance(item, tuple | list):
            criterion, met, hint = (list(item) + ["", False, ""])[:3]
        elif isinstance(item, dict):
            criterion, met, hint = item.get("criterion", ""), item.get("met", False), item.get("hint", "")
        else:
            criterion = getattr(item, "criterion", getattr(item, "name", ""))
            met = getattr(item, "met", getattr(item, "ok", False))
            hint = getattr(item, "hint", getattr(item, "message", ""))
        hints.append((str(criterion), bool(met), str(hint)))
    return hints


def smart_hints(objective, key_results=None) -> list[Hint]:
    """``(criterion, met, hint)`` for each SMART criterion of ``objective``.

    Uses ``wagtail_mentoring.snippets.smart`` when it is installed (its ``evaluate``,
    ``evaluate_smart`` or ``smart_criteria`` function); otherwise :func:`fallback_hints`.
    """
    try:
        smart = importlib.import_module("wagtail_mentoring.snippets.smart")
    except ImportError:
        smart = None
    if smart is not None:
        for name in ("evaluate", "evaluate_smart", "smart_criteria", "check"):
            func = getattr(smart, name, None)
            if callable(func):
                result = func(objective)
                if isinstance(result, dict):
                    result = list(result.values())
                return _normalise(result)
    return fallback_hints(objective, key_results)


def fallback_hints(objective, key_results=None) -> list[Hint]:
    """A small local SMART check (to be deleted once ``snippets.smart`` is merged)."""
    if key_results is None:
        key_results = list(objective.key_results.all()) if objective.pk else []
    description = (objective.description or "").strip()
    numeric = [kr for kr in key_results if kr.kind in ("number", "percent", "currency")]
    measurable = bool(key_results) and all(
        kr.kind not in ("number", "percent", "currency") or kr.target_value != kr.start_value for kr in key_results
    )
    limit = objective.max_key_results if objective.program_id or not objective.pk else len(key_results)
    return [
        (
            _("Specific"),
            len(description.split()) >= 5,
            _("Describe in a sentence or two what will be different when the objective is met."),
        ),
        (
            _("Measurable"),
            measurable,
            _("Give it key results with a start and a target value (or a milestone)."),
        ),
        (
            _("Achievable"),
            0 < len(key_results) <= max(limit, 1),
            _("Keep to a few key results (the program's limit) that you can influence."),
        ),
        (
            _("Relevant"),
            bool(objective.mentorship_id) or objective.category != "other",
            _("Link it to your pairing or pick the category it develops."),
        ),
        (
            _("Time-bound"),
            bool(objective.effective_due) and (bool(numeric) or bool(key_results)),
            _("Set a due date (or choose a cycle)."),
        ),
    ]
