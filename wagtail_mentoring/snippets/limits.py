"""OKR limits ("fewer is better"), pure: objectives per pairing and key results per objective.

Every write path (the services in ``snippets.services``, which the admin forms, the dashboard forms and
the API serializers all use) enforces them through these functions; forms call them too so that a
limit shows as a field error before anything is saved.

* Objectives per pairing: the program's ``max_objectives``. Cancelled and archived objectives do not
  count. A new program's field starts at the ``MAX_OBJECTIVES_PER_PAIRING`` setting.
* Key results per objective: the program's ``max_key_results``; an objective outside any program uses
  the ``MAX_KEY_RESULTS_PER_OBJECTIVE`` setting (which is also where a new program's field starts).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from wagtail_mentoring.conf import mentoring_settings


def objective_limit(program=None) -> int:
    """The most objectives a pairing of ``program`` may have.

    Args:
        program: the pairing's MentoringProgramPage (None: the setting).

    Returns:
        The program's ``max_objectives``, else ``MAX_OBJECTIVES_PER_PAIRING``.
    """
    if program is not None and getattr(program, "max_objectives", None):
        return int(program.max_objectives)
    return int(mentoring_settings.MAX_OBJECTIVES_PER_PAIRING)


def key_result_limit(objective=None, program=None) -> int:
    """The most key results an objective may have.

    Args:
        objective: the objective (its program is used when ``program`` is not given).
        program: the objective's MentoringProgramPage, when known.

    Returns:
        The program's ``max_key_results``, else ``MAX_KEY_RESULTS_PER_OBJECTIVE``.
    """
    program = program if program is not None else (getattr(objective, "program", None) if objective else None)
    if program is not None and getattr(program, "max_key_results", None):
        return int(program.max_key_results)
    return int(mentoring_settings.MAX_KEY_RESULTS_PER_OBJECTIVE)


def template_key_result_limit(programs=()) -> int:
    """The most suggested key results an objective template may carry: what every objective made from it
    may have, the smallest :func:`key_result_limit` of its programs (none: the setting).

    Args:
        programs: the template's MentoringProgramPages (empty: the template suits every program).

    Returns:
        The smallest ``max_key_results`` of ``programs``, else ``MAX_KEY_RESULTS_PER_OBJECTIVE``.
    """
    limits = [key_result_limit(program=program) for program in programs]
    return min(limits) if limits else key_result_limit()


def validate_objective_count(count: int, limit: int) -> None:
    """Reject a pairing with more than ``limit`` (counted) objectives.

    Args:
        count: how many counted objectives the pairing would have.
        limit: :func:`objective_limit`.

    Raises:
        ValidationError: on the ``mentorship`` field, code ``too_many_objectives``.
    """
    if count > limit:
        raise ValidationError(
            {
                "mentorship": ValidationError(
                    ngettext(
                        "This pairing already has %(n)d objective, the program's maximum.",
                        "This pairing already has %(n)d objectives, the program's maximum.",
                        limit,
                    )
                    % {"n": limit},
                    code="too_many_objectives",
                )
            }
        )


def validate_key_result_count(count: int, limit: int) -> None:
    """Reject an objective with more than ``limit`` key results.

    Args:
        count: how many key results the objective would have.
        limit: :func:`key_result_limit`.

    Raises:
        ValidationError: code ``too_many_key_results``.
    """
    if count > limit:
        raise ValidationError(
            ngettext(
                "An objective can have at most %(limit)d key result (this one has %(count)d). Fewer is better.",
                "An objective can have at most %(limit)d key results (this one has %(count)d). Fewer is better.",
                limit,
            )
            % {"limit": limit, "count": count},
            code="too_many_key_results",
        )
