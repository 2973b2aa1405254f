"""POST routes: check-in (with optional session), comment, session, initiatives, objectives."""

import pytest
from django.core.exceptions import ValidationError

from wagtail_mentoring.models import CheckIn, KeyResult, MentoringSession, Objective

pytestmark = pytest.mark.django_db


def kr_of(objective):
    return objective.key_results.order_by("pk").first()


def test_mentee_checks_in_and_progress_changes(client, dashboard, roles, okrs):
    kr = kr_of(okrs["mentee"])
    client.force_login(roles["mentee"])
    before = CheckIn.objects.count()
    response = client.post("/mentoring/check-in/", {"key_result": kr.pk, "value": 7, "confidence": 8, "note": "ok"})
    assert response.status_code == 302 and response["Location"] == f"/mentoring/#key-result-{kr.pk}"
    kr.refresh_from_db()
    assert (kr.current_value, kr.confidence) == (7, 8)
    assert CheckIn.objects.count() == before + 1
    assert MentoringSession.objects.count() == 0
    html = client.get("/mentoring/").content.decode()
    assert "70% · 7 of 10" in html


def test_check_in_with_session_in_one_form(client, dashboard, roles, okrs):
    kr = kr_of(okrs["mentee"])
    client.force_login(roles["mentee"])
    response = client.post(
        "/mentoring/check-in/",
        {
            "key_result": kr.pk,
            "value": 4,
            "log_session": "on",
            "session_date": "2026-02-01T10:00",
            "duration_minutes": 30,
            "format": "phone",
            "notes": "talked",
        },
    )
    assert response.status_code == 302
    session = MentoringSession.objects.get()
    assert session.mentorship == roles["mentorship"] and session.duration_minutes == 30
    assert list(session.key_results_discussed.all()) == [kr]


def test_check_in_and_session_are_atomic(client, dashboard, roles, okrs, monkeypatch):
    kr = kr_of(okrs["mentee"])
    before = (CheckIn.objects.count(), kr.current_value)

    def failing_log_session(*args, **kwargs):
        raise ValidationError("boom")

    monkeypatch.setattr("wagtail_mentoring.dashboards.forms.log_session", failing_log_session)
    client.force_login(roles["mentee"])
    response = client.post("/mentoring/check-in/", {"key_result": kr.pk, "value": 9, "log_session": "on"})
    assert response.status_code == 400 and b"boom" in response.content
    kr.refresh_from_db()
    assert (CheckIn.objects.count(), kr.current_value) == before


@pytest.mark.parametrize("who", ["other_mentee", "other_mentor", "coordinator", "employee", "editor"])
def test_check_in_on_someone_elses_key_result_changes_nothing(client, dashboard, roles, okrs, who):
    kr = kr_of(okrs["mentee"])
    before = (CheckIn.objects.count(), kr.current_value)
    client.force_login(roles[who])
    response = client.post("/mentoring/check-in/", {"key_result": kr.pk, "value": 9, "note": "x"})
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    kr.refresh_from_db()
    assert (CheckIn.objects.count(), kr.current_value) == before


def test_bad_check_in_values_are_form_errors(client, dashboard, roles, okrs):
    kr = kr_of(okrs["mentee"])
    client.force_login(roles["mentee"])
    for data in (
        {"key_result": kr.pk, "value": "abc"},
        {"key_result": kr.pk, "value": 5, "confidence": 11},
        {"key_result": kr.pk, "value": 1e20},
        {"key_result": kr.pk},  # neither value nor note
        {"key_result": "nope", "value": 1},
    ):
        assert client.post("/mentoring/check-in/", data).status_code == 400
    assert CheckIn.objects.filter(key_result=kr).count() == 1


def test_mentor_comments_without_changing_the_value(client, dashboard, roles, okrs):
    kr = kr_of(okrs["mentee"])
    client.force_login(roles["mentor"])
    url = f"/mentoring/mentee/{roles['mentorship'].pk}/"
    response = client.post("/mentoring/check-in/", {"key_result": kr.pk, "note": "Great work <b>!</b>", "next": url})
    assert response.status_code == 302 and response["Location"] == f"{url}#key-result-{kr.pk}"
    kr.refresh_from_db()
    assert kr.current_value == 2
    comment = CheckIn.objects.filter(key_result=kr).order_by("-pk").first()
    assert comment.author == roles["mentor"] and comment.value == 2 and comment.note == "Great work <b>!</b>"
    html = client.get(f"/mentoring/objective/{okrs['mentee'].pk}/").content.decode()
    assert "Great work &lt;b&gt;!&lt;/b&gt;" in html and "<b>!</b>" not in html


def test_next_must_stay_on_the_dashboard(client, dashboard, roles, okrs):
    client.force_login(roles["mentee"])
    kr = kr_of(okrs["mentee"])
    data = {"key_result": kr.pk, "value": 3, "next": "https://evil.example/"}
    assert client.post("/mentoring/check-in/", data)["Location"] == f"/mentoring/#key-result-{kr.pk}"


def test_get_on_post_routes_is_405(client, dashboard, roles, okrs):
    client.force_login(roles["mentee"])
    assert client.get("/mentoring/check-in/").status_code == 405
    assert client.put("/mentoring/session/").status_code == 405


def test_log_session(client, dashboard, roles, okrs):
    client.force_login(roles["mentor"])
    data = {"mentorship": roles["mentorship"].pk, "duration_minutes": 50, "format": "video", "agenda": "goals"}
    assert client.post("/mentoring/session/", data).status_code == 302
    assert MentoringSession.objects.get().created_by == roles["mentor"]


@pytest.mark.parametrize("who", ["other_mentor", "other_mentee", "coordinator", "employee"])
def test_log_session_for_someone_elses_pairing_changes_nothing(client, dashboard, roles, okrs, who):
    client.force_login(roles[who])
    data = {"mentorship": roles["mentorship"].pk, "duration_minutes": 50, "format": "video"}
    assert client.post("/mentoring/session/", data).status_code == 400
    assert MentoringSession.objects.count() == 0


def test_session_key_results_must_be_the_pairings(client, dashboard, roles, okrs):
    from tests.factories import active_mentorship
    from wagtail_mentoring.access.grants import grant_pair_access

    second = active_mentorship(
        program=roles["mentorship"].program.__class__.objects.get(pk=okrs["other_mentee"].program_id),
        mentor=roles["mentor"],
        mentee=roles["employee"],
    )
    grant_pair_access(second)
    client.force_login(roles["mentor"])
    data = {
        "mentorship": second.pk,
        "duration_minutes": 50,
        "format": "video",
        "key_results_discussed": [kr_of(okrs["mentee"]).pk],
    }
    assert client.post("/mentoring/session/", data).status_code == 400
    assert MentoringSession.objects.count() == 0


def test_initiatives_tick_off(client, dashboard, roles, okrs):
    initiative = okrs["mentee"].initiatives.get()
    client.force_login(roles["mentee"])
    assert client.post(f"/mentoring/initiative/{initiative.pk}/toggle/", {"done": "on"}).status_code == 302
    initiative.refresh_from_db()
    assert initiative.done
    client.post(f"/mentoring/initiative/{initiative.pk}/toggle/", {})
    initiative.refresh_from_db()
    assert not initiative.done
    for who in ("other_mentee", "coordinator", "employee"):
        client.force_login(roles[who])
        assert client.post(f"/mentoring/initiative/{initiative.pk}/toggle/", {"done": "on"}).status_code == 404
    initiative.refresh_from_db()
    assert not initiative.done


def objective_data(mentorship=None, n=1, **extra):
    data = {
        "title": "Speak at the all-hands",
        "description": "Give a ten minute talk about our team's work at the company all-hands.",
        "category": "confidence",
        "mentorship": mentorship.pk if mentorship else "",
        "start_date": "2026-01-01",
        "due_date": "2026-06-30",
        "status": "active",
        "kr-TOTAL_FORMS": n,
        "kr-INITIAL_FORMS": 0,
        "kr-MIN_NUM_FORMS": 0,
        "kr-MAX_NUM_FORMS": 20,
    }
    for i in range(n):
        data.update(
            {
                f"kr-{i}-title": f"Talk {i}",
                f"kr-{i}-kind": "number",
                f"kr-{i}-start_value": 0,
                f"kr-{i}-target_value": 3,
                f"kr-{i}-weight": 1,
            }
        )
    data.update(extra)
    return data


def test_create_objective_with_key_results(client, dashboard, roles, okrs):
    client.force_login(roles["mentee"])
    page = client.get("/mentoring/objectives/new/")
    assert page.status_code == 200 and b"Make it SMART" in page.content
    response = client.post("/mentoring/objectives/new/", objective_data(roles["mentorship"], n=2))
    assert response.status_code == 302
    objective = Objective.objects.get(title="Speak at the all-hands")
    assert objective.owner == roles["mentee"] and objective.program == roles["mentorship"].program
    assert objective.key_results.count() == 2
    assert response["Location"] == f"/mentoring/objective/{objective.pk}/"
    html = client.get(f"/mentoring/objective/{objective.pk}/edit/").content.decode()
    assert "Measurable" in html and "Time-bound" in html


def test_objective_limits_of_the_program(client, dashboard, roles, okrs):
    program = roles["mentorship"].program
    program.max_objectives = 1
    program.max_key_results = 2
    program.save()
    client.force_login(roles["mentee"])
    before = Objective.objects.count()
    # The pairing already has one objective.
    response = client.post("/mentoring/objectives/new/", objective_data(roles["mentorship"]))
    assert response.status_code == 400 and b"maximum" in response.content
    # Too many key results (outside a pairing the setting applies; inside, the program's).
    okrs["mentee"].status = "cancelled"
    okrs["mentee"].save()
    response = client.post("/mentoring/objectives/new/", objective_data(roles["mentorship"], n=3))
    assert response.status_code == 400 and b"at most 2 key results" in response.content
    assert Objective.objects.count() == before
    assert KeyResult.objects.filter(title__startswith="Talk").count() == 0


def test_objective_needs_a_valid_key_result(client, dashboard, roles, okrs):
    client.force_login(roles["mentee"])
    data = objective_data(None, n=1, **{"kr-0-target_value": 0})
    assert client.post("/mentoring/objectives/new/", data).status_code == 400
    assert client.post("/mentoring/objectives/new/", objective_data(None, n=0)).status_code == 400
    assert not Objective.objects.filter(title="Speak at the all-hands").exists()


def test_cannot_attach_objective_to_someone_elses_pairing(client, dashboard, roles, okrs):
    client.force_login(roles["mentee"])
    response = client.post("/mentoring/objectives/new/", objective_data(roles["other_mentorship"]))
    assert response.status_code == 400
    assert not Objective.objects.filter(title="Speak at the all-hands").exists()


def test_edit_own_objective(client, dashboard, roles, okrs):
    objective = okrs["mentee"]
    krs = list(objective.key_results.order_by("pk"))
    client.force_login(roles["mentee"])
    data = objective_data(roles["mentorship"], n=0, title="Present to the board")
    data.update({"kr-TOTAL_FORMS": 2, "kr-INITIAL_FORMS": 2})
    for i, kr in enumerate(krs):
        data.update(
            {
                f"kr-{i}-id": kr.pk,
                f"kr-{i}-title": kr.title,
                f"kr-{i}-kind": "number",
                f"kr-{i}-start_value": 0,
                f"kr-{i}-target_value": 20,
                f"kr-{i}-weight": 1,
            }
        )
    response = client.post(f"/mentoring/objective/{objective.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    objective.refresh_from_db()
    assert objective.title == "Present to the board"
    assert set(objective.key_results.values_list("target_value", flat=True)) == {20}
    # The mentor may not edit it.
    client.force_login(roles["mentor"])
    assert client.post(f"/mentoring/objective/{objective.pk}/edit/", data).status_code == 404
