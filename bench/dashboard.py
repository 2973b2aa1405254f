"""Benchmark: median render time of the mentoring dashboard for a heavy mentee, against a plain page.

A mentee with 50 objectives (250 key results, 5,000 check-ins) in an active pairing; the dashboard at
``/mentoring/`` is rendered through Django's test client, and so is the site's plain Wagtail home
page, in the same run and process. Prints both medians, their ratio and the query counts.

Usage (from the repository root)::

    python bench/dashboard.py [--runs 30] [--objectives 50] [--key-results 5] [--check-ins 20]

Runs on the test settings (SQLite in memory, or PostgreSQL with DATABASE_URL=postgres://...).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def build(n_objectives: int, n_key_results: int, n_check_ins: int):
    """Create the site, the dashboard page and the mentee's OKR history; return (mentee, home)."""
    from django.utils import timezone
    from wagtail.models import Page, Site

    from tests.factories import (
        GroupFactory,
        MentoringProgramIndexPageFactory,
        MentoringProgramPageFactory,
        UserFactory,
        active_mentorship,
    )
    from tests.testapp.models import TestHomePage
    from wagtail_mentoring.models import CheckIn, KeyResult, MentoringDashboardPage, Objective

    root = Page.get_first_root_node()
    home = TestHomePage(title="Intranet", slug="intranet")
    root.add_child(instance=home)
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    index = MentoringProgramIndexPageFactory(parent=home, slug="programs")
    program = MentoringProgramPageFactory(parent=index, slug="leadership", coordinators=GroupFactory(name="coord"))
    dashboard = MentoringDashboardPage(title="My mentoring", slug="mentoring")
    home.add_child(instance=dashboard)
    dashboard.save_revision().publish()

    mentee = UserFactory(username="bench_mentee")
    mentor = UserFactory(username="bench_mentor")
    mentorship = active_mentorship(program=program, mentor=mentor, mentee=mentee)
    today = timezone.localdate()
    now = timezone.now()
    objectives = Objective.objects.bulk_create(
        Objective(
            title=f"Objective {i}",
            description="Become confident presenting to senior leadership.",
            owner=mentee,
            mentorship=mentorship if i % 2 == 0 else None,
            program=program if i % 2 == 0 else None,
            category=Objective.Category.values[i % len(Objective.Category.values)],
            start_date=today - dt.timedelta(days=30),
            due_date=today + dt.timedelta(days=60 + i),
        )
        for i in range(n_objectives)
    )
    key_results = KeyResult.objects.bulk_create(
        KeyResult(
            objective=objective,
            title=f"{objective.title} KR{k}",
            start_value=0,
            target_value=100,
            current_value=n_check_ins,
            sort_order=k,
        )
        for objective in objectives
        for k in range(n_key_results)
    )
    CheckIn.objects.bulk_create(
        CheckIn(
            key_result=kr,
            author=mentee,
            value=c + 1,
            confidence=c % 11,
            note=f"Check-in {c}",
            created_at=now - dt.timedelta(days=n_check_ins - c),
        )
        for kr in key_results
        for c in range(n_check_ins)
    )
    return mentee, home


def measure(client, url: str, runs: int, show_queries: bool = False) -> tuple[float, int]:
    """Median seconds over ``runs`` GETs of ``url`` (after 3 warm-ups), and the queries of one GET."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        assert client.get(url).status_code == 200
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    if show_queries:
        for number, query in enumerate(ctx.captured_queries, 1):
            print(f"-- {number}\n{query['sql']}")
    return statistics.median(timings), len(ctx.captured_queries)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--objectives", type=int, default=50)
    parser.add_argument("--key-results", type=int, default=5)
    parser.add_argument("--check-ins", type=int, default=20)
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of one dashboard GET")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    # No setup_test_environment(): its instrumented template rendering would dominate the timings.
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        mentee, _home = build(args.objectives, args.key_results, args.check_ins)
        from wagtail_mentoring.models import CheckIn, KeyResult

        client = Client()
        client.force_login(mentee)
        dash, dash_queries = measure(client, "/mentoring/", args.runs, args.show_queries)
        plain, plain_queries = measure(client, "/", args.runs)
        print(f"database: {connection.vendor}")
        print(
            f"data: {args.objectives} objectives, {KeyResult.objects.count()} key results, "
            f"{CheckIn.objects.count()} check-ins"
        )
        print(f"dashboard /mentoring/: median {dash * 1000:.1f} ms over {args.runs} runs, {dash_queries} queries")
        print(f"plain page /:          median {plain * 1000:.1f} ms over {args.runs} runs, {plain_queries} queries")
        print(f"ratio dashboard / plain page: {dash / plain:.1f}x")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
