"""Required learning paths: who has not completed what a program requires of their role."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.utils.translation import ngettext

from wagtail_mentoring.training.models import LearningPath, TrainingCompletion


def required_path(program, role: str) -> LearningPath | None:
    """The learning path ``program`` requires of ``role`` ("mentor" or "mentee"), if any."""
    return program.mentor_learning_path if role == "mentor" else program.mentee_learning_path


def remaining_resource_ids(path: LearningPath, user_ids: Iterable[int]) -> dict[int, list[int]]:
    """For each user, the ids of the path's resources they have not completed (two queries)."""
    resource_ids = list(path.items.order_by("sort_order").values_list("resource_id", flat=True))
    user_ids = list(user_ids)
    done: dict[int, set[int]] = defaultdict(set)
    for user_id, resource_id in TrainingCompletion.objects.filter(
        user_id__in=user_ids, resource_id__in=resource_ids
    ).values_list("user_id", "resource_id"):
        done[user_id].add(resource_id)
    return {uid: [rid for rid in resource_ids if rid not in done[uid]] for uid in user_ids}


def unmet_requirements(program, role: str, user_ids: Iterable[int]) -> dict[int, str]:
    """Users (by id) who have not completed the path ``program`` requires of ``role``, with the reason.

    Users who meet the requirement (or when there is none) are absent from the result.
    """
    path = required_path(program, role)
    if path is None:
        return {}
    remaining = remaining_resource_ids(path, user_ids)
    return {
        uid: ngettext(
            "Has not completed the required learning path “%(path)s” (%(n)d step left).",
            "Has not completed the required learning path “%(path)s” (%(n)d steps left).",
            len(left),
        )
        % {"path": path.title, "n": len(left)}
        for uid, left in remaining.items()
        if left
    }
