"""The pair's agreement: each of them confirms it once, from the dashboard or the pairing page."""

import pytest

from wagtail_mentoring.models import Mentorship

pytestmark = pytest.mark.django_db

AGREEMENT = {"expectations": "Meet every two weeks; <b>be candid</b>.", "topics_in_bounds": "Career"}


@pytest.fixture
def agreed(roles):
    Mentorship.objects.filter(pk=roles["mentorship"].pk).update(**AGREEMENT)
    return Mentorship.objects.get(pk=roles["mentorship"].pk)


def confirm(client, pk, **data):
    return client.post(f"/mentoring/agreement/{pk}/", data)


def test_the_mentee_confirms_from_the_dashboard(client, dashboard, roles, agreed):
    client.force_login(roles["mentee"])
    html = client.get("/mentoring/").content.decode()
    assert "Agreement to confirm" in html and f'href="#wm-agreement-{agreed.pk}"' in html
    assert "I confirm this agreement" in html
    assert "&lt;b&gt;be candid&lt;/b&gt;" in html  # the agreement's text is escaped
    response = confirm(client, agreed.pk)
    assert response.status_code == 302 and response["Location"] == "/mentoring/"
    agreed.refresh_from_db()
    first = agreed.mentee_confirmed_at
    assert first is not None and agreed.mentor_confirmed_at is None
    html = client.get("/mentoring/").content.decode()
    assert "Agreement to confirm" not in html and "I confirm this agreement" not in html
    assert "Confirmed by" in html and "Not yet confirmed by" in html
    confirm(client, agreed.pk)  # again: nothing changes
    agreed.refresh_from_db()
    assert agreed.mentee_confirmed_at == first


def test_the_mentor_is_led_to_the_pairing_page_and_confirms_there(client, dashboard, roles, agreed):
    client.force_login(roles["mentor"])
    html = client.get("/mentoring/").content.decode()
    assert f'href="/mentoring/mentee/{agreed.pk}/#wm-agreement-{agreed.pk}"' in html
    page = client.get(f"/mentoring/mentee/{agreed.pk}/").content.decode()
    assert f'id="wm-agreement-{agreed.pk}"' in page and "I confirm this agreement" in page
    next_url = f"/mentoring/mentee/{agreed.pk}/"
    assert confirm(client, agreed.pk, next=next_url)["Location"] == next_url
    agreed.refresh_from_db()
    assert agreed.mentor_confirmed_at is not None and agreed.mentee_confirmed_at is None


@pytest.mark.parametrize("who", ["other_mentee", "other_mentor", "employee", "coordinator"])
def test_nobody_else_may_confirm(client, dashboard, roles, agreed, who):
    client.force_login(roles[who])
    assert confirm(client, agreed.pk).status_code == 404
    agreed.refresh_from_db()
    assert agreed.mentor_confirmed_at is None and agreed.mentee_confirmed_at is None


def test_anonymous_is_sent_to_log_in_and_get_is_refused(client, dashboard, roles, agreed):
    response = confirm(client, agreed.pk)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(roles["mentee"])
    assert client.get(f"/mentoring/agreement/{agreed.pk}/").status_code == 405
    assert confirm(client, 999999).status_code == 404


def test_a_pairing_without_a_written_agreement_has_nothing_to_confirm(client, dashboard, roles):
    client.force_login(roles["mentee"])
    assert "Agreement to confirm" not in client.get("/mentoring/").content.decode()
    response = confirm(client, roles["mentorship"].pk)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "This pairing has no written agreement to confirm." in html
    roles["mentorship"].refresh_from_db()
    assert roles["mentorship"].mentee_confirmed_at is None


def test_the_rule(roles, agreed):
    mentee, mentor, other = roles["mentee"], roles["mentor"], roles["other_mentee"]
    assert agreed.agreement_to_confirm(mentee) and agreed.agreement_to_confirm(mentor)
    assert not agreed.agreement_to_confirm(other)
    agreed.status = Mentorship.Status.PAUSED
    assert not agreed.agreement_to_confirm(mentee)


def test_changing_the_agreement_asks_both_to_confirm_again(client, dashboard, roles, agreed):
    """Whatever surface edits the agreement (here the API, as the pair may), the old confirmations go."""
    for who in ("mentor", "mentee"):
        client.force_login(roles[who])
        confirm(client, agreed.pk)
    agreed.refresh_from_db()
    assert agreed.mentor_confirmed_at and agreed.mentee_confirmed_at
    agreed.topics_in_bounds = "Career"  # unchanged text: the confirmations stay
    agreed.save()
    agreed.refresh_from_db()
    assert agreed.mentor_confirmed_at and agreed.mentee_confirmed_at
    client.force_login(roles["mentee"])
    response = client.patch(
        f"/api/mentoring/v1/mentorships/{agreed.pk}/",
        {"expectations": "Meet weekly."},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    agreed.refresh_from_db()
    assert agreed.expectations == "Meet weekly."
    assert agreed.mentor_confirmed_at is None and agreed.mentee_confirmed_at is None
    assert "Agreement to confirm" in client.get("/mentoring/").content.decode()
