"""Benchmark: the API's list endpoints against plain DRF lists of the same rows and fields, side by side.

For a coordinator of a program with 10,000 objectives (20,000 key results and check-ins, 1,000 pairings,
2,000 sessions; a second program of the same shape at a fifth of the size that the coordinator may not
see), each endpoint is measured against a plain DRF ``ListAPIView`` over the same model:

* ``ours``: ``GET /api/mentoring/v1/<endpoint>/?page=3&page_size=50`` through the package's viewset
  (access queryset, permission classes, throttling, filter backends, ordering, pagination, the input
  policy's field classes);
* ``plain``: a ``ListAPIView`` whose queryset is the coordinator's program's rows (given directly, no
  access check), a plain ``ModelSerializer`` of the same fields (nested people and computed fields as a
  DRF user writes them: ``SerializerMethodField`` calling the model's properties), DRF's
  ``PageNumberPagination`` (page size 50), JSON only, no permission classes, throttles or filter backends.

Both answer the same JSON for the same page (the bench asserts it before timing). The requests are
round robin (each repetition: every endpoint, ours and plain, in an order that alternates), so each
meets the same load; prints the median wall and CPU time (``time.process_time``) of each, the ratios,
the queries, and with ``--show-sql`` the SQL of both sides. Each call runs inside the access layer's
request cache, as a request through Django's handler does (``request_started`` opens it).

Usage (from the repository root; SQLite file by default, PostgreSQL with DATABASE_URL)::

    python bench/api_lists.py [--objectives 10000] [--repeat 60] [--endpoints objectives,mentorships]
    DATABASE_URL=postgres://postgres@127.0.0.1:54337/wm_bench_api python bench/api_lists.py --show-sql
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/wm_bench_api_lists.sqlite3")

PAGE = {"page": 3, "page_size": 50}
ENDPOINTS = ("objectives", "key-results", "check-ins", "mentorships", "sessions")


def setup_django() -> None:
    """Django with the test settings, throttling rates high enough never to refuse, and the schema migrated."""
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
    """Idempotently create the two programs, their pairings, OKRs, check-ins and sessions, and the
    coordinator of the first; return ``(coordinator, program)``."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone
    from wagtail.models import Page, Site

    from wagtail_mentoring import models
    from wagtail_mentoring.access.grants import grant_pairs_access

    User = get_user_model()
    coordinator = User.objects.filter(username="bench-coordinator").first()
    if coordinator is not None:
        return coordinator, models.MentoringProgramPage.objects.get(slug="bench-program")

    root = Page.get_first_root_node()
    home = root.get_children().first()
    if home is None:
        home = root.add_child(instance=Page(title="Home", slug="home"))
    Site.objects.get_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    index = models.MentoringProgramIndexPage(title="Programs", slug="bench-programs")
    home.add_child(instance=index)
    coordinator = User.objects.create(username="bench-coordinator", first_name="Bench", last_name="Coordinator")
    now = timezone.now()
    for slug, size, pairs in (("bench-program", n_objectives, 1000), ("bench-other", n_objectives // 5, 200)):
        group = Group.objects.create(name=f"coord-{slug}")
        program = models.MentoringProgramPage(title=slug, slug=slug, coordinators=group)
        index.add_child(instance=program)
        program.save_revision().publish()
        if slug == "bench-program":
            coordinator.groups.add(group)
        people = User.objects.bulk_create(
            User(username=f"{slug}-{role}{i}", first_name=role.title(), last_name=str(i))
            for i in range(pairs)
            for role in ("mentor", "mentee")
        )
        mentorships = models.Mentorship.objects.bulk_create(
            models.Mentorship(
                program=program,
                mentor=people[2 * i],
                mentee=people[2 * i + 1],
                status="active",
                started_on=dt.date(2026, 1, 1),
            )
            for i in range(pairs)
        )
        grant_pairs_access(mentorships)
        objectives = models.Objective.objects.bulk_create(
            (
                models.Objective(
                    title=f"Objective {slug} {i}",
                    description="Lead the quarterly review without notes.",
                    owner_id=mentorships[i % pairs].mentee_id,
                    mentorship=mentorships[i % pairs],
                    program=program,
                    start_date=dt.date(2026, 1, 1),
                    due_date=dt.date(2026, 6, 30) + dt.timedelta(days=i % 90),
                )
                for i in range(size)
            ),
            batch_size=2000,
        )
        key_results = models.KeyResult.objects.bulk_create(
            (
                models.KeyResult(
                    objective=o, title=f"KR {k}", start_value=0, target_value=10, current_value=k * 3, sort_order=k
                )
                for o in objectives
                for k in range(2)
            ),
            batch_size=4000,
        )
        models.CheckIn.objects.bulk_create(
            (
                models.CheckIn(
                    key_result=kr,
                    author_id=kr.objective.owner_id,
                    value=kr.current_value,
                    confidence=7,
                    note="On track.",
                    created_at=now - dt.timedelta(minutes=i),
                )
                for i, kr in enumerate(key_results)
            ),
            batch_size=4000,
        )
        sessions = models.MentoringSession.objects.bulk_create(
            models.MentoringSession(
                mentorship=m,
                date=now - dt.timedelta(days=7 * k + i % 7),
                duration_minutes=45,
                agenda="Review the key results.",
                notes="Private words.",
                next_steps="Draft the talk.",
                created_by_id=m.mentor_id,
            )
            for i, m in enumerate(mentorships)
            for k in range(2)
        )
        first_kr = {}
        for kr in key_results:
            first_kr.setdefault(kr.objective.mentorship_id, kr.pk)
        through = models.MentoringSession.key_results_discussed.through
        through.objects.bulk_create(
            through(mentoringsession_id=s.pk, keyresult_id=first_kr[s.mentorship_id])
            for s in sessions
            if s.mentorship_id in first_kr
        )
    return coordinator, models.MentoringProgramPage.objects.get(slug="bench-program")


def plain_views(program):
    """``{endpoint: view}``: plain DRF lists of the coordinator's rows, with plain serializers of the same fields."""
    from django.contrib.auth import get_user_model
    from django.db.models import Prefetch
    from django.utils import timezone
    from rest_framework import serializers
    from rest_framework.generics import ListAPIView
    from rest_framework.pagination import PageNumberPagination
    from rest_framework.renderers import JSONRenderer

    from wagtail_mentoring import models
    from wagtail_mentoring.access.querysets import readable_session_fields
    from wagtail_mentoring.people import display_name
    from wagtail_mentoring.programs.selectors import attach_activity

    class Page50(PageNumberPagination):
        page_size = 50
        page_size_query_param = "page_size"

    class Person(serializers.ModelSerializer):
        name = serializers.SerializerMethodField()

        class Meta:
            model = get_user_model()
            fields = ["id", "name"]

        def get_name(self, obj):
            return display_name(obj)

    class Objective(serializers.ModelSerializer):
        owner = Person(read_only=True)
        progress = serializers.SerializerMethodField()
        grade = serializers.SerializerMethodField()
        health = serializers.SerializerMethodField()

        class Meta:
            model = models.Objective
            fields = [
                "id",
                "title",
                "description",
                "category",
                "level",
                "owner",
                "mentorship",
                "program",
                "parent",
                "cycle",
                "start_date",
                "due_date",
                "status",
                "progress",
                "grade",
                "health",
                "created_at",
                "updated_at",
            ]

        def get_progress(self, obj):
            return round(obj.progress, 4)

        def get_grade(self, obj):
            value, band = obj.grade
            return {"value": value, "band": band}

        def get_health(self, obj):
            return obj.health_on(self.context["today"])

    class KeyResult(serializers.ModelSerializer):
        progress = serializers.SerializerMethodField()

        class Meta:
            model = models.KeyResult
            fields = [
                "id",
                "objective",
                "title",
                "kind",
                "unit",
                "start_value",
                "target_value",
                "current_value",
                "weight",
                "due_date",
                "confidence",
                "progress",
                "updated_at",
            ]

        def get_progress(self, obj):
            return round(obj.progress, 4)

    class CheckIn(serializers.ModelSerializer):
        author = Person(read_only=True)

        class Meta:
            model = models.CheckIn
            fields = ["id", "key_result", "author", "value", "confidence", "note", "created_at"]

    class Mentorship(serializers.ModelSerializer):
        mentor = Person(read_only=True)
        mentee = Person(read_only=True)
        stalled = serializers.SerializerMethodField()
        next_session_due = serializers.SerializerMethodField()

        class Meta:
            model = models.Mentorship
            fields = [
                "id",
                "program",
                "mentor",
                "mentee",
                "status",
                "match_score",
                "proposed_at",
                "started_on",
                "ended_on",
                "end_reason",
                "expectations",
                "meeting_cadence_days",
                "topics_in_bounds",
                "topics_out_of_bounds",
                "mentor_confirmed_at",
                "mentee_confirmed_at",
                "stalled",
                "next_session_due",
            ]

        def get_stalled(self, obj):
            return obj.activity.stalled

        def get_next_session_due(self, obj):
            return obj.activity.next_session_due if obj.status == "active" else None

    class Session(serializers.ModelSerializer):
        # A coordinator reads the session's record only (the same rule, asked once for the class).
        created_by = Person(read_only=True)

        class Meta:
            model = models.MentoringSession
            fields = list(readable_session_fields(False))

    def view(serializer, queryset, context=None, paginate=None):
        class Plain(ListAPIView):
            serializer_class = serializer
            pagination_class = Page50
            renderer_classes = [JSONRenderer]
            permission_classes: list = []
            authentication_classes: list = []
            throttle_classes: list = []

            def get_queryset(self):
                return queryset()

            def paginate_queryset(self, qs):
                page = super().paginate_queryset(qs)
                return paginate(page) if paginate else page

            def get_serializer_context(self):
                return {**super().get_serializer_context(), **(context() if context else {})}

        return Plain.as_view()

    kr_order = Prefetch("key_results", queryset=models.KeyResult.objects.order_by("sort_order", "pk"))
    return {
        "objectives": view(
            Objective,
            lambda: (
                models.Objective.objects.filter(program=program)
                .select_related("owner", "cycle")  # health reads the cycle when the objective has no dates
                .prefetch_related(kr_order)
                .order_by("due_date", "title", "pk")
            ),
            context=lambda: {"today": timezone.localdate()},
        ),
        "key-results": view(
            KeyResult,
            lambda: models.KeyResult.objects.filter(objective__program=program).order_by(
                "objective_id", "sort_order", "pk"
            ),
        ),
        "check-ins": view(
            CheckIn,
            lambda: (
                models.CheckIn.objects.filter(key_result__objective__program=program)
                .select_related("author")
                .order_by("-created_at", "-pk")
            ),
        ),
        "mentorships": view(
            Mentorship,
            lambda: (
                models.Mentorship.objects.filter(program=program)
                .select_related("mentor", "mentee", "program")
                .order_by("program_id", "-proposed_at", "-pk")
            ),
            paginate=attach_activity,
        ),
        "sessions": view(
            Session,
            lambda: (
                models.MentoringSession.objects.filter(mentorship__program=program)
                .select_related("created_by")
                .order_by("-date", "-pk")
            ),
        ),
    }


def our_views():
    """``{endpoint: view}``: the package's list views."""
    from wagtail_mentoring.api import views

    classes = {
        "objectives": views.ObjectiveViewSet,
        "key-results": views.KeyResultViewSet,
        "check-ins": views.CheckInViewSet,
        "mentorships": views.MentorshipViewSet,
        "sessions": views.SessionViewSet,
    }
    return {name: cls.as_view({"get": "list"}) for name, cls in classes.items()}


def measure(coordinator, program, endpoints, repeat: int, show_sql: bool) -> dict:
    """Round-robin timings of ours and plain per endpoint: ``{endpoint: {side: {...}}}``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIRequestFactory, force_authenticate

    from wagtail_mentoring.access.cache import close_request_cache, open_request_cache

    factory = APIRequestFactory()
    views = {"ours": our_views(), "plain": plain_views(program)}

    def call(side, name):
        request = factory.get(f"/api/mentoring/v1/{name}/", PAGE)
        force_authenticate(request, user=coordinator)
        open_request_cache()  # as Django's request_started does for a request through the handler
        wall, cpu = time.perf_counter(), time.process_time()
        response = views[side][name](request)
        response.render()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        close_request_cache()
        assert response.status_code == 200, (side, name, response.content[:500])
        return wall, cpu, response

    results = {}
    for name in endpoints:
        ours, plain = call("ours", name)[2], call("plain", name)[2]
        a, b = json.loads(ours.content), json.loads(plain.content)
        assert a == b, f"{name}: ours and plain differ"
        results[name] = {"rows": a["count"], "ours": {"wall": [], "cpu": []}, "plain": {"wall": [], "cpu": []}}
        for side in ("ours", "plain"):
            with CaptureQueriesContext(connection) as queries:
                call(side, name)
            results[name][side]["sql"] = [q["sql"] for q in queries.captured_queries]
    for i in range(repeat):
        order = ("ours", "plain") if i % 2 == 0 else ("plain", "ours")
        for name in endpoints:
            for side in order:
                wall, cpu, _response = call(side, name)
                results[name][side]["wall"].append(wall)
                results[name][side]["cpu"].append(cpu)
    return results


def main() -> None:
    """Build the data, measure, print one block per endpoint and a summary table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objectives", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=60)
    parser.add_argument("--endpoints", default=",".join(ENDPOINTS))
    parser.add_argument("--show-sql", action="store_true")
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    t0 = time.perf_counter()
    coordinator, program = build(args.objectives)
    print(f"database: {connection.vendor}; data ready in {time.perf_counter() - t0:.1f}s", flush=True)
    endpoints = [e for e in args.endpoints.split(",") if e]
    results = measure(coordinator, program, endpoints, args.repeat, args.show_sql)
    print(f"page {PAGE['page']} of {PAGE['page_size']}; {args.repeat} round-robin runs; medians (ms)")
    print(
        f"{'endpoint':<12} {'rows':>6} | {'ours wall':>9} {'plain':>7} {'ratio':>5} | {'ours cpu':>8} {'plain':>7} {'ratio':>5} | queries"
    )
    for name, r in results.items():
        ow, pw = statistics.median(r["ours"]["wall"]) * 1000, statistics.median(r["plain"]["wall"]) * 1000
        oc, pc = statistics.median(r["ours"]["cpu"]) * 1000, statistics.median(r["plain"]["cpu"]) * 1000
        print(
            f"{name:<12} {r['rows']:>6} | {ow:9.2f} {pw:7.2f} {ow / pw:5.2f} | {oc:8.2f} {pc:7.2f} {oc / pc:5.2f} |"
            f" {len(r['ours']['sql'])} / {len(r['plain']['sql'])}"
        )
    if args.show_sql:
        for name, r in results.items():
            for side in ("ours", "plain"):
                print(f"\n-- {name}, {side}")
                for sql in r[side]["sql"]:
                    print(sql + ";")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
