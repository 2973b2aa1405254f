"""SMART check of an objective: which criteria it meets and how to fix the rest (computed, never stored)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wagtail_mentoring.snippets import scoring
from wagtail_mentoring.snippets.limits import key_result_limit


@dataclass(frozen=True)
class Criterion:
    """One SMART criterion: its key (``specific``...), label, whether it is met, and a hint to meet it."""

    key: str
    label: str | Promise
    met: bool
    hint: str | Promise

    @property
    def status(self) -> str:
        """``"met"`` or ``"not_met"`` (the panel's CSS modifier)."""
        return "met" if self.met else "not_met"


def evaluate(
    *,
    description: str,
    key_result_kinds: Iterable[str],
    key_result_limit: int,
    has_parent: bool,
    program_goals: Iterable[str] = (),
    has_due_date: bool,
    has_cycle: bool,
) -> list[Criterion]:
    """Evaluate the five SMART criteria from plain values (no database access).

    Args:
        description: the objective's description.
        key_result_kinds: the ``kind`` of each key result.
        key_result_limit: the most key results allowed.
        has_parent: aligned to a parent objective.
        program_goals: the goals of the objective's program, if any.
        has_due_date: the objective has its own due date.
        has_cycle: the objective belongs to an OKR cycle.
    """
    kinds = list(key_result_kinds)
    goals = [goal for goal in program_goals if str(goal).strip()]
    return [
        Criterion(
            "specific",
            _("Specific"),
            bool(description and description.strip()),
            _("Describe what you want to achieve and why, so anyone can tell what success looks like."),
        ),
        Criterion(
            "measurable",
            _("Measurable"),
            any(kind in scoring.NUMERIC_KINDS for kind in kinds),
            _("Add at least one numeric key result (a number, percentage or amount with a start and a target)."),
        ),
        Criterion(
            "achievable",
            _("Achievable"),
            len(kinds) <= key_result_limit,
            _("Keep at most %(limit)d key results: fewer is better. Remove or merge some.")
            % {"limit": key_result_limit},
        ),
        Criterion(
            "relevant",
            _("Relevant"),
            bool(has_parent or goals),
            _("Align it to a parent objective, or set it within a program that has goals."),
        ),
        Criterion(
            "time_bound",
            _("Time-bound"),
            bool(has_due_date or has_cycle),
            _("Set a due date or choose an OKR cycle."),
        ),
    ]


def evaluate_objective(objective) -> list[Criterion]:
    """Evaluate a (possibly unsaved) objective; uses prefetched key results where available."""
    program = objective.program if objective.program_id else None
    if program is None and objective.mentorship_id:
        program = objective.mentorship.program
    kinds = [kr.kind for kr in objective.key_results.all()]
    return evaluate(
        description=objective.description,
        key_result_kinds=kinds,
        key_result_limit=key_result_limit(objective, program=program),
        has_parent=bool(objective.parent_id),
        program_goals=program.goals_list if program is not None else (),
        has_due_date=bool(objective.due_date),
        has_cycle=bool(objective.cycle_id),
    )
