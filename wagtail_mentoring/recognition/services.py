"""Record achievements once, celebrate them with the pair, send kudos, and e-mail both (django-tasks)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from wagtail_mentoring.access.querysets import is_active_user
from wagtail_mentoring.notifications.channels import dispatch
from wagtail_mentoring.notifications.email import send_notification
from wagtail_mentoring.notifications.models import NotificationChannel, NotificationKind
from wagtail_mentoring.notifications.notification import Notification
from wagtail_mentoring.notifications.preferences import opted_out, wants
from wagtail_mentoring.people import display_name
from wagtail_mentoring.recognition.models import Achievement, Celebration, Kudos
from wagtail_mentoring.snippets import scoring
from wagtail_mentoring.snippets.models import KeyResult


def _people(objective) -> list:
    """Who celebrates an objective's achievements: the pair, or the owner of a personal objective."""
    if objective.mentorship_id:
        return [objective.mentorship.mentee, objective.mentorship.mentor]
    return [objective.owner]


def _record(kind: str, objective, key_result=None) -> Achievement | None:
    """Create the achievement and its celebrations, or return None when it was already recorded."""
    try:
        with transaction.atomic():
            achievement = Achievement.objects.create(
                kind=kind, objective=objective, key_result=key_result, mentorship_id=objective.mentorship_id
            )
            Celebration.objects.bulk_create(
                [Celebration(user=user, achievement=achievement) for user in _people(objective)]
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: send_achievement.enqueue(achievement.pk))
    return achievement


def check_in_recorded(check_in) -> list[Achievement]:
    """Record the achievements a new check-in completes (its key result and maybe its objective).

    Repeated check-ins at 100% find the achievement already recorded and fire nothing.
    """
    created = []
    # Most check-ins complete nothing: decide that on the key result the check-in already holds (the
    # one ``record_check_in`` locked) before loading the objective and the pair.
    key_result = check_in.key_result
    progress = scoring.key_result_progress(
        key_result.kind, key_result.start_value, key_result.target_value, check_in.value
    )
    if progress < 1:
        return created
    key_result = KeyResult.objects.select_related("objective__mentorship__mentor", "objective__mentorship__mentee").get(
        pk=check_in.key_result_id
    )
    objective = key_result.objective
    if achievement := _record(Achievement.Kind.KEY_RESULT, objective, key_result):
        created.append(achievement)
    items = []
    for kr in objective.key_results.all():
        value = check_in.value if kr.pk == key_result.pk else kr.current_value
        items.append((scoring.key_result_progress(kr.kind, kr.start_value, kr.target_value, value), kr.weight))
    if scoring.objective_progress(items) >= 1:
        if achievement := _record(Achievement.Kind.OBJECTIVE, objective):
            created.append(achievement)
    return created


def check_in_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """``post_save`` handler for CheckIn (connected in ``signal_handlers``)."""
    if created and not raw:
        check_in_recorded(instance)


def achievement_recipients(achievement: Achievement) -> list:
    """The people an achievement is e-mailed to: the pair (or the owner), minus those who opted out."""
    people = [u for u in _people(achievement.objective) if u.is_active]
    off = opted_out([u.pk for u in people], NotificationKind.ACHIEVEMENT)
    return [u for u in people if (u.pk, NotificationKind.ACHIEVEMENT) not in off]


def achievement_message(achievement: Achievement) -> tuple[str, str]:
    """Subject and body of the achievement e-mail."""
    if achievement.kind == Achievement.Kind.KEY_RESULT:
        return (
            _("Key result achieved: %(title)s") % {"title": achievement.key_result.title},
            _("Congratulations! The key result “%(title)s” of “%(objective)s” reached its target.")
            % {"title": achievement.key_result.title, "objective": achievement.objective.title},
        )
    return (
        _("Objective achieved: %(title)s") % {"title": achievement.objective.title},
        _("Congratulations! Every key result of “%(title)s” reached its target: the objective is achieved.")
        % {"title": achievement.objective.title},
    )


def celebrations_for(user, limit: int = 10) -> QuerySet:
    """The user's celebrations not yet dismissed, newest first (one query; for the dashboard)."""
    if not is_active_user(user):
        return Celebration.objects.none()
    return Celebration.objects.filter(user=user, seen_at__isnull=True).select_related(
        "achievement__key_result", "achievement__objective", "kudos__sender"
    )[:limit]


def dismiss_celebration(user, pk: int) -> int:
    """Mark one of the user's celebrations as seen; returns how many rows changed (0 when not theirs)."""
    if not is_active_user(user):
        return 0
    return Celebration.objects.filter(user=user, pk=pk, seen_at__isnull=True).update(seen_at=timezone.now())


def give_kudos(mentorship, sender, message: str) -> Kudos:
    """Send kudos from one participant of ``mentorship`` to the other (atomic, then e-mailed).

    Raises:
        ValidationError: the sender is not part of the pair, or the message is empty or too long.
    """
    if sender.pk not in (mentorship.mentor_id, mentorship.mentee_id):
        raise ValidationError(_("Only the mentor and the mentee of a pairing can send each other kudos."))
    recipient_id = mentorship.mentee_id if sender.pk == mentorship.mentor_id else mentorship.mentor_id
    kudos = Kudos(mentorship=mentorship, sender=sender, recipient_id=recipient_id, message=(message or "").strip())
    kudos.full_clean(exclude=["mentorship", "sender", "recipient"])
    with transaction.atomic():
        kudos.save()
        Celebration.objects.create(user_id=recipient_id, kudos=kudos)
    transaction.on_commit(lambda: send_kudos.enqueue(kudos.pk))
    return kudos


@task()
def send_achievement(achievement_id: int) -> int:
    """E-mail the people concerned by an achievement (unless they opted out of achievements)."""
    achievement = (
        Achievement.objects.select_related(
            "key_result", "objective__program", "mentorship__mentor", "mentorship__mentee"
        )
        .filter(pk=achievement_id)
        .first()
    )
    if achievement is None:
        return 0
    subject, body = achievement_message(achievement)
    program = achievement.objective.program

    def notification(user) -> Notification:
        return Notification(
            NotificationKind.ACHIEVEMENT,
            user,
            subject,
            body,
            program_id=program.pk if program else None,
            program=program.title if program else "",
        )

    sent = sum(
        dispatch(notification(user), channels=(NotificationChannel.EMAIL,))
        for user in achievement_recipients(achievement)
    )
    # One post per achievement on the program's webhooks, only when nobody concerned opted out of them.
    people = [u for u in _people(achievement.objective) if u.is_active]
    if people and not opted_out(
        [u.pk for u in people], NotificationKind.ACHIEVEMENT, channel=NotificationChannel.WEBHOOK
    ):
        dispatch(notification(people[0]), channels=(NotificationChannel.WEBHOOK,))
    return sent


@task()
def send_kudos(kudos_id: int) -> int:
    """E-mail a kudos to its recipient (unless they opted out of achievements and kudos)."""
    kudos = Kudos.objects.select_related("sender", "recipient").filter(pk=kudos_id).first()
    if kudos is None or not wants(kudos.recipient, NotificationKind.ACHIEVEMENT):
        return 0
    sender = display_name(kudos.sender)
    return send_notification(
        kudos.recipient,
        _("%(name)s sent you kudos") % {"name": sender},
        _("%(name)s wrote: “%(message)s”") % {"name": sender, "message": kudos.message},
    )
