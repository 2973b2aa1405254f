"""``mentoring_privacy``: export or erase one user's personal mentoring data (a privacy request)."""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q

from wagtail_mentoring import models
from wagtail_mentoring.access import querysets as access

ERASED = ""

#: What a participant who no longer sees a pairing keeps of it: that they took part, in which role, when.
PAIRING_RECORD_FIELDS = ("id", "program_id", "mentor_id", "mentee_id", "status", "started_on", "ended_on")


def _sessions(user, mentorships) -> list[dict]:
    """The sessions of ``mentorships`` that ``user`` sees today, each with the fields they may read."""
    reads_words = set(access.notes_mentorships(user).values_list("pk", flat=True))
    sessions = access.visible_sessions(user).filter(mentorship__in=mentorships).order_by("date", "pk")
    discussed: dict[int, list[int]] = {}
    through = models.MentoringSession.key_results_discussed.through
    for session_id, key_result_id in through.objects.filter(
        mentoringsession__in=sessions.filter(mentorship__in=reads_words).values("pk")
    ).values_list("mentoringsession_id", "keyresult_id"):
        discussed.setdefault(session_id, []).append(key_result_id)
    rows = []
    for session in sessions:
        fields = access.readable_session_fields(session.mentorship_id in reads_words)
        row = {name: getattr(session, name) for name in fields if name not in ("mentorship", "created_by", "slot")}
        row["mentorship"] = session.mentorship_id
        row["created_by"] = session.created_by_id
        if "slot" in fields:
            row["slot"] = session.slot_id
        if "key_results_discussed" in fields:
            row["key_results_discussed"] = discussed.get(session.pk, [])
        rows.append(row)
    return rows


def personal_data(user) -> dict:
    """What ``user`` may see today of their mentoring data, and every word they wrote, as JSON-able data.

    Their pairings, sessions and kudos come through the access querysets, exactly as every other
    route shows them: a pairing they left shows as a bare record (role, status, dates), never its
    agreement or its sessions' words, and an inactive user sees nothing shared. What they wrote
    themselves (profile, applications, feedback, their objectives, check-ins, the journey steps they marked
    done, kudos sent, the skill ratings they gave) is theirs, and so are their groups and those groups' sessions,
    which a group's people read (``access.member_groups``).
    """
    own_pairs = models.Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user)).exclude(status="proposed")
    seen = access.visible_mentorships(user).filter(pk__in=own_pairs.values("pk"))
    profile = models.MentoringProfile.objects.filter(user=user).values().first()
    return {
        "user": {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
        },
        "profile": profile,
        "enrolments": list(models.Enrolment.objects.filter(user=user).values()),
        "mentorships": list(seen.order_by("pk").values()),
        "past_mentorships": list(
            own_pairs.exclude(pk__in=seen.values("pk")).order_by("pk").values(*PAIRING_RECORD_FIELDS)
        ),
        "sessions": _sessions(user, seen),
        "feedback": list(models.Feedback.objects.filter(author=user).values()),
        "objectives": list(models.Objective.objects.filter(owner=user).values()),
        "check_ins": list(models.CheckIn.objects.filter(author=user).values()),
        "journey_steps_marked": list(models.JourneyStepCompletion.objects.filter(completed_by=user).values()),
        "kudos_sent": list(models.Kudos.objects.filter(sender=user).values()),
        "groups": list(
            access.member_groups(user)
            .order_by("pk")
            .values("id", "program_id", "name", "kind", "status", "mentor_id", "focus")
        ),
        "group_memberships": list(models.GroupMember.objects.filter(user=user).order_by("pk").values()),
        # The sessions of their groups, words included: a group's people read them (``access.member_groups``).
        "group_sessions": list(
            models.GroupSession.objects.filter(group__in=access.member_groups(user).values("pk"))
            .order_by("date", "pk")
            .values()
        ),
        "skill_ratings": list(
            access.visible_skill_ratings(user).filter(Q(rater=user) | Q(subject=user)).order_by("pk").values()
        ),
        "kudos_received": list(
            models.Kudos.objects.filter(
                recipient=user, mentorship__in=access.pair_mentorships(user).values("pk")
            ).values()
        ),
    }


@transaction.atomic
def erase(user) -> None:
    """Blank the words ``user`` wrote and their identity; rows (and so program statistics) stay.

    Only what is theirs alone: sessions (of a pairing or a group) they logged, their feedback, objectives,
    check-ins and the kudos they sent. The other person's words (sessions the partner logged, kudos received) stay.
    """
    models.MentoringProfile.objects.filter(user=user).delete()
    models.Enrolment.objects.filter(user=user).update(
        goals=ERASED, skills_sought=ERASED, skills_offered=ERASED, interests=ERASED, availability=ERASED
    )
    models.MentoringSession.objects.filter(created_by=user).update(agenda=ERASED, notes=ERASED, next_steps=ERASED)
    models.GroupSession.objects.filter(created_by=user).update(agenda=ERASED, notes=ERASED, next_steps=ERASED)
    models.Feedback.objects.filter(author=user).update(comment=ERASED, answers={})
    models.Objective.objects.filter(owner=user).update(description=ERASED)
    models.CheckIn.objects.filter(author=user).update(note=ERASED)
    models.Kudos.objects.filter(sender=user).update(message="-")
    user.first_name = user.last_name = user.email = ""
    user.username = f"erased-{user.pk}"
    user.is_active = False
    user.set_unusable_password()
    user.save()


class Command(BaseCommand):
    """``manage.py mentoring_privacy export|erase USERNAME``: answer a privacy request for one user."""

    help = "Export (JSON on stdout) or erase one user's personal mentoring data."

    def add_arguments(self, parser):
        """``action`` (``export`` or ``erase``) and the user's ``username`` (the user model's ``USERNAME_FIELD``)."""
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("username")

    def handle(self, *args, action: str, username: str, **options):
        """Print :func:`personal_data` as JSON, or :func:`erase` the user (deactivated, rows kept).

        Raises:
            CommandError: no user has that username.
        """
        user = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        if action == "export":
            self.stdout.write(json.dumps(personal_data(user), cls=DjangoJSONEncoder, indent=2))
        else:
            erase(user)
            self.stdout.write(f"Erased the personal mentoring data of user #{user.pk}.")
