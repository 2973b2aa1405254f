"""Benchmark: median render time of the mentoring dashboard for a heavy mentee, against two baselines.

A mentee with 50 objectives (250 key results, 5,000 check-ins) in an active pairing; rendered through
Django's test client in the same run and process, in the example intranet's layout (its templates and
``home`` app are added to the test settings):

- ``/mentoring/``: the dashboard;
- ``/``: a plain Wagtail page with a one-line template (the old baseline);
- ``/news/``: a realistic intranet page: the example site's ``HomePage`` type and template (base
  template, navigation, intro and a StreamField body of headings, text, a call-out and quick links),
  without the package's blocks;
- ``/portal/``: the same page with the "My mentoring" block added to its body.

The pages are requested in turn (round robin), so each meets the same load; prints the median wall and
CPU time of each, the ratios dashboard / intranet page and portal / intranet page, and the queries.

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
EXAMPLE = ROOT / "example_site"
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(EXAMPLE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def use_example_site() -> None:
    """Add the example intranet's ``home`` app and templates to the test settings (before ``django.setup``)."""
    import importlib

    settings = importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "home"]
    template = dict(settings.TEMPLATES[0])
    template["DIRS"] = [str(EXAMPLE / "templates"), *template.get("DIRS", [])]
    settings.TEMPLATES = [template, *settings.TEMPLATES[1:]]


def intranet_body(with_my_mentoring: bool) -> list:
    """A realistic StreamField body of the example home page; ``with_my_mentoring`` adds the portal block."""
    body = [
        {"type": "heading", "value": "This week at Acme"},
        {
            "type": "paragraph",
            "value": "<p>" + "News from the teams, the canteen menu and the IT notices. " * 6 + "</p>",
        },
        {"type": "callout", "value": {"title": "New here?", "text": "<p>Read the handbook, then meet your buddy.</p>"}},
        {
            "type": "quick_links",
            "value": {
                "title": "Quick links",
                "links": [
                    {"title": f"Tool {n}", "page": None, "url": f"/tool-{n}/", "description": "Open the tool."}
                    for n in range(6)
                ],
            },
        },
        {"type": "heading", "value": "People"},
        {"type": "paragraph", "value": "<p>" + "Welcome to our new colleagues in finance and sales. " * 4 + "</p>"},
    ]
    if with_my_mentoring:
        body.insert(1, {"type": "my_mentoring", "value": {"heading": "My mentoring"}})
    return body


def build_intranet_pages(home) -> None:
    """The realistic baseline ``/news/`` and the same page with "My mentoring", ``/portal/``."""
    from home.models import HomePage

    for slug, with_block in (("news", False), ("portal", True)):
        page = HomePage(title="Acme intranet", slug=slug, intro="<p>News, people and tools for everyone.</p>")
        page.body = intranet_body(with_block)
        home.add_child(instance=page)
        page.save_revision().publish()


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
    build_intranet_pages(home)

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


def measure(client, urls: list[str], runs: int, show_queries: str = "") -> dict[str, tuple[float, float, int]]:
    """Per URL: the median wall and CPU seconds over ``runs`` GETs, and the queries of one GET.

    The URLs are requested in turn (round robin, after 3 warm-ups each), so every page meets the same
    load of a shared machine; CPU time (``time.process_time``) is this process's own work, which other
    jobs on the machine disturb less than the wall clock. ``show_queries``: print the SQL of that URL.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in urls:
        for _ in range(3):
            assert client.get(url).status_code == 200
    wall: dict[str, list[float]] = {url: [] for url in urls}
    cpu: dict[str, list[float]] = {url: [] for url in urls}
    for _ in range(runs):
        for url in urls:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            wall[url].append(time.perf_counter() - start)
            cpu[url].append(time.process_time() - start_cpu)
            assert response.status_code == 200
    result = {}
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        if show_queries == url:
            for number, query in enumerate(ctx.captured_queries, 1):
                print(f"-- {number}\n{query['sql']}")
        result[url] = (statistics.median(wall[url]), statistics.median(cpu[url]), len(ctx.captured_queries))
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--objectives", type=int, default=50)
    parser.add_argument("--key-results", type=int, default=5)
    parser.add_argument("--check-ins", type=int, default=20)
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of one dashboard GET")
    args = parser.parse_args(argv)

    import django

    use_example_site()
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
        pages = [
            ("dashboard /mentoring/", "/mentoring/"),
            ("intranet page /news/", "/news/"),
            ("same page + My mentoring /portal/", "/portal/"),
            ("plain page / (one-line template)", "/"),
        ]
        measured = measure(
            client, [url for _label, url in pages], args.runs, "/mentoring/" if args.show_queries else ""
        )
        print(f"database: {connection.vendor}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(
            f"data: {args.objectives} objectives, {KeyResult.objects.count()} key results, "
            f"{CheckIn.objects.count()} check-ins"
        )
        for label, url in pages:
            median, median_cpu, queries = measured[url]
            print(
                f"{label:36} median {median * 1000:7.1f} ms wall, {median_cpu * 1000:7.1f} ms CPU "
                f"over {args.runs} runs, {queries} queries"
            )

        def ratio(url: str, base: str) -> str:
            (wall, cpu, _q), (base_wall, base_cpu, _b) = measured[url], measured[base]
            return f"{wall / base_wall:.2f}x wall, {cpu / base_cpu:.2f}x CPU"

        print(f"ratio dashboard / intranet page: {ratio('/mentoring/', '/news/')}")
        print(f"ratio portal with My mentoring / intranet page: {ratio('/portal/', '/news/')}")
        print(f"ratio dashboard / plain page: {ratio('/mentoring/', '/')}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
