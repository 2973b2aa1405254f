"""Matching in the background: start a run (one pending run per program), the django-tasks task, its progress.

A coordinator (the admin's matching review) or ``mentoring_match --background`` starts a run with
:func:`start_matching_run`; it records a :class:`~wagtail_mentoring.programs.models.MatchingRun` and, once
that is committed, enqueues :func:`match_program` on the configured django-tasks backend (the immediate
backend runs it at once; ``django-tasks-db``'s ``db_worker`` runs it in another process). The task runs
``proposals.replace_proposal`` and writes each phase and percent to the run as it goes, so any page or
process can show the progress; the proposal itself is stored as proposed mentorships.
"""

from __future__ import annotations

import logging
import math

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from wagtail_mentoring.people import display_name
from wagtail_mentoring.programs.models import MatchingRun, MentoringProgramPage
from wagtail_mentoring.programs.proposals import Proposal, replace_proposal
from wagtail_mentoring.programs.selfmatch import expire_requests

logger = logging.getLogger(__name__)

#: Where each phase of ``proposals.replace_proposal`` sits on a run's progress bar, as (start, end)
#: percentages; the engine's own phases (any other name) share :data:`ENGINE_SPAN`.
PHASE_SPANS: dict[str, tuple[int, int]] = {
    "queued": (0, 0),
    "reading": (0, 10),
    # The engine's phases (``programs.matching.engine.Progress``): scoring (small programs) or candidate
    # generation (large ones), then rounds of solving and checking the certificate, then explaining.
    "scoring": (10, 40),
    "candidates": (10, 40),
    "solving": (40, 90),
    "certificate": (40, 90),
    "explaining": (90, 95),
    "done": (95, 95),
    "saving": (95, 100),
}
ENGINE_SPAN: tuple[int, int] = (10, 95)

#: What each phase is called on the review page and in ``mentoring_match``.
PHASE_LABELS = {
    "queued": gettext_lazy("Waiting for a worker to start"),
    "reading": gettext_lazy("Reading the enrolments"),
    "matching": gettext_lazy("Matching mentees to mentors"),
    "saving": gettext_lazy("Saving the proposal"),
    "done": gettext_lazy("Done"),
}


def phase_label(phase: str) -> str:
    """The phase of a run in words; a phase named by the engine is shown as a step of matching."""
    if phase in PHASE_LABELS:
        return str(PHASE_LABELS[phase])
    if not phase:
        return str(PHASE_LABELS["queued"])
    return _("Matching mentees to mentors (%(step)s)") % {"step": phase.replace("_", " ")}


def overall_percent(phase: str, fraction: float) -> int:
    """How far a whole run is, in percent, when ``fraction`` (0 to 1; NaN counts as 0) of ``phase`` is done."""
    start, end = PHASE_SPANS.get(phase, ENGINE_SPAN)
    fraction = float(fraction)
    fraction = 0.0 if math.isnan(fraction) else min(max(fraction, 0.0), 1.0)
    return min(100, int(start + (end - start) * fraction))


def pending_run(program: MentoringProgramPage) -> MatchingRun | None:
    """The program's queued or running matching run, if any (there is at most one)."""
    return MatchingRun.objects.filter(program=program, status__in=MatchingRun.PENDING).first()


def latest_run(program: MentoringProgramPage) -> MatchingRun | None:
    """The program's most recent matching run (pending or finished), with who started it."""
    return MatchingRun.objects.filter(program=program).select_related("started_by").order_by("-pk").first()


def _already_pending() -> ValidationError:
    return ValidationError(
        _(
            "Matching is already running for this program. Wait for it to finish (this page shows its "
            "progress), then run it again if you need to."
        ),
        code="run_pending",
    )


def start_matching_run(program: MentoringProgramPage, by=None) -> MatchingRun:
    """Queue a matching run for ``program`` and enqueue :func:`match_program` for it.

    At most one run per program is queued or running: the check here gives the message, and the
    database's partial unique constraint (``wm_matching_run_one_pending_per_program``) decides between
    two requests at once (on PostgreSQL the second insert waits for the first and then fails).

    Args:
        program: the program to match.
        by: the user who starts the run (shown on the review page).

    Raises:
        ValidationError: ``run_pending`` when a run of the program is already queued or running.
    """
    if pending_run(program) is not None:
        raise _already_pending()
    try:
        with transaction.atomic():
            run = MatchingRun.objects.create(program=program, started_by=by, phase="queued")
    except IntegrityError as exc:  # another request created one between the check and the insert
        raise _already_pending() from exc
    # Enqueued after the run's own transaction: in autocommit (a request, a command) the run is committed
    # first, whatever the backend; inside a caller's transaction, the database backend stores the task in
    # that transaction too, so its worker sees the run and the task together, at the commit.
    _enqueue(run.pk)
    return run


def _enqueue(run_id: int) -> None:
    """Hand the run to the task backend; a backend that refuses it fails the run (the page says why)."""
    try:
        result = match_program.enqueue(run_id)
    except Exception as exc:
        logger.exception("Could not enqueue matching run %s", run_id)
        _finish(
            run_id,
            MatchingRun.Status.FAILED,
            error=_("The matching run could not be queued (%(error)s).") % {"error": type(exc).__name__},
            statuses=(MatchingRun.Status.QUEUED,),
        )
        return
    MatchingRun.objects.filter(pk=run_id, task_id="").update(task_id=str(result.id)[:64])


def _finish(run_id: int, status: str, statuses: tuple[str, ...] = MatchingRun.PENDING, **fields) -> int:
    """Close a run that is still in one of ``statuses`` (a run is finished once)."""
    now = timezone.now()
    return MatchingRun.objects.filter(pk=run_id, status__in=statuses).update(
        status=status, finished_at=now, updated_at=now, **fields
    )


class RunStopped(Exception):
    """Raised inside a run whose coordinator stopped it (:func:`stop_matching_run`): it saves nothing."""


def stop_matching_run(program: MentoringProgramPage, by=None) -> MatchingRun:
    """Stop the program's queued or running run: it is closed as *stopped* and will save nothing.

    A queued run is never started; a running one stops at its next step (:class:`ProgressWriter`),
    at the latest before it saves its proposal. Use it for a run started by mistake, or one whose
    worker went away (a run that makes no progress blocks the program's next run).

    Raises:
        ValidationError: ``no_run`` when no run of the program is queued or running.
    """
    run = pending_run(program)
    stopped = 0
    if run is not None:
        name = display_name(by) if by is not None else ""
        error = _("Stopped by %(name)s.") % {"name": name} if name else _("Stopped.")
        stopped = _finish(run.pk, MatchingRun.Status.STOPPED, error=error)
    if not stopped:
        raise ValidationError(_("No matching run is in progress for this program."), code="no_run")
    run.refresh_from_db()
    return run


class ProgressWriter:
    """The ``progress(phase, fraction)`` callback of a run: writes its phase and percent (only on change).

    Each write is its own statement in autocommit (the engine runs outside any transaction), so other
    requests and processes see it at once. The percent never goes back. When the run was stopped
    meanwhile (:func:`stop_matching_run`) it raises :class:`RunStopped`.
    """

    def __init__(self, run_id: int) -> None:
        """Write to the run with id ``run_id``."""
        self.run_id = run_id
        self.phase = ""
        self.percent = 0

    def __call__(self, phase: str, fraction: float) -> None:
        """Record that ``fraction`` (0 to 1) of ``phase`` is done."""
        percent = max(self.percent, overall_percent(phase, fraction))
        phase = str(phase)[:64]
        if (phase, percent) == (self.phase, self.percent):
            return
        self.phase, self.percent = phase, percent
        written = MatchingRun.objects.filter(pk=self.run_id, status=MatchingRun.Status.RUNNING).update(
            phase=phase, percent=percent, updated_at=timezone.now()
        )
        if not written:
            raise RunStopped(self.run_id)


@task()
def match_program(run_id: int) -> dict:
    """Run matching for the program of queued run ``run_id`` and store the proposal (``replace_proposal``).

    The run goes queued -> running -> done (with the number of pairs and of mentees left unmatched) or
    failed (with the error in words; the previous proposal is kept). A run that is not queued any more
    is left alone. An unexpected error fails the run and is raised again, so the worker records it.
    """
    now = timezone.now()
    claimed = MatchingRun.objects.filter(pk=run_id, status=MatchingRun.Status.QUEUED).update(
        status=MatchingRun.Status.RUNNING, started_at=now, updated_at=now, phase="reading", percent=0
    )
    if not claimed:
        return {"run": run_id, "status": "skipped"}
    run = MatchingRun.objects.select_related("program").get(pk=run_id)
    try:
        proposal: Proposal = replace_proposal(run.program, progress=ProgressWriter(run_id))
    except RunStopped:
        return {"run": run_id, "status": "stopped"}
    except ValidationError as exc:
        _finish(run_id, MatchingRun.Status.FAILED, error="; ".join(exc.messages))
        return {"run": run_id, "status": MatchingRun.Status.FAILED}
    except Exception as exc:
        logger.exception("Matching run %s failed", run_id)
        _finish(
            run_id,
            MatchingRun.Status.FAILED,
            error=_(
                "Matching stopped because of an unexpected error (%(error)s). The previous proposal was kept; "
                "try again, and tell your site's administrators if it happens again."
            )
            % {"error": type(exc).__name__},
        )
        raise
    _finish(
        run_id,
        MatchingRun.Status.DONE,
        phase="done",
        percent=100,
        pairs_count=len(proposal.pairs),
        unmatched_count=len(proposal.unmatched),
        unmatched_reasons={str(item.mentee_id): item.reason for item in proposal.unmatched},
    )
    return {
        "run": run_id,
        "status": MatchingRun.Status.DONE,
        "pairs": len(proposal.pairs),
        "unmatched": len(proposal.unmatched),
    }


@task()
def expire_mentorship_requests() -> dict:
    """Expire the self-match requests whose answer time is over (``programs.selfmatch.expire_requests``).

    ``mentoring_reminders`` runs it before the reminders, so a schedule that runs the reminders expires
    requests too; a host may also enqueue it on its own schedule.
    """
    return {"expired": expire_requests()}
