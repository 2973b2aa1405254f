"""Every dashboard route, for every role: the right user sees exactly their objects, others get 404."""

import pytest

pytestmark = pytest.mark.django_db

ALL = ("mentee", "mentor", "other_mentee", "other_mentor", "coordinator", "other_coordinator", "editor", "employee")


def get(client, roles, who, url):
    client.force_login(roles[who])
    return client.get(url)


def test_anonymous_redirected_to_login_on_every_route(client, dashboard, roles, okrs):
    objective = okrs["mentee"]
    for url in (
        "/mentoring/",
        f"/mentoring/mentee/{roles['mentorship'].pk}/",
        f"/mentoring/objective/{objective.pk}/",
        f"/mentoring/objective/{objective.pk}/edit/",
        "/mentoring/objectives/new/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"
    for url in ("/mentoring/check-in/", "/mentoring/session/"):
        assert client.post(url, {}).status_code == 302


def test_inactive_user_sees_nothing(client, dashboard, roles, okrs):
    client.force_login(roles["inactive"])
    for url in ("/mentoring/", f"/mentoring/objective/{okrs['mentee'].pk}/"):
        response = client.get(url)
        assert response.status_code in (302, 404)
        assert b"Present to leadership" not in response.content


def test_index_is_private_and_role_aware(client, dashboard, roles, okrs):
    response = get(client, roles, "mentee", "/mentoring/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "As mentee" in html and "Present to leadership" in html
    assert "Learn Rust" not in html and "Employee private goal" not in html
    assert "As mentor" not in html and "As coordinator" not in html

    html = get(client, roles, "mentor", "/mentoring/").content.decode()
    assert "As mentor" in html and "mentee" in html and f"/mentoring/mentee/{roles['mentorship'].pk}/" in html
    assert "other_mentee" not in html and "Learn Rust" not in html
    assert "As mentee" not in html

    html = get(client, roles, "coordinator", "/mentoring/").content.decode()
    assert "As coordinator" in html and "Leadership mentoring" in html
    assert "Engineering mentoring" not in html and "Present to leadership" not in html

    html = get(client, roles, "employee", "/mentoring/").content.decode()
    assert "Employee private goal" in html  # their own objective, outside any pairing
    assert "Present to leadership" not in html and "As mentor" not in html

    html = get(client, roles, "editor", "/mentoring/").content.decode()
    assert "You are not taking part" in html
    assert "Present to leadership" not in html and "Employee private goal" not in html


@pytest.mark.parametrize(
    ("who", "status"),
    [("mentor", 200), ("mentee", 200)]
    + [(w, 404) for w in ALL if w not in ("mentor", "mentee")]
    + [("superuser", 404)],
)
def test_mentee_route(client, dashboard, roles, okrs, who, status):
    response = get(client, roles, who, f"/mentoring/mentee/{roles['mentorship'].pk}/")
    assert response.status_code == status
    if status == 200:
        assert b"Present to leadership" in response.content and b"Learn Rust" not in response.content


@pytest.mark.parametrize(
    ("who", "status"),
    [("mentee", 200), ("mentor", 200), ("coordinator", 200)]
    + [(w, 404) for w in ALL if w not in ("mentee", "mentor", "coordinator")],
)
def test_objective_route(client, dashboard, roles, okrs, who, status):
    response = get(client, roles, who, f"/mentoring/objective/{okrs['mentee'].pk}/")
    assert response.status_code == status
    if status == 200:
        assert b"Present to leadership" in response.content


@pytest.mark.parametrize(("who", "status"), [("mentee", 200)] + [(w, 404) for w in ALL if w != "mentee"])
def test_objective_edit_route(client, dashboard, roles, okrs, who, status):
    assert get(client, roles, who, f"/mentoring/objective/{okrs['mentee'].pk}/edit/").status_code == status


def test_unknown_objects_are_404(client, dashboard, roles, okrs):
    for url in ("/mentoring/objective/999999/", "/mentoring/mentee/999999/", "/mentoring/objective/999999/edit/"):
        assert get(client, roles, "mentee", url).status_code == 404


def test_session_notes_only_for_the_pair(client, dashboard, roles, okrs):
    from wagtail_mentoring.programs.services import log_session

    log_session(roles["mentorship"], roles["mentor"], notes="SECRET NOTE", duration_minutes=45)
    assert b"SECRET NOTE" in get(client, roles, "mentee", f"/mentoring/mentee/{roles['mentorship'].pk}/").content
    assert b"SECRET NOTE" in get(client, roles, "mentor", f"/mentoring/mentee/{roles['mentorship'].pk}/").content
    for who in ("coordinator", "employee"):
        for url in ("/mentoring/", f"/mentoring/objective/{okrs['mentee'].pk}/"):
            assert b"SECRET NOTE" not in get(client, roles, who, url).content


def test_ended_pair_mentor_loses_access(client, dashboard, roles, okrs):
    from wagtail_mentoring.access.grants import revoke_pair_access

    mentorship = roles["mentorship"]
    mentorship.status = "ended"
    mentorship.save()
    revoke_pair_access(mentorship)
    assert get(client, roles, "mentor", f"/mentoring/mentee/{mentorship.pk}/").status_code == 404
    assert get(client, roles, "mentor", f"/mentoring/objective/{okrs['mentee'].pk}/").status_code == 404
    assert b"Present to leadership" not in get(client, roles, "mentor", "/mentoring/").content
