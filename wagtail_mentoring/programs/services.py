"""Program services: enrolment, session logging, feedback and the mentorship lifecycle.

Permission checks are the caller's (views use ``wagtail_mentoring.access``); these functions validate
input and keep multi-row writes atomic. The lifecycle (``approve``, ``pause`` ... ``review_enrolment``)
is defined by the table in ``wagtail_mentoring.programs.lifecycle`` and re-exported here.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail_mentoring.access.querysets import can_view_page, is_active_user
from wagtail_mentoring.programs.lifecycle import (  # noqa: F401  (re-exported: the lifecycle services)
    AGREEMENT_FIELDS,
    OCCUPYING,
    approve,
    complete,
    end,
    enrolment_transitions,
    pause,
    propose,
    reassign,
    reject,
    remaining_capacity,
    resume,
    review_enrolment,
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


# --- the lifecycle ---------------------------------------------------------------------------------
# Enrolment review and the mentorship lifecycle are rows of one table, ``programs.lifecycle``; these
# names stay importable from here for the code that calls them.
ENROLMENT_TRANSITIONS = enrolment_transitions()


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
        enrolment.refresh_from_db(fields=["status"], from_queryset=Enrolment.objects.select_for_update())
        for name, value in fields.items():
            setattr(enrolment, name, value)
        enrolment.full_clean(
            exclude=["program", "user", "reviewed_by"], validate_unique=False, validate_constraints=False
        )
        enrolment.save()
        if status is not None and status != enrolment.status:
            enrolment = review_enrolment(enrolment, status, by=by)
    return enrolment
