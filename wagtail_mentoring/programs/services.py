"""Program services: enrolment, session logging, feedback and the mentorship lifecycle.

Permission checks are the caller's (views use ``wagtail_mentoring.access``); these functions validate
input, keep multi-row writes atomic, and grant or revoke object permissions through ``access.grants``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail_mentoring.access.grants import (
    grant_pair_access,
    resume_pair_access,
    revoke_pair_access,
    suspend_pair_access,
)
from wagtail_mentoring.programs.models import Enrolment, Feedback, MentoringProgramPage, MentoringSession, Mentorship

ENROLMENT_FIELDS = (
    "goals",
    "skills_sought",
    "skills_offered",
    "interests",
    "languages",
    "availability",
    "capacity",
)


def enrolment_closed_reason(program: MentoringProgramPage, on=None) -> str | None:
    """Why enrolment is closed for ``program`` on date ``on`` (today), or None when it is open."""
    on = on or timezone.localdate()
    if not program.enrolment_open:
        return _("Enrolment for this program is closed.")
    if program.enrolment_deadline and on > program.enrolment_deadline:
        return _("The enrolment deadline for this program has passed.")
    return None


def enrol(program: MentoringProgramPage, user, role: str, session=None, **fields) -> Enrolment:
    """Apply ``user`` to ``program`` as ``role`` ("mentor" or "mentee").

    ``session`` (the request's) lets a visitor who entered a private page's password enrol.

    Raises:
        ValidationError: the user may not see the program (code ``"not_visible"``: views answer 404),
            enrolment closed or past its deadline, an unknown role, a duplicate enrolment, or invalid
            field values.
    """
    from wagtail_mentoring.access.querysets import can_view_page, is_active_user

    if not is_active_user(user) or not can_view_page(user, program, session=session):
        raise ValidationError(_("This program does not exist."), code="not_visible")
    reason = enrolment_closed_reason(program)
    if reason:
        raise ValidationError(reason, code="closed")
    if role not in Enrolment.Role.values:
        raise ValidationError({"role": _("Choose mentor or mentee.")}, code="invalid_role")
    unknown = set(fields) - set(ENROLMENT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown enrolment fields: {sorted(unknown)}")
    enrolment = Enrolment(program=program, user=user, role=role, **fields)
    enrolment.full_clean(exclude=["program", "user"], validate_unique=False, validate_constraints=False)
    if Enrolment.objects.filter(program=program, user=user, role=role).exists():
        raise ValidationError(_("You have already applied to this program in this role."), code="duplicate")
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError as exc:  # a concurrent duplicate
        raise ValidationError(_("You have already applied to this program in this role."), code="duplicate") from exc
    return enrolment


SESSION_FIELDS = ("date", "duration_minutes", "format", "agenda", "notes", "next_steps")


def log_session(mentorship: Mentorship, author, key_results=(), **fields) -> MentoringSession:
    """Log a session of an active pairing, with the key results it discussed (atomic).

    Raises:
        ValidationError: the mentorship is not active, a key result is not the pairing's, or a
            field is invalid.
    """
    _require_active_for_sessions(mentorship)
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise ValueError(f"Unknown session fields: {sorted(unknown)}")
    fields.setdefault("date", timezone.now())
    session = MentoringSession(mentorship=mentorship, created_by=author, **fields)
    session.full_clean(exclude=["mentorship", "created_by", "key_results_discussed"])
    key_results = _pairing_key_results(mentorship, key_results)
    with transaction.atomic():
        _require_active_for_sessions(Mentorship.objects.select_for_update().get(pk=mentorship.pk))
        session.save()
        if key_results:
            session.key_results_discussed.set(key_results)
    return session


def _require_active_for_sessions(mentorship: Mentorship) -> None:
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise ValidationError(_("Sessions can only be logged for an active mentorship."), code="inactive")


def _pairing_key_results(mentorship: Mentorship, key_results) -> list:
    key_results = list(key_results)
    if any(kr.objective.mentorship_id != mentorship.pk for kr in key_results):
        raise ValidationError(
            {"key_results_discussed": _("Only the pairing's own key results can be linked to its session.")}
        )
    return key_results


FEEDBACK_FIELDS = ("rating", "nps", "comment", "session")


def submit_feedback(author, kind: str, mentorship: Mentorship | None = None, program=None, **fields) -> Feedback:
    """Record a survey answer or rating about a mentorship (or a program).

    Raises:
        ValidationError: no subject, an unknown kind, a rating outside 1-5 or an NPS outside 0-10.
    """
    if kind not in Feedback.Kind.values:
        raise ValidationError({"kind": _("Unknown feedback kind.")})
    if mentorship is None and program is None:
        raise ValidationError(_("Feedback needs a mentorship or a program."))
    unknown = set(fields) - set(FEEDBACK_FIELDS)
    if unknown:
        raise ValueError(f"Unknown feedback fields: {sorted(unknown)}")
    feedback = Feedback(
        author=author,
        kind=kind,
        mentorship=mentorship,
        program=program or (mentorship.program if mentorship else None),
        **fields,
    )
    feedback.full_clean(exclude=["author", "mentorship", "program", "session"])
    feedback.save()
    return feedback


# --- enrolment review -----------------------------------------------------------------------------
ENROLMENT_TRANSITIONS = {
    Enrolment.Status.APPLIED: {
        Enrolment.Status.ACCEPTED,
        Enrolment.Status.WAITLISTED,
        Enrolment.Status.DECLINED,
        Enrolment.Status.WITHDRAWN,
    },
    Enrolment.Status.WAITLISTED: {Enrolment.Status.ACCEPTED, Enrolment.Status.DECLINED, Enrolment.Status.WITHDRAWN},
    Enrolment.Status.ACCEPTED: {Enrolment.Status.WAITLISTED, Enrolment.Status.WITHDRAWN},
    Enrolment.Status.DECLINED: {Enrolment.Status.ACCEPTED, Enrolment.Status.WAITLISTED},
    Enrolment.Status.WITHDRAWN: set(),
}


def review_enrolment(enrolment: Enrolment, status: str, by=None) -> Enrolment:
    """Move an enrolment to ``status`` (accept, waitlist, decline or withdraw it), recording who did it.

    Raises:
        ValidationError: an unknown status or a transition that is not allowed (e.g. from withdrawn).
    """
    if status not in Enrolment.Status.values or status == Enrolment.Status.APPLIED:
        raise ValidationError({"status": _("Unknown enrolment status.")}, code="invalid_status")
    if status == enrolment.status:
        return enrolment
    if status not in ENROLMENT_TRANSITIONS[enrolment.status]:
        raise ValidationError(
            _("An enrolment that is %(current)s cannot become %(new)s.")
            % {"current": enrolment.get_status_display().lower(), "new": Enrolment.Status(status).label.lower()},
            code="invalid_transition",
        )
    enrolment.status = status
    enrolment.reviewed_at = timezone.now()
    enrolment.reviewed_by = by
    enrolment.save(update_fields=["status", "reviewed_at", "reviewed_by"])
    return enrolment


# --- mentorship lifecycle ---------------------------------------------------------------------------
#: Statuses that occupy one of the mentor's capacity slots.
OCCUPYING = (Mentorship.Status.ACTIVE, Mentorship.Status.PAUSED)
AGREEMENT_FIELDS = ("expectations", "meeting_cadence_days", "topics_in_bounds", "topics_out_of_bounds")


def _require(mentorship: Mentorship, *allowed: str, action: str) -> None:
    if mentorship.status not in allowed:
        raise ValidationError(
            _("A %(status)s mentorship cannot be %(action)s.")
            % {"status": mentorship.get_status_display().lower(), "action": action},
            code="invalid_transition",
        )


def propose(program: MentoringProgramPage, mentor, mentee, score: float | None = None, reasons=None) -> Mentorship:
    """Record a proposed pairing (nobody is told yet; no permissions are granted).

    Raises:
        ValidationError: mentor and mentee are the same person, or the pair is already proposed or
            active in this program.
    """
    if mentor.pk == mentee.pk:
        raise ValidationError(_("A mentor cannot mentor themselves."), code="self_pairing")
    if Mentorship.objects.filter(
        program=program, mentor=mentor, mentee=mentee, status__in=(Mentorship.Status.PROPOSED, *OCCUPYING)
    ).exists():
        raise ValidationError(
            _("%(mentor)s and %(mentee)s are already paired in this program.") % {"mentor": mentor, "mentee": mentee},
            code="duplicate",
        )
    return Mentorship.objects.create(
        program=program,
        mentor=mentor,
        mentee=mentee,
        status=Mentorship.Status.PROPOSED,
        match_score=score,
        match_reasons=reasons if reasons is not None else {},
    )


def remaining_capacity(program: MentoringProgramPage, mentor, lock: bool = False) -> int:
    """Free slots of ``mentor`` in ``program``: accepted enrolment capacity minus active/paused pairings.

    With ``lock=True`` (inside a transaction) the mentor's enrolment row is locked with
    ``SELECT ... FOR UPDATE`` so that concurrent approvals for the same mentor run one after the other.

    Raises:
        ValidationError: the mentor has no accepted mentor enrolment in the program.
    """
    enrolments = Enrolment.objects.filter(
        program=program, user=mentor, role=Enrolment.Role.MENTOR, status=Enrolment.Status.ACCEPTED
    )
    if lock:
        enrolments = enrolments.select_for_update()
    enrolment = enrolments.first()
    if enrolment is None:
        raise ValidationError(
            _("%(mentor)s is not an accepted mentor of this program.") % {"mentor": mentor}, code="not_mentor"
        )
    used = Mentorship.objects.filter(program=program, mentor=mentor, status__in=OCCUPYING).count()
    return enrolment.capacity - used


def approve(mentorship: Mentorship, by=None, notify: bool = True, **agreement) -> Mentorship:
    """Approve a proposed pairing: it becomes active, the pair get access, and both are e-mailed.

    ``agreement`` holds the agreement captured at the start: ``expectations``,
    ``meeting_cadence_days``, ``topics_in_bounds``, ``topics_out_of_bounds``. The mentor's capacity
    is checked under a row lock on their enrolment, so concurrent approvals never overfill it.

    Raises:
        ValidationError: the mentorship is not proposed, the mentor is full or not accepted, the
            mentee already has an active mentorship in the program, or the agreement is invalid.
    """
    _require(mentorship, Mentorship.Status.PROPOSED, action=_("approved"))
    unknown = set(agreement) - set(AGREEMENT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown agreement fields: {sorted(unknown)}")
    for name, value in agreement.items():
        setattr(mentorship, name, value)
    if mentorship.meeting_cadence_days is None:
        mentorship.meeting_cadence_days = mentorship.program.meeting_cadence_days
    mentorship.full_clean(exclude=["program", "mentor", "mentee", "match_reasons"], validate_constraints=False)
    try:
        with transaction.atomic():
            if remaining_capacity(mentorship.program, mentorship.mentor, lock=True) <= 0:
                raise ValidationError(
                    _("%(mentor)s has no capacity left in this program.") % {"mentor": mentorship.mentor},
                    code="capacity",
                )
            if Mentorship.objects.filter(
                program_id=mentorship.program_id, mentee_id=mentorship.mentee_id, status__in=OCCUPYING
            ).exists():
                raise _already_paired(mentorship)
            mentorship.status = Mentorship.Status.ACTIVE
            mentorship.started_on = timezone.localdate()
            mentorship.save()
            grant_pair_access(mentorship)
    except IntegrityError as exc:  # the partial unique index: a concurrent approval for the same mentee
        mentorship.status = Mentorship.Status.PROPOSED
        mentorship.started_on = None
        raise _already_paired(mentorship) from exc
    if notify:
        transaction.on_commit(lambda: notify_approved(mentorship))
    return mentorship


def _already_paired(mentorship: Mentorship) -> ValidationError:
    return ValidationError(
        _("%(mentee)s already has an active mentorship in this program.") % {"mentee": mentorship.mentee},
        code="mentee_paired",
    )


def reject(mentorship: Mentorship) -> None:
    """Drop a proposed pairing (nobody was told about it)."""
    _require(mentorship, Mentorship.Status.PROPOSED, action=_("rejected"))
    mentorship.delete()


def pause(mentorship: Mentorship) -> Mentorship:
    """Pause an active pairing: both keep read access; nobody may check in or log sessions."""
    _require(mentorship, Mentorship.Status.ACTIVE, action=_("paused"))
    with transaction.atomic():
        mentorship.status = Mentorship.Status.PAUSED
        mentorship.save(update_fields=["status"])
        suspend_pair_access(mentorship)
    return mentorship


def resume(mentorship: Mentorship) -> Mentorship:
    """Resume a paused pairing (its capacity slot was kept while paused)."""
    _require(mentorship, Mentorship.Status.PAUSED, action=_("resumed"))
    with transaction.atomic():
        mentorship.status = Mentorship.Status.ACTIVE
        mentorship.save(update_fields=["status"])
        resume_pair_access(mentorship)
    return mentorship


def complete(mentorship: Mentorship, reason: str = "") -> Mentorship:
    """Close a pairing that reached its end: the mentor loses access to the mentee's data."""
    _require(mentorship, Mentorship.Status.ACTIVE, Mentorship.Status.PAUSED, action=_("completed"))
    return _close(mentorship, Mentorship.Status.COMPLETED, reason)


def end(mentorship: Mentorship, reason: str) -> Mentorship:
    """End a pairing early, with a reason (required).

    Raises:
        ValidationError: no reason, or the pairing is not active or paused.
    """
    _require(mentorship, Mentorship.Status.ACTIVE, Mentorship.Status.PAUSED, action=_("ended"))
    if not (reason or "").strip():
        raise ValidationError({"end_reason": _("Say why the mentorship ends.")}, code="reason_required")
    return _close(mentorship, Mentorship.Status.ENDED, reason.strip())


def _close(mentorship: Mentorship, status: str, reason: str) -> Mentorship:
    with transaction.atomic():
        mentorship.status = status
        mentorship.ended_on = timezone.localdate()
        mentorship.end_reason = reason
        mentorship.save(update_fields=["status", "ended_on", "end_reason"])
        revoke_pair_access(mentorship)
    return mentorship


def reassign(mentorship: Mentorship, new_mentor, reason: str) -> Mentorship:
    """End a pairing that does not work and propose the mentee to ``new_mentor`` (atomic).

    Returns the new, proposed mentorship; the coordinator approves it as usual.

    Raises:
        ValidationError: no reason, the same mentor, the new mentor has no capacity, or the pairing
            is not active or paused.
    """
    if new_mentor.pk == mentorship.mentor_id:
        raise ValidationError(_("Choose a different mentor."), code="same_mentor")
    with transaction.atomic():
        end(mentorship, reason)
        if remaining_capacity(mentorship.program, new_mentor) <= 0:
            raise ValidationError(
                _("%(mentor)s has no capacity left in this program.") % {"mentor": new_mentor}, code="capacity"
            )
        return propose(mentorship.program, new_mentor, mentorship.mentee)


def notify_approved(mentorship: Mentorship) -> None:
    """E-mail mentor and mentee that their pairing starts."""
    from wagtail_mentoring.programs.emails import send_pairing_approved

    send_pairing_approved(mentorship)


# --- changing sessions and enrolments (the same locked write path as creating them) -----------------
def update_session(session: MentoringSession, key_results=None, **fields) -> MentoringSession:
    """Change a logged session (and, unless ``key_results`` is None, the key results it discussed).

    The pairing's row is locked, and only sessions of an active pairing change.

    Args:
        session: the saved session.
        key_results: the pairing's key results discussed, or None to keep them.
        **fields: fields of :data:`SESSION_FIELDS` to change.

    Returns:
        The saved session.

    Raises:
        ValidationError: the pairing is not active, a key result is not the pairing's, or a field is invalid.
    """
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise ValueError(f"Unknown session fields: {sorted(unknown)}")
    with transaction.atomic():
        mentorship = Mentorship.objects.select_for_update().get(pk=session.mentorship_id)
        _require_active_for_sessions(mentorship)
        for name, value in fields.items():
            setattr(session, name, value)
        session.full_clean(exclude=["mentorship", "created_by", "key_results_discussed"])
        session.save()
        if key_results is not None:
            session.key_results_discussed.set(_pairing_key_results(mentorship, key_results))
    return session


def update_enrolment(enrolment: Enrolment, status: str | None = None, by=None, **fields) -> Enrolment:
    """Change an enrolment's answers and (through :func:`review_enrolment`) its status, atomically.

    The enrolment's row is locked, so a coordinator's review and the applicant's edit serialise.

    Args:
        enrolment: the saved enrolment.
        status: the new status (None: unchanged).
        by: the reviewing coordinator (None for the applicant's own withdrawal).
        **fields: answers of :data:`ENROLMENT_FIELDS` to change.

    Returns:
        The saved enrolment.

    Raises:
        ValidationError: invalid answers, or a status change :func:`review_enrolment` refuses.
    """
    unknown = set(fields) - set(ENROLMENT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown enrolment fields: {sorted(unknown)}")
    with transaction.atomic():
        Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
        for name, value in fields.items():
            setattr(enrolment, name, value)
        enrolment.full_clean(
            exclude=["program", "user", "reviewed_by"], validate_unique=False, validate_constraints=False
        )
        enrolment.save()
        if status is not None and status != enrolment.status:
            enrolment = review_enrolment(enrolment, status, by=by)
    return enrolment
