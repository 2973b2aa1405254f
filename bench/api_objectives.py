"""Benchmark: the API objectives list (page of 50) for a coordinator of a program with 10,000 objectives.

Measures, side by side in one run (interleaved requests), the median time of

* ``ours``: ``GET /api/mentoring/v1/objectives/?page_size=50`` through ``ObjectiveViewSet`` (access
  queryset, permission classes, throttling, filter backends, pagination), and
* ``plain``: a plain DRF ``ListAPIView`` of the same rows (``Objective.objects.filter(program=...)``)
  with the same serializer, prefetching and page size, and no permission filtering,

and prints the ratio ours / plain, plus each side's SQL query count.

Usage (SQLite file by default; PostgreSQL with DATABASE_URL)::

    python bench/api_objectives.py [--objectives 10000] [--repeat 200]
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/wm_bench_api python bench/api_objectives.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/wm_bench_api_objectives.sqlite3")


def setup_django():
    import django
    from django.conf import settings

    django.setup()
    settings.REST_FRAMEWORK = {
        **getattr(settings, "REST_FRAMEWORK", {}),
        "DEFAULT_THROTTLE_RATES": {"mentoring_read": "100000000/minute"},
    }
    from rest_framework.settings import api_settings

    api_settings.reload()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(n_objectives: int):
    """Idempotently create a program with ``n_objectives`` objectives (2 key results each) over 200
    pairings, another program with 2,000 objectives, and the coordinator."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.models import Page, Site

    from wagtail_mentoring import models
    from wagtail_mentoring.access.grants import grant_pair_access

    User = get_user_model()
    coordinator = User.objects.filter(username="bench-coordinator").first()
    if coordinator is not None and models.Objective.objects.count() >= n_objectives:
        program = models.MentoringProgramPage.objects.get(slug="bench-program")
        return coordinator, program

    root = Page.get_first_root_node()
    home = root.get_children().first()
    if home is None:
        home = root.add_child(instance=Page(title="Home", slug="home"))
    Site.objects.get_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    index = models.MentoringProgramIndexPage(title="Programs", slug="bench-programs")
    home.add_child(instance=index)
    programs = []
    for slug, size in (("bench-program", n_objectives), ("bench-other", 2000)):
        group = Group.objects.create(name=f"coord-{slug}")
        program = models.MentoringProgramPage(title=slug, slug=slug, coordinators=group)
        index.add_child(instance=program)
        program.save_revision().publish()
        programs.append((program, size))
    coordinator = User.objects.create(username="bench-coordinator")
    coordinator.groups.add(programs[0][0].coordinators)

    for program, size in programs:
        pairs = []
        for i in range(200):
            mentor = User.objects.create(username=f"{program.slug}-mentor{i}")
            mentee = User.objects.create(username=f"{program.slug}-mentee{i}")
            mentorship = models.Mentorship.objects.create(
                program=program, mentor=mentor, mentee=mentee, status="active", started_on=dt.date(2026, 1, 1)
            )
            grant_pair_access(mentorship)
            pairs.append(mentorship)
        objectives = [
            models.Objective(
                title=f"Objective {program.slug} {i}",
                owner_id=pairs[i % len(pairs)].mentee_id,
                mentorship=pairs[i % len(pairs)],
                program=program,
                start_date=dt.date(2026, 1, 1),
                due_date=dt.date(2026, 6, 30) + dt.timedelta(days=i % 90),
            )
            for i in range(size)
        ]
        models.Objective.objects.bulk_create(objectives, batch_size=2000)
        created = models.Objective.objects.filter(program=program).values_list("pk", flat=True)
        key_results = [
            models.KeyResult(objective_id=pk, title=f"KR {k}", start_value=0, target_value=10, current_value=k * 3)
            for pk in created
            for k in range(2)
        ]
        models.KeyResult.objects.bulk_create(key_results, batch_size=4000)
    return coordinator, programs[0][0]


def measure(coordinator, program, repeat: int) -> dict:
    from django.db import connection
    from django.db.models import Prefetch
    from django.test.utils import CaptureQueriesContext
    from rest_framework.generics import ListAPIView
    from rest_framework.pagination import PageNumberPagination
    from rest_framework.test import APIRequestFactory, force_authenticate

    from wagtail_mentoring import models
    from wagtail_mentoring.api.serializers import ObjectiveSerializer
    from wagtail_mentoring.api.views import ObjectiveViewSet

    class Page50(PageNumberPagination):
        page_size = 50

    class PlainObjectiveList(ListAPIView):
        """The same rows, serializer and prefetching, with no permission filtering."""

        serializer_class = ObjectiveSerializer
        pagination_class = Page50
        permission_classes: list = []
        authentication_classes: list = []
        throttle_classes: list = []

        def get_queryset(self):
            return (
                models.Objective.objects.filter(program=program)
                .select_related("owner", "cycle")
                .prefetch_related(
                    Prefetch("key_results", queryset=models.KeyResult.objects.order_by("sort_order", "pk"))
                )
                .order_by("due_date", "title", "pk")
            )

    ours_view = ObjectiveViewSet.as_view({"get": "list"})
    plain_view = PlainObjectiveList.as_view()
    factory = APIRequestFactory()

    def call(view, url):
        request = factory.get(url, {"page_size": 50, "page": 3})
        force_authenticate(request, user=coordinator)
        start = time.perf_counter()
        response = view(request)
        response.render()
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.data
        return elapsed, response

    # warm up, check both return the same page
    _t, a = call(ours_view, "/api/mentoring/v1/objectives/")
    _t, b = call(plain_view, "/plain/")
    assert a.data["count"] == b.data["count"], (a.data["count"], b.data["count"])
    assert [r["id"] for r in a.data["results"]] == [r["id"] for r in b.data["results"]]
    with CaptureQueriesContext(connection) as ours_q:
        call(ours_view, "/api/mentoring/v1/objectives/")
    with CaptureQueriesContext(connection) as plain_q:
        call(plain_view, "/plain/")

    ours, plain = [], []
    for _i in range(repeat):
        ours.append(call(ours_view, "/api/mentoring/v1/objectives/")[0])
        plain.append(call(plain_view, "/plain/")[0])
    return {
        "rows": a.data["count"],
        "ours_ms": statistics.median(ours) * 1000,
        "plain_ms": statistics.median(plain) * 1000,
        "ours_queries": len(ours_q),
        "plain_queries": len(plain_q),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objectives", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    t0 = time.perf_counter()
    coordinator, program = build(args.objectives)
    built = time.perf_counter() - t0
    result = measure(coordinator, program, args.repeat)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}); data ready in {built:.1f}s")
    print(f"coordinator's program objectives: {result['rows']}; page of 50; {args.repeat} interleaved runs each")
    print(
        f"ours  (ObjectiveViewSet, access queryset): median {result['ours_ms']:.2f} ms, {result['ours_queries']} queries"
    )
    print(
        f"plain (ListAPIView, no permission filter): median {result['plain_ms']:.2f} ms, {result['plain_queries']} queries"
    )
    print(f"ratio ours / plain: {result['ours_ms'] / result['plain_ms']:.2f}")


if __name__ == "__main__":
    main()
