"""The pair's shared objective (issue 15, the shared plan): one pairing-level objective that mentor and mentee
both edit (``access.editable_objectives``), only its owner deletes, and its page shows who changed it when."""

import pytest
from wagtail.models import ModelLogEntry

from tests.dashboards.conftest import make_objective
from wagtail_mentoring.access.policies import scoped_policies
from wagtail_mentoring.models import Objective

pytestmark = pytest.mark.django_db


def edit_data(objective, **extra) -> dict:
    """The dashboard's edit form as posted, the objective's key results kept."""
    key_results = list(objective.key_results.order_by("sort_order", "pk"))
    data = {
        "title": objective.title,
        "description": objective.description,
        "category": objective.category,
        "mentorship": objective.mentorship_id or "",
        "start_date": objective.start_date,
        "due_date": objective.due_date,
        "status": objective.status,
        "kr-TOTAL_FORMS": str(len(key_results)),
        "kr-INITIAL_FORMS": str(len(key_results)),
        "kr-MIN_NUM_FORMS": "0",
        "kr-MAX_NUM_FORMS": "20",
    }
    for i, kr in enumerate(key_results):
        data.update(
            {
                f"kr-{i}-id": kr.pk,
                f"kr-{i}-title": kr.title,
                f"kr-{i}-kind": kr.kind,
                f"kr-{i}-start_value": kr.start_value,
                f"kr-{i}-target_value": kr.target_value,
                f"kr-{i}-weight": kr.weight,
            }
        )
    return {**data, **extra}


@pytest.fixture
def shared(roles):
    return make_objective(roles["mentee"], roles["mentorship"], title="Why we meet", level=Objective.Level.PAIRING)


def test_the_mentor_edits_the_pairs_shared_objective_and_its_history_says_so(client, dashboard, roles, shared):
    mentor = roles["mentor"]
    mentor.first_name, mentor.last_name = "Bruno", "Okafor"
    mentor.save()
    client.force_login(mentor)
    url = f"/mentoring/objective/{shared.pk}/edit/"
    form = client.get(url)
    assert form.status_code == 200
    assert "shared" not in form.context["form"].fields and form.context["form"].fields["mentorship"].disabled
    # A crafted pairing is ignored: the co-editor cannot move the objective (the field is disabled).
    response = client.post(url, edit_data(shared, title="Why we meet, sharpened", mentorship=""))
    assert response.status_code == 302, response.context and response.context["form"].errors
    shared.refresh_from_db()
    assert (shared.title, shared.owner, shared.mentorship, shared.level) == (
        "Why we meet, sharpened",
        roles["mentee"],
        roles["mentorship"],
        Objective.Level.PAIRING,
    )
    entry = ModelLogEntry.objects.for_instance(shared).get()
    assert (entry.action, entry.user) == ("wagtail.edit", mentor)
    html = client.get(f"/mentoring/objective/{shared.pk}/").content.decode()
    changes = html[html.index("<h2>Changes</h2>") :]
    assert "Edited" in changes[:600] and "Bruno Okafor" in changes[:600]
    assert "Shared by the pair" in html


def test_the_mentees_own_objective_in_the_pairing_is_theirs_alone(client, dashboard, roles, okrs):
    own = okrs["mentee"]  # level mentee
    client.force_login(roles["mentor"])
    assert client.get(f"/mentoring/objective/{own.pk}/edit/").status_code == 404
    assert client.post(f"/mentoring/objective/{own.pk}/edit/", edit_data(own, title="Hijacked")).status_code == 404
    own.refresh_from_db()
    assert own.title != "Hijacked"


@pytest.mark.parametrize("who", ["other_mentor", "other_mentee", "coordinator", "employee"])
def test_outside_the_pair_the_shared_objective_is_not_editable(client, dashboard, roles, shared, who):
    client.force_login(roles[who])
    assert client.post(f"/mentoring/objective/{shared.pk}/edit/", edit_data(shared, title="X")).status_code == 404
    shared.refresh_from_db()
    assert shared.title == "Why we meet"


def test_a_closed_shared_objective_is_the_owners_alone(client, dashboard, roles, shared):
    Objective.objects.filter(pk=shared.pk).update(status=Objective.Status.CANCELLED)
    client.force_login(roles["mentor"])
    assert client.get(f"/mentoring/objective/{shared.pk}/edit/").status_code == 404
    client.force_login(roles["mentee"])
    assert client.get(f"/mentoring/objective/{shared.pk}/edit/").status_code == 200


def test_creating_a_shared_objective_and_its_history(client, dashboard, roles):
    mentee = roles["mentee"]
    client.force_login(mentee)
    data = {
        "title": "Our why",
        "category": "confidence",
        "mentorship": roles["mentorship"].pk,
        "shared": "on",
        "status": "active",
        "kr-TOTAL_FORMS": "1",
        "kr-INITIAL_FORMS": "0",
        "kr-0-title": "Talks",
        "kr-0-kind": "number",
        "kr-0-start_value": "0",
        "kr-0-target_value": "3",
        "kr-0-weight": "1",
    }
    assert client.post("/mentoring/objectives/new/", data).status_code == 302
    objective = Objective.objects.get(title="Our why")
    assert objective.level == Objective.Level.PAIRING
    assert list(ModelLogEntry.objects.for_instance(objective).values_list("action", flat=True)) == ["wagtail.create"]
    # Shared needs a pairing: a clear error at the field, nothing written.
    response = client.post("/mentoring/objectives/new/", {**data, "title": "Nobody's", "mentorship": ""})
    assert response.status_code == 400 and "shared" in response.context["form"].errors
    assert not Objective.objects.filter(title="Nobody's").exists()
    # A mentor's own objective within the pairing is at the mentor level.
    client.force_login(roles["mentor"])
    mine = {**data, "title": "Mentor's own"}
    del mine["shared"]
    assert client.post("/mentoring/objectives/new/", mine).status_code == 302
    assert Objective.objects.get(title="Mentor's own").level == Objective.Level.MENTOR


def test_in_the_admin_the_mentor_changes_but_does_not_delete_it(roles, shared):
    policy = next(policy for model, policy, _exact in scoped_policies() if model is Objective)
    mentor, mentee = roles["mentor"], roles["mentee"]
    assert policy.user_has_permission_for_instance(mentor, "change", shared)
    assert not policy.user_has_permission_for_instance(mentor, "delete", shared)
    assert policy.user_has_permission_for_instance(mentee, "delete", shared)
    assert not policy.user_has_permission_for_instance(roles["other_mentor"], "change", shared)


def test_own_objectives_align_to_the_shared_one_from_the_dashboard(client, dashboard, roles, shared, okrs):
    """The parent picker offers what the user may see (``access.alignment_parents``), never the objective itself;
    the objective page shows what it serves and what is aligned to it (the tree, one level each way)."""
    mentee = roles["mentee"]
    own = okrs["mentee"]
    client.force_login(mentee)
    form = client.get(f"/mentoring/objective/{own.pk}/edit/").context["form"]
    offered = {int(str(value)) for value, _label in form.fields["parent"].choices if value}
    assert shared.pk in offered and own.pk not in offered
    assert okrs["other_mentee"].pk not in offered  # hidden: never offered
    response = client.post(f"/mentoring/objective/{own.pk}/edit/", edit_data(own, parent=shared.pk))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.parent == shared
    page = client.get(f"/mentoring/objective/{own.pk}/").content.decode()
    assert "Serves" in page and "Why we meet" in page
    assert own.title in client.get(f"/mentoring/objective/{shared.pk}/").content.decode()
    dashboard_html = client.get("/mentoring/").content.decode()
    assert "Aligned to" in dashboard_html
    # A hidden parent is refused with an error at the field, nothing written.
    bad = client.post(f"/mentoring/objective/{own.pk}/edit/", edit_data(own, parent=okrs["other_mentee"].pk))
    assert bad.status_code == 400 and "parent" in bad.context["form"].errors
    own.refresh_from_db()
    assert own.parent == shared


def test_the_dashboard_marks_the_shared_objective_and_drafts(client, dashboard, roles, shared):
    draft = make_objective(roles["mentee"], roles["mentorship"], title="Lead my first team", status="draft")
    client.force_login(roles["mentee"])
    html = client.get("/mentoring/").content.decode()
    card = html[html.index(f'id="objective-{shared.pk}"') :][:2500]
    assert "Shared by the pair" in card
    draft_card = html[html.index(f'id="objective-{draft.pk}"') :][:2500]
    assert "A draft: give it key results" in draft_card and "On track" not in draft_card[:900]


def test_the_organisations_and_the_programs_objectives_are_there_to_align_to(client, dashboard, roles, okrs, program):
    """Organisation-level objectives, and program-level ones of the user's programs, are offered once taken up
    (their title only: their page stays theirs); a draft one and another program's are not."""
    admin, mentee = roles["superuser"], roles["mentee"]
    org = make_objective(admin, None, title="Grow leaders", level=Objective.Level.ORGANISATION)
    make_objective(admin, None, title="Org draft", level=Objective.Level.ORGANISATION, status="draft")
    make_objective(admin, None, title="Program goal", level=Objective.Level.PROGRAM, program=program)
    theirs = make_objective(
        admin,
        None,
        title="Other program goal",
        level=Objective.Level.PROGRAM,
        program=roles["other_mentorship"].program,
    )
    own = okrs["mentee"]
    client.force_login(mentee)
    form = client.get(f"/mentoring/objective/{own.pk}/edit/").context["form"]
    offered = {label for value, label in form.fields["parent"].choices if value}
    assert {"Grow leaders (Organisation)", "Program goal (Program)"} <= offered
    assert not {label for label in offered if label.startswith(("Org draft", "Other program goal"))}
    assert client.post(f"/mentoring/objective/{own.pk}/edit/", edit_data(own, parent=org.pk)).status_code == 302
    html = client.get("/mentoring/").content.decode()
    card = html[html.index(f'id="objective-{own.pk}"') :][:2500]
    assert "Aligned to Grow leaders" in " ".join(card.split())  # the title, not a link to a page they cannot open
    assert f"/mentoring/objective/{org.pk}/" not in card
    assert client.get(f"/mentoring/objective/{org.pk}/").status_code == 404
    bad = client.post(f"/mentoring/objective/{own.pk}/edit/", edit_data(own, parent=theirs.pk))
    assert bad.status_code == 400 and "parent" in bad.context["form"].errors
