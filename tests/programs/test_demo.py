"""The demo command (``mentoring_demo``): idempotent, every pairing state, realistic OKRs with history.

One test runs the whole command twice (each run costs seconds) and checks what the programs and the OKR
steps created, on a site that already has a pairing (the demo builds around existing data).
"""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ReferenceIndex

from tests.factories import UserFactory, active_mentorship
from wagtail_mentoring.models import (
    CheckIn,
    Enrolment,
    Initiative,
    KeyResult,
    MentoringProfile,
    MentoringProgramPage,
    Mentorship,
    Objective,
    OKRCycle,
)

# With Wagtail's reference index updated on every save (off elsewhere, tests/conftest.py): the demo saves
# every model the package has, so indexing each of them is proved here.
pytestmark = [pytest.mark.django_db, pytest.mark.reference_index]


def _counts():
    return tuple(
        m.objects.count()
        for m in (Enrolment, Mentorship, MentoringProfile, OKRCycle, Objective, KeyResult, CheckIn, Initiative)
    )


def test_demo_is_idempotent_with_every_pairing_state_and_okr_history(settings, program):
    settings.DEBUG = True
    mentee1 = UserFactory(username="mentee1")
    pairing = active_mentorship(program=program, mentor=UserFactory(username="mentor1"), mentee=mentee1)
    call_command("mentoring_demo", stdout=io.StringIO())
    first = _counts()
    call_command("mentoring_demo", stdout=io.StringIO())
    assert _counts() == first  # idempotent
    indexed = set(ReferenceIndex.objects.values_list("content_type__model", flat=True))
    assert {"objective", "mentorship", "mentoringprogrampage", "checkin"} <= indexed, indexed

    # Programs step: two coordinated programs, every pairing state, mentee1..3 active with mentor1..2.
    program = MentoringProgramPage.objects.get(slug="leadership")
    assert program.get_parent().slug == "programs"
    assert MentoringProgramPage.objects.filter(coordinators__name__isnull=False).count() == 2
    assert set(Mentorship.objects.values_list("status", flat=True)) == {
        "proposed",
        "active",
        "paused",
        "completed",
        "ended",
    }
    active = set(
        Mentorship.objects.filter(program=program, status="active").values_list("mentor__username", "mentee__username")
    )
    assert {mentee for _mentor, mentee in active} >= {"mentee1", "mentee2", "mentee3"}
    assert {mentor for mentor, _mentee in active} <= {"mentor1", "mentor2"}
    assert {"accepted", "waitlisted", "applied"} <= set(Enrolment.objects.values_list("status", flat=True))
    assert Enrolment.objects.filter(
        program=program, role="mentee", status="accepted", user__username="mentee5"
    ).exists()

    # The pairs have a past, so the engagement step logged sessions for every started pair.
    started = Mentorship.objects.exclude(status="proposed")
    assert not started.filter(started_on__gte=timezone.localdate()).exists()
    assert all(pair.sessions.exists() for pair in started), [(p.pk, p.started_on) for p in started]

    # OKR step: two or three objectives per mentee, ten weeks of check-ins, a spread of health.
    mentee_objectives = Objective.objects.exclude(level="organisation")
    per_mentee = Counter(mentee_objectives.values_list("owner__username", flat=True))
    assert set(per_mentee) == {f"mentee{i}" for i in range(1, 7)}
    assert set(per_mentee.values()) <= {2, 3}
    assert set(Objective.objects.values_list("category", flat=True)) >= {"confidence", "leadership", "networking"}

    # Pairing objectives for a mentee with an active mentorship; personal ones otherwise.
    assert pairing.pk in set(Objective.objects.filter(owner=mentee1).values_list("mentorship", flat=True))
    for i in range(1, 7):
        objectives = mentee_objectives.filter(owner__username=f"mentee{i}")
        active = Mentorship.objects.filter(mentee__username=f"mentee{i}", status="active")
        if active.exists():
            assert set(objectives.values_list("mentorship", flat=True)) <= set(active.values_list("pk", flat=True))
        else:
            assert not objectives.exclude(mentorship=None).exists()

    for objective in mentee_objectives.prefetch_related("key_results"):
        assert 2 <= objective.key_results.count() <= 4
        assert objective.initiatives.exists()
    kinds = set(KeyResult.objects.values_list("kind", flat=True))
    assert {"number", "percent", "milestone"} <= kinds
    for kr in KeyResult.objects.filter(kind="number")[:5]:
        history = list(kr.check_ins.order_by("created_at"))
        assert len(history) == 10
        span = history[-1].created_at - history[0].created_at
        assert 60 <= span.days <= 64
        assert kr.current_value == history[-1].value
    healths = Counter(o.health for o in Objective.objects.prefetch_related("key_results").select_related("cycle"))
    assert set(healths) == {"achieved", "on_track", "at_risk", "off_track"}
