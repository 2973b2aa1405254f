"""Matching runs on PostgreSQL: two starts at once, and django-tasks-db's ``db_worker`` as a real separate process."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.factories import UserFactory
from tests.factories.programs import mentee_enrolment, mentor_enrolment
from tests.programs.test_concurrency import race_home, race_program  # noqa: F401 (fixtures)
from wagtail_mentoring.models import MatchingRun, Mentorship
from wagtail_mentoring.programs.tasks import start_matching_run

ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]
ROOT = Path(__file__).resolve().parents[2]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
QUEUE_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not ON_POSTGRES, reason="the db_worker test needs PostgreSQL: set DATABASE_URL=postgres://..."),
]


@pytest.fixture
def matched_program(race_program):  # noqa: F811 (the imported fixture)
    """The race program with a coordinator (admin access), two mentors (3 slots) and three mentees."""
    coordinator = UserFactory(username="run-coordinator")
    coordinator.groups.add(race_program.coordinators)
    coordinator.user_permissions.add(Permission.objects.get(codename="access_admin"))
    mentor_enrolment(race_program, capacity=1)
    mentor_enrolment(race_program, capacity=2)
    for _ in range(3):
        mentee_enrolment(race_program)
    return race_program, coordinator


@override_settings(TASKS=QUEUE_ONLY)
def test_two_starts_at_once_make_one_run(matched_program):
    program, coordinator = matched_program
    barrier = threading.Barrier(4)
    outcomes, lock = [], threading.Lock()

    def start():
        close_old_connections()
        try:
            barrier.wait()
            start_matching_run(program, by=coordinator)
            result = "ok"
        except ValidationError as exc:
            result = exc.code
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "run_pending", "run_pending", "run_pending"]
    assert MatchingRun.objects.filter(program=program).count() == 1


def _database_url() -> str:
    """The URL of the test database this test runs on (the worker must use the same one)."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{db['NAME']}"


@pytest.mark.worker
@override_settings(TASKS=DATABASE_TASKS)
def test_db_worker_process_takes_a_run_from_queued_to_done(client, matched_program):
    program, coordinator = matched_program
    client.force_login(coordinator)
    url = reverse("wagtail_mentoring_matching_review", args=[program.pk])
    response = client.post(url, {"action": "run"}, follow=True)
    run = MatchingRun.objects.get(program=program)
    assert run.status == "queued" and run.task_id
    assert "Matching in progress" in response.content.decode()
    task_row = DBTaskResult.objects.get(pk=run.task_id)
    assert task_row.status == "READY"

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        DATABASE_URL=_database_url(),
        WM_TASKS_BACKEND="database",
        PYTHONPATH=str(ROOT),
    )
    started = time.monotonic()
    worker = subprocess.run(
        [sys.executable, "-m", "django", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert worker.returncode == 0, worker.stderr[-3000:]
    run.refresh_from_db()
    assert run.status == "done", (run.status, run.error, worker.stderr[-3000:])
    assert run.percent == 100 and run.pairs_count == 3 and run.started_at >= run.created_at
    assert Mentorship.objects.filter(program=program, status="proposed").count() == 3
    task_row.refresh_from_db()
    assert task_row.status == "SUCCESSFUL" and task_row.worker_ids  # run by the worker process, not by us
    assert time.monotonic() - started < 300
    html = client.get(url).content.decode()
    assert "Last run finished just now and proposed 3 pairs." in html
