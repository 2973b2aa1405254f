"""Progress through learning paths, for one user or many, in a constant number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from wagtail_mentoring.training.models import LearningPath, LearningPathItem, TrainingCompletion, TrainingResourcePage


@dataclass
class PathProgress:
    """How far one user is through one learning path.

    Attributes:
        path: the learning path.
        steps: the path's resources, in order.
        done_ids: ids of the steps the user has completed.
    """

    path: LearningPath
    steps: list[TrainingResourcePage] = field(default_factory=list)
    done_ids: set[int] = field(default_factory=set)

    @property
    def total(self) -> int:
        """Number of steps in the path."""
        return len(self.steps)

    @property
    def done(self) -> int:
        """Number of the path's steps the user completed."""
        return sum(1 for step in self.steps if step.pk in self.done_ids)

    @property
    def remaining(self) -> list[TrainingResourcePage]:
        """The steps not completed yet, in path order."""
        return [step for step in self.steps if step.pk not in self.done_ids]

    @property
    def next_resource(self) -> TrainingResourcePage | None:
        """The first step not completed, or ``None`` when the path is complete."""
        remaining = self.remaining
        return remaining[0] if remaining else None

    @property
    def complete(self) -> bool:
        """True when every step is done (an empty path is complete)."""
        return self.done == self.total

    @property
    def percent(self) -> int:
        """Whole percentage of steps done; 100 for an empty path."""
        return round(100 * self.done / self.total) if self.total else 100

    def step_list(self) -> list[tuple[TrainingResourcePage, bool]]:
        """``(resource, done)`` for each step, in order."""
        return [(step, step.pk in self.done_ids) for step in self.steps]


def _steps_by_path(path_ids: Iterable[int]) -> dict[int, list[TrainingResourcePage]]:
    steps: dict[int, list[TrainingResourcePage]] = defaultdict(list)
    items = (
        LearningPathItem.objects.filter(path_id__in=list(path_ids))
        .select_related("resource")
        .order_by("path_id", "sort_order", "pk")
    )
    for item in items:
        steps[item.path_id].append(item.resource)
    return steps


def paths_progress(user, paths: Iterable[LearningPath] | None = None) -> list[PathProgress]:
    """Progress of ``user`` through each of ``paths`` (default: every path), in three queries."""
    paths = list(LearningPath.objects.all() if paths is None else paths)
    steps = _steps_by_path(p.pk for p in paths)
    resource_ids = {r.pk for rs in steps.values() for r in rs}
    done: set[int] = set()
    if user is not None and user.is_authenticated and resource_ids:
        done = set(
            TrainingCompletion.objects.filter(user=user, resource_id__in=resource_ids).values_list(
                "resource_id", flat=True
            )
        )
    return [PathProgress(path=p, steps=steps.get(p.pk, []), done_ids=done) for p in paths]


def path_progress(user, path: LearningPath) -> PathProgress:
    """Progress of ``user`` through ``path`` (done/total, next resource), in two queries."""
    return paths_progress(user, [path])[0]


def users_path_progress(path: LearningPath, user_ids: Iterable[int]) -> dict[int, PathProgress]:
    """Progress through ``path`` of each user in ``user_ids``, in two queries (for dashboards and reports)."""
    user_ids = list(user_ids)
    steps = _steps_by_path([path.pk]).get(path.pk, [])
    done: dict[int, set[int]] = defaultdict(set)
    if steps and user_ids:
        for user_id, resource_id in TrainingCompletion.objects.filter(
            user_id__in=user_ids, resource_id__in=[s.pk for s in steps]
        ).values_list("user_id", "resource_id"):
            done[user_id].add(resource_id)
    return {uid: PathProgress(path=path, steps=steps, done_ids=done[uid]) for uid in user_ids}
