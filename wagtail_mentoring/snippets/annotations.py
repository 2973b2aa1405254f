"""SQL annotations mirroring ``scoring``: key-result and objective progress, expected progress, health.

They let the admin listing filter objectives by health in the database (one query whatever the
number of objectives) instead of evaluating every objective in Python. The Python functions in
``wagtail_mentoring.snippets.scoring`` remain the reference; tests check that both agree.
"""

from __future__ import annotations

import datetime as dt

from django.db import NotSupportedError
from django.db.models import Case, F, FloatField, Func, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest, Least

from wagtail_mentoring.conf import mentoring_settings
from wagtail_mentoring.snippets import scoring
from wagtail_mentoring.snippets.models import KeyResult


class DaysBetween(Func):
    """Whole days from ``start`` to ``end`` (``end - start``) as a float, on SQLite and PostgreSQL."""

    output_field = FloatField()
    arity = 2

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)

    def as_sql(self, compiler, connection, **extra):
        """Any other database: refused with ``NotSupportedError`` (the package supports SQLite and PostgreSQL)."""
        raise NotSupportedError(f"DaysBetween supports SQLite and PostgreSQL, not {connection.vendor}")

    def as_sqlite(self, compiler, connection, **extra):
        """SQLite: the difference of the two ``julianday`` values."""
        return self._days_sql(compiler, connection, "(julianday(%s) - julianday(%s))")

    def as_postgresql(self, compiler, connection, **extra):
        """PostgreSQL: the difference of the two values cast to ``date``, as double precision."""
        return self._days_sql(compiler, connection, "((%s)::date - (%s)::date)::double precision")

    def _days_sql(self, compiler, connection, template):
        """Compile both arguments into ``template`` (end first), with their parameters in that order."""
        end_sql, end_params = compiler.compile(self.source_expressions[0])
        start_sql, start_params = compiler.compile(self.source_expressions[1])
        return template % (end_sql, start_sql), [*end_params, *start_params]


def key_result_progress_expression():
    """Per key result progress in [0, 1], as ``scoring.key_result_progress`` computes it."""
    current = Coalesce(F("current_value"), F("start_value"))
    ratio = (current - F("start_value")) / (F("target_value") - F("start_value"))
    return Case(
        When(
            kind__in=sorted(scoring.BINARY_KINDS),
            then=Case(When(current_value__gte=1, then=Value(1.0)), default=Value(0.0), output_field=FloatField()),
        ),
        When(target_value=F("start_value"), then=Value(0.0)),
        default=Greatest(Value(0.0), Least(Value(1.0), ratio, output_field=FloatField()), output_field=FloatField()),
        output_field=FloatField(),
    )


def objective_progress_subquery():
    """Weighted mean progress of an objective's key results (0.0 without any), for ``annotate``."""
    weighted = (
        KeyResult.objects.filter(objective=OuterRef("pk"))
        .order_by()
        .values("objective")
        .annotate(
            value=Sum(key_result_progress_expression() * F("weight"), output_field=FloatField())
            / Sum("weight", output_field=FloatField())
        )
        .values("value")
    )
    return Coalesce(Subquery(weighted, output_field=FloatField()), Value(0.0), output_field=FloatField())


def effective_due_expression():
    """An objective's due date in SQL: its own, else its cycle's end (``Objective.effective_due``)."""
    return Coalesce(F("due_date"), F("cycle__end_date"))


def expected_progress_expression(on: dt.date):
    """Fraction of the objective's [start, due] elapsed at ``on`` (own dates first, else the cycle's)."""
    start = Coalesce(F("start_date"), F("cycle__start_date"))
    due = effective_due_expression()
    today = Value(on)
    return Case(
        When(Q(start_date__isnull=True, cycle__start_date__isnull=True), then=Value(0.0)),
        When(Q(due_date__isnull=True, cycle__end_date__isnull=True), then=Value(0.0)),
        When(Q(_wm_start__gte=on), then=Value(0.0)),
        When(Q(_wm_due__lte=on), then=Value(1.0)),
        default=DaysBetween(today, start) / DaysBetween(due, start),
        output_field=FloatField(),
    )


def with_health(
    queryset: QuerySet, on: dt.date, on_track_margin: float | None = None, at_risk_margin: float | None = None
):
    """Annotate objectives with ``progress_value``, ``expected_value`` and ``health_value`` at ``on``."""
    if on_track_margin is None:
        on_track_margin = mentoring_settings.HEALTH_ON_TRACK_MARGIN
    if at_risk_margin is None:
        at_risk_margin = mentoring_settings.HEALTH_AT_RISK_MARGIN
    queryset = queryset.annotate(
        _wm_start=Coalesce(F("start_date"), F("cycle__start_date")),
        _wm_due=effective_due_expression(),
    ).annotate(progress_value=objective_progress_subquery(), expected_value=expected_progress_expression(on))
    return queryset.annotate(
        health_value=Case(
            When(progress_value__gte=1 - scoring.EPSILON, then=Value(scoring.HEALTH_ACHIEVED)),
            When(
                progress_value__gte=F("expected_value") - Value(on_track_margin + scoring.EPSILON),
                then=Value(scoring.HEALTH_ON_TRACK),
            ),
            When(
                progress_value__gte=F("expected_value") - Value(at_risk_margin + scoring.EPSILON),
                then=Value(scoring.HEALTH_AT_RISK),
            ),
            default=Value(scoring.HEALTH_OFF_TRACK),
        )
    )
