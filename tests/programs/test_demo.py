"""The demo command (``mentoring_demo``): idempotent, every pairing state, realistic OKRs with history.

One test runs the whole command twice (each run costs seconds) and checks what the programs and the OKR
steps created, on a site that already has a pairing (the demo builds around existing data): a program
that has run for months, with one stalled pair and one certified pair. The others run one fake step.
"""

import datetime as dt
import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ReferenceIndex, Site

from tests.factories import UserFactory, active_mentorship
from wagtail_mentoring.access.querysets import coordinated_programs
from wagtail_mentoring.demo import impact as demo_impact
from wagtail_mentoring.demo.programs import CERTIFIED_PAIR, STALLED_PAIR
from wagtail_mentoring.management.commands import mentoring_demo
from wagtail_mentoring.models import (
    Celebration,
    CheckIn,
    Enrolment,
    Feedback,
    GroupSession,
    Initiative,
    KeyResult,
    MentoringGroup,
    MentoringProfile,
    MentoringProgramPage,
    MentoringSession,
    Mentorship,
    MentorshipRequest,
    Objective,
    ObjectiveTemplate,
    ObjectiveTemplateKeyResult,
    OKRCycle,
    Outcome,
    ProgramSkill,
    Realignment,
    SkillRating,
    TrainingEvent,
)
from wagtail_mentoring.programs.activity import local_date
from wagtail_mentoring.programs.selectors import attach_activity
from wagtail_mentoring.recognition.certificates import certificate_for
from wagtail_mentoring.reports.impact import baseline_users, compare_with_baseline, impact_report
from wagtail_mentoring.skills.metrics import program_skill_change

# With Wagtail's reference index updated on every save (off elsewhere, tests/conftest.py): the demo saves
# every model the package has, so indexing each of them is proved here.
pytestmark = [pytest.mark.django_db, pytest.mark.reference_index]


def _counts():
    return tuple(
        m.objects.count()
        for m in (
            Enrolment,
            Mentorship,
            MentoringProfile,
            OKRCycle,
            Objective,
            KeyResult,
            CheckIn,
            Initiative,
            ObjectiveTemplate,
            ObjectiveTemplateKeyResult,
            Realignment,
            ProgramSkill,
            SkillRating,
        )
    )


def test_demo_is_idempotent_with_every_pairing_state_and_okr_history(
    settings, program, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    mentee1 = UserFactory(username="mentee1")
    pairing = active_mentorship(program=program, mentor=UserFactory(username="mentor1"), mentee=mentee1)
    call_command("rebuild_references_index", stdout=io.StringIO())  # what existed before is indexed
    out = io.StringIO()
    # What runs once the demo commits (the drafts of the goals written when applying) runs here too.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("mentoring_demo", stdout=out)
    first = _counts()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("mentoring_demo", stdout=io.StringIO())
    assert _counts() == first  # idempotent
    # A short summary: who, the password, where; no e-mail, no list of tokens.
    summary = out.getvalue()
    assert len(summary.splitlines()) < 30, summary
    assert "mentoring-demo" in summary and "Subject:" not in summary
    for url in ("http://testserver/admin/", "http://testserver/mentoring/", "http://testserver/api/mentoring/v1/docs/"):
        assert url in summary, summary
    assert summary.count("Token ") == 1
    assert "http://testserver/admin/mentoring/import/" in summary  # the coordinator's bulk import
    # Review and realign: the first mentee reviewed a key result that fell behind (once).
    review = Realignment.objects.get()
    assert review.key_result.objective.owner.username == "mentee1" and review.what_changes
    indexed = set(ReferenceIndex.objects.values_list("content_type__model", flat=True))
    assert {"objective", "mentorship", "mentoringprogrampage", "checkin"} <= indexed, indexed
    # The demo indexes each object once at the end (demo.base.reference_index_once): the index is the
    # one Wagtail's full rebuild gives.
    fields = ("content_type", "object_id", "to_content_type", "to_object_id", "model_path", "content_path")
    built = set(ReferenceIndex.objects.values_list(*fields))
    call_command("rebuild_references_index", stdout=io.StringIO())
    assert set(ReferenceIndex.objects.values_list(*fields)) == built
    # Every demo user logs in with the printed password (hashed once per run, shared by all of them).
    for user in get_user_model().objects.filter(username__in=["admin", "coordinator", "mentor2", "employee"]):
        assert user.check_password("mentoring-demo"), user.username

    # Templates step: at least eight example objectives, each in English and in Italian (one translation key);
    # editors curate them; the mentees' objectives are made from them (the example goals live there only).
    english = ObjectiveTemplate.objects.filter(locale__language_code="en")
    italian = ObjectiveTemplate.objects.filter(locale__language_code="it")
    assert english.count() >= 8
    assert set(english.values_list("translation_key", flat=True)) == set(
        italian.values_list("translation_key", flat=True)
    )
    assert {"mentee", "mentor", "pairing"} == set(english.values_list("level", flat=True))
    assert all(t.key_results.exists() for t in ObjectiveTemplate.objects.all())
    mentees = Objective.objects.filter(owner__username__startswith="mentee")
    mentee_goals = set(mentees.exclude(status="draft").values_list("title", flat=True))
    assert mentee_goals and mentee_goals <= set(english.values_list("title", flat=True))
    # The goals they wrote when applying became drafts of their pairing when it was approved.
    drafts = set(mentees.filter(status="draft").values_list("title", flat=True))
    written = {line for e in Enrolment.objects.filter(role="mentee") for line in e.goals_list}
    assert drafts and drafts <= written
    editor = get_user_model().objects.get(username="editor")
    assert editor.has_perm("wagtail_mentoring.change_objectivetemplate")

    # Programs step: two coordinated programs, every pairing state, mentee1..3 active with mentor1..2.
    program = MentoringProgramPage.objects.get(slug="leadership")
    assert program.get_parent().slug == "programs"
    # (and the surveys step's program launching next month, with its before-launch survey)
    assert MentoringProgramPage.objects.filter(coordinators__name__isnull=False).count() == 3
    assert (
        MentoringProgramPage.objects.exclude(slug="women-in-tech").filter(start_date__lte=dt.date.today()).count() == 2
    )
    # Impact step: the coordinator's impact report has both programs, outcomes, and a baseline to compare with.
    programs = coordinated_programs(get_user_model().objects.get(username="admin"))
    report = impact_report(programs)
    # Both running programs have participants; the one launching next month has none yet.
    assert sorted(bool(row.participants) for row in report.rows) == [False, True, True]
    assert report.total.median_days_to_match is not None
    assert report.total.promotion_rate is not None and report.cohorts
    baseline = baseline_users(group=Group.objects.get(name=demo_impact.BASELINE_GROUP))
    comparison = compare_with_baseline(programs, baseline)
    assert comparison.baseline_shown and comparison.baseline == len(demo_impact.COLLEAGUES)
    assert comparison.baseline_promotion is not None and comparison.baseline_retention < 100
    assert Outcome.objects.filter(user__isnull=False).count() == len(demo_impact.OUTCOMES)  # once, not twice
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
    # Self-match step: the leadership program lets mentees choose first; mentee5's request waits.
    assert program.matching_mode == "self_match_first"
    pending = MentorshipRequest.objects.get(program=program)
    assert (pending.mentee.username, pending.status) == ("mentee5", "requested")
    # Groups step: a mentoring group with its sessions and a mentors' peer circle.
    assert sorted(MentoringGroup.objects.filter(program=program).values_list("kind", flat=True)) == ["group", "peer"]
    assert GroupSession.objects.filter(group__program=program).count() == 3

    # The pairs have a past, so the engagement step logged sessions for every started pair.
    started = Mentorship.objects.exclude(status="proposed")
    assert not started.filter(started_on__gte=timezone.localdate()).exists()
    assert all(pair.sessions.exists() for pair in started), [(p.pk, p.started_on) for p in started]
    # Closed pairs ran for months; sessions (with private notes) fall within each pair's dates.
    for pair in started.filter(status__in=["completed", "ended"]):
        assert (pair.ended_on - pair.started_on).days > 90, (pair.started_on, pair.ended_on)
    held = MentoringSession.objects.filter(date__lte=timezone.now()).select_related("mentorship")
    for session in held:
        assert session.notes
        assert (
            session.mentorship.started_on
            <= local_date(session.date)
            <= (session.mentorship.ended_on or timezone.localdate())
        )
    # Active pairs that still meet have their next session booked (no notes yet); no other pair has one.
    upcoming = MentoringSession.objects.filter(date__gt=timezone.now())
    assert not upcoming.exclude(notes="").exists()
    booked = {
        (s.mentorship.mentor.username, s.mentorship.mentee.username)
        for s in upcoming.select_related("mentorship__mentor", "mentorship__mentee")
    }
    alive = set(Mentorship.objects.filter(status="active").values_list("mentor__username", "mentee__username")) - {
        STALLED_PAIR
    }
    assert booked == alive, (booked, alive)
    # No check-in before its pairing began (nor after a closed one ended).
    for check_in in CheckIn.objects.exclude(key_result__objective__mentorship=None).select_related(
        "key_result__objective__mentorship"
    ):
        pair = check_in.key_result.objective.mentorship
        assert pair.started_on <= local_date(check_in.created_at) <= (pair.ended_on or timezone.localdate())
    # Each pair started within its program's dates.
    for pair in started.select_related("program"):
        assert pair.program.start_date <= pair.started_on, (pair.program.title, pair.started_on)

    # One stalled pair, by the stalled rule itself; the other active demo pairs are alive.
    demo_active = Mentorship.objects.filter(status="active", program=program)
    activity = {
        (m.mentor.username, m.mentee.username): m.activity
        for m in attach_activity(demo_active.select_related("program", "mentor", "mentee"))
    }
    assert {pair for pair, a in activity.items() if a.stalled} == {STALLED_PAIR}
    for pair, a in activity.items():
        if pair != STALLED_PAIR:
            assert a.days_without_session < a.meeting_cadence_days + 14, (pair, a)
            assert a.days_without_check_in <= 7, (pair, a)

    # The completed pair achieved its objectives and both earn the certificate.
    certified = Mentorship.objects.get(
        status="completed", mentor__username=CERTIFIED_PAIR[0], mentee__username=CERTIFIED_PAIR[1]
    )
    # (the goals written when applying stayed drafts they never took up)
    assert set(certified.objectives.exclude(status="draft").values_list("status", flat=True)) == {"achieved"}
    for person in (certified.mentor, certified.mentee):
        certificate = certificate_for(certified, person)
        assert certificate.issued, certificate.results
    # Achievements are dated when they were earned (the certified pair's before it ended), and only
    # the last week's are still waiting on the dashboards.
    assert all(local_date(a.achieved_at) <= certified.ended_on for a in certified.achievements.all())
    assert certified.achievements.exists()
    week_ago = timezone.now() - dt.timedelta(days=7)
    assert not Celebration.objects.filter(seen_at=None, created_at__lt=week_ago).exists()
    assert Celebration.objects.filter(seen_at=None).exists()

    # Answered surveys of every kind, an event with registrations, an application waiting for review.
    assert set(Feedback.objects.values_list("kind", flat=True)) == set(Feedback.Kind.values)
    assert TrainingEvent.objects.filter(registrations__isnull=False, start__gt=timezone.now()).exists()
    assert Enrolment.objects.filter(program=program, status="applied", user__username="mentee6").exists()

    # OKR step: one or three objectives per mentee this cycle (one leaves their pairing a place, beside the draft of
    # the goal they wrote when applying), ten weeks of check-ins, a spread of health.
    mentee_objectives = Objective.objects.exclude(level="organisation")
    per_mentee = Counter(mentee_objectives.exclude(cycle=None).values_list("owner__username", flat=True))
    assert set(per_mentee) == {f"mentee{i}" for i in range(1, 7)}
    assert set(per_mentee.values()) <= {1, 3}
    assert set(Objective.objects.values_list("category", flat=True)) >= {"confidence", "leadership", "networking"}

    # Pairing objectives for a mentee with an active mentorship; personal ones otherwise.
    assert pairing.pk in set(Objective.objects.filter(owner=mentee1).values_list("mentorship", flat=True))
    for i in range(1, 7):
        objectives = mentee_objectives.filter(owner__username=f"mentee{i}")
        objectives = objectives.exclude(cycle=None)  # the certified pair's objectives are from the past
        active = Mentorship.objects.filter(mentee__username=f"mentee{i}", status="active")
        if active.exists():
            assert set(objectives.values_list("mentorship", flat=True)) <= set(active.values_list("pk", flat=True))
        else:
            assert not objectives.exclude(mentorship=None).exists()

    for objective in mentee_objectives.exclude(status="draft").prefetch_related("key_results"):
        assert 2 <= objective.key_results.count() <= 4
        assert objective.initiatives.exists()
    kinds = set(KeyResult.objects.values_list("kind", flat=True))
    assert {"number", "percent", "milestone"} <= kinds
    for kr in KeyResult.objects.filter(kind="number", objective__owner__username="mentee2"):
        history = list(kr.check_ins.order_by("created_at"))
        assert len(history) == 10
        span = history[-1].created_at - history[0].created_at
        assert 60 <= span.days <= 64
        assert kr.current_value == history[-1].value
    healths = Counter(o.health for o in Objective.objects.prefetch_related("key_results").select_related("cycle"))
    assert set(healths) == {"achieved", "on_track", "at_risk", "off_track"}
    # Skills (demo.skills): each program lists 3-4 skills, published with the page; the leadership mentees but
    # mentee5 rated themselves at the start; the engineering program's closed pairs rated at both moments and
    # mentor2 rated mentee5 at closing, so its report shows an average change (4 people, above the minimum).
    for slug, n in (("leadership", 4), ("engineering", 3)):
        program = MentoringProgramPage.objects.get(slug=slug)
        assert ProgramSkill.objects.filter(program=program).count() == n
        assert len(program.get_latest_revision().content["skills"]) == n
    started = set(
        SkillRating.objects.filter(moment="start", skill__program__slug="leadership").values_list(
            "subject__username", flat=True
        )
    )
    assert started == {"mentee1", "mentee2", "mentee3", "mentee4"}
    assert (
        SkillRating.objects.filter(moment="closing", subject__username="mentee5", rater__username="mentor2").count()
        == 3
    )
    engineering = MentoringProgramPage.objects.get(slug="engineering")
    changes = program_skill_change([engineering])[engineering.pk]
    assert all(c.reported and c.people == 4 and c.change > 0 for c in changes)
    # The editor manages the training snippets (the admin's menu offers them).
    editor = get_user_model().objects.get(username="editor")
    for model in ("learningpath", "trainingevent"):
        for action in ("add", "change", "delete", "view"):
            assert editor.has_perm(f"wagtail_mentoring.{action}_{model}"), (action, model)


def _mailing_step(ctx) -> None:
    """A stand-in demo step: the home page for the summary and one e-mail, sent at once."""
    ctx.pages["home"] = Site.objects.get(is_default_site=True).root_page
    mail.send_mail("Demo e-mail subject", "Body", "from@example.com", ["to@example.com"])


@pytest.mark.parametrize("show", [False, True])
def test_demo_shows_emails_only_when_asked(settings, monkeypatch, capsys, show):
    settings.DEBUG = True
    monkeypatch.setattr(mentoring_demo, "DEMO_STEPS", [__name__])
    monkeypatch.setattr(f"{__name__}.run", _mailing_step, raising=False)
    out = io.StringIO()
    call_command("mentoring_demo", *(["--show-emails"] if show else []), stdout=out)
    printed = capsys.readouterr().out
    assert ("Demo e-mail subject" in printed) is show  # the console backend prints to sys.stdout
    assert ("1 e-mail was not shown" in out.getvalue()) is not show
    assert "http://testserver/admin/" in out.getvalue()
