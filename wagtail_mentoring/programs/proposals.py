"""Matching proposals: from a program's accepted enrolments (ORM) to ``matching.match`` and back.

The pure engine (``programs.matching``) sees plain ``Candidate`` objects keyed by user id; this module
builds them in a constant number of queries, leaves out people who cannot be matched (already paired,
mentor full, required training not done) with a reason, and turns the result into a JSON-serialisable
``Proposal`` that ``mentoring_match`` prints. Both the command and the admin's matching review save it
through :func:`save_proposed` as *proposed* mentorships: the proposal lives in the database, so every
coordinator of the program sees it until it is approved, rejected or discarded.
"""

from __future__ import annotations

import importlib
import inspect
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from wagtail_mentoring.conf import mentoring_settings
from wagtail_mentoring.people import display_name
from wagtail_mentoring.programs import lifecycle, services
from wagtail_mentoring.programs.lifecycle import transition_for
from wagtail_mentoring.programs.models import (
    Enrolment,
    MentoringProfile,
    MentoringProgramPage,
    Mentorship,
)
from wagtail_mentoring.programs.selectors import PAIRED_STATUSES, unmatched_mentees
from wagtail_mentoring.training.requirements import unmet_requirements


def matching_engine():
    """The matching engine module (imported lazily: it is pure and may be swapped in tests)."""
    return importlib.import_module("wagtail_mentoring.programs.matching")


@dataclass
class ProposedPair:
    """One proposed pairing, with display names for the review screen."""

    mentee_id: int
    mentor_id: int
    score: float
    reasons: Any
    mentee_name: str = ""
    mentor_name: str = ""


@dataclass
class UnmatchedMentee:
    """A mentee the proposal leaves out, and why."""

    mentee_id: int
    reason: str
    mentee_name: str = ""


@dataclass
class Proposal:
    """A matching proposal for one program (JSON-serialisable through :meth:`as_dict`)."""

    program_id: int
    strategy: str
    pairs: list[ProposedPair] = field(default_factory=list)
    unmatched: list[UnmatchedMentee] = field(default_factory=list)
    total_score: float = 0.0
    mentor_capacity: dict[int, int] = field(default_factory=dict)
    mentor_names: dict[int, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """A JSON-safe dict (integer keys as strings), as ``mentoring_match --json`` prints it."""
        data = asdict(self)
        data["mentor_capacity"] = {str(k): v for k, v in self.mentor_capacity.items()}
        data["mentor_names"] = {str(k): v for k, v in self.mentor_names.items()}
        return data


def _profile(user) -> MentoringProfile | None:
    try:
        return user.mentoring_profile
    except MentoringProfile.DoesNotExist:
        return None


def candidate_for(enrolment: Enrolment, capacity: int):
    """The matching ``Candidate`` of an accepted enrolment, with ``capacity`` slots (its profile folded in)."""
    profile = _profile(enrolment.user)
    is_mentor = enrolment.role == Enrolment.Role.MENTOR
    skills = Enrolment.split(enrolment.skills_offered if is_mentor else enrolment.skills_sought)
    interests = Enrolment.split(enrolment.interests)
    languages = Enrolment.split(enrolment.languages)
    career_goals = enrolment.goals
    department, seniority, time_zone = "", 1, ""
    if profile is not None:
        if is_mentor:
            skills |= {t.name.lower() for t in profile.skills.all()}
        interests |= {t.name.lower() for t in profile.interests.all()}
        languages = languages or Enrolment.split(profile.languages)
        career_goals = "\n".join(part for part in (enrolment.goals, profile.career_goals) if part)
        department, seniority, time_zone = profile.department, profile.seniority, profile.time_zone
    return matching_engine().Candidate(
        id=enrolment.user_id,
        skills=skills,
        interests=interests,
        languages=languages,
        department=department,
        seniority=seniority,
        capacity=capacity,
        career_goals=career_goals,
        time_zone=time_zone,
    )


#: ``progress(phase, fraction)``: told how a run is going (``fraction`` of ``phase`` done, in [0, 1]).
Progress = Callable[[str, float], None]


def _report(progress: Progress | None, phase: str, fraction: float) -> None:
    if progress is not None:
        progress(phase, fraction)


def _held_statuses(replacing: bool) -> tuple:
    """The pairing statuses that hold a mentee or a mentor's slot; without those a new proposal discards."""
    if not replacing:
        return PAIRED_STATUSES
    dropped = set(transition_for(Mentorship, "reject").sources)  # what ``discard_proposals`` removes
    return tuple(status for status in PAIRED_STATUSES if status not in dropped)


def build_candidates(program: MentoringProgramPage, replacing: bool = False):
    """Mentee and mentor ``Candidate`` lists of ``program``, and the people left out (with reasons).

    Mentees are the unmatched ones (``programs.selectors.unmatched_mentees``): a mentee already
    paired or proposed in the program, or who has an open or accepted mentorship request there
    (self-match: they chose their mentor themselves), is neither a candidate nor excluded. With ``replacing``, the
    program's proposed pairings count as already discarded (a run that will replace the proposal).

    Returns:
        ``(mentees, mentors, excluded_mentees, users)``: ``excluded_mentees`` maps unmatched mentees'
        ids to the reason they cannot be matched now; ``users`` maps every user id involved to its user.
    """
    enrolments = list(
        Enrolment.objects.filter(program=program, status=Enrolment.Status.ACCEPTED)
        .select_related("user", "user__mentoring_profile")
        .prefetch_related("user__mentoring_profile__skills", "user__mentoring_profile__interests")
        .order_by("role", "user_id")
    )
    # Proposed pairings awaiting approval hold their mentor's slot too, so matching never overbooks.
    held = _held_statuses(replacing)
    occupied = dict(
        Mentorship.objects.filter(program=program, status__in=held)
        .values_list("mentor_id")
        .annotate(n=Count("pk"))
        .values_list("mentor_id", "n")
    )
    # Mentees already paired (or proposed), or who requested a mentor themselves (self-match), are not
    # unmatched (``selectors.unmatched_mentees``): matching leaves them out silently.
    unmatched = set(
        unmatched_mentees(Enrolment.objects.filter(program=program), held).values_list("user_id", flat=True)
    )
    mentee_rows = [e for e in enrolments if e.role == Enrolment.Role.MENTEE and e.user_id in unmatched]
    mentor_rows = [e for e in enrolments if e.role == Enrolment.Role.MENTOR]
    unmet_mentees = unmet_requirements(program, "mentee", [e.user_id for e in mentee_rows])
    unmet_mentors = unmet_requirements(program, "mentor", [e.user_id for e in mentor_rows])

    excluded: dict[int, str] = {}
    mentees, mentors = [], []
    for e in mentee_rows:
        if e.user_id in unmet_mentees:
            excluded[e.user_id] = unmet_mentees[e.user_id]
        else:
            mentees.append(candidate_for(e, 1))
    for e in mentor_rows:
        free = e.capacity - occupied.get(e.user_id, 0)
        if free > 0 and e.user_id not in unmet_mentors:
            mentors.append(candidate_for(e, free))
    users = {e.user_id: e.user for e in enrolments}
    return mentees, mentors, excluded, users


def run_matching(program: MentoringProgramPage, progress: Progress | None = None, replacing: bool = False) -> Proposal:
    """Run the matching engine for ``program``'s accepted enrolments and return the proposal (saves nothing).

    Args:
        progress: told ``("reading", fraction)`` while the enrolments are read, then the engine's own phases when its ``match``
            takes a ``progress`` callback (else ``("matching", 0.0)`` and ``("matching", 1.0)``).
        replacing: match as if the program's proposed pairings were discarded (see ``build_candidates``).
    """
    _report(progress, "reading", 0.0)
    mentees, mentors, excluded, users = build_candidates(program, replacing=replacing)
    _report(progress, "reading", 1.0)
    strategy = program.matching_strategy or MentoringProgramPage.MatchingStrategy.BEST_TOTAL
    mentor_ids = {m.id for m in mentors}
    engine_match = matching_engine().match
    extra = {}
    if progress is not None and "progress" in inspect.signature(engine_match).parameters:
        extra["progress"] = progress
    _report(progress, "matching", 0.0)
    try:
        result = engine_match(
            mentees,
            mentors,
            weights=program.matching_weights or None,
            rules=program.matching_rules or None,
            strategy=strategy,
            # A person left out as mentee may still mentor: their id must not exclude the mentor.
            excluded={pk: reason for pk, reason in excluded.items() if pk not in mentor_ids},
            **extra,
        )
    except ValueError as exc:  # the engine's configuration errors (bad weights or rules on the page)
        raise ValidationError(
            _("The program's matching settings are invalid: %(error)s") % {"error": exc}, code="matching_config"
        ) from exc
    _report(progress, "matching", 1.0)
    proposal = Proposal(
        program_id=program.pk,
        strategy=strategy,
        total_score=float(result.total_score),
        mentor_capacity={m.id: m.capacity for m in mentors},
        mentor_names={m.id: display_name(users[m.id]) for m in mentors},
    )
    for pair in sorted(result.pairs, key=lambda p: (display_name(users[p.mentee_id]).lower(), p.mentee_id)):
        proposal.pairs.append(
            ProposedPair(
                mentee_id=pair.mentee_id,
                mentor_id=pair.mentor_id,
                score=round(float(pair.score), 4),
                reasons=_jsonable(pair.reasons),
                mentee_name=display_name(users[pair.mentee_id]),
                mentor_name=display_name(users[pair.mentor_id]),
            )
        )
    seen = set()
    for item in result.unmatched:
        seen.add(item.mentee_id)
        reason = excluded.get(item.mentee_id) or getattr(item, "message", None) or str(item.reason)
        proposal.unmatched.append(
            UnmatchedMentee(
                mentee_id=item.mentee_id, reason=str(reason), mentee_name=display_name(users[item.mentee_id])
            )
        )
    for mentee_id, reason in excluded.items():  # whatever the engine reports, left-out people are listed
        if mentee_id not in seen:
            proposal.unmatched.append(
                UnmatchedMentee(mentee_id=mentee_id, reason=reason, mentee_name=display_name(users[mentee_id]))
            )
    proposal.unmatched.sort(key=lambda u: (u.mentee_name.lower(), u.mentee_id))
    return proposal


def _jsonable(reasons: Any) -> Any:
    """Per-criterion reasons as JSON: dicts stay dicts; reason objects become dicts with their message."""
    if isinstance(reasons, dict):
        return {str(k): (round(v, 4) if isinstance(v, float) else v) for k, v in reasons.items()}
    if isinstance(reasons, list | tuple):
        return [_reason_item(r) for r in reasons]
    return str(reasons)


def _reason_item(reason: Any) -> Any:
    if hasattr(reason, "as_dict"):
        data = reason.as_dict()
        message = getattr(reason, "message", None)
        if message:
            data["message"] = str(message)
        return json.loads(json.dumps(data, default=str))
    if isinstance(reason, dict):
        return _jsonable(reason)
    return str(reason)


def score_percent(score: float | None) -> str:
    """A pair score (or one criterion's contribution to it), in [0, 1], as a whole percentage ("63%")."""
    return "" if score is None else f"{round(float(score) * 100)}%"


def reason_lines(reasons: Any) -> list[tuple[str, str]]:
    """``(label, value)`` lines to show a pair's reasons, whatever shape the engine gave them.

    A criterion's contribution to the pair score is shown as a percentage of the best score ("+32%").
    """
    if isinstance(reasons, dict):
        return [(str(k), _contribution(v)) for k, v in reasons.items()]
    lines = []
    for item in reasons or ():
        if isinstance(item, dict):
            label = item.get("message") or item.get("criterion", "")
            lines.append((str(label), _contribution(item.get("contribution", ""))))
        else:
            lines.append((str(item), ""))
    return lines


def _contribution(value: Any) -> str:
    """A criterion's contribution as shown: a score as a signed percentage ("+32%"), anything else as text."""
    if isinstance(value, float):
        return f"+{score_percent(value)}"
    return str(value)


@dataclass
class Suggestion:
    """One suggested mentor for a self-matching mentee: the engine's score and reasons (as stored)."""

    mentor_id: int
    mentor_name: str
    score: float
    reasons: Any
    mentor: Any = None


def suggested_mentors(program: MentoringProgramPage, mentee, limit: int | None = None) -> list[Suggestion]:
    """The best mentors for ``mentee`` in ``program`` by the matching engine (``matching.suggest``).

    The candidates are the coordinators' run's (:func:`build_candidates`): full mentors, mentors with
    required training left and pairs a hard rule forbids are never suggested; a mentee who is not an
    unmatched candidate (paired, proposed, with an open request, or training left) gets none.
    A constant number of queries.

    Args:
        program: The program.
        mentee: The mentee (a user).
        limit: How many at most (default: the ``SELF_MATCH_SUGGESTIONS`` setting).

    Raises:
        ValidationError: the program's matching settings are invalid.
    """
    limit = mentoring_settings.SELF_MATCH_SUGGESTIONS if limit is None else limit
    mentees, mentors, _excluded, users = build_candidates(program)
    candidate = next((c for c in mentees if c.id == mentee.pk), None)
    if candidate is None:
        return []
    try:
        pairs = matching_engine().suggest(
            candidate,
            mentors,
            weights=program.matching_weights or None,
            rules=program.matching_rules or None,
            limit=limit,
        )
    except ValueError as exc:
        raise ValidationError(
            _("The program's matching settings are invalid: %(error)s") % {"error": exc}, code="matching_config"
        ) from exc
    return [
        Suggestion(
            mentor_id=pair.mentor_id,
            mentor_name=display_name(users[pair.mentor_id]),
            score=round(float(pair.score), 4),
            reasons=_jsonable(pair.reasons),
            mentor=users[pair.mentor_id],
        )
        for pair in pairs
    ]


def pair_score(program: MentoringProgramPage, mentee_id: int, mentor_id: int) -> float | None:
    """The engine's score for one pair (used when a coordinator swaps a mentor); None if forbidden."""
    return pair_scorer(program)(mentee_id, mentor_id)


def pair_scorer(program: MentoringProgramPage) -> Callable[[int, int], float | None]:
    """A function ``(mentee_id, mentor_id) -> score`` (None if forbidden or not a candidate) over ``program``'s
    candidates, built once: scoring many swapped pairs costs the queries of one."""
    mentees, mentors, _excluded, _users = build_candidates(program)
    by_id = {("mentee", c.id): c for c in mentees} | {("mentor", c.id): c for c in mentors}

    def score(mentee_id: int, mentor_id: int) -> float | None:
        mentee, mentor = by_id.get(("mentee", mentee_id)), by_id.get(("mentor", mentor_id))
        if mentee is None or mentor is None:
            return None
        return matching_engine().score(
            mentee, mentor, weights=program.matching_weights or None, rules=program.matching_rules or None
        )

    return score


def _reasons_dict(reasons: Any) -> dict:
    return reasons if isinstance(reasons, dict) else {"reasons": reasons}


def save_proposed(program: MentoringProgramPage, proposal: Proposal) -> list[Mentorship]:
    """Record every pair of ``proposal`` as a *proposed* mentorship (one insert, all or nothing; nobody is told)."""
    users = get_user_model().objects.in_bulk(
        {p.mentee_id for p in proposal.pairs} | {p.mentor_id for p in proposal.pairs}
    )
    return lifecycle.propose_many(
        program,
        [(users[p.mentor_id], users[p.mentee_id], p.score, _reasons_dict(p.reasons)) for p in proposal.pairs],
    )


def stored_reasons(match_reasons: Any) -> Any:
    """The engine's reasons as :func:`save_proposed` stored them (the inverse of ``_reasons_dict``)."""
    if isinstance(match_reasons, dict) and set(match_reasons) == {"reasons"}:
        return match_reasons["reasons"]
    return match_reasons


def proposed_pairs(program: MentoringProgramPage) -> QuerySet:
    """The program's proposed mentorships (its pending proposal), with mentor and mentee loaded."""
    return (
        Mentorship.objects.filter(program=program, status=Mentorship.Status.PROPOSED)
        .select_related("mentor", "mentee")
        .order_by("mentee__first_name", "mentee__last_name", "mentee__username", "pk")
    )


def mentor_slots(program: MentoringProgramPage) -> dict[int, tuple[str, int]]:
    """Each accepted mentor of ``program``: ``(display name, free slots)``, in two queries.

    A slot is taken by every pairing in ``selectors.PAIRED_STATUSES``: proposed pairings hold their
    mentor's slot, as in :func:`build_candidates`.
    """
    used = dict(
        Mentorship.objects.filter(program=program, status__in=PAIRED_STATUSES)
        .values_list("mentor_id")
        .annotate(n=Count("pk"))
        .values_list("mentor_id", "n")
    )
    enrolments = Enrolment.objects.filter(
        program=program, role=Enrolment.Role.MENTOR, status=Enrolment.Status.ACCEPTED
    ).select_related("user")
    return {e.user_id: (display_name(e.user), e.capacity - used.get(e.user_id, 0)) for e in enrolments}


def replace_proposal(program: MentoringProgramPage, progress: Progress | None = None) -> Proposal:
    """Run matching anew for ``program``, then replace its proposed pairings with the new proposal.

    The engine runs first, outside any write transaction (as if the proposal were already discarded,
    so the result is the same), telling ``progress`` how it goes (see :func:`run_matching`; then
    ``("saving", 0.0)`` and ``("saving", 1.0)``); the old proposal is then dropped and the new one
    saved in one transaction.

    Raises:
        ValidationError: the program's matching settings are invalid, or a pair was refused when saved
            (the program changed while matching ran); the previous proposal is kept then.
    """
    proposal = run_matching(program, progress=progress, replacing=True)
    _report(progress, "saving", 0.0)
    with transaction.atomic():
        services.discard_proposals(program)
        save_proposed(program, proposal)
    _report(progress, "saving", 1.0)
    return proposal


def approve_proposed(program: MentoringProgramPage, choices: dict[int, int], by=None) -> list[Mentorship]:
    """Approve the chosen proposed mentorships of ``program`` (all or nothing), then e-mail the people.

    Args:
        choices: proposed mentorship id -> mentor id; a mentor other than the proposed one swaps the
            pair's mentor (the proposal is rejected and the mentee is proposed to, and approved with, the
            new mentor, who must be an accepted mentor of the program with a free slot).

    Raises:
        ValidationError: a pairing that is not proposed in the program, an unknown mentor, a mentor over
            capacity, or any lifecycle rule (see ``lifecycle.approve``). Nothing is saved then.
    """
    proposed = {
        m.pk: m
        for m in Mentorship.objects.filter(
            program=program, status=Mentorship.Status.PROPOSED, pk__in=list(choices)
        ).select_related("mentor", "mentee", "program")
    }
    if set(choices) - set(proposed):
        raise ValidationError(_("This pair is not part of the proposal."), code="unknown_pair")
    slots = mentor_slots(program)
    free = {pk: n for pk, (_name, n) in slots.items()}
    for pk, mentor_id in choices.items():
        if mentor_id not in slots:
            raise ValidationError(_("Choose one of the program's mentors with free capacity."), code="unknown_mentor")
        free[mentor_id] -= 1
        if proposed[pk].mentor_id in free:
            free[proposed[pk].mentor_id] += 1
    for mentor_id, n in free.items():
        if n < 0:
            raise ValidationError(
                _("%(mentor)s would get more mentees than their capacity.") % {"mentor": slots[mentor_id][0]},
                code="capacity",
            )
    swaps = {pk: mentor_id for pk, mentor_id in sorted(choices.items()) if mentor_id != proposed[pk].mentor_id}
    with transaction.atomic():
        approved = {pk: proposed[pk] for pk in sorted(choices) if pk not in swaps}
        if swaps:
            users = get_user_model().objects.in_bulk(set(swaps.values()))
            score = pair_scorer(program)
            lifecycle.reject_many([proposed[pk] for pk in swaps])
            swapped = lifecycle.propose_many(
                program,
                [
                    (
                        users[mentor_id],
                        proposed[pk].mentee,
                        score(proposed[pk].mentee_id, mentor_id),
                        {"chosen_by_coordinator": True, "proposed_mentor_id": proposed[pk].mentor_id},
                    )
                    for pk, mentor_id in swaps.items()
                ],
            )
            approved.update(zip(swaps, swapped, strict=True))
        ordered = [approved[pk] for pk in sorted(choices)]
        for mentorship in ordered:
            mentorship.program = program  # the proposal's program, already loaded: no query per pair
        lifecycle.approve_many(ordered, by=by)
    return ordered
