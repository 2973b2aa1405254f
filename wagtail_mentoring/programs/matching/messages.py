"""User-facing texts of the matching engine: criterion and rule labels, reason and unmatched sentences.

Reasons and unmatched mentees are stored as JSON-friendly codes and details; these functions turn
them into translated sentences when they are shown. Each criterion writes its own sentence
(:meth:`~.criteria.ScoredCriterion.describe`); this module finds the criterion by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .criteria import DEFAULT_CRITERIA, Criteria, HardRule, ScoredCriterion
from .i18n import gettext as _
from .i18n import gettext_noop, join_items, ngettext

#: Why a mentee can stay unmatched, in the order they are checked.
UNMATCHED_REASONS: tuple[str, ...] = ("excluded", "no_mentors", "rules", "min_score", "capacity")


def _as_data(item: Any) -> Mapping[str, Any]:
    return item if isinstance(item, Mapping) else item.as_dict()


def _label(name: str, kind: type, criteria: Criteria | None) -> str:
    found = (criteria or DEFAULT_CRITERIA).get(name)
    return found.label() if isinstance(found, kind) else name


def criterion_label(criterion: str, criteria: Criteria | None = None) -> str:
    """The translated, human name of a criterion (e.g. ``"time_zone"`` -> "Time zone"), or ``criterion`` if unknown.

    Args:
        criterion: The criterion's name.
        criteria: Where to look (default :data:`~.criteria.DEFAULT_CRITERIA`).
    """
    return _label(criterion, ScoredCriterion, criteria)


def rule_label(rule: str, criteria: Criteria | None = None) -> str:
    """The translated description of a hard rule, or ``rule`` itself if unknown (same arguments as above)."""
    return _label(rule, HardRule, criteria)


def reason_message(reason: Any, criteria: Criteria | None = None) -> str:
    """A translated sentence explaining one criterion's contribution to a pair's score.

    Args:
        reason: A :class:`~.results.Reason` or its ``as_dict()`` form (as stored in JSON).
        criteria: The criteria to look in (default :data:`~.criteria.DEFAULT_CRITERIA`).

    Returns:
        ``"<label>: <explanation>"``.
    """
    data = _as_data(reason)
    name, detail = data["criterion"], data.get("detail") or {}
    found = (criteria or DEFAULT_CRITERIA).get(name)
    if not isinstance(found, ScoredCriterion):
        return f"{name}: {name}"
    return f"{found.label()}: {found.describe(detail, data.get('value'))}"


def unmatched_message(unmatched: Any, criteria: Criteria | None = None) -> str:
    """A translated sentence saying why a mentee was left unmatched.

    Args:
        unmatched: An :class:`~.results.Unmatched` or its ``as_dict()`` form.
        criteria: The criteria whose rules are named (default :data:`~.criteria.DEFAULT_CRITERIA`).

    Returns:
        The sentence (the reason code itself for an unknown reason).
    """
    data = _as_data(unmatched)
    reason, detail = data["reason"], data.get("detail") or {}
    if reason == "excluded":
        note = detail.get("note") or ""
        return _("Left out of matching: %(note)s") % {"note": note} if note else _("Left out of matching.")
    if reason == "no_mentors":
        return _("No mentor with free capacity is available.")
    if reason == "rules":
        counts = detail.get("rules", {})
        parts = [f"{rule_label(rule, criteria)} ({count})" for rule, count in counts.items()]
        return _("No mentor passes the program's rules: %(rules)s.") % {"rules": join_items(parts)}
    if reason == "min_score":
        return _("Every possible mentor scores below the minimum of %(min)s (best: %(best)s).") % {
            "min": f"{detail.get('min_score', 0):g}",
            "best": f"{detail.get('best_score', 0):g}",
        }
    if reason == "capacity":
        count = detail.get("eligible_mentors", 0)
        return ngettext(
            "The only suitable mentor is already at capacity.",
            "All %(count)d suitable mentors are already at capacity.",
            count,
        ) % {"count": count}
    return reason


#: ``(lowest score, words)`` from the best band down: a pair score said in words (self-match suggestions).
SCORE_BANDS: tuple[tuple[float, str], ...] = (
    (0.75, gettext_noop("Excellent match")),
    (0.5, gettext_noop("Good match")),
    (0.25, gettext_noop("Fair match")),
    (0.0, gettext_noop("Weak match")),
)


def score_words(value: float | None) -> str:
    """A pair score in [0, 1] in words (gettext_noop("Good match")), translated; empty for no score.

    Args:
        value: The pair score, or None.

    Returns:
        The words of the highest band whose lowest score ``value`` reaches.
    """
    if value is None:
        return ""
    for lowest, words in SCORE_BANDS:
        if value >= lowest:
            return _(words)
    return _(SCORE_BANDS[-1][1])
