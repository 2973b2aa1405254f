"""The objectives listing's "Due" column: the date the front end shows (own due date, else the cycle's end)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format

from tests.factories.core import ObjectiveFactory, OKRCycleFactory

pytestmark = pytest.mark.django_db

LIST = "wagtailsnippets_wagtail_mentoring_objective:list"


def _cells(html: str, title: str) -> str:
    """The listing row of the objective titled ``title``."""
    return html.split(title, 1)[1].split("</tr>", 1)[0]


def test_due_column_falls_back_to_the_cycle_end_like_the_front_end(okrs, login):
    cycle = OKRCycleFactory(start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 6, 30))
    in_cycle = ObjectiveFactory(owner=okrs["mentee"], title="Cycle-bound goal", cycle=cycle, due_date=None)
    own = ObjectiveFactory(owner=okrs["mentee"], title="Own-date goal", cycle=cycle, due_date=dt.date(2026, 5, 2))
    assert in_cycle.effective_due == dt.date(2026, 6, 30)  # what the dashboard shows ("Due: ...")
    html = login(okrs["mentee"]).get(reverse(LIST)).content.decode()
    assert date_format(dt.date(2026, 6, 30), "DATE_FORMAT") in _cells(html, "Cycle-bound goal")
    assert date_format(own.due_date, "DATE_FORMAT") in _cells(html, "Own-date goal")


def test_due_column_sorts_by_the_same_date(okrs, login):
    cycle = OKRCycleFactory(start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))
    ObjectiveFactory(owner=okrs["mentee"], title="B sooner", due_date=dt.date(2026, 9, 1))
    ObjectiveFactory(owner=okrs["mentee"], title="A by cycle", cycle=cycle, due_date=None)
    client = login(okrs["mentee"])
    for ordering, expected in (("effective_due_on", ["B sooner", "A by cycle"]), ("-effective_due_on", None)):
        response = client.get(reverse(LIST), {"ordering": ordering})
        titles = [o.title for o in response.context["object_list"] if o.title in ("A by cycle", "B sooner")]
        assert titles == (expected or ["A by cycle", "B sooner"]), ordering


def test_due_column_costs_no_query_per_row(okrs, login):
    client = login(okrs["mentee"])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(LIST)).status_code == 200
        return len(ctx.captured_queries)

    cycle = OKRCycleFactory()
    ObjectiveFactory(owner=okrs["mentee"], cycle=cycle, due_date=None)
    few = count()
    for _ in range(10):
        ObjectiveFactory(owner=okrs["mentee"], cycle=OKRCycleFactory(), due_date=None)
    assert count() == few
