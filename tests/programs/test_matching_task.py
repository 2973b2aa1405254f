"""Matching in the background: runs started from the review page, their progress, result, failures, access."""

import datetime
import io
import math

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django_tasks import default_task_backend

from tests.factories.programs import mentee_enrolment, mentor_enrolment
from wagtail_mentoring.models import MatchingRun, Mentorship
from wagtail_mentoring.people import display_name
from wagtail_mentoring.programs import tasks
from wagtail_mentoring.programs.tasks import ProgressWriter, match_program, overall_percent, start_matching_run

pytestmark = pytest.mark.django_db

#: A backend that keeps tasks queued (nothing runs them): a run stays "queued" as with a busy worker.
QUEUE_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def review_url(program):
    return reverse("wagtail_mentoring_matching_review", args=[program.pk])


def progress_url(program):
    return reverse("wagtail_mentoring_matching_progress", args=[program.pk])


@pytest.fixture
def people(admin_access, program):
    """Two free mentors (capacity 1 and 2) and three mentees: a run proposes three pairs."""
    mentors = [mentor_enrolment(program, capacity=1).user, mentor_enrolment(program, capacity=2).user]
    mentees = [mentee_enrolment(program).user for _ in range(3)]
    return {"mentors": mentors, "mentees": mentees, **admin_access}


@pytest.fixture
def coordinator(client, people):
    client.force_login(people["coordinator"])
    return client


def proposed(program):
    return Mentorship.objects.filter(program=program, status="proposed")


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@override_settings(TASKS=QUEUE_ONLY)
def test_run_from_the_review_page_enqueues_a_task_and_shows_it_waiting(coordinator, program, people):
    response = coordinator.post(review_url(program), {"action": "run"}, follow=True)
    run = MatchingRun.objects.get(program=program)
    assert run.status == "queued" and run.started_by == people["coordinator"] and run.task_id
    # The task is on the queue with the run's id, and nothing ran it yet.
    [queued] = default_task_backend.results
    assert queued.task.name == match_program.name and queued.args == [run.pk]
    assert not proposed(program).exists()
    assert messages_of(response) == [
        "Matching has started. This page shows its progress; nobody is told until you approve pairs."
    ]
    html = response.content.decode()
    assert "Matching in progress" in html and f"Started by {display_name(people['coordinator'])} just now." in html
    assert 'max="100" value="0"' in html and "Waiting for a worker to start: 0% done" in html
    assert '<meta http-equiv="refresh" content="2">' in html  # without JavaScript
    assert "matching_progress.js" in html and f'data-progress-url="{progress_url(program)}"' in html
    assert 'name="action" value="run"' not in html  # no second run from the page while one is pending
    assert 'name="action" value="stop"' in html
    assert coordinator.get(progress_url(program)).json()["run"] == {
        "id": run.pk,
        "status": "queued",
        "status_label": "Queued",
        "pending": True,
        "phase": "queued",
        "phase_label": "Waiting for a worker to start",
        "percent": 0,
    }
    # A worker picks it up: the proposal is stored and the page shows the result.
    assert match_program.call(run.pk)["status"] == "done"
    run.refresh_from_db()
    assert (run.status, run.percent, run.phase, run.pairs_count, run.unmatched_count) == ("done", 100, "done", 3, 0)
    assert run.started_at and run.finished_at
    assert proposed(program).count() == 3
    html = coordinator.get(review_url(program)).content.decode()
    assert "Matching in progress" not in html and "Last run finished just now and proposed 3 pairs." in html
    assert "http-equiv" not in html and 'name="action" value="approve"' in html
    assert coordinator.get(progress_url(program)).json()["run"]["status"] == "done"


def test_progress_is_visible_while_the_engine_runs(coordinator, program, people, matching_engine, monkeypatch):
    """The engine's progress reaches the run (outside any transaction) and the page shows it meanwhile."""
    real_match = matching_engine.match
    seen = []

    def match_with_progress(*args, progress=None, **kwargs):
        progress("scoring", 0.5)
        seen.append((coordinator.get(review_url(program)), coordinator.get(progress_url(program)).json()))
        progress("candidates", 0.0)  # 10%: the percent never goes back
        seen.append((None, coordinator.get(progress_url(program)).json()))
        return real_match(*args, **kwargs)

    monkeypatch.setattr(matching_engine, "match", match_with_progress)
    coordinator.post(review_url(program), {"action": "run"})
    (page, state), (_none, later) = seen
    html = page.content.decode()
    assert "Matching in progress" in html and 'value="25"' in html
    assert "Matching mentees to mentors (scoring): 25% done" in html
    assert state["run"]["status"] == "running" and state["run"]["percent"] == 25
    assert later["run"]["phase"] == "candidates" and later["run"]["percent"] == 25
    assert MatchingRun.objects.get(program=program).status == "done"
    assert proposed(program).count() == 3


def test_immediate_backend_runs_at_once_and_says_what_was_proposed(coordinator, program, people):
    """The example site's set-up: the run is done when the page comes back."""
    response = coordinator.post(review_url(program), {"action": "run"}, follow=True)
    assert messages_of(response)[0] == "Matching proposed 3 pairs; 0 mentees are unmatched. Nobody has been told yet."
    assert len(response.context["rows"]) == 3
    run = MatchingRun.objects.get(program=program)
    assert run.status == "done" and {m.pk for m in proposed(program)} == {
        r["pair"].pk for r in response.context["rows"]
    }


def test_unmatched_reasons_are_kept_with_the_run_and_shown(coordinator, program, people):
    extra = [mentee_enrolment(program).user for _ in range(2)]  # 5 mentees, 3 slots
    coordinator.post(review_url(program), {"action": "run"})
    run = MatchingRun.objects.get(program=program)
    assert run.unmatched_count == 2 and set(run.unmatched_reasons) <= {str(u.pk) for u in people["mentees"] + extra}
    response = coordinator.get(review_url(program))
    rows = response.context["unmatched_rows"]
    assert len(rows) == 2 and all(reason for _name, reason in rows)
    assert 'class="wm-unmatched-reason"' in response.content.decode()


@override_settings(TASKS=QUEUE_ONLY)
def test_a_second_run_while_one_is_pending_is_refused(coordinator, program, people):
    coordinator.post(review_url(program), {"action": "run"}, follow=True)
    response = coordinator.post(review_url(program), {"action": "run"}, follow=True)
    assert response.status_code == 200
    assert messages_of(response) == [
        "Matching is already running for this program. Wait for it to finish (this page shows its progress), "
        "then run it again if you need to."
    ]
    assert MatchingRun.objects.filter(program=program).count() == 1
    assert len(default_task_backend.results) == 1
    # The service refuses it too, whoever calls it ...
    with pytest.raises(ValidationError) as refused:
        start_matching_run(program, by=people["other_coordinator"])
    assert refused.value.code == "run_pending"
    # ... and the database, for two requests at once (the check and the insert are not atomic).
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchingRun.objects.create(program=program, status="running")


@override_settings(TASKS=QUEUE_ONLY)
def test_a_run_that_slipped_past_the_check_is_refused_with_the_same_message(program, people, monkeypatch):
    start_matching_run(program)
    monkeypatch.setattr(tasks, "pending_run", lambda program: None)  # as if another request had just inserted it
    with pytest.raises(ValidationError) as refused:
        start_matching_run(program)
    assert refused.value.code == "run_pending" and "already running" in refused.value.messages[0]
    assert MatchingRun.objects.filter(program=program).count() == 1


@override_settings(TASKS=QUEUE_ONLY)
def test_other_actions_wait_for_the_run(coordinator, program, people):
    pair = Mentorship.objects.create(program=program, mentor=people["mentors"][0], mentee=people["mentees"][0])
    coordinator.post(review_url(program), {"action": "run"}, follow=True)
    for action in ("approve", "reject", "discard"):
        response = coordinator.post(review_url(program), {"action": action, "selected": [pair.pk]}, follow=True)
        assert messages_of(response) == [
            "Matching is running for this program: wait until it finishes, then review the new proposal."
        ]
    pair.refresh_from_db()
    assert pair.status == "proposed"
    html = coordinator.get(review_url(program)).content.decode()
    assert "Current proposal" in html and 'value="approve"' not in html


@override_settings(TASKS=QUEUE_ONLY)
def test_another_program_can_run_meanwhile(program, other_program, people):
    start_matching_run(program)
    assert start_matching_run(other_program).status == "queued"


def test_a_run_can_start_again_after_it_finished(coordinator, program, people):
    coordinator.post(review_url(program), {"action": "run"})
    coordinator.post(review_url(program), {"action": "run"})
    assert list(MatchingRun.objects.filter(program=program).values_list("status", flat=True)) == ["done", "done"]
    assert proposed(program).count() == 3  # the second run replaced the first one's proposal


def test_a_failed_run_is_reported_and_keeps_the_previous_proposal(
    coordinator, program, people, matching_engine, monkeypatch
):
    coordinator.post(review_url(program), {"action": "run"}, follow=True)
    kept = set(proposed(program).values_list("pk", flat=True))

    def crash(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(matching_engine, "match", crash)
    response = coordinator.post(review_url(program), {"action": "run"}, follow=True)
    assert response.status_code == 200
    run = MatchingRun.objects.filter(program=program).first()
    assert run.status == "failed" and run.finished_at and "MemoryError" in run.error
    [message] = messages_of(response)
    assert message.startswith("Matching failed: Matching stopped because of an unexpected error (MemoryError).")
    html = response.content.decode()
    assert "The last matching run failed" in html and 'role="alert"' in html
    assert set(proposed(program).values_list("pk", flat=True)) == kept
    # Failed is finished: the coordinator may run it again.
    monkeypatch.undo()
    coordinator.post(review_url(program), {"action": "run"})
    assert MatchingRun.objects.filter(program=program).first().status == "done"


def test_invalid_settings_fail_the_run_with_the_reason(coordinator, program, people, matching_engine, monkeypatch):
    def bad_settings(*args, **kwargs):
        raise ValueError("unknown criterion 'luck'")

    monkeypatch.setattr(matching_engine, "match", bad_settings)
    response = coordinator.post(review_url(program), {"action": "run"}, follow=True)
    run = MatchingRun.objects.get(program=program)
    assert run.status == "failed" and "unknown criterion 'luck'" in run.error
    assert "The program&#x27;s matching settings are invalid" in response.content.decode()


def test_a_backend_that_refuses_the_task_fails_the_run(coordinator, program, people, monkeypatch):
    class Refusing:
        def enqueue(self, *args):
            raise ConnectionError("queue down")

    monkeypatch.setattr(tasks, "match_program", Refusing())
    response = coordinator.post(review_url(program), {"action": "run"}, follow=True)
    run = MatchingRun.objects.get(program=program)
    assert run.status == "failed" and run.error == "The matching run could not be queued (ConnectionError)."
    assert messages_of(response) == ["Matching failed: The matching run could not be queued (ConnectionError)."]


def test_a_run_is_run_once(program, people):
    with override_settings(TASKS=QUEUE_ONLY):
        run = start_matching_run(program)
    assert match_program.call(run.pk)["status"] == "done"
    assert match_program.call(run.pk) == {"run": run.pk, "status": "skipped"}
    assert proposed(program).count() == 3


def test_progress_writer_only_writes_changes_and_never_goes_back(program, django_assert_num_queries):
    run = MatchingRun.objects.create(program=program, status="running")
    writer = ProgressWriter(run.pk)
    with django_assert_num_queries(2):
        writer("reading", 1.0)  # 10%
        writer("reading", 1.0)  # no change: no query
        writer("scoring", 0.5)  # 25%: scoring is 10-40% of a run
        writer("scoring", math.nan)  # NaN counts as 0, the percent stays
        writer("scoring", 0.5)
    run.refresh_from_db()
    assert (run.phase, run.percent) == ("scoring", 25)
    # The engine's phases of a large program, round after round (the writer keeps the highest percent).
    steps = [("candidates", 0.5), ("candidates", 1), ("solving", 1 / 12), ("certificate", 0.5), ("solving", 2 / 12)]
    assert [overall_percent(p, f) for p, f in steps] == [25, 40, 44, 65, 48]
    assert [overall_percent(p, f) for p, f in [("reading", 0), ("matching", 1), ("saving", 2), ("x", -1)]] == [
        0,
        95,
        100,
        10,
    ]


@pytest.mark.parametrize("who", ["other_coordinator", "employee", "mentor", "editor"])
def test_only_the_programs_coordinators_see_or_start_a_run(client, program, people, who):
    with override_settings(TASKS=QUEUE_ONLY):
        start_matching_run(program, by=people["coordinator"])
    client.force_login(people[who])
    assert client.get(review_url(program)).status_code in (302, 404)  # 302: no admin access at all
    progress = client.get(progress_url(program))
    assert progress.status_code in (302, 404) and b"percent" not in progress.content
    client.post(review_url(program), {"action": "run"})
    assert MatchingRun.objects.filter(program=program).count() == 1


def test_coordinators_without_admin_access_are_not_shown_json_and_anonymous_must_log_in(program, people):
    with override_settings(TASKS=QUEUE_ONLY):
        start_matching_run(program)
    anonymous = Client()
    for url in (review_url(program), progress_url(program)):
        response = anonymous.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    assert anonymous.post(review_url(program), {"action": "run"}).status_code == 302
    assert MatchingRun.objects.filter(program=program).count() == 1
    other = Client()
    other.force_login(people["other_coordinator"])
    assert other.get(progress_url(program)).status_code == 404


def test_superuser_coordinates_every_program(client, program, people):
    client.force_login(people["superuser"])
    client.post(review_url(program), {"action": "run"})
    assert client.get(progress_url(program)).json()["run"]["status"] == "done"


def test_progress_url_before_any_run(coordinator, program, people):
    assert coordinator.get(progress_url(program)).json() == {"run": None}
    assert "Matching in progress" not in coordinator.get(review_url(program)).content.decode()


class FakeTTY(io.StringIO):
    def isatty(self):
        return True


def test_command_shows_plain_progress_lines_when_not_a_terminal(program, people):
    out, err = io.StringIO(), io.StringIO()
    call_command("mentoring_match", program.slug, "--dry-run", stdout=out, stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0] == "  0%  Reading the enrolments"
    assert "  10%  Matching mentees to mentors" in lines or " 10%  Matching mentees to mentors" in lines
    assert lines[-1] == " 95%  Matching mentees to mentors" and "\r" not in err.getvalue()
    assert "3 pairs" in out.getvalue()


def test_command_draws_a_progress_bar_on_a_terminal(program, people):
    err = FakeTTY()
    call_command("mentoring_match", program.slug, "--dry-run", stdout=io.StringIO(), stderr=err)
    text = err.getvalue()
    frames = text.split("\r")[1:]
    assert frames and frames[0].startswith("[------------------------------]   0%  Reading the enrolments")
    assert frames[-1].startswith("[" + "#" * 28 + "--]  95%  Matching mentees to mentors")
    assert text.endswith("\n")


def test_command_is_quiet_with_verbosity_0(program, people):
    err = io.StringIO()
    call_command("mentoring_match", program.slug, "--dry-run", "-v", "0", stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == ""


@override_settings(TASKS=QUEUE_ONLY)
def test_command_refuses_to_save_while_a_run_is_pending(program, people):
    start_matching_run(program)
    with pytest.raises(CommandError, match="already running"):
        call_command("mentoring_match", program.slug, stdout=io.StringIO(), stderr=io.StringIO())
    assert not proposed(program).exists()
    call_command("mentoring_match", program.slug, "--dry-run", stdout=io.StringIO(), stderr=io.StringIO())


def test_the_page_says_how_long_ago_a_run_started_and_finished(coordinator, program, people):
    coordinator.post(review_url(program), {"action": "run"})
    run = MatchingRun.objects.get(program=program)
    hour_ago = run.finished_at - datetime.timedelta(hours=1)
    MatchingRun.objects.filter(pk=run.pk).update(finished_at=hour_ago)
    html = coordinator.get(review_url(program)).content.decode()
    assert "Last run finished 1\xa0hour ago and proposed 3 pairs." in html
    with override_settings(TASKS=QUEUE_ONLY):
        coordinator.post(review_url(program), {"action": "run"})
    MatchingRun.objects.filter(status="queued").update(created_at=hour_ago)
    html = coordinator.get(review_url(program)).content.decode()
    assert f"Started by {display_name(people['coordinator'])} 1\xa0hour ago." in html


@override_settings(TASKS=QUEUE_ONLY)
def test_a_queued_run_can_be_stopped_and_never_starts(coordinator, program, people):
    coordinator.post(review_url(program), {"action": "run"}, follow=True)
    run = MatchingRun.objects.get(program=program)
    response = coordinator.post(review_url(program), {"action": "stop"}, follow=True)
    assert messages_of(response) == ["Matching was stopped; it saves nothing. The previous proposal is kept."]
    run.refresh_from_db()
    assert run.status == "stopped" and run.error == f"Stopped by {display_name(people['coordinator'])}."
    html = response.content.decode()
    assert f"The last matching run was stopped: Stopped by {display_name(people['coordinator'])}. It saved" in html
    assert match_program.call(run.pk)["status"] == "skipped" and not proposed(program).exists()
    # Nothing left to stop; a new run may start.
    response = coordinator.post(review_url(program), {"action": "stop"}, follow=True)
    assert messages_of(response) == ["No matching run is in progress for this program."]
    coordinator.post(review_url(program), {"action": "run"})
    assert MatchingRun.objects.filter(program=program, status="queued").count() == 1


def test_a_running_run_stopped_meanwhile_saves_nothing(coordinator, program, people, matching_engine, monkeypatch):
    coordinator.post(review_url(program), {"action": "run"}, follow=True)
    kept = set(proposed(program).values_list("pk", flat=True))
    real_match = matching_engine.match

    def stopped_meanwhile(*args, progress=None, **kwargs):
        tasks.stop_matching_run(program, by=people["other_coordinator"])
        return real_match(*args, **kwargs)

    monkeypatch.setattr(matching_engine, "match", stopped_meanwhile)
    coordinator.post(review_url(program), {"action": "run"})
    run = MatchingRun.objects.filter(program=program).first()
    assert run.status == "stopped" and run.error.startswith("Stopped by")
    assert set(proposed(program).values_list("pk", flat=True)) == kept
    html = coordinator.get(review_url(program)).content.decode()
    assert "The last matching run was stopped" in html and run.error in html


@pytest.mark.parametrize("who", ["other_coordinator", "employee"])
def test_only_the_programs_coordinators_stop_a_run(client, program, people, who):
    with override_settings(TASKS=QUEUE_ONLY):
        start_matching_run(program, by=people["coordinator"])
    client.force_login(people[who])
    assert client.post(review_url(program), {"action": "stop"}).status_code == 404
    assert MatchingRun.objects.get(program=program).status == "queued"
