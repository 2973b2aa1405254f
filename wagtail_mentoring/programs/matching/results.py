"""The matching engine's output: :class:`MatchResult` with its :class:`Pair`, :class:`Reason` and :class:`Unmatched` items."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from .messages import reason_message, unmatched_message


@dataclass(frozen=True)
class Reason:
    """One criterion's part of a pair's score.

    Attributes:
        criterion: The criterion's name (see :data:`~.criteria.DEFAULT_CRITERIA`).
        weight: The criterion's weight.
        value: The criterion value in [0, 1].
        contribution: Points of the pair score: ``weight * value / total weight``.
        detail: JSON-friendly facts behind the value (shared items, gap, hours...).
    """

    criterion: str
    weight: float
    value: float
    contribution: float
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """Translated explanation (see :func:`~.messages.reason_message`)."""
        return reason_message(self)

    def as_dict(self) -> dict[str, Any]:
        """The reason as a JSON-friendly dict."""
        return {
            "criterion": self.criterion,
            "weight": self.weight,
            "value": self.value,
            "contribution": self.contribution,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Pair:
    """A proposed mentorship: mentee, mentor, score and its per-criterion reasons."""

    mentee_id: Hashable
    mentor_id: Hashable
    score: float
    reasons: tuple[Reason, ...]

    def as_dict(self) -> dict[str, Any]:
        """The pair as a JSON-friendly dict."""
        return {
            "mentee_id": self.mentee_id,
            "mentor_id": self.mentor_id,
            "score": self.score,
            "reasons": [r.as_dict() for r in self.reasons],
        }


@dataclass(frozen=True)
class Unmatched:
    """A mentee left without a mentor, with a reason code from :data:`~.messages.UNMATCHED_REASONS`."""

    mentee_id: Hashable
    reason: str
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """Translated explanation (see :func:`~.messages.unmatched_message`)."""
        return unmatched_message(self)

    def as_dict(self) -> dict[str, Any]:
        """The unmatched mentee as a JSON-friendly dict."""
        return {"mentee_id": self.mentee_id, "reason": self.reason, "detail": self.detail}


@dataclass(frozen=True)
class MatchResult:
    """The proposal: pairs (by mentee id), unmatched mentees (by id) and the total score.

    Attributes:
        pairs: Proposed pairs, sorted by mentee id.
        unmatched: Mentees without a mentor, sorted by mentee id, each with a reason.
        total_score: Sum of the pair scores.
        strategy: The strategy used.
        excluded_mentors: ``(mentor_id, note)`` for mentors left out by the caller.
    """

    pairs: tuple[Pair, ...]
    unmatched: tuple[Unmatched, ...]
    total_score: float
    strategy: str
    excluded_mentors: tuple[tuple[Hashable, str], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The result as a JSON-friendly dict."""
        return {
            "strategy": self.strategy,
            "total_score": self.total_score,
            "pairs": [p.as_dict() for p in self.pairs],
            "unmatched": [u.as_dict() for u in self.unmatched],
            "excluded_mentors": [list(m) for m in self.excluded_mentors],
        }
