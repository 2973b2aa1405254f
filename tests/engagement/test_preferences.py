"""The notification preferences page: login required, own preferences only, opt-out per kind."""

import pytest

from wagtail_mentoring.models import NotificationPreference
from wagtail_mentoring.notifications.models import NotificationKind
from wagtail_mentoring.notifications.preferences import wants

pytestmark = pytest.mark.django_db

URL = "/mentoring-app/notifications/preferences/"


def test_anonymous_redirected_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_inactive_user_sees_nothing(client, roles):
    client.force_login(roles["inactive"])
    assert client.get(URL).status_code in (302, 404)


def test_opt_out_and_back_in(client, roles):
    user = roles["mentee"]
    client.force_login(user)
    page = client.get(URL).content.decode()
    assert "checked" in page and '<label for="id_no_session">' in page
    data = dict.fromkeys(("check_in_due", "survey_due", "achievement"), "on")
    assert client.post(URL, data).status_code == 302
    assert not wants(user, "no_session") and wants(user, "check_in_due")
    assert not NotificationPreference.objects.exclude(user=user).exists()
    client.post(URL, {"no_session": "on"})
    assert wants(user, "no_session") and not wants(user, "check_in_due")
    assert NotificationPreference.objects.filter(user=user, channel="email").count() == len(NotificationKind.choices)
