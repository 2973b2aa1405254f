"""The mentorship and enrolment lifecycles as one declarative table, and the locked path that runs them.

Each :class:`Transition` says from which statuses an action starts, who may take it, what it needs
(a reason, an agreement, a new mentor), the status it leads to and its side effects (object
permissions granted or revoked, e-mails). :func:`perform` is the only way a status changes: it locks
the row (``SELECT ... FOR UPDATE`` inside ``transaction.atomic``), re-reads the status under the
lock, checks the table and runs the transition. The service functions (``approve``, ``pause`` ...),
the admin's bulk actions and row buttons, and the API's lifecycle actions are all derived from
:data:`TRANSITIONS`.

Example:
    >>> perform(transition_for(Mentorship, "pause"), mentorship, by=request.user)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, router, transaction
from django.db.models import Model, QuerySet
from django.db.models.signals import post_save
from django.dispatch import Signal
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail_mentoring.access.grants import (
    grant_pair_access,
    grant_pairs_access,
    resume_pair_access,
    revoke_pair_access,
    suspend_pair_access,
)
from wagtail_mentoring.access.querysets import coordinated_enrolments, coordinated_mentorships, own_enrolments
from wagtail_mentoring.programs.emails import send_pairing_approved
from wagtail_mentoring.programs.models import Enrolment, MentoringProgramPage, Mentorship

#: Who may take a transition (see :data:`ACTOR_SCOPES`).
COORDINATOR = "coordinator"
APPLICANT = "applicant"

#: Statuses that occupy one of the mentor's capacity slots.
OCCUPYING = (Mentorship.Status.ACTIVE, Mentorship.Status.PAUSED)
AGREEMENT_FIELDS = Mentorship.AGREEMENT_FIELDS

#: What a transition may ask for: no reason, an optional one, or a required one.
REASON_OPTIONAL = "optional"
REASON_REQUIRED = "required"

Effect = Callable[[Model], None]


@dataclass(frozen=True)
class Transition:
    """One row of the lifecycle table.

    Attributes:
        model: ``Mentorship`` or ``Enrolment``.
        action: the verb, unique per model ("approve", "accept"); the API's action name.
        sources: the statuses the action starts from.
        target: the status it leads to; ``None`` when the object is deleted (a rejected proposal).
        label: the button and bulk-action label ("Approve").
        bulk_label: the bulk action's accessible label ("Approve selected mentorships").
        done: the past participle used in a mentorship's errors ("A mentorship that is paused cannot be
            *approved*."); enrolment errors name the target status instead.
        summary: one line describing the action for the API schema (API actions only).
        actors: who may take it: :data:`COORDINATOR` (of the object's program), :data:`APPLICANT`.
        reason: ``None``, :data:`REASON_OPTIONAL` or :data:`REASON_REQUIRED`.
        agreement: the action captures the pairing's agreement (``AGREEMENT_FIELDS``).
        new_mentor: the action needs another mentor of the program (reassign).
        effects: permission changes run inside the transaction, after the row is saved.
        run_many, bulk_effects: what ``run`` and ``effects`` do, for many objects at once (:func:`perform_many`).
        emails: messages sent once the transaction commits (skipped with ``notify=False``).
        admin: offered in the admin (bulk action and row button).
        api: offered as an API action.
        serious: the admin shows the action as destructive.
    """

    model: type[Model]
    action: str
    sources: tuple[str, ...]
    target: str | None
    label: Promise
    bulk_label: Promise
    done: Promise | None = None
    summary: Promise | None = None
    actors: tuple[str, ...] = (COORDINATOR,)
    reason: str | None = None
    agreement: bool = False
    new_mentor: bool = False
    effects: tuple[Effect, ...] = ()
    emails: tuple[Effect, ...] = ()
    admin: bool = True
    api: bool = True
    serious: bool = False
    run: Callable[..., Any] | None = field(default=None, compare=False)
    #: The same transition on many objects at once (:func:`perform_many`), in a constant number of queries.
    run_many: Callable[..., Any] | None = field(default=None, compare=False)
    #: ``effects`` for many objects at once (one grant pass), run by :func:`perform_many`.
    bulk_effects: tuple[Callable[[list], None], ...] = field(default=(), compare=False)

    @property
    def name(self) -> str:
        """The admin's bulk-action type, e.g. ``"mentorship_approve"``."""
        return f"{self.model._meta.model_name}_{self.action}"

    def allows(self, status: str) -> bool:
        """Does the action start from ``status``?"""
        return status in self.sources

    def scope(self, user) -> QuerySet:
        """The objects ``user`` may take this action on (by role; the status is checked by :func:`perform`)."""
        scopes = [ACTOR_SCOPES[actor][self.model](user) for actor in self.actors if self.model in ACTOR_SCOPES[actor]]
        queryset = scopes[0]
        for other in scopes[1:]:
            queryset = queryset | other
        return queryset

    def refusal(self, obj: Model) -> ValidationError:
        """The error raised when ``obj``'s status does not allow the action."""
        if self.model is Enrolment:
            return ValidationError(
                _("An enrolment that is %(current)s cannot become %(new)s.")
                % {"current": obj.get_status_display().lower(), "new": Enrolment.Status(self.target).label.lower()},
                code="invalid_transition",
            )
        return ValidationError(
            _("A mentorship that is %(status)s cannot be %(action)s.")
            % {"status": obj.get_status_display().lower(), "action": self.done},
            code="invalid_transition",
        )


#: Querysets of the objects each actor may act on, per model.
ACTOR_SCOPES: dict[str, dict[type[Model], Callable[[Any], QuerySet]]] = {
    COORDINATOR: {Mentorship: coordinated_mentorships, Enrolment: coordinated_enrolments},
    APPLICANT: {Enrolment: own_enrolments},
}


#: Sent inside a transition's transaction, after its effects, once per :func:`perform` or :func:`perform_many`,
#: with ``transition``, ``objects`` (the list it moved) and ``by``: what other features do when a pairing or an
#: enrolment moves (e.g. the mentee's enrolment goals become draft objectives on approval), connected in
#: ``signal_handlers`` so that this layer imports none of them. A receiver's error rolls the transition back.
transition_done = Signal()


def perform(transition: Transition, obj: Model, by=None, notify: bool = True, **inputs) -> Any:
    """Run ``transition`` on ``obj`` under a row lock: re-read its status, check the table, change it.

    ``obj`` is updated in place. ``inputs`` are the transition's inputs (``reason``, ``new_mentor``,
    agreement fields). Returns what the transition returns (the object, or the new proposal for a
    reassignment, or None for a rejection).

    Raises:
        ValidationError: the status does not allow the action, or an input or a rule (capacity,
            one active pairing per mentee) refuses it. Nothing is written then.
    """
    with transaction.atomic():
        obj.refresh_from_db(fields=["status"], from_queryset=type(obj)._default_manager.select_for_update())
        if not transition.allows(obj.status):
            raise transition.refusal(obj)
        result = (transition.run or _set_status)(transition, obj, by=by, **inputs)
        for effect in transition.effects:
            effect(obj)
        transition_done.send(sender=transition.model, transition=transition, objects=[obj], by=by)
        if notify:
            for email in transition.emails:
                transaction.on_commit(lambda email=email: email(obj))
    return result


def perform_many(transition: Transition, objs: Sequence[Model], by=None, notify: bool = True) -> Any:
    """Run ``transition`` on many objects of its model at once, all or nothing, in a number of queries that
    does not grow with theirs: lock their rows in one ``SELECT ... FOR UPDATE``, re-read and check every
    status against the table, then run the transition's ``run_many`` and ``bulk_effects``; e-mails go once
    the transaction commits, one per object as with :func:`perform`.

    Raises:
        ValidationError: an object is gone or its status does not allow the action, or a rule refuses one of
            them (the first in ``objs`` order). Nothing is written then.
        ValueError: the transition has no ``run_many``.
    """
    if transition.run_many is None:
        raise ValueError(f"{transition.name} cannot run on many objects at once")
    objs = list(objs)
    if not objs:
        return []
    with transaction.atomic():
        locked = dict(
            transition.model._default_manager.select_for_update()
            .filter(pk__in=[obj.pk for obj in objs])
            .values_list("pk", "status")
        )
        for obj in objs:
            if obj.pk not in locked:
                raise ValidationError(_("This pair is not part of the proposal."), code="unknown_pair")
            obj.status = locked[obj.pk]
            if not transition.allows(obj.status):
                raise transition.refusal(obj)
        result = transition.run_many(transition, objs, by=by)
        for effect in transition.bulk_effects:
            effect(objs)
        transition_done.send(sender=transition.model, transition=transition, objects=objs, by=by)
        if notify:
            for email in transition.emails:
                for obj in objs:
                    transaction.on_commit(lambda email=email, obj=obj: email(obj))
    return result


# --- what each transition does beyond the status -----------------------------------------------------
def _set_status(transition: Transition, obj: Model, by=None) -> Model:
    obj.status = transition.target
    obj.save(update_fields=["status"])
    return obj


def _review(transition: Transition, enrolment: Enrolment, by=None) -> Enrolment:
    enrolment.status = transition.target
    enrolment.reviewed_at = timezone.now()
    enrolment.reviewed_by = by
    enrolment.save(update_fields=["status", "reviewed_at", "reviewed_by"])
    return enrolment


def _approve(transition: Transition, mentorship: Mentorship, by=None, **agreement) -> Mentorship:
    unknown = set(agreement) - set(AGREEMENT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown agreement fields: {sorted(unknown)}")
    for name, value in agreement.items():
        setattr(mentorship, name, value)
    if mentorship.meeting_cadence_days is None:
        mentorship.meeting_cadence_days = mentorship.program.meeting_cadence_days
    mentorship.full_clean(exclude=["program", "mentor", "mentee", "match_reasons"], validate_constraints=False)
    if remaining_capacity(mentorship.program, mentorship.mentor, lock=True) <= 0:
        raise _no_capacity(mentorship.mentor)
    if Mentorship.objects.filter(
        program_id=mentorship.program_id, mentee_id=mentorship.mentee_id, status__in=OCCUPYING
    ).exists():
        raise _already_paired(mentorship)
    mentorship.status = transition.target
    mentorship.started_on = timezone.localdate()
    try:
        with transaction.atomic():
            mentorship.save()
    except IntegrityError as exc:  # the partial unique index: a concurrent approval for the same mentee
        mentorship.status = Mentorship.Status.PROPOSED
        mentorship.started_on = None
        raise _already_paired(mentorship) from exc
    return mentorship


def _no_capacity(mentor) -> ValidationError:
    return ValidationError(_("%(mentor)s has no capacity left in this program.") % {"mentor": mentor}, code="capacity")


def _not_mentor(mentor) -> ValidationError:
    return ValidationError(
        _("%(mentor)s is not an accepted mentor of this program.") % {"mentor": mentor}, code="not_mentor"
    )


def _already_paired(mentorship: Mentorship) -> ValidationError:
    return ValidationError(
        _("%(mentee)s already has an active mentorship in this program.") % {"mentee": mentorship.mentee},
        code="mentee_paired",
    )


def _approve_many(transition: Transition, mentorships: list[Mentorship], by=None) -> list[Mentorship]:
    """``_approve`` for many proposed pairings (without agreements), its rules checked in grouped queries:
    each mentor's capacity under a lock on their enrolment, one active pairing per mentee."""
    for mentorship in mentorships:
        if mentorship.meeting_cadence_days is None:
            mentorship.meeting_cadence_days = mentorship.program.meeting_cadence_days
        mentorship.full_clean(exclude=["program", "mentor", "mentee", "match_reasons"], validate_constraints=False)
    programs = {m.program_id for m in mentorships}
    free = _free_slots(programs, {m.mentor_id for m in mentorships}, lock=True)
    paired = set(
        Mentorship.objects.filter(
            program_id__in=programs, mentee_id__in={m.mentee_id for m in mentorships}, status__in=OCCUPYING
        ).values_list("program_id", "mentee_id")
    )
    for mentorship in mentorships:
        mentor = (mentorship.program_id, mentorship.mentor_id)
        if mentor not in free:
            raise _not_mentor(mentorship.mentor)
        if free[mentor] <= 0:
            raise _no_capacity(mentorship.mentor)
        mentee = (mentorship.program_id, mentorship.mentee_id)
        if mentee in paired:
            raise _already_paired(mentorship)
        free[mentor] -= 1
        paired.add(mentee)
    today = timezone.localdate()
    for mentorship in mentorships:
        mentorship.status, mentorship.started_on = transition.target, today
    try:
        with transaction.atomic():
            Mentorship.objects.bulk_update(mentorships, ["status", "started_on", "meeting_cadence_days"])
    except IntegrityError as exc:  # the partial unique index: a concurrent approval for one of the mentees
        for mentorship in mentorships:
            mentorship.status, mentorship.started_on = Mentorship.Status.PROPOSED, None
        raise _already_paired(mentorships[0]) from exc
    return mentorships


def _reject(transition: Transition, mentorship: Mentorship, by=None) -> None:
    mentorship.delete()


def _reject_many(transition: Transition, mentorships: list[Mentorship], by=None) -> None:
    Mentorship.objects.filter(pk__in=[m.pk for m in mentorships]).delete()


def _close(transition: Transition, mentorship: Mentorship, by=None, reason: str = "") -> Mentorship:
    reason = (reason or "").strip()
    if transition.reason == REASON_REQUIRED and not reason:
        raise ValidationError({"end_reason": _("Say why the mentorship ends.")}, code="reason_required")
    mentorship.status = transition.target
    mentorship.ended_on = timezone.localdate()
    mentorship.end_reason = reason
    mentorship.save(update_fields=["status", "ended_on", "end_reason"])
    return mentorship


def _reassign(transition: Transition, mentorship: Mentorship, by=None, new_mentor=None, reason: str = ""):
    if new_mentor is None or new_mentor.pk == mentorship.mentor_id:
        raise ValidationError(_("Choose a different mentor."), code="same_mentor")
    _close(transition, mentorship, reason=reason)
    if remaining_capacity(mentorship.program, new_mentor) <= 0:
        raise _no_capacity(new_mentor)
    return propose(mentorship.program, new_mentor, mentorship.mentee)


# --- the table ---------------------------------------------------------------------------------------
S = Mentorship.Status
E = Enrolment.Status

#: Every lifecycle transition. Order is the admin's order (bulk actions and row buttons).
TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        Mentorship,
        "approve",
        sources=(S.PROPOSED,),
        target=S.ACTIVE,
        label=gettext_lazy("Approve"),
        bulk_label=gettext_lazy("Approve selected mentorships"),
        done=gettext_lazy("approved"),
        summary=gettext_lazy("Approve a proposed mentorship, with its agreement (coordinators)"),
        agreement=True,
        effects=(grant_pair_access,),
        emails=(send_pairing_approved,),
        run=_approve,
        run_many=_approve_many,
        bulk_effects=(grant_pairs_access,),
    ),
    Transition(
        Mentorship,
        "reject",
        sources=(S.PROPOSED,),
        target=None,
        label=gettext_lazy("Reject"),
        bulk_label=gettext_lazy("Reject selected pairs"),
        done=gettext_lazy("rejected"),
        admin=False,  # proposals are rejected on the matching review page, before they are listed
        api=False,
        run=_reject,
        run_many=_reject_many,
    ),
    Transition(
        Mentorship,
        "pause",
        sources=(S.ACTIVE,),
        target=S.PAUSED,
        label=gettext_lazy("Pause"),
        bulk_label=gettext_lazy("Pause selected mentorships"),
        done=gettext_lazy("paused"),
        summary=gettext_lazy("Pause an active mentorship (coordinators)"),
        effects=(suspend_pair_access,),
    ),
    Transition(
        Mentorship,
        "resume",
        sources=(S.PAUSED,),
        target=S.ACTIVE,
        label=gettext_lazy("Resume"),
        bulk_label=gettext_lazy("Resume selected mentorships"),
        done=gettext_lazy("resumed"),
        summary=gettext_lazy("Resume a paused mentorship (coordinators)"),
        effects=(resume_pair_access,),
    ),
    Transition(
        Mentorship,
        "complete",
        sources=OCCUPYING,
        target=S.COMPLETED,
        label=gettext_lazy("Complete"),
        bulk_label=gettext_lazy("Complete selected mentorships"),
        done=gettext_lazy("completed"),
        summary=gettext_lazy("Complete an active or paused mentorship (coordinators)"),
        reason=REASON_OPTIONAL,
        effects=(revoke_pair_access,),
        run=_close,
    ),
    Transition(
        Mentorship,
        "end",
        sources=OCCUPYING,
        target=S.ENDED,
        label=gettext_lazy("End"),
        bulk_label=gettext_lazy("End selected mentorships"),
        done=gettext_lazy("ended"),
        summary=gettext_lazy("End a mentorship early, with a reason (coordinators)"),
        reason=REASON_REQUIRED,
        effects=(revoke_pair_access,),
        serious=True,
        run=_close,
    ),
    Transition(
        Mentorship,
        "reassign",
        sources=OCCUPYING,
        target=S.ENDED,
        label=gettext_lazy("Reassign"),
        bulk_label=gettext_lazy("Reassign selected mentorships to another mentor"),
        done=gettext_lazy("ended"),
        reason=REASON_REQUIRED,
        new_mentor=True,
        effects=(revoke_pair_access,),
        api=False,  # the API has no input for the new mentor yet
        run=_reassign,  # ends the pairing and proposes the mentee to the new mentor
    ),
    *(
        Transition(
            Enrolment,
            action,
            sources=sources,
            target=target,
            label=label,
            bulk_label=bulk_label,
            actors=actors,
            api=False,  # the API reviews enrolments through the enrolment's status field
            run=_review,
        )
        for action, sources, target, label, bulk_label, actors in (
            (
                "accept",
                (E.APPLIED, E.WAITLISTED, E.DECLINED),
                E.ACCEPTED,
                gettext_lazy("Accept"),
                gettext_lazy("Accept selected enrolments"),
                (COORDINATOR,),
            ),
            (
                "waitlist",
                (E.APPLIED, E.ACCEPTED, E.DECLINED),
                E.WAITLISTED,
                gettext_lazy("Waitlist"),
                gettext_lazy("Waitlist selected enrolments"),
                (COORDINATOR,),
            ),
            (
                "decline",
                (E.APPLIED, E.WAITLISTED),
                E.DECLINED,
                gettext_lazy("Decline"),
                gettext_lazy("Decline selected enrolments"),
                (COORDINATOR,),
            ),
            (
                "withdraw",
                (E.APPLIED, E.WAITLISTED, E.ACCEPTED),
                E.WITHDRAWN,
                gettext_lazy("Withdraw"),
                gettext_lazy("Withdraw selected enrolments"),
                (APPLICANT, COORDINATOR),
            ),
        )
    ),
)
del S, E


def transitions_for(model: type[Model], *, admin: bool | None = None, api: bool | None = None) -> list[Transition]:
    """The transitions of ``model``, optionally only those offered in the admin or the API."""
    return [
        t
        for t in TRANSITIONS
        if t.model is model and (admin is None or t.admin == admin) and (api is None or t.api == api)
    ]


def transition_for(model: type[Model], action: str) -> Transition:
    """The transition of ``model`` called ``action``.

    Raises:
        KeyError: no such transition.
    """
    for t in TRANSITIONS:
        if t.model is model and t.action == action:
            return t
    raise KeyError(f"{model.__name__} has no transition {action!r}")


def available_transitions(obj: Model, *, admin: bool | None = None, api: bool | None = None) -> list[Transition]:
    """The transitions that start from ``obj``'s current status."""
    return [t for t in transitions_for(type(obj), admin=admin, api=api) if t.allows(obj.status)]


def next_statuses(model: type[Model], status: str) -> set[str]:
    """The statuses ``model`` may move to from ``status`` (deletion not counted)."""
    return {t.target for t in transitions_for(model) if t.allows(status) and t.target is not None}


def targets_for(model: type[Model], actor: str) -> tuple[str, ...]:
    """The statuses ``actor`` (:data:`COORDINATOR`, :data:`APPLICANT`) may move a ``model`` to, in table order."""
    targets = (t.target for t in transitions_for(model) if actor in t.actors and t.target is not None)
    return tuple(dict.fromkeys(targets))


# --- service functions (the public names) -------------------------------------------------------------
def propose(program: MentoringProgramPage, mentor, mentee, score: float | None = None, reasons=None) -> Mentorship:
    """Record a proposed pairing (nobody is told yet; no permissions are granted).

    Raises:
        ValidationError: mentor and mentee are the same person, or the pair is already proposed or
            active in this program.
    """
    return propose_many(program, [(mentor, mentee, score, reasons)])[0]


def propose_many(
    program: MentoringProgramPage, pairs: Sequence[tuple[Any, Any, float | None, Any]]
) -> list[Mentorship]:
    """Record many proposed pairings of ``program`` at once, ``(mentor, mentee, score, reasons)`` each, with
    :func:`propose`'s rules, in two queries whatever their number (all or nothing).

    Raises:
        ValidationError: a mentor and mentee are the same person, or a pair is already proposed or active in
            this program (or twice in ``pairs``).
    """
    pairs = list(pairs)
    taken = (
        set(
            Mentorship.objects.filter(
                program=program,
                status__in=(Mentorship.Status.PROPOSED, *OCCUPYING),
                mentor_id__in={mentor.pk for mentor, *_rest in pairs},
                mentee_id__in={mentee.pk for _mentor, mentee, *_rest in pairs},
            ).values_list("mentor_id", "mentee_id")
        )
        if pairs
        else set()
    )
    rows = []
    for mentor, mentee, score, reasons in pairs:
        if mentor.pk == mentee.pk:
            raise ValidationError(_("A mentor cannot mentor themselves."), code="self_pairing")
        if (mentor.pk, mentee.pk) in taken:
            raise ValidationError(
                _("%(mentor)s and %(mentee)s are already paired in this program.")
                % {"mentor": mentor, "mentee": mentee},
                code="duplicate",
            )
        taken.add((mentor.pk, mentee.pk))
        rows.append(
            Mentorship(
                program=program,
                mentor=mentor,
                mentee=mentee,
                status=Mentorship.Status.PROPOSED,
                match_score=score,
                match_reasons=reasons if reasons is not None else {},
            )
        )
    created = Mentorship.objects.bulk_create(rows)
    # bulk_create sends no post_save: send it for each new row, as saving them one by one would (Wagtail
    # keeps its reference index by it, so that the program page's usage lists its proposed pairings).
    using = router.db_for_write(Mentorship)
    for row in created:
        post_save.send(sender=Mentorship, instance=row, created=True, raw=False, using=using, update_fields=None)
    return created


def remaining_capacity(program: MentoringProgramPage, mentor, lock: bool = False) -> int:
    """Free slots of ``mentor`` in ``program``: accepted enrolment capacity minus active/paused pairings.

    With ``lock=True`` (inside a transaction) the mentor's enrolment row is locked with
    ``SELECT ... FOR UPDATE`` so that concurrent approvals for the same mentor run one after the other.

    Raises:
        ValidationError: the mentor has no accepted mentor enrolment in the program.
    """
    free = _free_slots({program.pk}, {mentor.pk}, lock=lock)
    if (program.pk, mentor.pk) not in free:
        raise _not_mentor(mentor)
    return free[(program.pk, mentor.pk)]


def _free_slots(program_ids: set[int], mentor_ids: set[int], lock: bool = False) -> dict[tuple[int, int], int]:
    """Free slots per ``(program id, mentor id)`` that has an accepted mentor enrolment (its capacity minus the
    mentor's active and paused pairings there), in two queries; ``lock`` locks the enrolment rows."""
    enrolments = Enrolment.objects.filter(
        program_id__in=program_ids, user_id__in=mentor_ids, role=Enrolment.Role.MENTOR, status=Enrolment.Status.ACCEPTED
    )
    if lock:
        enrolments = enrolments.select_for_update()
    capacity = {
        (program_id, user_id): n
        for program_id, user_id, n in enrolments.values_list("program_id", "user_id", "capacity")
    }
    used = Counter(
        Mentorship.objects.filter(program_id__in=program_ids, mentor_id__in=mentor_ids, status__in=OCCUPYING)
        .values_list("program_id", "mentor_id")
        .iterator()
    )
    return {key: n - used[key] for key, n in capacity.items()}


def approve(mentorship: Mentorship, by=None, notify: bool = True, **agreement) -> Mentorship:
    """Approve a proposed pairing: it becomes active, the pair get access, and both are e-mailed.

    ``agreement`` holds the agreement captured at the start: ``expectations``,
    ``meeting_cadence_days``, ``topics_in_bounds``, ``topics_out_of_bounds``. The mentor's capacity
    is checked under a row lock on their enrolment, so concurrent approvals never overfill it.

    Raises:
        ValidationError: the mentorship is not proposed, the mentor is full or not accepted, the
            mentee already has an active mentorship in the program, or the agreement is invalid.
    """
    return perform(transition_for(Mentorship, "approve"), mentorship, by=by, notify=notify, **agreement)


def approve_many(mentorships: Sequence[Mentorship], by=None, notify: bool = True) -> list[Mentorship]:
    """Approve many proposed pairings at once, all or nothing (:func:`approve` without agreements, in a constant
    number of queries: one lock, grouped capacity and pairing checks, one update, one grant pass).

    Raises:
        ValidationError: as :func:`approve`, for the first pairing that breaks a rule; nothing is saved then.
    """
    return perform_many(transition_for(Mentorship, "approve"), mentorships, by=by, notify=notify)


def reject(mentorship: Mentorship) -> None:
    """Drop a proposed pairing (nobody was told about it)."""
    return perform(transition_for(Mentorship, "reject"), mentorship)


def reject_many(mentorships: Sequence[Mentorship]) -> None:
    """Drop many proposed pairings at once, all or nothing (:func:`reject`, in one lock and one delete).

    Raises:
        ValidationError: one of them is no longer proposed; nothing is dropped then.
    """
    perform_many(transition_for(Mentorship, "reject"), mentorships)


def discard_proposals(program: MentoringProgramPage) -> int:
    """Drop every proposed pairing of ``program`` (its pending matching proposal; nobody was told of it).

    Only pairings the *reject* transition starts from are removed, in one ``DELETE`` whatever their
    number; active, paused and closed pairings are never touched. Returns how many were dropped.
    """
    reject_transition = transition_for(Mentorship, "reject")
    _total, by_model = Mentorship.objects.filter(program=program, status__in=reject_transition.sources).delete()
    return by_model.get(Mentorship._meta.label, 0)


def pause(mentorship: Mentorship) -> Mentorship:
    """Pause an active pairing: both keep read access; nobody may check in or log sessions."""
    return perform(transition_for(Mentorship, "pause"), mentorship)


def resume(mentorship: Mentorship) -> Mentorship:
    """Resume a paused pairing (its capacity slot was kept while paused)."""
    return perform(transition_for(Mentorship, "resume"), mentorship)


def complete(mentorship: Mentorship, reason: str = "") -> Mentorship:
    """Close a pairing that reached its end: the mentor loses access to the mentee's data."""
    return perform(transition_for(Mentorship, "complete"), mentorship, reason=reason)


def end(mentorship: Mentorship, reason: str) -> Mentorship:
    """End a pairing early, with a reason (required).

    Raises:
        ValidationError: no reason, or the pairing is not active or paused.
    """
    return perform(transition_for(Mentorship, "end"), mentorship, reason=reason)


def reassign(mentorship: Mentorship, new_mentor, reason: str) -> Mentorship:
    """End a pairing that does not work and propose the mentee to ``new_mentor`` (atomic).

    Returns the new, proposed mentorship; the coordinator approves it as usual.

    Raises:
        ValidationError: no reason, the same mentor, the new mentor has no capacity, or the pairing
            is not active or paused.
    """
    return perform(transition_for(Mentorship, "reassign"), mentorship, new_mentor=new_mentor, reason=reason)


def review_enrolment(enrolment: Enrolment, status: str, by=None) -> Enrolment:
    """Move an enrolment to ``status`` (accept, waitlist, decline or withdraw it), recording who did it.

    Raises:
        ValidationError: an unknown status or a transition that is not allowed (e.g. from withdrawn).
    """
    matching = [t for t in transitions_for(Enrolment) if t.target == status]
    if not matching:
        raise ValidationError({"status": _("Unknown enrolment status.")}, code="invalid_status")
    if status == enrolment.status:
        return enrolment
    return perform(matching[0], enrolment, by=by)


def run_admin_transition(transition: Transition, obj: Model, by, data: dict) -> Any:
    """Run ``transition`` with the inputs an admin form collected (``reason``, ``new_mentor``)."""
    inputs: dict[str, Any] = {}
    if transition.reason:
        inputs["reason"] = data.get("reason", "")
    if transition.new_mentor:
        inputs["new_mentor"] = data.get("new_mentor")
    return perform(transition, obj, by=by, **inputs)


def enrolment_transitions() -> dict[str, set[str]]:
    """From each enrolment status, the statuses it may move to (derived from :data:`TRANSITIONS`)."""
    return {status: next_statuses(Enrolment, status) for status in Enrolment.Status.values}
