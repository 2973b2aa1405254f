"""Benchmark: the program report for N pairs (default 2,000) with a year of history.

Usage (from the repository root)::

    python bench/report.py                       # SQLite in memory
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/wm_bench python bench/report.py
    python bench/report.py --pairs 500 --runs 3
    python bench/report.py --anonymity           # also: the anonymity groups against TruncMonth


Prints the data volume, then the median (and min/max) time and query count of: computing the
report (``reports.metrics.program_report``), rendering the admin report page, and the CSV export.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def generate(pairs: int, today: dt.date):
    """A program with ``pairs`` pairs and a year of sessions, check-ins, feedback and outcomes."""
    import random

    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from wagtail.models import Page

    from wagtail_mentoring import models as m

    rng = random.Random(42)
    User = get_user_model()
    root = Page.get_first_root_node()
    index = root.add_child(instance=m.MentoringProgramIndexPage(title="Programs", slug="programs"))
    program = index.add_child(
        instance=m.MentoringProgramPage(
            title="Bench program",
            slug="bench",
            start_date=today - dt.timedelta(days=365),
            end_date=today + dt.timedelta(days=30),
        )
    )
    users = User.objects.bulk_create(
        [User(username=f"u{i}", email=f"u{i}@example.com", first_name="U", last_name=str(i)) for i in range(2 * pairs)]
    )
    start = today - dt.timedelta(days=365)
    m.Enrolment.objects.bulk_create(
        [
            m.Enrolment(program=program, user=u, role="mentor" if i % 2 else "mentee", status="accepted")
            for i, u in enumerate(users)
        ]
    )
    statuses = ["active"] * 7 + ["paused", "completed", "ended"]
    mentorships = m.Mentorship.objects.bulk_create(
        [
            m.Mentorship(
                program=program,
                mentor=users[2 * i + 1],
                mentee=users[2 * i],
                status=statuses[i % len(statuses)],
                started_on=start + dt.timedelta(days=rng.randint(0, 30)),
                ended_on=today - dt.timedelta(days=10)
                if statuses[i % len(statuses)] in ("completed", "ended")
                else None,
            )
            for i in range(pairs)
        ]
    )

    def aware(day, hour=10):
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))

    sessions, objectives, feedback, outcomes = [], [], [], []
    for ms in mentorships:
        for k in range(24):  # every ~two weeks for a year
            sessions.append(
                m.MentoringSession(mentorship=ms, date=aware(start + dt.timedelta(days=15 * k)), notes="private")
            )
        for o in range(3):
            objectives.append(
                m.Objective(
                    title=f"O{o}",
                    owner_id=ms.mentee_id,
                    mentorship=ms,
                    program=program,
                    start_date=start,
                    due_date=today,
                )
            )
        for _k in range(12):
            feedback.append(
                m.Feedback(
                    mentorship=ms, program=program, author_id=ms.mentee_id, kind="session", rating=rng.randint(1, 5)
                )
            )
        feedback.append(
            m.Feedback(
                mentorship=ms,
                program=program,
                author_id=ms.mentor_id,
                kind="pairing_check",
                rating=4,
                nps=rng.randint(0, 10),
            )
        )
        if ms.status in ("completed", "ended"):
            outcomes.append(m.Outcome(mentorship=ms, kind=rng.choice(["promoted", "retained", "left"])))
    m.MentoringSession.objects.bulk_create(sessions, batch_size=2000)
    objectives = m.Objective.objects.bulk_create(objectives, batch_size=2000)
    krs = m.KeyResult.objects.bulk_create(
        [
            m.KeyResult(
                objective=o,
                title=f"KR{j}",
                start_value=0,
                target_value=10,
                current_value=rng.randint(0, 10),
                sort_order=j,
            )
            for o in objectives
            for j in range(3)
        ],
        batch_size=2000,
    )
    check_ins = [
        m.CheckIn(key_result=kr, value=rng.randint(0, 10), created_at=aware(start + dt.timedelta(days=30 * k)))
        for kr in krs
        for k in range(12)  # monthly for a year
    ]
    m.CheckIn.objects.bulk_create(check_ins, batch_size=5000)
    m.Feedback.objects.bulk_create(feedback, batch_size=5000)
    m.Outcome.objects.bulk_create(outcomes)
    return program, {
        "pairs": len(mentorships),
        "sessions": len(sessions),
        "objectives": len(objectives),
        "key results": len(krs),
        "check-ins": len(check_ins),
        "feedback": len(feedback),
    }


def measure(label: str, fn, runs: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        queries.append(len(ctx))
    print(
        f"{label:<28} median {statistics.median(times) * 1000:8.1f} ms   "
        f"min {min(times) * 1000:8.1f}   max {max(times) * 1000:8.1f}   queries {queries[0]}"
    )


def truncmonth_groups(feedback):
    """The baseline: the anonymity groups counted with ``TruncMonth`` in the current time zone (a Python
    function per answer on SQLite), the shown groups then selected by an OR of their month ranges."""
    from django.db.models import Count, Q
    from django.db.models.functions import TruncMonth
    from django.utils import timezone

    from wagtail_mentoring.conf import mentoring_settings
    from wagtail_mentoring.surveys import anonymity

    counts = {
        (row["kind"], anonymity.survey_period(timezone.localtime(row["month"]).date())): (row["month"], row["n"])
        for row in feedback.annotate(month=TruncMonth("created_at")).values("kind", "month").annotate(n=Count("pk"))
    }
    shown = anonymity.reportable_groups(
        {key: n for key, (_month, n) in counts.items()}, mentoring_settings.ANONYMITY_MIN_RESPONSES
    )
    in_shown = Q(pk__in=[])
    for key in shown:
        start = timezone.localtime(counts[key][0])
        end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        in_shown |= Q(kind=key[0], created_at__gte=start, created_at__lt=end)
    return feedback.filter(in_shown)


def compare_anonymity(program, runs: int) -> None:
    """Time the anonymity groups and one aggregate over the answers shown, both ways, alternated."""
    from django.db.models import Count, Q

    from wagtail_mentoring.programs.models import Feedback
    from wagtail_mentoring.reports.metrics import _reportable_feedback

    feedback = Feedback.objects.filter(Q(program=program) | Q(mentorship__program=program))

    def aggregate(shown):
        return list(shown.values_list("kind").annotate(n=Count("pk")).order_by("kind"))

    assert aggregate(truncmonth_groups(feedback)) == aggregate(_reportable_feedback(feedback)[0])
    timings = {"TruncMonth (baseline)": [], "month edges (the report)": []}
    for _ in range(runs):
        for label, groups in (
            ("TruncMonth (baseline)", truncmonth_groups),
            ("month edges (the report)", lambda qs: _reportable_feedback(qs)[0]),
        ):
            t0 = time.perf_counter()
            aggregate(groups(feedback))
            timings[label].append(time.perf_counter() - t0)
    medians = {label: statistics.median(times) for label, times in timings.items()}
    for label, times in timings.items():
        print(f"anonymity: {label:<25} median {medians[label] * 1000:8.1f} ms   min {min(times) * 1000:8.1f}")
    baseline, report = medians.values()
    print(f"anonymity: month edges / TruncMonth = {report / baseline:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--anonymity",
        action="store_true",
        help="also time the report's anonymity groups against grouping by TruncMonth, alternated",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.utils import timezone

        from wagtail_mentoring.reports.metrics import program_report

        today = timezone.localdate()
        t0 = time.perf_counter()
        program, volume = generate(args.pairs, today)
        print(f"database: {connection.vendor}; generated in {time.perf_counter() - t0:.1f} s: {volume}")
        admin = get_user_model().objects.create_superuser("bench-admin", "a@example.com", "pw")
        client = Client()
        client.force_login(admin)
        url = f"/admin/mentoring/reports/{program.pk}/"

        def page():
            assert client.get(url).status_code == 200

        def csv():
            response = client.get(url + "?export=csv")
            assert response.status_code == 200
            b"".join(response.streaming_content)

        measure("program_report()", lambda: program_report(program, today), args.runs)
        measure("admin report page", page, args.runs)
        measure("CSV export (all pairs)", csv, args.runs)
        if args.anonymity:
            compare_anonymity(program, args.runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
