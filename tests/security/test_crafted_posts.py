"""Crafted POSTs: every admin and front-end form refuses (or ignores) fields a role may not set.

Each test sends a real POST through the test client to the real URL, asserts the refusal (a form
error, 403/404 or the field ignored) and that the database rows are unchanged, and has a control in
which the entitled user succeeds with the same kind of POST, so that it fails if the protection goes.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from tests.factories import (
    EnrolmentFactory,
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
    OKRCycleFactory,
    UserFactory,
)
from tests.factories.engagement import MentoringSessionFactory
from tests.factories.programs import mentee_enrolment, mentor_enrolment
from tests.factories.training import LearningPathFactory, TrainingEventFactory
from wagtail_mentoring import models

pytestmark = pytest.mark.django_db


def snippet_url(model: str, view: str, *args) -> str:
    return reverse(f"wagtailsnippets_wagtail_mentoring_{model}:{view}", args=args)


def rows(model) -> list[dict]:
    """Every row of ``model`` as a dict of its concrete fields: compared before and after a POST."""
    return [
        {field.attname: getattr(obj, field.attname) for field in model._meta.concrete_fields}
        for obj in model.objects.order_by("pk")
    ]


def denied(response) -> bool:
    """Wagtail answers PermissionDenied in the admin with a 403 or a redirect to the admin home."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def grant(user, *codenames: str) -> None:
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(content_type__app_label="wagtail_mentoring", codename=codename))


# --- admin: enrolments ------------------------------------------------------------------------------
class TestEnrolmentAdmin:
    def test_coordinator_sets_status_but_never_user_program_or_role(self, admin_roles, program, other_program, client_for):
        enrolment = EnrolmentFactory(program=program, user=UserFactory(), role="mentee", status="applied")
        others = rows(models.Enrolment)
        client = client_for(admin_roles["coordinator"])
        response = client.post(
            snippet_url("enrolment", "edit", enrolment.pk),
            {
                "status": "accepted",
                "capacity": "1",
                "user": admin_roles["other_mentee"].pk,
                "program": other_program.pk,
                "role": "mentor",
                "reviewed_by": admin_roles["other_coordinator"].pk,
            },
        )
        assert response.status_code == 302
        enrolment.refresh_from_db()
        # Control: the field the coordinator may set changed ...
        assert enrolment.status == "accepted"
        assert enrolment.reviewed_by_id == admin_roles["coordinator"].pk
        # ... the crafted ones did not.
        assert (enrolment.user_id, enrolment.program_id, enrolment.role) == (
            others[-1]["user_id"],
            program.pk,
            "mentee",
        )

    def test_illegal_status_move_is_a_form_error(self, admin_roles, program, client_for):
        enrolment = EnrolmentFactory(program=program, user=UserFactory(), status="withdrawn")
        before = rows(models.Enrolment)
        response = client_for(admin_roles["coordinator"]).post(
            snippet_url("enrolment", "edit", enrolment.pk), {"status": "accepted", "capacity": "1"}
        )
        assert response.status_code == 200
        assert "status" in response.context["form"].errors
        assert rows(models.Enrolment) == before

    @pytest.mark.parametrize("actor", ["coordinator", "mentee", "mentor", "employee"])
    def test_others_cannot_edit_an_enrolment_of_program_b(self, actor, admin_roles, other_program, client_for):
        enrolment = EnrolmentFactory(program=other_program, user=admin_roles["other_mentee"], status="applied")
        url = snippet_url("enrolment", "edit", enrolment.pk)
        before = rows(models.Enrolment)
        response = client_for(admin_roles[actor]).post(url, {"status": "accepted", "capacity": "1"})
        assert response.status_code == 404
        assert rows(models.Enrolment) == before
        # Control: program B's coordinator makes the same POST.
        assert client_for(admin_roles["other_coordinator"]).post(url, {"status": "accepted", "capacity": "1"}).status_code == 302
        assert models.Enrolment.objects.get(pk=enrolment.pk).status == "accepted"

    def test_own_enrolment_is_not_reviewable_by_its_applicant(self, admin_roles, program, client_for):
        enrolment = EnrolmentFactory(program=program, user=admin_roles["other_mentee"], status="applied")
        before = rows(models.Enrolment)
        response = client_for(admin_roles["other_mentee"]).post(
            snippet_url("enrolment", "edit", enrolment.pk), {"status": "accepted", "capacity": "1"}
        )
        assert response.status_code == 404
        assert rows(models.Enrolment) == before

    @pytest.mark.parametrize("actor", ["coordinator", "mentee"])
    def test_nobody_creates_enrolments_in_the_admin(self, actor, admin_roles, program, client_for):
        before = rows(models.Enrolment)
        client = client_for(admin_roles[actor])
        response = client.post(
            snippet_url("enrolment", "add"),
            {"status": "accepted", "capacity": "1", "user": admin_roles["employee"].pk, "program": program.pk},
        )
        assert denied(response) or response.status_code == 404
        assert rows(models.Enrolment) == before
        if actor == "coordinator":  # Control: the coordinator does reach the enrolment admin.
            assert client.get(snippet_url("enrolment", "list")).status_code == 200


# --- admin: mentorships -----------------------------------------------------------------------------
MENTORSHIP_AGREEMENT = {
    "expectations": "Meet fortnightly.",
    "meeting_cadence_days": "14",
    "topics_in_bounds": "career",
    "topics_out_of_bounds": "salary",
}


class TestMentorshipAdmin:
    def test_coordinator_edits_the_agreement_but_not_the_people_program_or_status(
        self, admin_roles, other_program, client_for
    ):
        mentorship = admin_roles["mentorship"]
        response = client_for(admin_roles["coordinator"]).post(
            snippet_url("mentorship", "edit", mentorship.pk),
            {
                **MENTORSHIP_AGREEMENT,
                "mentor": admin_roles["other_mentor"].pk,
                "mentee": admin_roles["other_mentee"].pk,
                "program": other_program.pk,
                "status": "ended",
                "match_score": "99",
            },
        )
        assert response.status_code == 302
        updated = models.Mentorship.objects.get(pk=mentorship.pk)
        assert updated.expectations == "Meet fortnightly."  # control: the agreement was saved
        assert (updated.mentor_id, updated.mentee_id, updated.program_id, updated.status, updated.match_score) == (
            mentorship.mentor_id,
            mentorship.mentee_id,
            mentorship.program_id,
            "active",
            mentorship.match_score,
        )

    @pytest.mark.parametrize("actor", ["coordinator", "mentor", "mentee", "other_mentor"])
    def test_only_program_b_coordinator_edits_program_b_mentorship(self, actor, admin_roles, client_for):
        mentorship = admin_roles["other_mentorship"]
        url = snippet_url("mentorship", "edit", mentorship.pk)
        before = rows(models.Mentorship)
        response = client_for(admin_roles[actor]).post(url, MENTORSHIP_AGREEMENT)
        assert response.status_code == 404
        assert rows(models.Mentorship) == before
        assert client_for(admin_roles["other_coordinator"]).post(url, MENTORSHIP_AGREEMENT).status_code == 302
        assert models.Mentorship.objects.get(pk=mentorship.pk).expectations == "Meet fortnightly."

    @pytest.mark.parametrize("actor", ["coordinator", "mentor"])
    def test_nobody_creates_mentorships_in_the_admin(self, actor, admin_roles, program, client_for):
        before = rows(models.Mentorship)
        response = client_for(admin_roles[actor]).post(
            snippet_url("mentorship", "add"),
            {
                **MENTORSHIP_AGREEMENT,
                "program": program.pk,
                "mentor": admin_roles["mentor"].pk,
                "mentee": admin_roles["employee"].pk,
                "status": "active",
            },
        )
        assert denied(response) or response.status_code == 404
        assert rows(models.Mentorship) == before


# --- admin: outcomes ----------------------------------------------------------------------------------
class TestOutcomeAdmin:
    def data(self, mentorship, **extra):
        return {"mentorship": mentorship.pk, "kind": "promoted", "date": "2026-03-01", "note": "n", **extra}

    def test_coordinator_records_outcomes_for_own_program_only(self, admin_roles, client_for):
        client = client_for(admin_roles["coordinator"])
        before = rows(models.Outcome)
        response = client.post(snippet_url("outcome", "add"), self.data(admin_roles["other_mentorship"]))
        assert response.status_code == 200
        assert "mentorship" in response.context["form"].errors
        assert rows(models.Outcome) == before
        # Control: the own program's mentorship is accepted; a crafted recorded_by is ignored.
        response = client.post(
            snippet_url("outcome", "add"),
            self.data(admin_roles["mentorship"], recorded_by=admin_roles["other_coordinator"].pk),
        )
        assert response.status_code == 302
        outcome = models.Outcome.objects.get()
        assert (outcome.mentorship_id, outcome.recorded_by_id) == (
            admin_roles["mentorship"].pk,
            admin_roles["coordinator"].pk,
        )

    def test_editing_moves_no_outcome_into_or_out_of_another_program(self, admin_roles, client_for):
        mine = models.Outcome.objects.create(mentorship=admin_roles["mentorship"], kind="retained")
        theirs = models.Outcome.objects.create(mentorship=admin_roles["other_mentorship"], kind="retained")
        client = client_for(admin_roles["coordinator"])
        before = rows(models.Outcome)
        # Program B's outcome: 404.
        assert client.post(snippet_url("outcome", "edit", theirs.pk), self.data(admin_roles["mentorship"])).status_code == 404
        # Own outcome moved onto program B's mentorship: form error.
        response = client.post(snippet_url("outcome", "edit", mine.pk), self.data(admin_roles["other_mentorship"]))
        assert response.status_code == 200 and "mentorship" in response.context["form"].errors
        assert rows(models.Outcome) == before
        # A mentor (no coordinator) may not record outcomes at all.
        response = client_for(admin_roles["mentor"]).post(snippet_url("outcome", "add"), self.data(admin_roles["mentorship"]))
        assert denied(response) or response.status_code == 404
        assert rows(models.Outcome) == before
        # Control: the same edit within the own program.
        response = client.post(snippet_url("outcome", "edit", mine.pk), self.data(admin_roles["mentorship"]))
        assert response.status_code == 302
        assert models.Outcome.objects.get(pk=mine.pk).kind == "promoted"


# --- admin: matching review ---------------------------------------------------------------------------
class TestMatchingReview:
    @pytest.fixture
    def proposal(self, admin_roles, program, client_for):
        mentor_enrolment(program, capacity=1)
        mentee_enrolment(program)
        client = client_for(admin_roles["coordinator"])
        assert client.post(reverse("wagtail_mentoring_matching_review", args=[program.pk]), {"action": "run"}).status_code == 302
        rows_ = client.get(reverse("wagtail_mentoring_matching_review", args=[program.pk])).context["rows"]
        assert len(rows_) == 1
        return client, rows_[0]["pair"]

    @pytest.mark.parametrize("actor", ["mentee", "mentor", "other_coordinator", "employee"])
    def test_only_the_program_coordinator_approves(self, actor, admin_roles, program, proposal, client_for):
        client, pair = proposal
        url = reverse("wagtail_mentoring_matching_review", args=[program.pk])
        before = rows(models.Mentorship)
        response = client_for(admin_roles[actor]).post(url, {"action": "approve", "selected": [pair.mentee_id]})
        assert response.status_code == 404
        assert rows(models.Mentorship) == before
        # Control: the coordinator approves the same selection.
        assert client.post(url, {"action": "approve", "selected": [pair.mentee_id]}).status_code == 302
        assert models.Mentorship.objects.filter(mentee_id=pair.mentee_id, status="active").exists()

    def test_a_foreign_mentor_or_mentee_is_refused(self, admin_roles, program, proposal):
        client, pair = proposal
        url = reverse("wagtail_mentoring_matching_review", args=[program.pk])
        before = rows(models.Mentorship)
        # A mentor of program B (not in the proposal), and a mentee who is not in the proposal.
        client.post(
            url,
            {
                "action": "approve",
                "selected": [pair.mentee_id],
                f"mentor_{pair.mentee_id}": admin_roles["other_mentor"].pk,
            },
        )
        client.post(url, {"action": "approve", "selected": [admin_roles["other_mentee"].pk]})
        assert rows(models.Mentorship) == before
        assert client.post(url, {"action": "approve", "selected": [pair.mentee_id]}).status_code == 302
        assert models.Mentorship.objects.get(mentee_id=pair.mentee_id).mentor_id == pair.mentor_id
