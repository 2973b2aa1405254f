"""Links in e-mails use the site's real root URL (``wagtail_mentoring.links``), never Wagtail's default
``http://localhost/`` site: ``WAGTAILADMIN_BASE_URL`` when set, else the default Site's own root URL."""

import pytest
from django.core import mail
from wagtail.models import Site

from tests.factories import UserFactory, active_mentorship
from wagtail_mentoring.notifications.email import send_notification
from wagtail_mentoring.programs.emails import send_pairing_approved

pytestmark = pytest.mark.django_db


def _links(message) -> str:
    html = {mime: body for body, mime in message.alternatives}["text/html"]
    return message.body + html


def test_pairing_approved_links_to_the_program_on_the_configured_site(settings, program):
    settings.WAGTAILADMIN_BASE_URL = "https://intranet.example.com/"
    pair = active_mentorship(program=program, mentor=UserFactory(), mentee=UserFactory())
    mail.outbox.clear()
    send_pairing_approved(pair)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        text = _links(message)
        assert f"https://intranet.example.com{program.url}" in text, text
        assert "http://localhost" not in text


def test_without_base_url_links_use_the_default_site(settings):
    settings.WAGTAILADMIN_BASE_URL = ""
    Site.objects.filter(is_default_site=True).update(hostname="people.example.org", port=443)
    mail.outbox.clear()
    assert send_notification(UserFactory(), "Subject", "Body", "Open", "/mentoring/") == 1
    text = _links(mail.outbox[0])
    assert "https://people.example.org/mentoring/" in text, text
    assert "https://people.example.org/mentoring-app/notifications/preferences/" in text, text
