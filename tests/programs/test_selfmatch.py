"""Self-match services: suggestions from the engine, requests and their lifecycle, expiry, reminders."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories.programs import mentee_enrolment, mentor_enrolment
from wagtail_mentoring.models import Enrolment, Mentorship, MentorshipRequest
from wagtail_mentoring.notifications.rules import MentorshipRequestRule
from wagtail_mentoring.programs import lifecycle, proposals, selfmatch
from wagtail_mentoring.programs.matching import Candidate, score, suggest
from wagtail_mentoring.programs.selectors import unmatched_mentees

pytestmark = pytest.mark.django_db


@pytest.fixture
def sm_program(program):
    program.matching_mode = "self_match"
    program.save()
    return program


@pytest.fixture
def people(sm_program):
    return {
        "mentee": mentee_enrolment(sm_program).user,
        "mentee2": mentee_enrolment(sm_program).user,
        "mentor": mentor_enrolment(sm_program, capacity=1).user,
        "mentor2": mentor_enrolment(sm_program, capacity=2).user,
    }


def test_suggest_is_the_engines_score_and_skips_full_and_forbidden_mentors():
    mentee = Candidate(id=1, skills={"python"}, languages={"english"}, seniority=2, department="A")
    good = Candidate(id=10, skills={"python"}, languages={"english"}, seniority=8, department="B", capacity=1)
    full = Candidate(id=11, skills={"python"}, languages={"english"}, seniority=8, department="B", capacity=0)
    same_dept = Candidate(id=12, skills={"python"}, languages={"english"}, seniority=8, department="A", capacity=1)
    other = Candidate(id=13, skills=set(), languages={"english"}, seniority=8, department="C", capacity=1)
    rules = {"different_department": True}
    pairs = suggest(mentee, [other, same_dept, full, good], rules=rules, limit=5)
    assert [p.mentor_id for p in pairs] == [10, 13]
    assert pairs[0].score == score(mentee, good, rules=rules)
    assert pairs[0].score >= pairs[1].score
    assert sum(r.contribution for r in pairs[0].reasons) == pytest.approx(pairs[0].score, abs=1e-3)
    assert suggest(mentee, [good, other], limit=1)[0].mentor_id == 10


def test_suggested_mentors_use_the_programs_candidates(sm_program, people):
    found = proposals.suggested_mentors(sm_program, people["mentee"])
    assert {s.mentor_id for s in found} == {people["mentor"].pk, people["mentor2"].pk}
    assert all(s.reasons and s.mentor_name for s in found)
    # A full mentor is never suggested.
    lifecycle.approve(lifecycle.propose(sm_program, people["mentor"], people["mentee2"]), notify=False)
    found = proposals.suggested_mentors(sm_program, people["mentee"])
    assert [s.mentor_id for s in found] == [people["mentor2"].pk]
    # A paired mentee gets none.
    assert proposals.suggested_mentors(sm_program, people["mentee2"]) == []


def test_request_accept_creates_an_active_pairing_through_the_lifecycle(sm_program, people):
    request = selfmatch.request_mentor(sm_program, people["mentee"], people["mentor"])
    assert request.status == "requested"
    assert request.expires_on == timezone.localdate() + dt.timedelta(days=3)
    assert request.match_score is not None and request.match_reasons
    selfmatch.accept_request(request, by=people["mentor"])
    request.refresh_from_db()
    assert request.status == "accepted" and request.decided_at is not None
    pairing = request.mentorship
    assert pairing.status == "active" and pairing.mentor == people["mentor"] and pairing.mentee == people["mentee"]
    assert people["mentor"].has_perm("wagtail_mentoring.view_mentorship", pairing)
    assert people["mentee"].has_perm("wagtail_mentoring.view_mentorship", pairing)


def test_one_open_request_per_mentee(sm_program, people):
    selfmatch.request_mentor(sm_program, people["mentee"], people["mentor"])
    with pytest.raises(ValidationError) as info:
        selfmatch.request_mentor(sm_program, people["mentee"], people["mentor2"])
    assert info.value.code == "duplicate"
    assert MentorshipRequest.objects.filter(mentee=people["mentee"]).count() == 1


def test_request_refusals_write_nothing(program, sm_program, people, django_user_model):
    stranger = django_user_model.objects.create(username="stranger")
    with pytest.raises(ValidationError) as info:
        selfmatch.request_mentor(sm_program, stranger, people["mentor"])
    assert info.value.code == "not_mentee"
    with pytest.raises(ValidationError) as info:
        selfmatch.request_mentor(sm_program, people["mentee"], people["mentee2"])
    assert "mentor" in info.value.message_dict
    sm_program.matching_mode = "coordinator"
    with pytest.raises(ValidationError) as info:
        selfmatch.request_mentor(sm_program, people["mentee"], people["mentor"])
    assert info.value.code == "not_self_match"
    assert not MentorshipRequest.objects.exists()


def test_transitions_and_who_takes_them(sm_program, people):
    request = selfmatch.request_mentor(sm_program, people["mentee"], people["mentor"])
    with pytest.raises(ValidationError):
        selfmatch.accept_request(request, by=people["mentee"])
    with pytest.raises(ValidationError):
        selfmatch.withdraw_request(request, by=people["mentor"])
    selfmatch.decline_request(request, by=people["mentor"])
    assert request.status == "declined"
    for action in (selfmatch.accept_request, selfmatch.decline_request):
        with pytest.raises(ValidationError) as info:
            action(request, by=people["mentor"])
        assert info.value.code == "invalid_transition"
    # Declined: the mentee may ask someone else, then withdraw.
    again = selfmatch.request_mentor(sm_program, people["mentee"], people["mentor2"])
    selfmatch.withdraw_request(again, by=people["mentee"])
    assert again.status == "withdrawn"
    assert not Mentorship.objects.filter(mentee=people["mentee"]).exists()


def test_accept_refused_when_the_mentor_is_full_writes_nothing(sm_program, people):
    first = selfmatch.request_mentor(sm_program, people["mentee"], people["mentor"])
    second = selfmatch.request_mentor(sm_program, people["mentee2"], people["mentor"])
    selfmatch.accept_request(first, by=people["mentor"])
    with pytest.raises(ValidationError) as info:
        selfmatch.accept_request(second, by=people["mentor"])
    assert info.value.code == "capacity"
    second.refresh_from_db()
    assert second.status == "requested" and second.mentorship is None
    assert Mentorship.objects.filter(mentee=people["mentee2"]).count() == 0


def test_expiry_and_reminder(sm_program, people):
    request = selfmatch.request_mentor(sm_program, people["mentee"], people["mentor"])
    now = timezone.now()
    due = list(MentorshipRequestRule().due(now))
    assert [(r.user_id, r.subject_key) for r in due] == [(people["mentor"].pk, f"request:{request.pk}")]
    message = MentorshipRequestRule().message(due[0].context)
    assert "Accept or decline" in message.body
    assert selfmatch.expire_requests(now) == 0
    later = now + dt.timedelta(days=4)
    assert list(MentorshipRequestRule().due(later)) == []
    with pytest.raises(ValidationError):
        request.expires_on = timezone.localdate() - dt.timedelta(days=1)
        request.save()
        selfmatch.accept_request(request, by=people["mentor"])
    assert selfmatch.expire_requests(later) == 1
    request.refresh_from_db()
    assert request.status == "expired"


def test_self_match_first_run_skips_mentees_with_requests(sm_program, people):
    sm_program.matching_mode = "self_match_first"
    sm_program.save()
    selfmatch.request_mentor(sm_program, people["mentee"], people["mentor"])
    proposal = proposals.run_matching(sm_program)
    matched = {p.mentee_id for p in proposal.pairs} | {u.mentee_id for u in proposal.unmatched}
    assert people["mentee"].pk not in matched
    assert people["mentee2"].pk in matched


def test_a_mentee_waiting_for_an_answer_is_not_unmatched_anywhere(sm_program, people):
    """One rule (``selectors.unmatched_mentees``) for the run, the coordinator's to-dos and the reminder: a mentee
    whose request waits is not left unmatched; once it is declined, they are again."""

    def unmatched():
        return set(unmatched_mentees(Enrolment.objects.filter(program=sm_program)).values_list("user_id", flat=True))

    request = selfmatch.request_mentor(sm_program, people["mentee"], people["mentor"])
    assert people["mentee"].pk not in unmatched() and people["mentee2"].pk in unmatched()
    selfmatch.decline_request(request, people["mentor"])
    assert people["mentee"].pk in unmatched()


def test_the_reminders_command_and_the_task_expire_unanswered_requests(sm_program, people):
    import io

    from django.core.management import call_command

    from wagtail_mentoring.programs.tasks import expire_mentorship_requests

    first = selfmatch.request_mentor(sm_program, people["mentee"], people["mentor"])
    second = selfmatch.request_mentor(sm_program, people["mentee2"], people["mentor2"])
    later = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    out = io.StringIO()
    call_command("mentoring_reminders", "--dry-run", f"--now={later}", stdout=out)
    first.refresh_from_db()
    assert first.status == "requested"  # a dry run writes nothing
    call_command("mentoring_reminders", f"--now={later}", stdout=out)
    first.refresh_from_db()
    assert first.status == "expired" and "Expired 2 mentorship request(s)" in out.getvalue()
    MentorshipRequest.objects.filter(pk=second.pk).update(
        status="requested", expires_on=timezone.localdate() - dt.timedelta(days=1)
    )
    assert expire_mentorship_requests.call()["expired"] == 1
