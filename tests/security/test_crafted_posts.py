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
    MentorshipFactory,
    ObjectiveFactory,
    OKRCycleFactory,
    UserFactory,
)
from tests.factories.engagement import MentoringSessionFactory
from tests.factories.programs import mentee_enrolment, mentor_enrolment
from tests.factories.training import LearningPathFactory, TrainingEventFactory
from tests.snippets.test_admin import kr_row, objective_post
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
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="wagtail_mentoring", codename=codename)
        )


# --- admin: enrolments ------------------------------------------------------------------------------
class TestEnrolmentAdmin:
    def test_coordinator_sets_status_but_never_user_program_or_role(
        self, admin_roles, program, other_program, client_for
    ):
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
        assert (
            client_for(admin_roles["other_coordinator"]).post(url, {"status": "accepted", "capacity": "1"}).status_code
            == 302
        )
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
        assert (
            client.post(snippet_url("outcome", "edit", theirs.pk), self.data(admin_roles["mentorship"])).status_code
            == 404
        )
        # Own outcome moved onto program B's mentorship: form error.
        response = client.post(snippet_url("outcome", "edit", mine.pk), self.data(admin_roles["other_mentorship"]))
        assert response.status_code == 200 and "mentorship" in response.context["form"].errors
        assert rows(models.Outcome) == before
        # A mentor (no coordinator) may not record outcomes at all.
        response = client_for(admin_roles["mentor"]).post(
            snippet_url("outcome", "add"), self.data(admin_roles["mentorship"])
        )
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
        assert (
            client.post(reverse("wagtail_mentoring_matching_review", args=[program.pk]), {"action": "run"}).status_code
            == 302
        )
        rows_ = client.get(reverse("wagtail_mentoring_matching_review", args=[program.pk])).context["rows"]
        assert len(rows_) == 1
        return client, rows_[0]["pair"]

    @pytest.mark.parametrize("actor", ["mentee", "mentor", "other_coordinator", "employee"])
    def test_only_the_program_coordinator_approves(self, actor, admin_roles, program, proposal, client_for):
        client, pair = proposal
        url = reverse("wagtail_mentoring_matching_review", args=[program.pk])
        before = rows(models.Mentorship)
        response = client_for(admin_roles[actor]).post(url, {"action": "approve", "selected": [pair.pk]})
        assert response.status_code == 404
        assert rows(models.Mentorship) == before
        # Control: the coordinator approves the same selection.
        assert client.post(url, {"action": "approve", "selected": [pair.pk]}).status_code == 302
        assert models.Mentorship.objects.filter(mentee_id=pair.mentee_id, status="active").exists()

    def test_a_foreign_mentor_or_pairing_is_refused(self, admin_roles, program, other_program, proposal):
        client, pair = proposal
        url = reverse("wagtail_mentoring_matching_review", args=[program.pk])
        foreign = MentorshipFactory(program=other_program, status="proposed")
        before = rows(models.Mentorship)
        # A mentor of program B (not in the proposal), and a pairing of program B (not in the proposal).
        client.post(
            url,
            {
                "action": "approve",
                "selected": [pair.pk],
                f"mentor_{pair.pk}": admin_roles["other_mentor"].pk,
            },
        )
        client.post(url, {"action": "approve", "selected": [foreign.pk]})
        client.post(url, {"action": "reject", "selected": [foreign.pk]})
        assert rows(models.Mentorship) == before
        assert client.post(url, {"action": "approve", "selected": [pair.pk]}).status_code == 302
        assert models.Mentorship.objects.get(mentee_id=pair.mentee_id).mentor_id == pair.mentor_id


# --- admin: objectives with inline key results and initiatives ----------------------------------------
def objective_data(user, key_results=(), initiatives=(), initial=(0, 0), **fields) -> dict:
    return objective_post(
        user,
        key_results=key_results,
        initiatives=initiatives,
        initial=initial,
        **{"title": "Crafted objective", **fields},
    )


OKR_MODELS = (models.Objective, models.KeyResult, models.Initiative, models.CheckIn)


def okr_rows() -> list:
    return [rows(model) for model in OKR_MODELS]


class TestObjectiveAdmin:
    @pytest.mark.parametrize("actor", ["mentee", "mentor"])
    @pytest.mark.parametrize("field", ["owner", "mentorship", "program", "parent", "cycle"])
    def test_participant_cannot_create_with_foreign_values(self, field, actor, admin_roles, foreign, client_for):
        mentee = admin_roles[actor]
        foreign_cycle = OKRCycleFactory(program=foreign["program"], name="FOREIGN-CYCLE")
        own_cycle = OKRCycleFactory(program=admin_roles["mentorship"].program, name="Own cycle")
        crafted = {
            "owner": admin_roles["other_mentee"].pk,
            "mentorship": foreign["mentorship"].pk,
            "program": foreign["program"].pk,
            "parent": foreign["objective"].pk,
            "cycle": foreign_cycle.pk,
        }
        allowed = {
            "owner": mentee.pk,
            "mentorship": admin_roles["mentorship"].pk,
            "program": admin_roles["mentorship"].program_id,
            "parent": ObjectiveFactory(owner=mentee, title="Own parent").pk,
            "cycle": own_cycle.pk,
        }
        client = client_for(mentee)
        before = okr_rows()
        response = client.post(snippet_url("objective", "add"), objective_data(mentee, **{field: crafted[field]}))
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert okr_rows() == before
        assert "FOREIGN-" not in response.content.decode()  # not even offered as a choice
        # Control: the mentee's own value for the same field is accepted.
        response = client.post(snippet_url("objective", "add"), objective_data(mentee, **{field: allowed[field]}))
        assert response.status_code == 302
        created = models.Objective.objects.get(title="Crafted objective")
        assert getattr(created, f"{field}_id") == allowed[field]

    @pytest.mark.parametrize("inline", ["kr_owner", "initiative_assignee"])
    def test_inline_people_are_limited_to_the_pairing(self, inline, admin_roles, client_for):
        mentee = admin_roles["mentee"]
        outsider = admin_roles["other_mentee"].pk
        insider = admin_roles["mentor"].pk  # the mentee's own mentor may be named

        def data(person):
            if inline == "kr_owner":
                return objective_data(mentee, key_results=[kr_row(owner=person)])
            return objective_data(
                mentee, initiatives=[{"title": "Read a book", "done": "", "due_date": "", "assignee": person}]
            )

        client = client_for(mentee)
        before = okr_rows()
        response = client.post(snippet_url("objective", "add"), data(outsider))
        assert response.status_code == 200
        assert okr_rows() == before
        assert client.post(snippet_url("objective", "add"), data(insider)).status_code == 302
        objective = models.Objective.objects.get(title="Crafted objective")
        person = (
            objective.key_results.get().owner_id if inline == "kr_owner" else objective.initiatives.get().assignee_id
        )
        assert person == insider

    @pytest.mark.parametrize("inline", ["key_results", "initiatives"])
    def test_editing_cannot_adopt_a_foreign_key_result_or_initiative(self, inline, admin_roles, foreign, client_for):
        mentee = admin_roles["mentee"]
        mine = ObjectiveFactory(owner=mentee, mentorship=admin_roles["mentorship"], title="Mine")
        if inline == "key_results":
            theirs = foreign["keyresult"]
            data = objective_data(
                mentee, key_results=[kr_row(id=theirs.pk, title="STOLEN")], initial=(1, 0), title="Mine"
            )
        else:
            theirs = foreign["initiative"]
            data = objective_data(
                mentee,
                initiatives=[{"id": theirs.pk, "title": "STOLEN", "done": "on", "due_date": "", "assignee": ""}],
                initial=(0, 1),
                title="Mine",
            )
        client = client_for(mentee)
        model = type(theirs)
        foreign_rows = rows(model)
        # The foreign id is ignored: the row is taken as a new child of the mentee's objective, and the
        # foreign key result (or initiative) is neither moved nor changed.
        assert client.post(snippet_url("objective", "edit", mine.pk), data).status_code == 302
        assert [row for row in rows(model) if row["id"] == theirs.pk] == [
            row for row in foreign_rows if row["id"] == theirs.pk
        ]
        assert model.objects.get(pk=theirs.pk).objective_id == foreign["objective"].pk
        assert model.objects.filter(objective=foreign["objective"]).count() == 1
        assert not model.objects.filter(objective=foreign["objective"], title="STOLEN").exists()
        # Control: the objective's own child is edited through the same inline.
        own = (
            KeyResultFactory(objective=mine, title="Own")
            if inline == "key_results"
            else InitiativeFactory(objective=mine, title="Own")
        )
        row = (
            kr_row(id=own.pk, title="Renamed")
            if inline == "key_results"
            else {"id": own.pk, "title": "Renamed", "done": "", "due_date": "", "assignee": ""}
        )
        data = objective_data(
            mentee,
            **{"key_results" if inline == "key_results" else "initiatives": [row]},
            initial=(1, 0) if inline == "key_results" else (0, 1),
            title="Mine",
        )
        assert client.post(snippet_url("objective", "edit", mine.pk), data).status_code == 302
        assert type(own).objects.get(pk=own.pk).title == "Renamed"

    @pytest.mark.parametrize(("actor", "expected"), [("mentor", 403), ("coordinator", 403), ("other_mentee", 404)])
    def test_only_the_owner_edits(self, actor, expected, admin_roles, client_for):
        mentee = admin_roles["mentee"]
        objective = ObjectiveFactory(owner=mentee, mentorship=admin_roles["mentorship"], title="Mine")
        data = objective_data(
            admin_roles[actor], mentorship=admin_roles["mentorship"].pk, title="Hijacked", status="cancelled"
        )
        before = okr_rows()
        response = client_for(admin_roles[actor]).post(snippet_url("objective", "edit", objective.pk), data)
        assert denied(response) if expected == 403 else response.status_code == 404, response.status_code
        assert okr_rows() == before
        data = objective_data(mentee, mentorship=admin_roles["mentorship"].pk, title="Renamed")
        assert client_for(mentee).post(snippet_url("objective", "edit", objective.pk), data).status_code == 302
        assert models.Objective.objects.get(pk=objective.pk).title == "Renamed"


# --- admin: check-ins ---------------------------------------------------------------------------------
class TestCheckInAdmin:
    def test_author_is_the_requester_and_key_results_are_their_own(self, admin_roles, foreign, client_for):
        mentee, mentor = admin_roles["mentee"], admin_roles["mentor"]
        kr = KeyResultFactory(objective=ObjectiveFactory(owner=mentee, mentorship=admin_roles["mentorship"]))
        before = okr_rows()
        for actor in (mentee, mentor):
            response = client_for(actor).post(
                snippet_url("checkin", "add"), {"key_result": foreign["keyresult"].pk, "value": "3", "confidence": "5"}
            )
            assert response.status_code == 200 and "key_result" in response.context["form"].errors
        assert okr_rows() == before
        # Control: the mentee and the pair's mentor check in; a crafted author and date are ignored.
        long_ago = "2020-01-01T00:00:00"
        for actor, value in ((mentee, "2"), (mentor, "3")):
            response = client_for(actor).post(
                snippet_url("checkin", "add"),
                {"key_result": kr.pk, "value": value, "author": admin_roles["other_mentee"].pk, "created_at": long_ago},
            )
            assert response.status_code == 302
        authors = list(models.CheckIn.objects.filter(key_result=kr).order_by("pk").values_list("author_id", flat=True))
        assert authors == [mentee.pk, mentor.pk]
        assert not models.CheckIn.objects.filter(created_at__year=2020).exists()

    def test_check_ins_are_never_edited(self, admin_roles, foreign, client_for):
        mentee = admin_roles["mentee"]
        kr = KeyResultFactory(objective=ObjectiveFactory(owner=mentee))
        client = client_for(mentee)
        assert client.post(snippet_url("checkin", "add"), {"key_result": kr.pk, "value": "2"}).status_code == 302
        mine = models.CheckIn.objects.get(key_result=kr)
        before = okr_rows()
        assert denied(client.post(snippet_url("checkin", "edit", mine.pk), {"key_result": kr.pk, "value": "9"}))
        edit_theirs = snippet_url("checkin", "edit", foreign["checkin"].pk)
        assert client.post(edit_theirs, {"key_result": kr.pk, "value": "9"}).status_code == 404
        assert okr_rows() == before


# --- admin: snippets under model permissions (OKR cycles, learning paths, training events) -----------
def cycle_data(name="Q3") -> dict:
    return {"name": name, "start_date": "2026-07-01", "end_date": "2026-09-30", "program": ""}


def path_data(title="Crafted path") -> dict:
    return nested_form_data({"title": title, "description": "d", "audience": "everyone", "items": inline_formset([])})


def event_data(title="Crafted event") -> dict:
    start = timezone.localtime() + dt.timedelta(days=3)
    return {
        "title": title,
        "description": "d",
        "start": start.strftime("%Y-%m-%d %H:%M"),
        "end": (start + dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
        "location": "Room 1",
        "online_url": "",
        "capacity": "5",
        "audience": "everyone",
        "resource": "",
    }


MODEL_PERMISSION_SNIPPETS = {
    "okrcycle": (models.OKRCycle, lambda: OKRCycleFactory(name="Existing"), cycle_data),
    "learningpath": (models.LearningPath, lambda: LearningPathFactory(title="Existing"), path_data),
    "trainingevent": (models.TrainingEvent, lambda: TrainingEventFactory(title="Existing"), event_data),
}


class TestModelPermissionSnippets:
    @pytest.mark.parametrize("model_name", list(MODEL_PERMISSION_SNIPPETS))
    @pytest.mark.parametrize("actor", ["mentee", "coordinator", "editor"])
    def test_create_copy_edit_delete_need_the_model_permission(self, model_name, actor, admin_roles, client_for):
        model, make, data = MODEL_PERMISSION_SNIPPETS[model_name]
        existing = make()
        copyable = model_name != "okrcycle"  # cycles have no copy view
        client = client_for(admin_roles[actor])
        before = rows(model)
        attempts = [
            (snippet_url(model_name, "add"), data()),
            (snippet_url(model_name, "edit", existing.pk), data("Renamed")),
            (snippet_url(model_name, "delete", existing.pk), {}),
        ]
        if copyable:
            attempts.append((snippet_url(model_name, "copy", existing.pk), data("Copied")))
        for url, payload in attempts:
            response = client.post(url, payload)
            assert denied(response), (url, response.status_code)
        assert rows(model) == before
        # Control: once granted the model permissions, the same user creates, edits and deletes.
        grant(admin_roles[actor], f"add_{model_name}", f"change_{model_name}", f"delete_{model_name}")
        client = client_for(type(admin_roles[actor]).objects.get(pk=admin_roles[actor].pk))
        assert client.post(snippet_url(model_name, "add"), data()).status_code == 302
        assert model.objects.count() == len(before) + 1
        assert client.post(snippet_url(model_name, "edit", existing.pk), data("Renamed")).status_code == 302
        assert str(model.objects.get(pk=existing.pk)) == "Renamed"
        assert client.post(snippet_url(model_name, "delete", existing.pk), {}).status_code == 302
        assert not model.objects.filter(pk=existing.pk).exists()

    @pytest.mark.parametrize("model_name", ["learningpath", "trainingevent"])
    def test_a_post_to_the_copy_url_never_overwrites_the_original(self, model_name, admin_roles, client_for):
        """Wagtail's copy view binds a POST to the original: with only "add", that would edit it."""
        model, make, data = MODEL_PERMISSION_SNIPPETS[model_name]
        existing = make()
        editor = admin_roles["editor"]
        grant(editor, f"add_{model_name}", f"view_{model_name}")
        client = client_for(editor)
        before = rows(model)
        response = client.post(snippet_url(model_name, "copy", existing.pk), data("Overwritten"))
        assert response.status_code == 405
        assert rows(model) == before
        # Control: the copy form itself opens, prefilled, and posts to the add view, which creates a copy.
        response = client.get(snippet_url(model_name, "copy", existing.pk))
        assert response.status_code == 200
        assert response.context["action_url"] == snippet_url(model_name, "add")
        assert client.post(snippet_url(model_name, "add"), data("Copied")).status_code == 302
        assert str(model.objects.get(pk=existing.pk)) == "Existing"
        assert model.objects.filter(title="Copied").exists()


# --- front end: enrolment ---------------------------------------------------------------------------
ENROL = {
    "role": "mentee",
    "goals": "Present to the board with confidence.",
    "skills_sought": "public speaking",
    "interests": "data",
    "languages": "english",
    "availability": "Mondays",
    "capacity": "1",
    "seniority": "2",
}


class TestEnrolForm:
    def test_applicant_sets_neither_status_user_program_nor_mentee_capacity(
        self, admin_roles, program, other_program, client_for
    ):
        applicant, victim = admin_roles["employee"], admin_roles["other_mentee"]
        before = rows(models.Enrolment)
        response = client_for(applicant).post(
            program.url + "enrol/",
            {
                **ENROL,
                "status": "accepted",
                "user": victim.pk,
                "program": other_program.pk,
                "capacity": "9",
                "reviewed_by": admin_roles["coordinator"].pk,
                "reviewed_at": "2026-01-01T00:00",
            },
        )
        assert response.status_code == 302
        # Control: the application itself went through ...
        created = [row for row in rows(models.Enrolment) if row not in before]
        assert len(created) == 1
        # ... as the applicant's own, applied, in this program, with a mentee's capacity and no reviewer.
        assert {
            k: created[0][k] for k in ("user_id", "program_id", "status", "role", "capacity", "reviewed_by_id")
        } == {
            "user_id": applicant.pk,
            "program_id": program.pk,
            "status": "applied",
            "role": "mentee",
            "capacity": 1,
            "reviewed_by_id": None,
        }
        assert created[0]["reviewed_at"] is None

    def test_an_unknown_role_is_a_form_error(self, admin_roles, program, client_for):
        before = rows(models.Enrolment)
        response = client_for(admin_roles["employee"]).post(program.url + "enrol/", {**ENROL, "role": "coordinator"})
        assert response.status_code == 200
        assert "role" in response.context["form"].errors
        assert rows(models.Enrolment) == before


# --- front end: dashboard check-in, session log and objective form ------------------------------------


@pytest.fixture
def own_kr(admin_roles):
    objective = ObjectiveFactory(owner=admin_roles["mentee"], mentorship=admin_roles["mentorship"], title="Own")
    return KeyResultFactory(objective=objective, title="Own KR", start_value=0, target_value=10)


class TestDashboardForms:
    def test_check_in_author_and_key_result(self, admin_roles, foreign, dashboard, own_kr, client_for):
        mentee = admin_roles["mentee"]
        client = client_for(mentee)
        before = okr_rows()
        response = client.post("/mentoring/check-in/", {"key_result": foreign["keyresult"].pk, "value": "3"})
        assert response.status_code == 400
        assert okr_rows() == before
        # Control: own key result; a crafted author and timestamp are ignored.
        response = client.post(
            "/mentoring/check-in/",
            {
                "key_result": own_kr.pk,
                "value": "3",
                "author": admin_roles["other_mentee"].pk,
                "created_at": "2020-01-01",
            },
        )
        assert response.status_code == 302
        check_in = models.CheckIn.objects.get(key_result=own_kr)
        assert check_in.author_id == mentee.pk and check_in.created_at.year != 2020

    def test_check_in_cannot_log_a_session_outside_an_active_pairing(self, admin_roles, dashboard, client_for):
        mentee = admin_roles["mentee"]
        personal = KeyResultFactory(objective=ObjectiveFactory(owner=mentee, title="Personal"), target_value=10)
        before = okr_rows() + [rows(models.MentoringSession)]
        response = client_for(mentee).post(
            "/mentoring/check-in/",
            {
                "key_result": personal.pk,
                "value": "2",
                "log_session": "on",
                "mentorship": admin_roles["other_mentorship"].pk,
            },
        )
        assert response.status_code == 400
        assert okr_rows() + [rows(models.MentoringSession)] == before

    @pytest.mark.parametrize("actor", ["mentee", "mentor"])
    def test_session_log_refuses_other_pairings_and_ignores_authorship(
        self, actor, admin_roles, foreign, dashboard, own_kr, client_for
    ):
        client = client_for(admin_roles[actor])
        base = {"duration_minutes": "45", "format": "video", "notes": "private"}
        before = rows(models.MentoringSession)
        # Another pair's mentorship, and a foreign key result on the own mentorship.
        for data in (
            {**base, "mentorship": foreign["mentorship"].pk},
            {**base, "mentorship": admin_roles["mentorship"].pk, "key_results_discussed": [foreign["keyresult"].pk]},
        ):
            assert client.post("/mentoring/session/", data).status_code == 400
        assert rows(models.MentoringSession) == before
        # Control: the own pairing, with its own key result; a crafted created_by is ignored.
        data = {
            **base,
            "mentorship": admin_roles["mentorship"].pk,
            "key_results_discussed": [own_kr.pk],
            "created_by": admin_roles["other_mentor"].pk,
        }
        assert client.post("/mentoring/session/", data).status_code == 302
        session = models.MentoringSession.objects.exclude(pk__in=[row["id"] for row in before]).get()
        assert (session.mentorship_id, session.created_by_id) == (admin_roles["mentorship"].pk, admin_roles[actor].pk)

    def test_objective_form_sets_owner_program_and_level_itself(self, admin_roles, foreign, dashboard, client_for):
        mentee = admin_roles["mentee"]
        client = client_for(mentee)
        kr = {
            "kr-TOTAL_FORMS": "1",
            "kr-INITIAL_FORMS": "0",
            "kr-MIN_NUM_FORMS": "0",
            "kr-MAX_NUM_FORMS": "20",
            "kr-0-title": "Talks",
            "kr-0-kind": "number",
            "kr-0-start_value": "0",
            "kr-0-target_value": "3",
            "kr-0-weight": "1",
        }
        base = {
            "title": "From the dashboard",
            "description": "d",
            "category": "confidence",
            "start_date": "2026-01-01",
            "due_date": "2026-06-30",
            "status": "active",
            **kr,
        }
        before = okr_rows()
        assert (
            client.post("/mentoring/objectives/new/", {**base, "mentorship": foreign["mentorship"].pk}).status_code
            == 400
        )
        assert client.post("/mentoring/objectives/new/", {**base, "status": "archived"}).status_code == 400
        assert okr_rows() == before
        # An objective the mentee cannot see is no parent to align to: refused at the field, nothing written.
        crafted_parent = {**base, "mentorship": admin_roles["mentorship"].pk, "parent": foreign["objective"].pk}
        response = client.post("/mentoring/objectives/new/", crafted_parent)
        assert response.status_code == 400 and "parent" in response.context["form"].errors
        assert okr_rows() == before
        # Control: created, with crafted owner, program and level ignored.
        response = client.post(
            "/mentoring/objectives/new/",
            {
                **base,
                "mentorship": admin_roles["mentorship"].pk,
                "owner": admin_roles["other_mentee"].pk,
                "program": foreign["program"].pk,
                "level": "organisation",
            },
        )
        assert response.status_code == 302
        objective = models.Objective.objects.get(title="From the dashboard")
        # Within the pairing, the mentee's own objective (level mentee: not ticked "shared").
        assert (objective.owner_id, objective.program_id, objective.level, objective.parent_id) == (
            mentee.pk,
            admin_roles["mentorship"].program_id,
            "mentee",
            None,
        )
        shared = {**base, "title": "Ours", "mentorship": admin_roles["mentorship"].pk, "shared": "on"}
        assert client.post("/mentoring/objectives/new/", {**shared, "level": "organisation"}).status_code == 302
        assert models.Objective.objects.get(title="Ours").level == "pairing"

    @pytest.mark.parametrize("actor", ["mentor", "coordinator", "other_mentee"])
    def test_objective_form_edits_only_own_objectives(self, actor, admin_roles, dashboard, own_kr, client_for):
        objective = own_kr.objective
        data = {
            "title": "Hijacked",
            "category": "confidence",
            "status": "cancelled",
            "kr-TOTAL_FORMS": "0",
            "kr-INITIAL_FORMS": "0",
        }
        before = okr_rows()
        assert (
            client_for(admin_roles[actor]).post(f"/mentoring/objective/{objective.pk}/edit/", data).status_code == 404
        )
        assert okr_rows() == before
        # Control: the owner reaches the same form.
        assert client_for(admin_roles["mentee"]).get(f"/mentoring/objective/{objective.pk}/edit/").status_code == 200


# --- front end: surveys and kudos ---------------------------------------------------------------------
class TestSurveysAndKudos:
    def test_survey_answer_is_the_requesters_on_the_resolved_subject(self, admin_roles, foreign, client_for):
        mentee = admin_roles["mentee"]
        session = MentoringSessionFactory(
            mentorship=admin_roles["mentorship"], date=timezone.now() - dt.timedelta(days=1)
        )
        client = client_for(mentee)
        before = rows(models.Feedback)
        crafted = {
            "rating": "5",
            "author": admin_roles["other_mentee"].pk,
            "mentorship": foreign["mentorship"].pk,
            "program": foreign["program"].pk,
            "session": foreign["session"].pk,
            "kind": "closing",
        }
        # The other pair's session and pairing: 404, nothing written.
        assert (
            client.post(reverse("wagtail_mentoring:survey_session", args=[foreign["session"].pk]), crafted).status_code
            == 404
        )
        assert (
            client.post(
                reverse("wagtail_mentoring:survey_pairing_check", args=[foreign["mentorship"].pk]), crafted
            ).status_code
            == 404
        )
        assert (
            client.post(reverse("wagtail_mentoring:survey_program", args=[foreign["program"].pk]), crafted).status_code
            == 404
        )
        assert rows(models.Feedback) == before
        # Control: the own session is rated; every crafted field is ignored.
        assert client.post(reverse("wagtail_mentoring:survey_session", args=[session.pk]), crafted).status_code == 302
        feedback = models.Feedback.objects.exclude(pk__in=[row["id"] for row in before]).get()
        assert (feedback.author_id, feedback.mentorship_id, feedback.session_id, feedback.kind) == (
            mentee.pk,
            admin_roles["mentorship"].pk,
            session.pk,
            "session",
        )

    def test_kudos_sender_and_recipient_come_from_the_pairing(self, admin_roles, foreign, client_for):
        mentee = admin_roles["mentee"]
        client = client_for(mentee)
        crafted = {
            "message": "Thank you!",
            "sender": admin_roles["other_mentor"].pk,
            "recipient": admin_roles["other_mentee"].pk,
        }
        before = rows(models.Kudos)
        assert (
            client.post(reverse("wagtail_mentoring:kudos", args=[foreign["mentorship"].pk]), crafted).status_code == 404
        )
        assert rows(models.Kudos) == before
        assert (
            client.post(reverse("wagtail_mentoring:kudos", args=[admin_roles["mentorship"].pk]), crafted).status_code
            == 302
        )
        kudos = models.Kudos.objects.exclude(pk__in=[row["id"] for row in before]).get()
        assert (kudos.mentorship_id, kudos.sender_id, kudos.recipient_id) == (
            admin_roles["mentorship"].pk,
            mentee.pk,
            admin_roles["mentor"].pk,
        )

    def test_training_registration_is_for_the_requester_only(self, admin_roles, client_for):
        event = TrainingEventFactory(title="Workshop")
        client = client_for(admin_roles["mentee"])
        response = client.post(
            reverse("wagtail_mentoring:training:event_register", args=[event.pk]),
            {"user": admin_roles["other_mentee"].pk},
        )
        assert response.status_code == 302
        assert list(models.TrainingRegistration.objects.filter(event=event).values_list("user_id", flat=True)) == [
            admin_roles["mentee"].pk
        ]
