"""A program journey: each step's due date and state for one pairing (pure rule, no ORM).

A program page lists journey steps (``programs.blocks.JourneyStepBlock``), each due a number of days
after the pairing starts. For one pairing, a step is **done** when the pair marked it done or when the
thing it waits for happened (``completes_when``: a survey answered, a learning path completed, objectives
set); otherwise it is **overdue** once its due date has passed, **due** from :data:`DUE_WINDOW_DAYS` days
before its due date, and **upcoming** before that. A pairing that has not started has no due dates: its
steps are upcoming until done.

Example:
    >>> import datetime as dt
    >>> steps = [JourneyStep("a", "Agreement", 0), JourneyStep("b", "First objectives", 14)]
    >>> journey = compute_journey(dt.date(2026, 1, 1), steps, {"a": None}, today=dt.date(2026, 1, 20))
    >>> [s.state for s in journey.steps]
    ['done', 'overdue']
    >>> journey.summary.done, journey.summary.total, journey.summary.overdue
    (1, 2, 1)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

#: A step not done is "due" from this many days before its due date (and on it).
DUE_WINDOW_DAYS = 7
#: The largest number of days after the pairing's start a step may be due (a program runs about a year).
MAX_DAYS_AFTER_START = 730

DONE = "done"
DUE = "due"
OVERDUE = "overdue"
UPCOMING = "upcoming"
#: Each state's label, shown as text beside its badge.
STATE_LABELS = {
    DONE: pgettext_lazy("journey step state", "Done"),
    DUE: pgettext_lazy("journey step state", "Due"),
    OVERDUE: pgettext_lazy("journey step state", "Overdue"),
    UPCOMING: pgettext_lazy("journey step state", "Upcoming"),
}
#: Each state's tone (the badge colours of ``components/health_badge.html``: good, warn, bad, neutral).
STATE_TONES = {DONE: "good", DUE: "warn", OVERDUE: "bad", UPCOMING: "neutral"}

#: What completes a step: the pair marks it done, or the linked thing happens.
MANUAL = "manual"
SURVEY = "survey"
PATH = "path"
OBJECTIVES = "objectives"
COMPLETES_WHEN_CHOICES = [
    (MANUAL, _("The pair marks it done")),
    (SURVEY, _("The survey is answered")),
    (PATH, _("The mentee completes the linked learning path or resource")),
    (OBJECTIVES, _("The pairing has objectives")),
]


@dataclass(frozen=True)
class JourneyStep:
    """One step of a program's journey, as the editor wrote it (a ``JourneyStepBlock``'s value).

    Attributes:
        id: the stable id of the step (its StreamField block id).
        title: what the step is.
        days_after_start: the step is due this many days after the pairing starts.
        description: the agenda prompt.
        completes_when: :data:`MANUAL`, :data:`SURVEY`, :data:`PATH` or :data:`OBJECTIVES`.
        survey_kind: the kind of feedback that completes a :data:`SURVEY` step.
        resource_id: the linked training resource page, if any.
        path_id: the linked learning path, if any.
    """

    id: str
    title: str
    days_after_start: int
    description: str = ""
    completes_when: str = MANUAL
    survey_kind: str = ""
    resource_id: int | None = None
    path_id: int | None = None

    @property
    def manual(self) -> bool:
        """The pair marks this step done themselves (and may undo it)."""
        return self.completes_when == MANUAL


@dataclass(frozen=True)
class StepState:
    """A step for one pairing: its due date, state and when it was completed.

    ``completed_at`` is when the pair marked it done (``None`` for a step done automatically);
    ``automatic`` says the linked thing happened.
    """

    step: JourneyStep
    due: dt.date | None
    state: str
    completed_at: dt.datetime | None = None
    automatic: bool = False

    @property
    def done(self) -> bool:
        """The step is done (marked, or automatically)."""
        return self.state == DONE

    @property
    def label(self) -> str:
        """The state as text (translated)."""
        return str(STATE_LABELS[self.state])

    @property
    def tone(self) -> str:
        """The badge tone of the state."""
        return STATE_TONES[self.state]


@dataclass(frozen=True)
class JourneySummary:
    """A journey at a glance: steps done of the total, how many are overdue, and the next step."""

    done: int = 0
    total: int = 0
    overdue: int = 0
    next_step: StepState | None = None

    @property
    def text(self) -> str:
        """e.g. "3 of 5 steps, 1 overdue" (translated); empty for a program without a journey."""
        if not self.total:
            return ""
        text = ngettext("%(done)d of %(total)d step", "%(done)d of %(total)d steps", self.total) % {
            "done": self.done,
            "total": self.total,
        }
        if self.overdue:
            text += ", " + ngettext("%(n)d overdue", "%(n)d overdue", self.overdue) % {"n": self.overdue}
        return text


@dataclass(frozen=True)
class Journey:
    """A pairing's journey: its steps in order, with their states, and the summary."""

    steps: list[StepState] = field(default_factory=list)
    summary: JourneySummary = field(default_factory=JourneySummary)

    @property
    def overdue(self) -> list[StepState]:
        """The overdue steps, in order."""
        return [s for s in self.steps if s.state == OVERDUE]


def step_due(start: dt.date | None, days_after_start: int) -> dt.date | None:
    """The date a step is due: the pairing's start plus ``days_after_start``; ``None`` before it starts.

    Example:
        >>> step_due(dt.date(2026, 1, 1), 30)
        datetime.date(2026, 1, 31)
    """
    if start is None:
        return None
    return start + dt.timedelta(days=days_after_start)


def step_state(due: dt.date | None, done: bool, today: dt.date) -> str:
    """The state of a step due on ``due``: done, overdue (past due), due (within :data:`DUE_WINDOW_DAYS`
    days, or today) or upcoming.

    Example:
        >>> step_state(dt.date(2026, 1, 10), False, dt.date(2026, 1, 5))
        'due'
    """
    if done:
        return DONE
    if due is None:
        return UPCOMING
    if due < today:
        return OVERDUE
    if (due - today).days <= DUE_WINDOW_DAYS:
        return DUE
    return UPCOMING


def compute_journey(
    start: dt.date | None,
    steps: Iterable[JourneyStep],
    completions: Mapping[str, dt.datetime | None],
    automatic: Iterable[str] = (),
    today: dt.date | None = None,
) -> Journey:
    """The journey of a pairing that started on ``start``.

    Args:
        start: the pairing's start (``Mentorship.started_on``); ``None`` when it has not started.
        steps: the program's journey steps, in order.
        completions: step id -> when the pair marked it done (completions of steps no longer on the
            program are ignored).
        automatic: ids of the steps whose linked thing happened.
        today: the date to judge on (required).

    Returns:
        The :class:`Journey`; its summary's ``next_step`` is the first step not done.
    """
    if today is None:
        raise ValueError("compute_journey needs today's date")
    automatic = set(automatic)
    states = []
    for step in steps:
        marked = step.id in completions
        auto = step.id in automatic and not step.manual
        due = step_due(start, step.days_after_start)
        states.append(
            StepState(
                step=step,
                due=due,
                state=step_state(due, marked or auto, today),
                completed_at=completions.get(step.id) if marked else None,
                automatic=auto and not marked,
            )
        )
    summary = JourneySummary(
        done=sum(1 for s in states if s.done),
        total=len(states),
        overdue=sum(1 for s in states if s.state == OVERDUE),
        next_step=next((s for s in states if not s.done), None),
    )
    return Journey(steps=states, summary=summary)
