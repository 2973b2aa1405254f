"""The webhooks admin: scoped to coordinators of the program, write-only secret, read-only delivery log."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail_mentoring.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

SECRET = "s3cret-value-never-shown"
LIST = "wagtailsnippets_wagtail_mentoring_webhookendpoint:list"
ADD = "wagtailsnippets_wagtail_mentoring_webhookendpoint:add"
EDIT = "wagtailsnippets_wagtail_mentoring_webhookendpoint:edit"
LOG = "wagtailsnippets_wagtail_mentoring_webhookdelivery:list"
LOG_INSPECT = "wagtailsnippets_wagtail_mentoring_webhookdelivery:inspect"
LOG_EDIT = "wagtailsnippets_wagtail_mentoring_webhookdelivery:edit"


def hook(program, name="Chat", **fields):
    return WebhookEndpoint.objects.create(
        program=program, name=name, url="https://chat.example.com/hooks/T1/PATH-TOKEN", secret=SECRET, **fields
    )


@pytest.fixture
def hooks(admin_access):
    mine = hook(admin_access["mentorship"].program, "Mine")
    theirs = hook(admin_access["other_mentorship"].program, "Theirs")
    for endpoint in (mine, theirs):
        WebhookDelivery.objects.create(
            endpoint=endpoint, delivery_id="d1", kind="check_in_due", title=f"{endpoint.name} log", attempt=1
        )
    return mine, theirs


def form_data(program_obj, **overrides):
    data = {
        "name": "Team chat",
        "program": str(program_obj.pk),
        "url": "https://chat.example.com/hooks/x",
        "secret": "new-secret",
        "payload_format": "slack",
        "receives_reminders": "on",
        "active": "on",
    }
    return {**data, **overrides}


def test_coordinator_lists_exactly_their_programs_webhooks(client, hooks):
    mine, theirs = hooks
    client.force_login(User := hooks and mine.program.coordinators.user_set.get())  # noqa: N806
    response = client.get(reverse(LIST))
    assert response.status_code == 200
    assert {o.pk for o in response.context["object_list"]} == {mine.pk}
    html = response.content.decode()
    assert "chat.example.com" in html and "PATH-TOKEN" not in html and SECRET not in html
    assert User.username == "coordinator"


def test_other_coordinator_gets_404(client, admin_access, hooks):
    mine, _theirs = hooks
    log = WebhookDelivery.objects.get(endpoint=mine)
    client.force_login(admin_access["other_coordinator"])
    assert client.get(reverse(EDIT, args=[mine.pk])).status_code == 404
    assert client.get(reverse(LOG_INSPECT, args=[log.pk])).status_code == 404
    assert {o.pk for o in client.get(reverse(LOG)).context["object_list"]} == {
        WebhookDelivery.objects.exclude(endpoint=mine).get().pk
    }


@pytest.mark.parametrize("name", ["mentee", "mentor", "inactive"])
def test_non_admin_users_redirected_to_login(client, admin_access, hooks, name):
    client.force_login(admin_access[name])
    response = client.get(reverse(LIST))
    assert response.status_code == 302 and "login" in response["Location"]


def test_anonymous_redirected_to_login(client, hooks):
    response = client.get(reverse(LIST))
    assert response.status_code == 302 and "login" in response["Location"]


def test_employee_with_admin_access_sees_no_webhook(client, admin_access, hooks):
    mine, _theirs = hooks
    client.force_login(admin_access["employee"])
    response = client.get(reverse(LIST))
    assert response.status_code in (302, 403) or not response.context["object_list"]
    assert client.get(reverse(EDIT, args=[mine.pk])).status_code in (302, 403, 404)


def test_secret_is_write_only(client, admin_access, hooks):
    mine, _theirs = hooks
    client.force_login(admin_access["coordinator"])
    page = client.get(reverse(EDIT, args=[mine.pk])).content.decode()
    assert SECRET not in page and 'type="password"' in page
    # Blank keeps the saved secret; a new one replaces it.
    response = client.post(reverse(EDIT, args=[mine.pk]), form_data(mine.program, secret=""))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.secret == SECRET and mine.name == "Team chat"
    client.post(reverse(EDIT, args=[mine.pk]), form_data(mine.program, secret="replaced"))
    mine.refresh_from_db()
    assert mine.secret == "replaced"


def test_no_export(client, admin_access, hooks):
    client.force_login(admin_access["coordinator"])
    for name in (LIST, LOG):
        response = client.get(reverse(name) + "?export=csv")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert SECRET not in body.decode() and "PATH-TOKEN" not in body.decode()


def test_create_and_bad_input(client, admin_access, hooks):
    client.force_login(admin_access["coordinator"])
    program = admin_access["mentorship"].program
    other = admin_access["other_mentorship"].program
    before = WebhookEndpoint.objects.count()
    for bad in (
        {"url": "http://chat.example.com/hooks/x"},
        {"url": "not a url"},
        {"program": str(other.pk)},
        {"secret": ""},
        {"payload_format": "xml"},
    ):
        response = client.post(reverse(ADD), form_data(program, **bad))
        assert response.status_code == 200 and response.context["form"].errors, bad
    assert WebhookEndpoint.objects.count() == before
    assert client.post(reverse(ADD), form_data(program)).status_code == 302
    created = WebhookEndpoint.objects.get(name="Team chat")
    assert created.program_id == program.pk and created.secret == "new-secret"


@override_settings(DEBUG=True)
def test_http_allowed_while_debug(client, admin_access, hooks):
    client.force_login(admin_access["coordinator"])
    program = admin_access["mentorship"].program
    response = client.post(reverse(ADD), form_data(program, url="http://localhost:9000/hook"))
    assert response.status_code == 302


def test_delivery_log_is_read_only(client, admin_access, hooks):
    mine, _theirs = hooks
    log = WebhookDelivery.objects.get(endpoint=mine)
    client.force_login(admin_access["coordinator"])
    assert client.get(reverse(LOG_INSPECT, args=[log.pk])).status_code == 200
    assert client.get(reverse(LOG_EDIT, args=[log.pk])).status_code in (302, 403, 404)
    assert client.post(reverse(LOG_EDIT, args=[log.pk]), {"title": "x"}).status_code in (302, 403, 404)
    log.refresh_from_db()
    assert log.title == "Mine log"


def _log_queries(client, endpoint, n):
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(endpoint=endpoint, delivery_id=str(i), kind="check_in_due", title=f"t{i}", attempt=1)
        for i in range(n)
    )
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(LOG)).status_code == 200
    WebhookDelivery.objects.filter(endpoint=endpoint).delete()
    return len(ctx)


def _hook_queries(client, program, n):
    WebhookEndpoint.objects.bulk_create(
        WebhookEndpoint(program=program, name=f"h{i}", url="https://x.example.com/h", secret="s") for i in range(n)
    )
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(LIST)).status_code == 200
    WebhookEndpoint.objects.filter(name__startswith="h").delete()
    return len(ctx)


def test_listing_query_counts_constant(client, admin_access, hooks):
    mine, _theirs = hooks
    client.force_login(admin_access["coordinator"])
    client.get(reverse(LOG))
    assert _log_queries(client, mine, 5) == _log_queries(client, mine, 50)
    assert _hook_queries(client, mine.program, 5) == _hook_queries(client, mine.program, 50)


def test_preferences_page_has_a_channel_dimension(client, roles):
    from wagtail_mentoring.notifications.preferences import wants

    url = "/mentoring-app/notifications/preferences/"
    client.force_login(roles["mentee"])
    page = client.get(url).content.decode()
    assert '<label for="id_check_in_due__webhook">' in page and '<label for="id_check_in_due">' in page
    assert "id_session_invitation__webhook" not in page  # e-mail only
    assert client.post(url, {"check_in_due": "on", "no_session__webhook": "on"}).status_code == 302
    user = roles["mentee"]
    assert wants(user, "check_in_due") and not wants(user, "check_in_due", "webhook")
    assert not wants(user, "no_session") and wants(user, "no_session", "webhook")
