"""The matching engine's output: :class:`MatchResult` with its :class:`Pair`, :class:`Reason` and :class:`Unmatched` items."""

from __future__ import annotations

from collections.abc import Callable, Hashable
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


class LazyReasons:
    """A data descriptor for :attr:`Pair.reasons`: a tuple, or a function that computes it on first read.

    The engine explains only the pairs someone reads (shown, stored or exported), not every pair
    of a large solve; equality, ``repr``, ``as_dict`` and pickling read the reasons like any field.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self._slot = f"_{name}"

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return ()  # the dataclass default
        value = instance.__dict__[self._slot]
        if callable(value):
            value = tuple(value())
            instance.__dict__[self._slot] = value
        return value

    def __set__(self, instance: Any, value: tuple[Reason, ...] | Callable[[], tuple[Reason, ...]]) -> None:
        instance.__dict__[self._slot] = value


@dataclass(frozen=True)
class Pair:
    """A proposed mentorship: mentee, mentor, score and its per-criterion reasons.

    ``reasons`` may be given as a function returning them: it runs on the first read.
    """

    mentee_id: Hashable
    mentor_id: Hashable
    score: float
    reasons: tuple[Reason, ...] = LazyReasons()  # noqa: RUF009 (a descriptor-typed field)

    def __getstate__(self) -> dict[str, Any]:
        """Pickle with the reasons computed (the function behind lazy reasons is not pickled)."""
        state = dict(self.__dict__)
        state["_reasons"] = self.reasons
        return state

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
        certificate: For large problems, how the total was proved optimal (a
            :class:`~.solver.Certificate`); None when the exact dense solver ran.
    """

    pairs: tuple[Pair, ...]
    unmatched: tuple[Unmatched, ...]
    total_score: float
    strategy: str
    excluded_mentors: tuple[tuple[Hashable, str], ...] = ()
    certificate: Any = field(default=None, compare=False, repr=False)

    def as_dict(self) -> dict[str, Any]:
        """The result as a JSON-friendly dict."""
        return {
            "strategy": self.strategy,
            "total_score": self.total_score,
            "pairs": [p.as_dict() for p in self.pairs],
            "unmatched": [u.as_dict() for u in self.unmatched],
            "excluded_mentors": [list(m) for m in self.excluded_mentors],
        }
