"""Demo impact: a baseline of non-participants (a group of analysts who took part in no program), with a few
outcomes recorded for them, so that "Impact across programs" compares participants with a baseline."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail_mentoring.demo.base import DemoContext
from wagtail_mentoring.models import Enrolment, MentoringProfile, Mentorship, Outcome

#: The baseline colleagues: username, first and last name, department. None of them takes part in a program.
COLLEAGUES = (
    ("colleague1", "Greta", "Neri", "Sales"),
    ("colleague2", "Hugo", "Marchetti", "Finance"),
    ("colleague3", "Ines", "Galli", "Engineering"),
    ("colleague4", "Jonas", "Costa", "Sales"),
    ("colleague5", "Karin", "Fontana", "Operations"),
    ("colleague6", "Luca", "Rinaldi", "Finance"),
)
#: Outcomes HR recorded for some of them (``Outcome.user``, no mentorship); colleague2 also left (inactive).
OUTCOMES = (("colleague1", "promoted"), ("colleague2", "left"), ("colleague5", "retained"))
#: How many days before their pairing started the demo's mentees were accepted (in turn).
ACCEPTED_DAYS_BEFORE = (5, 12, 9, 21)
#: The name of the baseline group (the coordinator picks it in the impact report's "Baseline" filter).
BASELINE_GROUP = "Analysts (impact baseline)"


def _acceptance_dates() -> None:
    """Date the accepted mentee enrolments the demo left unreviewed a few days to weeks before their first
    pairing started, as a coordinator would have accepted them (the report's "median days to match")."""
    for i, enrolment in enumerate(
        Enrolment.objects.filter(
            role=Enrolment.Role.MENTEE, status=Enrolment.Status.ACCEPTED, reviewed_at__isnull=True
        ).order_by("pk")
    ):
        started = (
            Mentorship.objects.filter(
                program_id=enrolment.program_id, mentee_id=enrolment.user_id, started_on__isnull=False
            )
            .order_by("started_on")
            .values_list("started_on", flat=True)
            .first()
        )
        if started is None:
            continue
        accepted = started - dt.timedelta(days=ACCEPTED_DAYS_BEFORE[i % len(ACCEPTED_DAYS_BEFORE)])
        Enrolment.objects.filter(pk=enrolment.pk).update(
            reviewed_at=timezone.make_aware(dt.datetime.combine(accepted, dt.time(9)))
        )


def run(ctx: DemoContext) -> None:
    """Create the baseline group, its colleagues (who cannot log in) with profiles, and their outcomes (once)."""
    User = get_user_model()
    group, _created = Group.objects.get_or_create(name=BASELINE_GROUP)
    today = timezone.localdate()
    people = {}
    for username, first, last, department in COLLEAGUES:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.com"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        MentoringProfile.objects.get_or_create(
            user=user, defaults={"job_title": "Analyst", "department": department, "location": "Milan"}
        )
        user.groups.add(group)
        people[username] = user
    for username, kind in OUTCOMES:
        Outcome.objects.get_or_create(
            user=people[username], kind=kind, defaults={"date": today, "note": _("Recorded by the demo.")}
        )
    _acceptance_dates()
    # One participant's promotion (a completed pairing's mentee), so that both sides have one to compare.
    completed = Mentorship.objects.filter(status=Mentorship.Status.COMPLETED).order_by("pk").first()
    if completed is not None:
        Outcome.objects.get_or_create(
            mentorship=completed, kind="promoted", defaults={"date": today, "note": _("Recorded by the demo.")}
        )
    if people["colleague2"].is_active:
        people["colleague2"].is_active = False
        people["colleague2"].save(update_fields=["is_active"])
    ctx.say(
        ctx.style.SUCCESS(
            _("Impact baseline ready: group “%(group)s” with %(n)d colleagues who take part in no program.")
            % {"group": BASELINE_GROUP, "n": len(people)}
        )
    )
