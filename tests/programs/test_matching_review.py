"""Matching proposals (ORM adapter), the admin review (run, approve, swap, reject) and access to it."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from tests.factories import MentorshipFactory, UserFactory
from tests.factories.programs import mentee_enrolment, mentor_enrolment
from wagtail_mentoring.models import (
    LearningPath,
    LearningPathItem,
    Mentorship,
    TrainingCompletion,
    TrainingLibraryPage,
    TrainingResourcePage,
)
from wagtail_mentoring.people import display_name
from wagtail_mentoring.programs import services
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


def proposed(program):
    return Mentorship.objects.filter(program=program, status="proposed")


def second_coordinator(program):
    """Another coordinator of ``program`` (same group, own login), with admin access."""
    user = UserFactory()
    user.groups.add(program.coordinators)
    user.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    return user


def test_run_saves_the_proposal_and_approve_all(
    client, program, people, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(people["coordinator"])
    response = client.post(review_url(program), {"action": "run"})
    assert response.status_code == 302
    response = client.get(review_url(program))
    html = response.content.decode()
    rows = response.context["rows"]
    assert len(rows) == 2
    # The run saved its pairs as proposed mentorships, with score and reasons (as mentoring_match does).
    assert {row["pair"].pk for row in rows} == set(proposed(program).values_list("pk", flat=True))
    assert all(m.match_score is not None and m.match_reasons for m in proposed(program))
    assert "Unmatched mentees" in html and "3 mentees already have a mentor or a proposed one" in html
    assert "1 mentee without a mentor" in html and "2 proposed pairings awaiting approval" in html
    messages = [str(m) for m in response.context["messages"]]
    assert messages[0] == "Matching proposed 2 pairs; 1 mentee is unmatched. Nobody has been told yet."
    assert messages[1].startswith("Left unmatched: ")
    assert mailoutbox == []
    selected = [row["pair"].pk for row in rows]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_url(program), {"action": "approve", "selected": selected})
    assert response.status_code == 302
    approved = Mentorship.objects.filter(pk__in=selected)
    assert approved.count() == 2 and set(approved.values_list("status", flat=True)) == {"active"}
    assert all(m.match_reasons for m in approved)
    assert len(mailoutbox) == 4
    assert client.get(review_url(program)).context["rows"] == []  # all approved: nothing left to decide


def test_approve_some_swap_and_reject(client, program, people, django_capture_on_commit_callbacks):
    mentor_c = mentor_enrolment(program, capacity=1).user
    client.force_login(people["coordinator"])
    client.post(review_url(program), {"action": "run"})
    rows = client.get(review_url(program)).context["rows"]
    assert len(rows) == 3
    first, second, third = (row["pair"] for row in rows)
    # reject the third: the lifecycle drops it and its mentee is unmatched again
    client.post(review_url(program), {"action": "reject", "selected": [third.pk]})
    response = client.get(review_url(program))
    assert third.pk not in {row["pair"].pk for row in response.context["rows"]}
    assert not Mentorship.objects.filter(pk=third.pk).exists()
    assert display_name(third.mentee) in response.context["unmatched"]
    # swap the first pair to the mentor freed by the rejection
    free_mentor = third.mentor_id
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            review_url(program), {"action": "approve", "selected": [first.pk], f"mentor_{first.pk}": free_mentor}
        )
    m = Mentorship.objects.get(program=program, mentee_id=first.mentee_id)
    assert (m.mentor_id, m.status) == (free_mentor, "active")
    assert m.match_reasons.get("chosen_by_coordinator") is True
    assert Mentorship.objects.get(pk=second.pk).status == "proposed"  # not selected: still proposed
    assert mentor_c.pk in {first.mentor_id, second.mentor_id, third.mentor_id}


def test_approve_over_capacity_changes_nothing(client, program, people):
    client.force_login(people["coordinator"])
    client.post(review_url(program), {"action": "run"})
    rows = client.get(review_url(program)).context["rows"]
    before = set(Mentorship.objects.filter(program=program).values_list("pk", "status", "mentor_id"))
    full = people["mentors"][0].pk  # capacity 1
    data = {"action": "approve", "selected": [r["pair"].pk for r in rows]}
    for row in rows:
        data[f"mentor_{row['pair'].pk}"] = full
    response = client.post(review_url(program), data, follow=True)
    assert "more mentees than their capacity" in response.content.decode()
    assert set(Mentorship.objects.filter(program=program).values_list("pk", "status", "mentor_id")) == before


@pytest.mark.parametrize(
    "data",
    [
        {"action": "approve"},
        {"action": "approve", "selected": ["999999"]},
        {"action": "approve", "selected": ["abc"]},
        {"action": "reject", "selected": ["999999"]},
        {"action": "explode"},
    ],
)
def test_bad_review_input(client, program, people, data):
    client.force_login(people["coordinator"])
    client.post(review_url(program), {"action": "run"})
    before = set(Mentorship.objects.filter(program=program).values_list("pk", "status"))
    response = client.post(review_url(program), data)
    assert response.status_code == 302
    assert set(Mentorship.objects.filter(program=program).values_list("pk", "status")) == before


def test_bad_swap_mentor_refused(client, program, people):
    client.force_login(people["coordinator"])
    client.post(review_url(program), {"action": "run"})
    pair = client.get(review_url(program)).context["rows"][0]["pair"]
    for bad in ("abc", str(people["employee"].pk)):
        client.post(review_url(program), {"action": "approve", "selected": [pair.pk], f"mentor_{pair.pk}": bad})
    assert Mentorship.objects.get(pk=pair.pk).status == "proposed"
    assert not Mentorship.objects.filter(program=program, status="active").exclude(pk=people["mentorship"].pk).exists()


def test_invalid_matching_settings_are_a_clear_error(client, program, people, matching_engine, monkeypatch):
    client.force_login(people["coordinator"])
    client.post(review_url(program), {"action": "run"})
    kept = set(proposed(program).values_list("pk", flat=True))

    def broken(*args, **kwargs):
        raise ValueError("unknown criterion 'luck'")

    monkeypatch.setattr(matching_engine, "match", broken)
    response = client.post(review_url(program), {"action": "run"}, follow=True)
    assert response.status_code == 200
    assert "matching settings are invalid" in response.content.decode()
    assert kept and set(proposed(program).values_list("pk", flat=True)) == kept  # the previous proposal is kept
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="luck"):
        call_command("mentoring_match", program.slug)


def test_banner_counts_only_unmatched_mentees(client, program, admin_access):
    """Proposed pairs are the proposal; nobody paired or proposed is "unmatched"."""
    roles = admin_access
    mentor_enrolment(program, capacity=3)
    mentee_enrolment(program, user=roles["mentee"])  # active pairing (roles)
    for _ in range(3):
        mentee = mentee_enrolment(program).user
        MentorshipFactory(program=program, mentor=roles["mentor"], mentee=mentee, status="proposed")
    client.force_login(roles["coordinator"])
    response = client.get(review_url(program))
    html = response.content.decode()
    assert "unmatched" not in html.split("Matching for")[0]
    assert "4 mentees already have a mentor or a proposed one" in html and "0 mentees without a mentor" in html
    assert "3 proposed pairings awaiting approval" in html and len(response.context["rows"]) == 3
    assert "Unmatched mentees" not in html


def test_run_with_everyone_paired_says_so(client, program, admin_access):
    roles = admin_access
    mentor_enrolment(program, user=roles["mentor"], capacity=3)
    mentee_enrolment(program, user=roles["mentee"])  # active pairing (roles)
    client.force_login(roles["coordinator"])
    response = client.post(review_url(program), {"action": "run"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Every accepted mentee already has a mentor."]
    assert response.context["rows"] == []


def test_proposal_survives_a_new_login_and_is_shared_by_the_programs_coordinators(client, program, people):
    """The proposal is in the database: another coordinator of the program, in their own session, sees it."""
    client.force_login(people["coordinator"])
    client.post(review_url(program), {"action": "run"})
    mine = [(row["pair"].mentee_id, row["pair"].mentor_id) for row in client.get(review_url(program)).context["rows"]]
    assert mine
    client.logout()
    client.force_login(people["coordinator"])  # a new session
    again = [(row["pair"].mentee_id, row["pair"].mentor_id) for row in client.get(review_url(program)).context["rows"]]
    assert again == mine
    other = Client()
    other.force_login(second_coordinator(program))
    theirs = [(row["pair"].mentee_id, row["pair"].mentor_id) for row in other.get(review_url(program)).context["rows"]]
    assert theirs == mine
    # ... and the admin home's to-dos count the proposal for them too
    home = other.get(reverse("wagtailadmin_home")).content.decode()
    assert f'<span class="wm-todo-count">{len(mine)}</span> proposed pairings to approve' in home


def test_a_new_run_replaces_the_previous_proposal(client, program, people):
    client.force_login(people["coordinator"])
    client.post(review_url(program), {"action": "run"})
    first = set(proposed(program).values_list("pk", flat=True))
    html = client.get(review_url(program)).content.decode()
    assert "Running matching again replaces the proposed pairs below" in html
    client.post(review_url(program), {"action": "run"})
    second = set(proposed(program).values_list("pk", flat=True))
    assert len(second) == len(first) == 2 and not first & second
    assert Mentorship.objects.get(pk=people["mentorship"].pk).status == "active"


def test_discard_removes_only_the_programs_proposed_pairings(client, program, other_program, people):
    other = MentorshipFactory(program=other_program, status="proposed")
    client.force_login(people["coordinator"])
    client.post(review_url(program), {"action": "run"})
    assert proposed(program).count() == 2
    response = client.post(review_url(program), {"action": "discard"}, follow=True)
    assert "discarded (2 proposed pairings)" in response.content.decode()
    assert response.context["rows"] == [] and not proposed(program).exists()
    assert Mentorship.objects.get(pk=people["mentorship"].pk).status == "active"  # active pairing untouched
    assert Mentorship.objects.filter(pk=other.pk).exists()  # another program's proposal untouched


def test_discard_proposals_service_keeps_other_statuses(program, people):
    mentee = people["mentees"][0]
    MentorshipFactory(program=program, mentor=people["mentors"][0], mentee=mentee, status="proposed")
    ended = MentorshipFactory(program=program, mentor=people["mentors"][1], mentee=mentee, status="ended")
    assert services.discard_proposals(program) == 1
    assert list(Mentorship.objects.filter(program=program).order_by("pk").values_list("pk", flat=True)) == sorted(
        [people["mentorship"].pk, ended.pk]
    )


@pytest.mark.parametrize("action", ["get", "run", "discard", "approve", "reject"])
def test_other_programs_coordinator_gets_404(client, program, people, action):
    client.force_login(people["coordinator"])
    client.post(review_url(program), {"action": "run"})
    pair = proposed(program).first()
    before = set(Mentorship.objects.values_list("pk", "status", "mentor_id"))
    client.force_login(people["other_coordinator"])
    if action == "get":
        response = client.get(review_url(program))
    else:
        response = client.post(review_url(program), {"action": action, "selected": [pair.pk]})
    assert response.status_code == 404
    assert set(Mentorship.objects.values_list("pk", "status", "mentor_id")) == before


@pytest.mark.parametrize("name", ["mentee", "mentor", "employee"])
def test_participants_cannot_act_on_the_proposal(client, program, people, name):
    client.force_login(people["coordinator"])
    client.post(review_url(program), {"action": "run"})
    pair = proposed(program).first()
    client.force_login(people[name])
    response = client.post(review_url(program), {"action": "approve", "selected": [pair.pk]})
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert "login" in response["Location"]
    assert Mentorship.objects.get(pk=pair.pk).status == "proposed"


def _proposal_of(program, n):
    mentor = mentor_enrolment(program, capacity=n + 1).user
    mentor_enrolment(program, capacity=2)
    for _ in range(n):
        mentee = mentee_enrolment(program).user
        MentorshipFactory(
            program=program,
            mentor=mentor,
            mentee=mentee,
            status="proposed",
            match_score=0.5,
            match_reasons={"reasons": [{"criterion": "skills", "message": "Shared skills", "contribution": 0.25}]},
        )


def test_review_page_queries_do_not_grow_with_the_pairs(client, program, other_program, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _proposal_of(program, 5)
    other_program.coordinators.user_set.add(people["coordinator"])
    _proposal_of(other_program, 50)
    client.force_login(people["coordinator"])
    counts = []
    for p, n in ((program, 5), (other_program, 50)):
        client.get(review_url(p))  # warm caches (site, locale)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(review_url(p))
        assert len(response.context["rows"]) == n
        assert all(
            row["score"] == "50%" and row["reasons"] == [("Shared skills", "+25%")] for row in response.context["rows"]
        )
        counts.append(len(queries))
    assert counts[0] == counts[1]


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
