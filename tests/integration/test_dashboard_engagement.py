"""The dashboard shows the pair's celebrations, surveys due, kudos/certificate/preferences links and a rating prompt."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory, active_mentorship
from wagtail_mentoring.models import MentoringSession
from wagtail_mentoring.programs.services import log_session
from wagtail_mentoring.recognition.services import give_kudos

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_mentee_sees_celebrations_surveys_and_links(client, dashboard, roles):
    mentorship = roles["mentorship"]
    give_kudos(mentorship, roles["mentor"], "Great <b>talk</b>")
    give_kudos(roles["other_mentorship"], roles["other_mentor"], "Other pair kudos")
    log_session(mentorship, roles["mentor"], duration_minutes=30)
    client.force_login(roles["mentee"])
    content = client.get("/mentoring/").content.decode()
    assert "Celebrations" in content
    assert "Great &lt;b&gt;talk&lt;/b&gt;" in content and "<b>talk" not in content
    assert "Other pair kudos" not in content
    session = MentoringSession.objects.get(mentorship=mentorship)
    assert f"/mentoring-app/surveys/session/{session.pk}/" in content
    assert f"/mentoring-app/kudos/{mentorship.pk}/" in content
    assert f"/mentoring-app/certificate/{mentorship.pk}/" in content
    assert "/mentoring-app/notifications/preferences/" in content
    assert f"/mentoring-app/kudos/{roles['other_mentorship'].pk}/" not in content


def test_mentor_sees_links_per_mentee_and_own_surveys(client, dashboard, roles):
    mentorship = roles["mentorship"]
    give_kudos(mentorship, roles["mentee"], "Thanks mentor")
    log_session(mentorship, roles["mentee"], duration_minutes=30)
    client.force_login(roles["mentor"])
    content = client.get("/mentoring/").content.decode()
    assert "Thanks mentor" in content
    assert f"/mentoring-app/kudos/{mentorship.pk}/" in content
    assert f"/mentoring-app/certificate/{mentorship.pk}/" in content
    session = MentoringSession.objects.get(mentorship=mentorship)
    assert f"/mentoring-app/surveys/session/{session.pk}/" in content


def test_outsiders_see_no_pair_engagement(client, dashboard, roles):
    mentorship = roles["mentorship"]
    give_kudos(mentorship, roles["mentor"], "Private kudos")
    log_session(mentorship, roles["mentor"], duration_minutes=30)
    session = MentoringSession.objects.get(mentorship=mentorship)
    for name in ("other_mentee", "other_mentor", "coordinator", "employee", "editor"):
        client.force_login(roles[name])
        content = client.get(f"/mentoring/?rate={session.pk}").content.decode()
        assert "Private kudos" not in content, name
        assert f"/surveys/session/{session.pk}/" not in content, name
        assert f"/kudos/{mentorship.pk}/" not in content, name
    client.force_login(roles["inactive"])
    assert "Private kudos" not in client.get("/mentoring/").content.decode()


def test_employee_without_pairing_gets_no_preferences_noise(client, dashboard, roles):
    client.force_login(roles["employee"])
    content = client.get("/mentoring/").content.decode()
    assert "not taking part" in content
    assert "/notifications/preferences/" not in content


def test_dismissed_celebration_disappears(client, dashboard, roles):
    kudos = give_kudos(roles["mentorship"], roles["mentor"], "Once only")
    celebration = kudos.celebrations.get()
    client.force_login(roles["mentee"])
    assert "Once only" in client.get("/mentoring/").content.decode()
    response = client.post(f"/mentoring-app/celebrations/{celebration.pk}/dismiss/", {"next": "/mentoring/"})
    assert response.status_code == 302 and response["Location"] == "/mentoring/"
    assert "Once only" not in client.get("/mentoring/").content.decode()


def test_celebrations_2_and_20_keep_query_count(client, dashboard, roles):
    mentorship, mentor, mentee = roles["mentorship"], roles["mentor"], roles["mentee"]
    for i in range(2):
        give_kudos(mentorship, mentor, f"Kudos {i}")
    client.force_login(mentee)
    small = count_queries(client, "/mentoring/")
    for i in range(2, 20):
        give_kudos(mentorship, mentor, f"Kudos {i}")
    large = count_queries(client, "/mentoring/")
    assert large == small
    assert "Kudos 19" in client.get("/mentoring/").content.decode()


def test_mentor_with_2_and_20_celebrating_mentees(client, dashboard, roles, program):
    mentor = UserFactory(username="busy_mentor")

    def add(start, n):
        for i in range(start, start + n):
            mentorship = active_mentorship(program=program, mentor=mentor, mentee=UserFactory(username=f"cm{i}"))
            give_kudos(mentorship, mentorship.mentee, f"From cm{i}")
            log_session(mentorship, mentor, duration_minutes=30)

    add(0, 2)
    client.force_login(mentor)
    small = count_queries(client, "/mentoring/")
    add(2, 18)
    large = count_queries(client, "/mentoring/")
    assert large == small


def test_logging_a_session_prompts_a_quick_rating(client, dashboard, roles):
    mentorship = roles["mentorship"]
    client.force_login(roles["mentor"])
    data = {"mentorship": mentorship.pk, "duration_minutes": 45, "format": "video", "agenda": "goals"}
    response = client.post("/mentoring/session/", data)
    session = MentoringSession.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"?rate={session.pk}")
    content = client.get(response["Location"]).content.decode()
    assert "Give the session a quick rating" in content
    assert f'href="/mentoring-app/surveys/session/{session.pk}/"' in content


def test_rating_prompt_on_the_pairing_page_and_gone_once_rated(client, dashboard, roles):
    mentorship = roles["mentorship"]
    client.force_login(roles["mentee"])
    here = f"/mentoring/mentee/{mentorship.pk}/"
    data = {"mentorship": mentorship.pk, "duration_minutes": 45, "format": "video", "next": here}
    response = client.post("/mentoring/session/", data)
    session = MentoringSession.objects.get()
    assert response["Location"] == f"{here}?rate={session.pk}"
    assert "Give the session a quick rating" in client.get(response["Location"]).content.decode()
    survey_url = f"/mentoring-app/surveys/session/{session.pk}/"
    assert client.get(survey_url).status_code == 200
    from wagtail_mentoring.models import Feedback

    Feedback.objects.create(
        kind=Feedback.Kind.SESSION, session=session, mentorship=mentorship, author=roles["mentee"], rating=5
    )
    assert "Give the session a quick rating" not in client.get(response["Location"]).content.decode()


def test_rating_prompt_ignores_bad_or_foreign_ids(client, dashboard, roles):
    log_session(roles["other_mentorship"], roles["other_mentor"], duration_minutes=30)
    foreign = MentoringSession.objects.get()
    client.force_login(roles["mentee"])
    for value in ("abc", "-1", str(foreign.pk), "99999"):
        response = client.get(f"/mentoring/?rate={value}")
        assert response.status_code == 200
        assert "Give the session a quick rating" not in response.content.decode()


def test_check_in_with_a_session_prompts_a_quick_rating(client, dashboard, roles):
    from tests.dashboards.conftest import make_objective

    objective = make_objective(roles["mentee"], roles["mentorship"], n_key_results=1, n_check_ins=0)
    kr = objective.key_results.get()
    client.force_login(roles["mentee"])
    data = {"key_result": kr.pk, "value": 3, "log_session": "on", "session_date": "2026-02-01T10:00"}
    response = client.post("/mentoring/check-in/", data)
    session = MentoringSession.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"?rate={session.pk}#key-result-{kr.pk}")
    response = client.post("/mentoring/check-in/", {"key_result": kr.pk, "value": 4})
    assert response.status_code == 302 and "rate=" not in response["Location"]
