"""The server-rendered SVG trend chart and its text alternative."""

import datetime as dt

from wagtail_mentoring.dashboards.charts import Point, trend_chart, trend_summary


def points(*values):
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    return [Point(start + dt.timedelta(days=7 * i), v) for i, v in enumerate(values)]


def test_chart_has_title_desc_and_a_point_per_check_in():
    svg = trend_chart(points(1, 3, 6), 0, 10, title="Trend of talks", chart_id="c1", unit="talks")
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Trend of talks</title>' in svg
    assert "3 check-ins" in svg and "from 1 to 6 talks" in svg
    assert svg.count("<circle") == 3 and "<polyline" in svg


def test_chart_escapes_text():
    svg = trend_chart(points(1), 0, 1, title="<script>alert(1)</script>", chart_id="c2")
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_chart_without_check_ins_and_decreasing_target():
    svg = trend_chart([], 10, 2, title="t", chart_id="c3")
    assert "No check-ins yet" in svg and "<circle" not in svg
    assert "start 10, target 2" in trend_summary(points(9, 5), 10, 2)


def test_points_stay_inside_the_box():
    svg = trend_chart(points(-50, 500), 0, 10, title="t", chart_id="c4", width=100, height=40)
    import re

    for cx, cy in re.findall(r'cx="([\d.]+)" cy="([\d.]+)"', svg):
        assert 0 <= float(cx) <= 100 and 0 <= float(cy) <= 40
