"""``mentoring_privacy``: export or erase one user's personal mentoring data (a privacy request)."""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q

from wagtail_mentoring import models

ERASED = ""


def personal_data(user) -> dict:
    """Every piece of personal mentoring text about or by ``user``, as plain JSON-able data."""
    pairs = models.Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user))
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
        "mentorships": list(pairs.values()),
        "sessions": list(models.MentoringSession.objects.filter(mentorship__in=pairs).values()),
        "feedback": list(models.Feedback.objects.filter(author=user).values()),
        "objectives": list(models.Objective.objects.filter(owner=user).values()),
        "check_ins": list(models.CheckIn.objects.filter(author=user).values()),
        "kudos_sent": list(models.Kudos.objects.filter(sender=user).values()),
        "kudos_received": list(models.Kudos.objects.filter(recipient=user).values()),
    }


@transaction.atomic
def erase(user) -> None:
    """Blank ``user``'s personal text and identity; rows (and so program statistics) stay."""
    pairs = models.Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user))
    models.MentoringProfile.objects.filter(user=user).delete()
    models.Enrolment.objects.filter(user=user).update(
        goals=ERASED, skills_sought=ERASED, skills_offered=ERASED, interests=ERASED, availability=ERASED
    )
    models.MentoringSession.objects.filter(mentorship__in=pairs).update(agenda=ERASED, notes=ERASED, next_steps=ERASED)
    models.Feedback.objects.filter(author=user).update(comment=ERASED)
    models.Objective.objects.filter(owner=user).update(description=ERASED)
    models.CheckIn.objects.filter(author=user).update(note=ERASED)
    models.Kudos.objects.filter(Q(sender=user) | Q(recipient=user)).update(message="-")
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
