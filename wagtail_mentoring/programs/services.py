"""Program services: enrolment, session logging, feedback, journey steps and the mentorship lifecycle.

Permission checks are the caller's (views use ``wagtail_mentoring.access``); these functions validate
input and keep multi-row writes atomic. The lifecycle (``approve``, ``pause`` ... ``review_enrolment``)
is defined by the table in ``wagtail_mentoring.programs.lifecycle`` and re-exported here.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from wagtail_mentoring.access.querysets import (
    can_view_page,
    feedback_mentorships,
    feedback_programs,
    is_active_user,
    pairing_feedback_statuses,
    participating_mentorships,
    published_survey,
)
from wagtail_mentoring.conf import mentoring_settings
from wagtail_mentoring.programs.lifecycle import (  # noqa: F401  (re-exported: the lifecycle services)
    AGREEMENT_FIELDS,
    OCCUPYING,
    approve,
    approve_many,
    complete,
    discard_proposals,
    end,
    enrolment_transitions,
    pause,
    propose,
    propose_many,
    reassign,
    reject,
    reject_many,
    remaining_capacity,
    resume,
    review_enrolment,
)
from wagtail_mentoring.programs.models import (
    MAX_SESSION_MINUTES,
    MENTEE_CAPACITY,
    AvailabilitySlot,
    Enrolment,
    Feedback,
    JourneyStepCompletion,
    MentoringProfile,
    MentoringProgramPage,
    MentoringSession,
    Mentorship,
)

ENROLMENT_FIELDS = (
    "goals",
    "skills_sought",
    "skills_offered",
    "interests",
    "languages",
    "availability",
    "capacity",
)


#: The enrolment fields only one role fills in; the other role's are ignored (:func:`role_answers`).
ROLE_FIELDS = {
    Enrolment.Role.MENTEE: ("skills_sought",),
    Enrolment.Role.MENTOR: ("skills_offered", "capacity"),
}
#: The value a field of the other role takes (the model's defaults; a mentee takes one mentor).
ROLE_FIELD_DEFAULTS = {"skills_sought": "", "skills_offered": "", "capacity": MENTEE_CAPACITY}


def fields_not_for(role: str) -> list[str]:
    """The enrolment fields that belong only to the other role than ``role`` (:data:`ROLE_FIELDS`)."""
    return [name for other, names in ROLE_FIELDS.items() if other != role for name in names]


def role_answer_errors(role: str, answers: dict) -> dict[str, str]:
    """What an application in ``role`` is missing before matching, by field (empty when nothing).

    The one rule of the enrolment form and the bulk import: a mentee writes down their goals, a mentor
    the skills they offer.
    """
    if role == Enrolment.Role.MENTEE and not (answers.get("goals") or "").strip():
        return {"goals": _("Write down what you want to achieve before you are matched.")}
    if role == Enrolment.Role.MENTOR and not (answers.get("skills_offered") or "").strip():
        return {"skills_offered": _("Tell mentees which skills you can help them with.")}
    return {}


def enrolment_closed_reason(program: MentoringProgramPage, on=None) -> str | None:
    """Why enrolment is closed for ``program`` on date ``on`` (today), or None when it is open."""
    on = on or timezone.localdate()
    if not program.enrolment_open:
        return _("Enrolment for this program is closed.")
    if program.enrolment_deadline and on > program.enrolment_deadline:
        return _("The enrolment deadline for this program has passed.")
    return None


def enrol(
    program: MentoringProgramPage, user, role: str, session=None, ignore_window: bool = False, **fields
) -> Enrolment:
    """Apply ``user`` to ``program`` as ``role`` ("mentor" or "mentee").

    ``session`` (the request's) lets a visitor who entered a private page's password enrol.
    ``ignore_window``: a coordinator's bulk import (``programs.imports``) enrols people whether or not
    the program takes applications today; everything else is checked as for an applicant.

    Raises:
        ValidationError: the user may not see the program (code ``"not_visible"``: views answer 404),
            enrolment closed or past its deadline, an unknown role, a duplicate enrolment, or invalid
            field values.
    """
    if not is_active_user(user) or not can_view_page(user, program, session=session):
        raise ValidationError(_("This program does not exist."), code="not_visible")
    reason = None if ignore_window else enrolment_closed_reason(program)
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


# --- mentoring profiles -----------------------------------------------------------------------------
#: Profile fields the ``PROFILE_ATTRIBUTES`` function may fill (others it returns are ignored).
PROFILE_ATTRIBUTE_FIELDS = ("job_title", "department", "location", "time_zone", "languages", "seniority")


def profile_attributes(user) -> dict:
    """The attributes ``WAGTAIL_MENTORING["PROFILE_ATTRIBUTES"]`` gives a new profile of ``user``.

    The setting names a function ``(user) -> dict`` (the host's user model or its identity provider's
    claims); keys outside :data:`PROFILE_ATTRIBUTE_FIELDS` and ``None`` values are dropped, other values
    are kept as given (the profile's own validation judges them). Empty when the setting is unset.
    """
    path = mentoring_settings.PROFILE_ATTRIBUTES
    if not path:
        return {}
    values = import_string(path)(user) or {}
    return {name: values[name] for name in PROFILE_ATTRIBUTE_FIELDS if values.get(name) is not None}


def profile_for(user, existing: MentoringProfile | None = None, known: bool = False) -> MentoringProfile:
    """``user``'s mentoring profile: the saved one, or a new one (unsaved) filled by :func:`profile_attributes`.

    The one place a profile is first created (the enrolment and profile pages, the bulk import).

    Args:
        user: the person.
        existing: their saved profile, when the caller has already fetched it (with ``known=True``).
        known: True when ``existing`` is the answer of a look-up (None: they have none); False to look it up.
    """
    if not known:
        existing = MentoringProfile.objects.filter(user=user).first()
    if existing is not None:
        return existing
    profile = MentoringProfile(user=user)
    for name, value in profile_attributes(user).items():
        setattr(profile, name, value)
    return profile


def save_profile(user, **fields) -> MentoringProfile:
    """Change ``user``'s mentoring profile (created through :func:`profile_for` when they have none).

    Args:
        user: the person (saved).
        **fields: profile fields (:data:`PROFILE_ATTRIBUTE_FIELDS` and ``career_goals``, ``bio``).

    Raises:
        ValidationError: invalid values (e.g. a seniority outside 1-10).
    """
    unknown = set(fields) - {*PROFILE_ATTRIBUTE_FIELDS, "career_goals", "bio"}
    if unknown:
        raise ValueError(f"Unknown profile fields: {sorted(unknown)}")
    with transaction.atomic():
        profile = profile_for(user)
        for name, value in fields.items():
            setattr(profile, name, value)
        profile.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
        profile.save()
    return profile


SESSION_FIELDS = ("date", "duration_minutes", "format", "location", "agenda", "notes", "next_steps")


def confirm_agreement(mentorship: Mentorship, user) -> Mentorship:
    """``user``, the mentor or the mentee of an active pairing, confirms its written agreement.

    Confirming again changes nothing (the first confirmation's time is kept).

    Raises:
        ValidationError: the pairing is not active, has no written agreement, or ``user`` is not in it.
    """
    if user.pk not in (mentorship.mentor_id, mentorship.mentee_id):
        raise ValidationError(_("Only the mentor and the mentee confirm their agreement."), code="not_in_pair")
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise ValidationError(_("Only an active pairing's agreement can be confirmed."), code="not_active")
    if not mentorship.has_agreement:
        raise ValidationError(_("This pairing has no written agreement to confirm."), code="no_agreement")
    if mentorship.agreement_confirmed_at(user) is None:
        field = "mentor_confirmed_at" if user.pk == mentorship.mentor_id else "mentee_confirmed_at"
        setattr(mentorship, field, timezone.now())
        mentorship.save(update_fields=[field])
    return mentorship


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
    session = MentoringSession(mentorship=mentorship, created_by=author, status=MentoringSession.Status.HELD, **fields)
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

#: Survey kinds answered once per subject; the pairing check is asked again each period.
ONCE_FEEDBACK_KINDS = (
    Feedback.Kind.SESSION,
    Feedback.Kind.MIDPOINT,
    Feedback.Kind.CLOSING,
    Feedback.Kind.PROGRAM,
    Feedback.Kind.BEFORE_LAUNCH,
)


def feedback_subject_errors(author, kind: str, mentorship=None, program=None, session=None) -> dict[str, str]:
    """Why ``author`` may not give feedback of ``kind`` on this subject, by field (empty when they may).

    The subject must fit the kind (``Feedback.KIND_SUBJECTS``), the pairing must be one on which the
    author may give that kind (``access.feedback_mentorships``: the pair, by the pairing's status), the
    program one where they may give that kind (``access.feedback_programs``: an accepted enrolment for the
    program survey, any active user before launch), and a session and a program must be the pairing's.
    """
    given = {"mentorship": mentorship, "program": program, "session": session}
    required, empty = Feedback.KIND_SUBJECTS[kind]
    errors = {name: _("This kind of feedback needs it.") for name in required if given[name] is None}
    errors |= {name: _("This kind of feedback is not about it: leave it empty.") for name in empty if given[name]}
    if "mentorship" in required and mentorship is not None:
        if not feedback_mentorships(author, kind).filter(pk=mentorship.pk).exists():
            labels = dict(Mentorship.Status.choices)
            statuses = [str(labels[status]).lower() for status in pairing_feedback_statuses()[kind]]
            errors["mentorship"] = _("%(kind)s is given only on a pairing of yours that is %(statuses)s.") % {
                "kind": Feedback.Kind(kind).label,
                "statuses": get_text_list(statuses, _("or")),
            }
        elif program is not None and program.pk != mentorship.program_id:
            errors["program"] = _("The program must be the mentorship's program.")
        if session is not None and session.mentorship_id != mentorship.pk:
            errors["session"] = _("The session must be one of the mentorship's.")
    if (
        "program" in required
        and program is not None
        and not feedback_programs(author, kind).filter(pk=program.pk).exists()
    ):
        if kind == Feedback.Kind.BEFORE_LAUNCH:
            errors["program"] = _("The program has no before-launch survey open.")
        else:
            errors["program"] = _("The program survey is for people whose enrolment in the program was accepted.")
    return errors


def already_answered(author, kind: str, mentorship=None, program=None, session=None) -> bool:
    """True when ``author`` already answered this survey, which is answered once (:data:`ONCE_FEEDBACK_KINDS`)."""
    if kind not in ONCE_FEEDBACK_KINDS:
        return False
    if kind == Feedback.Kind.SESSION:
        return Feedback.objects.filter(author=author, kind=kind, session=session).exists()
    if kind in (Feedback.Kind.PROGRAM, Feedback.Kind.BEFORE_LAUNCH):
        return Feedback.objects.filter(author=author, kind=kind, program=program, mentorship__isnull=True).exists()
    return Feedback.objects.filter(author=author, kind=kind, mentorship=mentorship).exists()


def survey_answers(survey, answers, author=None) -> dict:
    """The answers to an editor-built survey's extra questions, validated by the survey's own form class
    (Wagtail's form builder) and made JSON-safe.

    Args:
        survey: the published ``SurveyPage`` (None: the survey has no extra questions).
        answers: the raw answers by question name (``clean_name``), as a form would post them.
        author: who answers (given to the form, as the form builder does).

    Raises:
        ValidationError: ``{"answers": [...]}`` with each question's errors ("Label: message"), or
            answers given to a survey that has no extra questions.
    """
    answers = answers or {}
    if survey is None:
        if answers:
            raise ValidationError({"answers": _("This survey has no extra questions: leave the answers empty.")})
        return {}
    if not isinstance(answers, Mapping):
        raise ValidationError({"answers": _("Give the answers by question name.")})
    form = survey.get_form(data=answers, page=survey, user=author)
    unknown = sorted(set(answers) - set(form.fields))
    if unknown:
        raise ValidationError({"answers": _("Unknown questions: %(names)s.") % {"names": ", ".join(unknown)}})
    if not form.is_valid():
        raise ValidationError(
            {
                "answers": [
                    f"{form.fields[name].label if name in form.fields else name}: {message}"
                    for name, messages in form.errors.items()
                    for message in messages
                ]
            }
        )
    return json.loads(json.dumps(form.cleaned_data, cls=DjangoJSONEncoder))


def submit_feedback(
    author, kind: str, mentorship: Mentorship | None = None, program=None, answers=None, **fields
) -> Feedback:
    """Record a survey answer or rating about a mentorship (or a program), the one write path of the
    survey pages and the API.

    The fixed questions (rating, NPS, comment) are always answered; when the program has a published
    editor-built survey for ``kind`` (``access.published_survey``), its extra questions are answered too
    (``answers``, validated by :func:`survey_answers`) and the feedback records which survey it was.

    Raises:
        ValidationError: an unknown kind, a subject that does not fit the kind or on which the author may
            not give it (:func:`feedback_subject_errors`), an answer already given (code ``"duplicate"``),
            a rating outside 1-5, an NPS outside 0-10, or extra answers the survey's form refuses.
    """
    if kind not in Feedback.Kind.values:
        raise ValidationError({"kind": _("Unknown feedback kind.")})
    unknown = set(fields) - set(FEEDBACK_FIELDS)
    if unknown:
        raise ValueError(f"Unknown feedback fields: {sorted(unknown)}")
    session = fields.get("session")
    errors = feedback_subject_errors(author, kind, mentorship, program, session)
    if errors:
        raise ValidationError(errors)
    if already_answered(author, kind, mentorship, program, session):
        raise ValidationError(_("You have already answered this survey. Thank you!"), code="duplicate")
    program = program or (mentorship.program if mentorship else None)
    survey = published_survey(program.pk if program else None, kind)
    feedback = Feedback(
        author=author,
        kind=kind,
        mentorship=mentorship,
        program=program,
        survey=survey,
        answers=survey_answers(survey, answers, author),
        **fields,
    )
    feedback.full_clean(exclude=["author", "mentorship", "program", "session", "survey"])
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


# --- scheduling: planned sessions, availability slots, invitations ---------------------------------
#: Sent (``transaction.on_commit``) when the pair must be told about a session's calendar entry:
#: ``session`` and ``method`` (``"REQUEST"``: planned or changed, ``"CANCEL"``: cancelled).
#: ``signal_handlers`` connects the invitation e-mails of ``notifications.invitations``.
session_calendar_changed = Signal()

#: The shortest availability slot a mentor may publish, in minutes.
MIN_SLOT_MINUTES = 15
#: Fields a planned (or proposed) session is created and changed with.
PLAN_FIELDS = ("date", "duration_minutes", "format", "location", "agenda")
#: Changing one of these moves the calendar entry: SEQUENCE goes up and the pair gets an update.
CALENDAR_FIELDS = ("date", "duration_minutes", "format", "location")
#: Fields written when a planned session is logged as held.
HELD_FIELDS = ("agenda", "notes", "next_steps", "duration_minutes")


def _announce(session: MentoringSession, method: str) -> None:
    """Tell the pair about ``session``'s calendar entry once the transaction commits."""
    transaction.on_commit(
        lambda: session_calendar_changed.send(sender=MentoringSession, session=session, method=method)
    )


def _require_in_pair(mentorship: Mentorship, user) -> None:
    if user is None or user.pk not in (mentorship.mentor_id, mentorship.mentee_id):
        raise ValidationError(_("Only the mentor and the mentee plan their sessions."), code="not_in_pair")


def _require_future(value: dt.datetime, field: str = "date") -> None:
    if value is not None and value <= timezone.now():
        raise ValidationError({field: _("Choose a time in the future.")}, code="past")


def _check_fields(fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"Unknown session fields: {sorted(unknown)}")


def plan_session(mentorship: Mentorship, author, **fields) -> MentoringSession:
    """Plan a session of an active pairing in the future; both receive an invitation.

    Args:
        mentorship: the pairing (active).
        author: the mentor or the mentee planning it.
        **fields: fields of :data:`PLAN_FIELDS` (``date`` required, in the future).

    Returns:
        The saved session (status planned).

    Raises:
        ValidationError: not in the pair, the pairing is not active, a date in the past, invalid fields.
    """
    _check_fields(fields, PLAN_FIELDS)
    _require_in_pair(mentorship, author)
    _require_active_for_sessions(mentorship)
    if fields.get("date") is None:
        raise ValidationError({"date": _("Choose when the session takes place.")}, code="required")
    _require_future(fields["date"])
    session = MentoringSession(
        mentorship=mentorship, created_by=author, status=MentoringSession.Status.PLANNED, **fields
    )
    session.full_clean(exclude=["mentorship", "created_by", "key_results_discussed", "slot"])
    with transaction.atomic():
        _require_active_for_sessions(Mentorship.objects.select_for_update().get(pk=mentorship.pk))
        session.save()
        _announce(session, "REQUEST")
    return session


def _locked_session(session: MentoringSession) -> tuple[MentoringSession, Mentorship]:
    """The session and its pairing, re-read under lock (pairing first, as every session write does)."""
    mentorship = Mentorship.objects.select_for_update().get(pk=session.mentorship_id)
    locked = MentoringSession.objects.select_for_update().get(pk=session.pk)
    return locked, mentorship


def reschedule_session(session: MentoringSession, by, **fields) -> MentoringSession:
    """Change a proposed or planned session's time, length, format, place or agenda.

    A change of time, length, format or place of a planned session raises its SEQUENCE and sends the
    pair an updated invitation (same UID); a proposed one has sent no invitation yet.

    Raises:
        ValidationError: not in the pair, the pairing is not active, the session is held or cancelled, a
            date in the past, invalid fields.
    """
    _check_fields(fields, PLAN_FIELDS)
    with transaction.atomic():
        locked, mentorship = _locked_session(session)
        _require_in_pair(mentorship, by)
        _require_active_for_sessions(mentorship)
        if not locked.is_upcoming:
            raise ValidationError(
                {"status": _("Only a proposed or planned session can be changed.")}, code="not_upcoming"
            )
        if "date" in fields:
            _require_future(fields["date"])
        moved = any(name in fields and fields[name] != getattr(locked, name) for name in CALENDAR_FIELDS)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.full_clean(exclude=["mentorship", "created_by", "key_results_discussed", "slot"])
        if moved:
            locked.sequence += 1
        if "date" in fields and locked.slot_id and fields["date"] != session.date:
            locked.slot = None  # moved out of the mentor's slot: the slot is offered again
        locked.save()
        if moved and locked.status == MentoringSession.Status.PLANNED:
            _announce(locked, "REQUEST")
    return locked


def set_session_status(session: MentoringSession, status: str, by, **fields) -> MentoringSession:
    """Take a session through ``MentoringSession.TRANSITIONS``: the one write path of every status change.

    * proposed -> planned (**confirm**): by the other person than the one who proposed it; invitations go out.
    * proposed -> cancelled (**decline**, or withdraw): by either; nothing was sent, the slot is free again.
    * planned -> held: once it has started, by either, with the notes (``HELD_FIELDS``).
    * planned -> cancelled: by either; SEQUENCE goes up and both get a cancellation; the slot is free again.

    Raises:
        ValidationError: on ``status`` (a transition the table does not allow, or not yet: held before
            its start), not in the pair (``not_in_pair``), the proposer confirming their own proposal,
            an inactive pairing, invalid fields.
    """
    _check_fields(fields, HELD_FIELDS)
    if status not in MentoringSession.Status.values:
        raise ValidationError({"status": _("Unknown session status.")}, code="invalid")
    with transaction.atomic():
        locked, mentorship = _locked_session(session)
        _require_in_pair(mentorship, by)
        _require_active_for_sessions(mentorship)
        current = locked.status
        if status not in MentoringSession.TRANSITIONS[current]:
            # The session's status does not allow the change: ``invalid_transition``, as for every lifecycle (the
            # API's 409). A code given beside a dict is dropped: it goes on the field's error itself.
            message = _("A %(current)s session cannot become %(new)s.") % {
                "current": MentoringSession.Status(current).label.lower(),
                "new": MentoringSession.Status(status).label.lower(),
            }
            raise ValidationError({"status": ValidationError(message, code="invalid_transition")})
        if fields and status != MentoringSession.Status.HELD:
            raise ValidationError(_("Notes are written when the session is logged as held."), code="fields")
        if current == MentoringSession.Status.PROPOSED and status == MentoringSession.Status.PLANNED:
            if locked.created_by_id == by.pk:
                raise ValidationError(
                    {"status": _("The other person confirms a proposed session.")}, code="own_proposal"
                )
        if status == MentoringSession.Status.HELD and locked.date > timezone.now():
            raise ValidationError(
                {"status": _("A session can be logged as held once it has started.")}, code="not_started"
            )
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.status = status
        if current == MentoringSession.Status.PLANNED and status == MentoringSession.Status.CANCELLED:
            locked.sequence += 1
        locked.full_clean(exclude=["mentorship", "created_by", "key_results_discussed", "slot"])
        locked.save()
        if status == MentoringSession.Status.PLANNED:
            _announce(locked, "REQUEST")
        elif current == MentoringSession.Status.PLANNED and status == MentoringSession.Status.CANCELLED:
            _announce(locked, "CANCEL")
    return locked


def confirm_session(session: MentoringSession, by) -> MentoringSession:
    """The mentor confirms a proposed session (:func:`set_session_status` to planned)."""
    return set_session_status(session, MentoringSession.Status.PLANNED, by)


def cancel_session(session: MentoringSession, by) -> MentoringSession:
    """Cancel (or decline) a proposed or planned session (:func:`set_session_status` to cancelled)."""
    return set_session_status(session, MentoringSession.Status.CANCELLED, by)


def mark_session_held(session: MentoringSession, by, **fields) -> MentoringSession:
    """Log a planned session as held, with its notes (:func:`set_session_status` to held)."""
    return set_session_status(session, MentoringSession.Status.HELD, by, **fields)


def propose_slot(mentorship: Mentorship, mentee, slot: AvailabilitySlot, **fields) -> MentoringSession:
    """The mentee of an active pairing proposes one of the mentor's free slots: a *proposed* session.

    The slot's row is locked, so of two proposals for one slot one wins and the other is refused
    (the partial unique constraint ``wm_session_one_per_slot`` holds it on any database too).

    Args:
        mentorship: the mentee's active pairing.
        mentee: its mentee.
        slot: an availability slot of the pairing's mentor, in the future and free.
        **fields: ``format``, ``location``, ``agenda``.

    Raises:
        ValidationError: not the pairing's mentee, inactive pairing, another mentor's slot, a past slot,
            a slot already taken (code ``taken``), invalid fields.
    """
    _check_fields(fields, ("format", "location", "agenda"))
    if mentee is None or mentee.pk != mentorship.mentee_id:
        raise ValidationError(_("Only the mentee proposes one of the mentor's slots."), code="not_mentee")
    _require_active_for_sessions(mentorship)
    taken = ValidationError(
        {"slot": ValidationError(_("This time has just been taken. Choose another one."), code="taken")}
    )
    with transaction.atomic():
        _require_active_for_sessions(Mentorship.objects.select_for_update().get(pk=mentorship.pk))
        locked = AvailabilitySlot.objects.select_for_update().filter(pk=slot.pk).first()
        if locked is None or locked.mentor_id != mentorship.mentor_id:
            raise ValidationError({"slot": _("Choose one of your mentor's times.")}, code="not_mentors")
        _require_future(locked.start, "slot")
        if locked.sessions.filter(status__in=MentoringSession.SLOT_TAKING).exists():
            raise taken
        session = MentoringSession(
            mentorship=mentorship,
            created_by=mentee,
            status=MentoringSession.Status.PROPOSED,
            slot=locked,
            date=locked.start,
            duration_minutes=min(locked.duration_minutes, MAX_SESSION_MINUTES),
            **fields,
        )
        session.full_clean(exclude=["mentorship", "created_by", "key_results_discussed", "slot"])
        try:
            with transaction.atomic():
                session.save()
        except IntegrityError as exc:
            raise taken from exc
    return session


def add_availability(mentor, start: dt.datetime, until: dt.datetime, note: str = "") -> AvailabilitySlot:
    """Publish a time ``mentor`` offers for sessions (in the future, not overlapping another of theirs).

    The mentor's user row is locked, so two slots added at once cannot overlap.

    Raises:
        ValidationError: ``start`` in the past, ``until`` not after ``start``, an overlap with another of the
            mentor's slots, a note too long, dates outside the input window.
    """
    slot = AvailabilitySlot(mentor=mentor, start=start, end=until, note=note or "")
    slot.full_clean(exclude=["mentor"], validate_constraints=False)
    errors = {}
    if start <= timezone.now():
        errors["start"] = _("Choose a time in the future.")
    if until <= start:
        errors["end"] = _("The end must be after the start.")
    elif not MIN_SLOT_MINUTES * 60 <= (until - start).total_seconds() <= MAX_SESSION_MINUTES * 60:
        errors["end"] = _("A slot lasts between %(min)d minutes and a day.") % {"min": MIN_SLOT_MINUTES}
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=mentor.pk).first()
        overlap = AvailabilitySlot.objects.filter(mentor=mentor, start__lt=until, end__gt=start).first()
        if overlap is not None:
            raise ValidationError({"start": _("This time overlaps another of your slots.")}, code="overlap")
        slot.save()
    return slot


def remove_availability(slot: AvailabilitySlot) -> None:
    """Withdraw a slot that nobody has proposed or booked (a booked one stays until its session is cancelled).

    Raises:
        ValidationError: the slot has a proposed or planned session (code ``booked``).
    """
    with transaction.atomic():
        locked = AvailabilitySlot.objects.select_for_update().filter(pk=slot.pk).first()
        if locked is None:
            return
        if locked.sessions.filter(
            status__in=(MentoringSession.Status.PROPOSED, MentoringSession.Status.PLANNED)
        ).exists():
            raise ValidationError(_("A session is booked in this slot: cancel it first."), code="booked")
        locked.delete()


# --- journeys ---------------------------------------------------------------------------------------
def _journey_pairing(mentorship: Mentorship, step_id: str, by) -> Mentorship:
    """The pairing re-read under lock, once ``by`` may act on it and ``step_id`` is a step of its program.

    Call inside a transaction. Who may act is the pair of an active pairing
    (``access.participating_mentorships``), as for check-ins and sessions.
    """
    if by is None or not participating_mentorships(by).filter(pk=mentorship.pk).exists():
        raise ValidationError(
            _("Only the mentor and the mentee of an active pairing mark the steps of its journey."), code="not_in_pair"
        )
    locked = Mentorship.objects.select_for_update().select_related("program").get(pk=mentorship.pk)
    if locked.status != Mentorship.Status.ACTIVE:
        raise ValidationError(_("Only an active pairing's journey can change."), code="not_active")
    if not isinstance(step_id, str) or locked.program.journey_step(step_id) is None:
        raise ValidationError({"step_id": _("This step is not part of the program's journey.")}, code="unknown_step")
    return locked


def complete_journey_step(mentorship: Mentorship, step_id: str, by) -> JourneyStepCompletion:
    """``by``, the mentor or the mentee of an active pairing, marks a step of its program's journey done.

    Idempotent: marking a step done again keeps the first completion (its time and author).

    Args:
        mentorship: the pairing.
        step_id: the step's id (its block id in the program's ``journey``).
        by: the user marking it.

    Returns:
        The step's completion.

    Raises:
        ValidationError: ``by`` is not in the active pair (``not_in_pair``), the pairing is not active
            (``not_active``), or the step is not the program's (``unknown_step``, on ``step_id``).
    """
    with transaction.atomic():
        locked = _journey_pairing(mentorship, step_id, by)
        completion, _created = JourneyStepCompletion.objects.get_or_create(
            mentorship=locked, step_id=step_id, defaults={"completed_by": by}
        )
    return completion


def undo_journey_step(mentorship: Mentorship, step_id: str, by) -> None:
    """``by``, the mentor or the mentee of an active pairing, takes back a step they marked done.

    Idempotent: undoing a step that is not marked done changes nothing. A step done automatically (the
    linked survey answered, path completed, objectives set) stays done: it has nothing to undo.

    Raises:
        ValidationError: as :func:`complete_journey_step`.
    """
    with transaction.atomic():
        locked = _journey_pairing(mentorship, step_id, by)
        JourneyStepCompletion.objects.filter(mentorship=locked, step_id=step_id).delete()
