"""Matching proposals (ORM adapter), the admin review (run, approve, swap, reject) and access to it."""

import re

import pytest
from django.urls import reverse

from tests.factories import MentorshipFactory
from tests.factories.programs import mentee_enrolment, mentor_enrolment
from wagtail_mentoring.models import (
    LearningPath,
    LearningPathItem,
    Mentorship,
    TrainingCompletion,
    TrainingLibraryPage,
    TrainingResourcePage,
)
from wagtail_mentoring.programs.proposals import build_candidates, run_matching

pytestmark = pytest.mark.django_db


def review_url(program):
    return reverse("wagtail_mentoring_matching_review", args=[program.pk])


@pytest.fixture
def people(admin_access, program):
    """Two mentors (capacity 1 and 2; mentor B already has one active pairing) and three mentees."""
    roles = admin_access
    mentor_a = mentor_enrolment(program, capacity=1).user
    mentor_b = mentor_enrolment(program, user=roles["mentor"], capacity=2).user  # has roles' active pairing
    mentees = [mentee_enrolment(program).user for _ in range(3)]
    mentee_enrolment(program, user=roles["mentee"])  # already actively paired: left out
    mentee_enrolment(program, status="applied")  # not accepted: ignored
    return {"mentors": [mentor_a, mentor_b], "mentees": mentees, **roles}


def test_candidates_capacity_and_exclusions(program, people):
    mentees, mentors, excluded, _users = build_candidates(program)
    assert {c.id for c in mentees} == {u.pk for u in people["mentees"]}
    assert {c.id: c.capacity for c in mentors} == {people["mentors"][0].pk: 1, people["mentors"][1].pk: 1}
    # Already actively paired: neither a candidate nor "excluded" (not unmatched at all).
    assert people["mentee"].pk not in excluded and people["mentee"].pk not in {c.id for c in mentees}
    mentee = next(c for c in mentees if c.id == people["mentees"][0].pk)
    assert mentee.skills == {"public speaking", "python"} and mentee.languages == {"english"}
    assert (mentee.department, mentee.seniority) == ("Engineering", 2)


def test_training_requirement_excludes_with_reason(program, home_page, people):
    library = TrainingLibraryPage(title="Library", slug="library")
    home_page.add_child(instance=library)
    resource = TrainingResourcePage(title="Onboarding", slug="onboarding")
    library.add_child(instance=resource)
    path = LearningPath.objects.create(title="Mentee onboarding")
    LearningPathItem.objects.create(path=path, resource=resource, sort_order=0)
    program.mentee_learning_path = path
    program.save()
    done, not_done = people["mentees"][0], people["mentees"][1]
    for user in (done, people["mentees"][2]):
        TrainingCompletion.objects.create(user=user, resource=resource)
    proposal = run_matching(program)
    unmatched = {u.mentee_id: u.reason for u in proposal.unmatched}
    assert "Mentee onboarding" in unmatched[not_done.pk]
    assert not_done.pk not in {p.mentee_id for p in proposal.pairs}
    assert done.pk in {p.mentee_id for p in proposal.pairs} | set(unmatched)


def test_proposal_respects_capacity(program, people):
    proposal = run_matching(program)
    assert len(proposal.pairs) == 2  # two free slots in total
    assert len({p.mentor_id for p in proposal.pairs}) == 2
    assert people["mentee"].pk not in {u.mentee_id for u in proposal.unmatched}  # paired: not unmatched
    assert len(proposal.unmatched) == 1  # three unmatched mentees, two free slots
    assert all(p.mentee_name and p.mentor_name for p in proposal.pairs)
    assert not Mentorship.objects.filter(status="proposed").exists()


@pytest.mark.parametrize("name", ["mentee", "mentor"])
def test_participants_have_no_admin(client, program, people, name):
    client.force_login(people[name])
    response = client.get(review_url(program))
    assert response.status_code == 302 and "login" in response["Location"]


def test_index_lists_only_coordinated_programs(client, program, other_program, people):
    client.force_login(people["coordinator"])
    html = client.get(reverse("wagtail_mentoring_matching"), follow=True).content.decode()
    assert program.title in html and other_program.title not in html


def test_run_review_and_approve_all(client, program, people, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(people["coordinator"])
    response = client.post(review_url(program), {"action": "run"})
    assert response.status_code == 302
    response = client.get(review_url(program))
    html = response.content.decode()
    rows = response.context["rows"]
    assert len(rows) == 2
    assert "Unmatched mentees" in html and "1 mentee already has a mentor or a proposed one" in html
    assert "3 mentees without a mentor" in html
    assert [str(m) for m in response.context["messages"]] == [
        "Matching proposed 2 pairs; 1 mentee is unmatched. Nobody has been told yet."
    ]
    assert not Mentorship.objects.filter(program=program).exclude(pk=people["mentorship"].pk).exists()
    assert mailoutbox == []
    selected = [row["pair"].mentee_id for row in rows]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_url(program), {"action": "approve", "selected": selected})
    assert response.status_code == 302
    created = Mentorship.objects.filter(program=program, mentee_id__in=selected)
    assert created.count() == 2 and set(created.values_list("status", flat=True)) == {"active"}
    assert all(m.match_reasons for m in created)
    assert len(mailoutbox) == 4
    assert client.get(review_url(program)).context["proposal"] is None  # all approved: proposal cleared


def test_approve_some_swap_and_reject(client, program, people, django_capture_on_commit_callbacks):
    mentor_c = mentor_enrolment(program, capacity=1).user
    client.force_login(people["coordinator"])
    client.post(review_url(program), {"action": "run"})
    rows = client.get(review_url(program)).context["rows"]
    assert len(rows) == 3
    first, second, third = (row["pair"] for row in rows)
    # reject the third
    client.post(review_url(program), {"action": "reject", "selected": [third.mentee_id]})
    proposal = client.get(review_url(program)).context["proposal"]
    assert third.mentee_id not in {p.mentee_id for p in proposal.pairs}
    assert "rejected" in {u.mentee_id: u.reason for u in proposal.unmatched}[third.mentee_id]
    # swap the first pair to the mentor freed by the rejection
    free_mentor = third.mentor_id
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            review_url(program),
            {"action": "approve", "selected": [first.mentee_id], f"mentor_{first.mentee_id}": free_mentor},
        )
    m = Mentorship.objects.get(program=program, mentee_id=first.mentee_id)
    assert (m.mentor_id, m.status) == (free_mentor, "active")
    assert m.match_reasons.get("chosen_by_coordinator") is True
    assert not Mentorship.objects.filter(mentee_id=second.mentee_id).exists()
    assert mentor_c.pk in {first.mentor_id, second.mentor_id, third.mentor_id}


def test_approve_over_capacity_changes_nothing(client, program, people):
    client.force_login(people["coordinator"])
    client.post(review_url(program), {"action": "run"})
    rows = client.get(review_url(program)).context["rows"]
    full = people["mentors"][0].pk  # capacity 1
    data = {"action": "approve", "selected": [r["pair"].mentee_id for r in rows]}
    for row in rows:
        data[f"mentor_{row['pair'].mentee_id}"] = full
    response = client.post(review_url(program), data, follow=True)
    assert "more mentees than their capacity" in response.content.decode()
    assert Mentorship.objects.filter(program=program).count() == 1  # only the roles fixture's pairing


@pytest.mark.parametrize(
    "data",
    [
        {"action": "approve"},
        {"action": "approve", "selected": ["999999"]},
        {"action": "approve", "selected": ["abc"]},
        {"action": "explode"},
    ],
)
def test_bad_review_input(client, program, people, data):
    client.force_login(people["coordinator"])
    client.post(review_url(program), {"action": "run"})
    response = client.post(review_url(program), data)
    assert response.status_code == 302
    assert Mentorship.objects.filter(program=program).count() == 1


def test_bad_swap_mentor_refused(client, program, people):
    client.force_login(people["coordinator"])
    client.post(review_url(program), {"action": "run"})
    pair = client.get(review_url(program)).context["rows"][0]["pair"]
    for bad in ("abc", str(people["employee"].pk)):
        client.post(
            review_url(program), {"action": "approve", "selected": [pair.mentee_id], f"mentor_{pair.mentee_id}": bad}
        )
    assert Mentorship.objects.filter(program=program).count() == 1


def test_invalid_matching_settings_are_a_clear_error(client, program, people, matching_engine, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("unknown criterion 'luck'")

    monkeypatch.setattr(matching_engine, "match", broken)
    client.force_login(people["coordinator"])
    response = client.post(review_url(program), {"action": "run"}, follow=True)
    assert response.status_code == 200
    assert "matching settings are invalid" in response.content.decode()
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="luck"):
        call_command("mentoring_match", program.slug)


def test_banner_counts_only_unmatched_mentees(client, program, admin_access):
    """When every accepted mentee is already paired or proposed, nobody is "unmatched"."""
    roles = admin_access
    mentor_enrolment(program, capacity=3)
    mentee_enrolment(program, user=roles["mentee"])  # active pairing (roles)
    for _ in range(3):
        proposed = mentee_enrolment(program).user
        MentorshipFactory(program=program, mentor=roles["mentor"], mentee=proposed, status="proposed")
    client.force_login(roles["coordinator"])
    response = client.post(review_url(program), {"action": "run"}, follow=True)
    html = response.content.decode()
    assert [str(m) for m in response.context["messages"]] == [
        "Every accepted mentee already has a mentor or a proposed one."
    ]
    assert "unmatched" not in html.split("Matching for")[0]
    assert "4 mentees already have a mentor or a proposed one" in html and "0 mentees without a mentor" in html
    assert "3 proposed pairings awaiting approval" in html
    assert response.context["proposal"] is None


def test_proposal_kept_on_revisit_until_discarded(client, program, people):
    client.force_login(people["coordinator"])
    client.post(review_url(program), {"action": "run"})
    first = client.get(review_url(program)).context["proposal"]
    again = client.get(review_url(program)).context["proposal"]
    assert first is not None and again.as_dict() == first.as_dict()
    response = client.post(review_url(program), {"action": "discard"}, follow=True)
    assert "discarded" in response.content.decode()
    assert client.get(review_url(program)).context["proposal"] is None
    assert Mentorship.objects.filter(program=program).count() == 1  # nothing created


def test_header_names_the_program_and_scores_are_percentages(client, program, people):
    client.force_login(people["coordinator"])
    client.post(review_url(program), {"action": "run"})
    response = client.get(review_url(program))
    html = response.content.decode()
    header = html.split("<h1", 1)[1].split("</h1>", 1)[0]
    assert program.title in header and "Home" not in header
    assert f"Matching for {program.title}" in html
    for row in response.context["rows"]:
        assert re.fullmatch(r"\d{1,3}%", row["score"]) and f"<strong>{row['score']}</strong>" in html
        values = [value for _label, value in row["reasons"]]
        assert values and all(re.fullmatch(r"\+\d{1,3}%", value) for value in values)
