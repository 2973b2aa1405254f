"""SMART hints for the dashboard: ``snippets.smart``'s criteria as ``(label, met, hint)`` tuples."""

from __future__ import annotations

from wagtail_mentoring.snippets.smart import evaluate_objective

Hint = tuple[str, bool, str]


def smart_hints(objective) -> list[Hint]:
    """``(criterion label, met, hint)`` for each SMART criterion of ``objective``."""
    return [(str(c.label), c.met, str(c.hint)) for c in evaluate_objective(objective)]
