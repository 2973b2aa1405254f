"""OKR factories and helpers for the snippets tests (builds on ``tests.factories.core``)."""

from __future__ import annotations

import datetime as dt

from tests.factories.core import KeyResultFactory, ObjectiveFactory, OKRCycleFactory  # noqa: F401


def objective_with_key_results(owner, n: int = 2, current: float = 5, **fields):
    """An objective owned by ``owner`` with ``n`` numeric key results (0 -> 10) at ``current``."""
    objective = ObjectiveFactory(owner=owner, **fields)
    for i in range(n):
        KeyResultFactory(
            objective=objective, title=f"KR {i + 1}", start_value=0, target_value=10, current_value=current
        )
    return objective


def dates_around(today: dt.date, days_before: int = 50, days_after: int = 50) -> dict:
    """``start_date`` / ``due_date`` kwargs placing ``today`` inside the objective's span."""
    return {"start_date": today - dt.timedelta(days=days_before), "due_date": today + dt.timedelta(days=days_after)}


def objective_template(title: str = "Speak up in meetings", *, programs=(), n: int = 2, locale=None, **fields):
    """An objective template (default locale unless ``locale``) with ``n`` numeric suggested key results
    (0 -> 5), offered in ``programs`` (none: every program). Built without the service, to set up tests."""
    from wagtail_mentoring.models import ObjectiveTemplate, ObjectiveTemplateKeyResult

    template = ObjectiveTemplate(title=title, **fields)
    if locale is not None:
        template.locale = locale
    template.save()
    if programs:
        template.programs.set(programs)
        template.save()
    ObjectiveTemplateKeyResult.objects.bulk_create(
        [
            ObjectiveTemplateKeyResult(
                template=template, title=f"{title} KR {i + 1}", unit="talks", target_value=5, sort_order=i
            )
            for i in range(n)
        ]
    )
    return template
