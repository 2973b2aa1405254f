"""The one write path of the OKR aggregates: objectives, key results, check-ins, realignments, initiatives and
templates.

Each function validates, locks the parent row (``SELECT ... FOR UPDATE``) inside ``transaction.atomic``
and enforces the limits of ``snippets.limits`` there, so the admin forms, the dashboard forms and the
API serializers (which all call these) obey the same rules and concurrent writes cannot pass a limit.
Permission is the caller's concern (see ``wagtail_mentoring.access``). Errors are Django
``ValidationError``s with field names, which forms show as form errors and the API as 400s.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from wagtail_mentoring.inputs import MAX_TEXT_LENGTH, text_lines
from wagtail_mentoring.programs.models import Enrolment, Mentorship
from wagtail_mentoring.snippets import limits, scoring
from wagtail_mentoring.snippets.library import ObjectiveTemplate, ObjectiveTemplateKeyResult
from wagtail_mentoring.snippets.models import CheckIn, Initiative, KeyResult, Objective, Realignment
from wagtail_mentoring.snippets.validators import validate_check_in_value, validate_confidence, validate_finite


def record_check_in(
    key_result: KeyResult | int,
    author,
    value: float,
    confidence: int | None = None,
    note: str = "",
    created_at=None,
) -> CheckIn:
    """Record a check-in and set the key result's current value (and confidence) atomically.

    The key result row is locked (``SELECT ... FOR UPDATE``) for the duration of the transaction, so
    concurrent check-ins serialise and the current value always equals the newest check-in's value.
    Permission is the caller's concern (see ``wagtail_mentoring.access``).

    Raises:
        ValidationError: for a non-finite or out-of-range value or confidence.
    """
    validate_finite(value)
    validate_confidence(confidence)
    pk = key_result.pk if isinstance(key_result, KeyResult) else key_result
    with transaction.atomic():
        locked = KeyResult.objects.select_for_update().get(pk=pk)
        validate_check_in_value(locked.kind, value)
        check_in = CheckIn(
            key_result=locked,
            author=author,
            value=float(value),
            confidence=locked.confidence if confidence is None else confidence,
            note=note,
            created_at=created_at or timezone.now(),
        )
        check_in.full_clean(exclude=["key_result", "author"])
        check_in.save()
        newest = CheckIn.objects.filter(key_result=locked).order_by("-created_at", "-pk").first()
        KeyResult.objects.filter(pk=pk).update(
            current_value=newest.value, confidence=newest.confidence, updated_at=timezone.now()
        )
    if isinstance(key_result, KeyResult):
        key_result.current_value = newest.value
        key_result.confidence = newest.confidence
    return check_in


def check_objective_limit(mentorship: Mentorship | None, status: str | None, exclude_pk: int | None = None) -> None:
    """Refuse one more counted objective in ``mentorship`` beyond its program's limit.

    Args:
        mentorship: the pairing the objective belongs to (None: no limit applies).
        status: the objective's status (cancelled and archived ones do not count).
        exclude_pk: the objective being edited, not counted twice.

    Raises:
        ValidationError: on ``mentorship`` when the pairing is full (``limits.validate_objective_count``).
    """
    if mentorship is None or status in Objective.CLOSED_STATUSES:
        return
    others = Objective.objects.filter(mentorship_id=mentorship.pk).exclude(status__in=Objective.CLOSED_STATUSES)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    limits.validate_objective_count(others.count() + 1, limits.objective_limit(mentorship.program))


def _lock_objective(pk: int) -> Objective:
    return Objective.objects.select_for_update(of=("self",)).select_related("program").get(pk=pk)


def save_objective(objective: Objective, save: Callable[[], object] | None = None, by=None) -> Objective:
    """Create or change an objective (and, through ``save``, its key results and initiatives).

    The pairing's row (and the objective's, when it exists) is locked, the objective limit checked,
    ``save`` run (default: ``objective.save()``; forms pass their own, which also saves inline key
    results), and the key-result limit checked on what was saved; any error rolls everything back.

    Args:
        objective: the objective with its new values (validated by the caller's form or ``full_clean``).
        save: what writes the objective and its children.
        by: who writes it: the change is kept in the objective's history, a revision and a log entry
            ("Created", "Edited") as the admin's views keep them, so the pair sees who changed their shared
            objective when. ``None``: the caller keeps the history itself (the admin's views).

    Returns:
        The saved objective.

    Raises:
        ValidationError: the pairing already has its maximum of objectives, or the objective too many
            key results.
    """
    with transaction.atomic():
        mentorship = None
        if objective.mentorship_id:
            mentorship = (
                Mentorship.objects.select_for_update(of=("self",))
                .select_related("program")
                .get(pk=objective.mentorship_id)
            )
        created = objective.pk is None
        if not created:
            _lock_objective(objective.pk)
        check_objective_limit(mentorship, objective.status, exclude_pk=objective.pk)
        result = save() if save is not None else objective.save()
        objective = result if isinstance(result, Objective) else objective
        program = mentorship.program if mentorship is not None else objective.program
        limits.validate_key_result_count(
            KeyResult.objects.filter(objective_id=objective.pk).count(), limits.key_result_limit(objective, program)
        )
        if by is not None:
            objective.save_revision(user=by, clean=False, log_action=not created)
            if created:
                log(objective, "wagtail.create", user=by)
    return objective


def add_key_result(objective: Objective, **fields) -> KeyResult:
    """Add a key result to a saved objective, validated, within the objective's key-result limit.

    The objective row is locked so that two concurrent additions cannot both pass the limit.

    Args:
        objective: the saved objective.
        **fields: the key result's fields.

    Returns:
        The new key result.

    Raises:
        ValidationError: invalid fields, or the objective already has as many key results as allowed.
    """
    with transaction.atomic():
        locked = _lock_objective(objective.pk)
        limits.validate_key_result_count(locked.key_results.count() + 1, limits.key_result_limit(locked))
        key_result = KeyResult(objective=locked, **fields)
        key_result.full_clean()
        key_result.save()
    return key_result


def update_key_result(key_result: KeyResult, **fields) -> KeyResult:
    """Change a key result's fields (its current value is the check-ins' business), validated and locked.

    Args:
        key_result: the saved key result.
        **fields: the fields to change.

    Returns:
        The saved key result.

    Raises:
        ValidationError: invalid fields.
    """
    return _save_child(key_result, fields, exclude=["objective", "owner"])


def realign_key_result(
    key_result: KeyResult | int,
    author,
    what_happened: str,
    what_changes: str = "",
    target_value: float | None = None,
    due_date=None,
) -> Realignment:
    """Review a key result that is at risk, off track or missed, and realign it: record what happened and what
    changes, and set a new target or due date. History keeps both the old and the new values.

    The objective and the key result are locked; the review and the key result's new values are written
    together or not at all. Permission is the caller's concern: the people who may check in on the key result
    (``access.check_in_key_results``).

    Args:
        key_result: the key result (or its pk).
        author: who reviews it.
        what_happened: the reflection (required).
        what_changes: what the pair will do differently, or why the target or due date moves (required).
        target_value: the new target (``None``: unchanged); numeric kinds only.
        due_date: the new due date (``None``: unchanged); today or later.

    Returns:
        The saved :class:`Realignment`.

    Raises:
        ValidationError: the key result is on track, achieved or its objective closed; or a field is invalid
            (``what_happened``, ``what_changes``, ``target_value``, ``due_date``). The refusals for its state have
            the code ``invalid_transition`` (the API's 409).

    Example:
        >>> realign_key_result(kr, mentee, "Two talks were cancelled.", target_value=4)  # doctest: +SKIP
    """
    pk = key_result.pk if isinstance(key_result, KeyResult) else key_result
    today = timezone.localdate()
    with transaction.atomic():
        # The objective first, then the key result: the order every write path of the aggregate locks in.
        objective = _lock_objective(KeyResult.objects.values_list("objective_id", flat=True).get(pk=pk))
        locked = KeyResult.objects.select_for_update().get(pk=pk)
        locked.objective = objective
        if objective.status in Objective.CLOSED_STATUSES:
            raise ValidationError(
                _("This objective is closed: its key results can no longer be realigned."), code="invalid_transition"
            )
        health = locked.health_on(today)
        if not locked.needs_review_on(today):
            raise ValidationError(
                _("Only a key result that is at risk, off track or missed can be realigned; this one is %(health)s.")
                % {"health": scoring.health_label(health).lower()},
                code="invalid_transition",
            )
        errors: dict[str, list] = {}
        what_happened = (what_happened or "").strip()
        what_changes = (what_changes or "").strip()
        if not what_happened:
            errors["what_happened"] = [_("Say what happened.")]
        if not what_changes:
            errors["what_changes"] = [
                _("Say what changes: what you will do differently, or why the target or due date moves.")
            ]
        new_target = locked.target_value if target_value is None else target_value
        if target_value is not None and not locked.is_numeric and float(target_value) != locked.target_value:
            errors["target_value"] = [_("A yes/no or milestone key result has no target to change.")]
        new_due = locked.due_date if due_date is None else due_date
        if due_date is not None and due_date != locked.due_date and due_date < today:
            errors["due_date"] = [_("The new due date cannot be in the past.")]
        if errors:
            raise ValidationError(errors)
        review = Realignment(
            key_result=locked,
            author=author,
            health=health,
            progress=locked.progress,
            what_happened=what_happened,
            what_changes=what_changes,
            previous_target=locked.target_value,
            target_value=new_target,
            previous_due_date=locked.due_date,
            due_date=new_due,
        )
        review.full_clean(exclude=["key_result", "author", "previous_target", "previous_due_date"])
        locked.target_value = float(new_target)
        locked.due_date = new_due
        locked.full_clean(exclude=["objective", "owner"])
        locked.save(update_fields=["target_value", "due_date", "updated_at"])
        review.save()
    if isinstance(key_result, KeyResult):
        key_result.target_value = locked.target_value
        key_result.due_date = locked.due_date
    return review


def save_initiative(initiative: Initiative, **fields) -> Initiative:
    """Create or change a step of an objective's action plan, validated, under the objective's lock.

    Args:
        initiative: the initiative (new or saved), with its objective set.
        **fields: fields to change.

    Returns:
        The saved initiative.

    Raises:
        ValidationError: invalid fields, or an ``assignee`` outside the objective's team
            (:meth:`Objective.team_ids`: its owner, and the pair of its pairing).
    """
    assignee = fields.get("assignee", initiative.assignee)
    if assignee is not None and assignee.pk not in initiative.objective.team_ids():
        raise ValidationError(
            {"assignee": _("Assign the step to the objective's owner or to someone in its pairing.")},
            code="assignee",
        )
    return _save_child(initiative, fields, exclude=["objective", "assignee"])


def _save_child(child, fields: dict, exclude: list[str]):
    """Set ``fields`` on a key result or initiative, validate and save it under its objective's lock."""
    with transaction.atomic():
        _lock_objective(child.objective_id)
        for name, value in fields.items():
            setattr(child, name, value)
        child.full_clean(exclude=exclude)
        child.save()
    return child


def drafts_from_enrolment_goals(mentorships: Iterable[Mentorship], by=None) -> list[Objective]:
    """The goals each mentee wrote when applying, as draft objectives of their new pairing to refine with the mentor.

    One draft per line of the mentee's enrolment goals (``Enrolment.goals_list``, ``inputs.text_lines``), owned by
    the mentee at the mentee level, in the pairing and its program; a line the pairing already has as an objective
    title is skipped (approving again adds nothing), and lines beyond the pairing's objective limit
    (``limits.objective_limit``) are left out: the application keeps them. The pairings are locked as
    :func:`save_objective` locks one, the drafts written in one statement whatever their number (a bulk
    approval), each kept in Wagtail's reference and search indexes and in its history ("Created" by ``by``).

    Args:
        mentorships: pairings just approved.
        by: the user who approved them.

    Returns:
        The drafts made.
    """
    ids = [m.pk for m in mentorships if m.pk is not None]
    if not ids:
        return []
    with transaction.atomic():
        pairings = list(
            Mentorship.objects.select_for_update(of=("self",))
            .select_related("program")
            .filter(pk__in=ids)
            .order_by("pk")
        )
        goals = {
            (program_id, user_id): text
            for program_id, user_id, text in Enrolment.objects.filter(
                role=Enrolment.Role.MENTEE,
                program_id__in={m.program_id for m in pairings},
                user_id__in={m.mentee_id for m in pairings},
            ).values_list("program_id", "user_id", "goals")
        }
        taken: dict[int, set[str]] = defaultdict(set)
        counted: dict[int, int] = defaultdict(int)
        for mentorship_id, title, status in Objective.objects.filter(mentorship_id__in=ids).values_list(
            "mentorship_id", "title", "status"
        ):
            taken[mentorship_id].add(title.casefold())
            counted[mentorship_id] += status not in Objective.CLOSED_STATUSES
        max_title = Objective._meta.get_field("title").max_length
        rows = []
        for mentorship in pairings:
            room = limits.objective_limit(mentorship.program) - counted[mentorship.pk]
            for line in text_lines(goals.get((mentorship.program_id, mentorship.mentee_id), "")):
                title = Truncator(line).chars(max_title)
                if room <= 0:
                    break
                if title.casefold() in taken[mentorship.pk]:
                    continue
                taken[mentorship.pk].add(title.casefold())
                room -= 1
                rows.append(
                    Objective(
                        owner_id=mentorship.mentee_id,
                        mentorship=mentorship,
                        program_id=mentorship.program_id,
                        level=Objective.Level.MENTEE,
                        status=Objective.Status.DRAFT,
                        title=title,
                        # The whole goal when the title had to be cut (both within the fields' limits).
                        description=Truncator(_("From your application: %(goal)s") % {"goal": line}).chars(
                            MAX_TEXT_LENGTH
                        )
                        if title != line
                        else "",
                    )
                )
        if not rows:
            return []
        created = Objective.objects.bulk_create(rows)
        # bulk_create sends no post_save: send it for each new row as saving would (Wagtail keeps its reference
        # and search indexes by it), and record each draft's creation as Wagtail's views do.
        using = router.db_for_write(Objective)
        for row in created:
            post_save.send(sender=Objective, instance=row, created=True, raw=False, using=using, update_fields=None)
        content_type = ContentType.objects.get_for_model(Objective, for_concrete_model=False)
        now = timezone.now()
        ModelLogEntry.objects.bulk_create(
            ModelLogEntry(
                content_type=content_type,
                label=row.title,
                action="wagtail.create",
                timestamp=now,
                data={},
                user=by,
                object_id=str(row.pk),
            )
            for row in created
        )
    return created


def objective_from_template(
    template: ObjectiveTemplate,
    *,
    owner,
    mentorship: Mentorship | None = None,
    title: str = "",
    start_date=None,
    due_date=None,
    cycle=None,
) -> Objective:
    """Create a draft objective, with the template's suggested key results, for ``owner`` to refine.

    Written through :func:`save_objective` (the pairing's objective limit and the objective's key-result
    limit, under the pairing's lock), so it obeys the same rules as an objective made by hand. Whether
    ``owner`` may see the template and file under ``mentorship`` is the caller's concern
    (``access.querysets.visible_objective_templates``, ``objective_mentorships``).

    Args:
        template: the template to start from.
        owner: who owns the new objective.
        mentorship: the pairing it belongs to; needed for a pairing template, and in one of the
            template's programs when it has any.
        title: a title of the owner's own (default: the template's).
        start_date: the objective's start, if any.
        due_date: the objective's due date, if any.
        cycle: the OKR cycle, if any.

    Returns:
        The saved draft objective, with its key results.

    Raises:
        ValidationError: with field names (``mentorship``, ``title``, ``due_date``...): a pairing template
            without a pairing, a pairing outside the template's programs, invalid values, or a limit reached.
    """
    if template.level == Objective.Level.PAIRING and mentorship is None:
        raise ValidationError({"mentorship": _("This template is for a pairing: choose the pairing it is for.")})
    program_ids = set(template.programs.values_list("pk", flat=True))
    if mentorship is not None and program_ids and mentorship.program_id not in program_ids:
        raise ValidationError({"mentorship": _("This template is not offered in the pairing's program.")})
    objective = Objective(
        title=title or template.title,
        description=template.description,
        category=template.category,
        level=template.level,
        owner=owner,
        mentorship=mentorship,
        program_id=mentorship.program_id if mentorship is not None else None,
        cycle=cycle,
        start_date=start_date,
        due_date=due_date,
        status=Objective.Status.DRAFT,
    )
    objective.full_clean(exclude=["owner", "mentorship", "program", "parent", "cycle"])
    # A fresh query: ``order_by`` on a manager prefetched with ``Prefetch(queryset=...)`` (the API's) returns
    # every row of the prefetch in modelcluster, not this template's.
    suggested = list(ObjectiveTemplateKeyResult.objects.filter(template=template).order_by("sort_order", "pk"))

    def write() -> None:
        objective.save()
        for order, item in enumerate(suggested):
            key_result = KeyResult(
                objective=objective,
                title=item.title,
                kind=item.kind,
                unit=item.unit,
                start_value=item.start_value,
                target_value=item.target_value,
                owner=owner,
                sort_order=order,
            )
            key_result.full_clean(exclude=["objective", "owner"])
            key_result.save()

    return save_objective(objective, save=write, by=owner)


def save_objective_template(
    template: ObjectiveTemplate, *, programs=None, key_results: list[dict] | None = None
) -> ObjectiveTemplate:
    """Create or change an objective template (and replace its suggested key results when given), atomically.

    The number of suggested key results is checked against ``limits.template_key_result_limit`` of the
    template's programs: an objective made from it must be within its program's limit.

    Args:
        template: the template with its new values.
        programs: its programs (``None``: unchanged).
        key_results: the suggested key results' fields, in order (``None``: unchanged).

    Returns:
        The saved template.

    Raises:
        ValidationError: invalid values (per field; a key result's as ``key_results``) or too many key results.
    """
    with transaction.atomic():
        if template.pk:
            ObjectiveTemplate.objects.select_for_update().filter(pk=template.pk).first()
        chosen = list(programs) if programs is not None else (list(template.programs.all()) if template.pk else [])
        template.full_clean(exclude=["programs", "locale", "translation_key"], validate_unique=False)
        items = [ObjectiveTemplateKeyResult(sort_order=i, **fields) for i, fields in enumerate(key_results or [])]
        for item in items:
            try:
                item.full_clean(exclude=["template"])
            except ValidationError as exc:
                raise ValidationError({"key_results": exc.messages}) from exc
        count = len(items) if key_results is not None else (template.key_results.count() if template.pk else 0)
        try:
            limits.validate_key_result_count(count, limits.template_key_result_limit(chosen))
        except ValidationError as exc:
            raise ValidationError({"key_results": exc.messages}) from exc
        template.save()
        if programs is not None:
            template.programs.set(chosen)
            template.save()
        if key_results is not None:
            ObjectiveTemplateKeyResult.objects.filter(template=template).delete()
            for item in items:
                item.template = template
                item.save()
    return template
