"""Training events: registration, cancellation, full events, .ics downloads and the calendar feed."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.factories import UserFactory
from tests.factories.training import TrainingEventFactory, TrainingRegistrationFactory
from wagtail_mentoring.models import TrainingRegistration
from wagtail_mentoring.training.tokens import calendar_token

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"wagtail_mentoring:training:{name}", args=args)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def event():
    return TrainingEventFactory(title="Giving feedback that lands", capacity=2)


@pytest.fixture
def user(client):
    user = UserFactory()
    client.force_login(user)
    return user


class TestAccess:
    @pytest.mark.parametrize(
        "name,method",
        [
            ("event_list", "get"),
            ("event_detail", "get"),
            ("event_ics", "get"),
            ("my_calendar", "get"),
            ("event_register", "post"),
            ("event_cancel", "post"),
        ],
    )
    def test_anonymous_redirected_to_login(self, client, event, name, method):
        args = [] if name in ("event_list", "my_calendar") else [event.pk]
        response = getattr(client, method)(url(name, *args))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert not TrainingRegistration.objects.exists()

    @pytest.mark.parametrize(
        "name,method",
        [("event_detail", "get"), ("event_ics", "get"), ("event_register", "post"), ("event_cancel", "post")],
    )
    def test_missing_event_is_404(self, client, user, name, method):
        assert getattr(client, method)(url(name, 424242)).status_code == 404

    @pytest.mark.parametrize("name", ["event_register", "event_cancel"])
    def test_actions_are_post_only(self, client, user, event, name):
        assert client.get(url(name, event.pk)).status_code == 405
        assert not TrainingRegistration.objects.exists()


class TestRegistration:
    def test_register_and_cancel(self, client, user, event):
        response = client.post(url("event_register", event.pk))
        assert response.status_code == 302 and response["Location"] == url("event_detail", event.pk)
        assert TrainingRegistration.objects.filter(event=event, user=user).exists()
        page = client.get(url("event_detail", event.pk))
        html = page.content.decode()
        assert "You are registered." in html and "1 of 2 places taken." in html and "Cancel my place" in html
        response = client.post(url("event_cancel", event.pk))
        assert not TrainingRegistration.objects.exists()
        assert "cancelled" in messages_of(response)[0]
        response = client.post(url("event_cancel", event.pk))
        assert "You were not registered for this event." in messages_of(response)

    def test_twice_is_refused_once_stored(self, client, user, event):
        client.post(url("event_register", event.pk))
        response = client.post(url("event_register", event.pk))
        assert "You are already registered for this event." in messages_of(response)
        assert TrainingRegistration.objects.count() == 1

    def test_full_event_says_so(self, client, user, event):
        TrainingRegistrationFactory.create_batch(2, event=event)
        page = client.get(url("event_detail", event.pk)).content.decode()
        assert "This event is full (2 places taken)." in page and "No places left." in page
        assert f'action="{url("event_register", event.pk)}"' not in page
        response = client.post(url("event_register", event.pk))
        assert messages_of(response) == ["This event is full."]
        assert not TrainingRegistration.objects.filter(user=user).exists()
        listing = client.get(url("event_list")).content.decode()
        assert "This event is full" in listing

    def test_started_event_refused(self, client, user):
        past = TrainingEventFactory(start=timezone.now() - dt.timedelta(hours=1))
        response = client.post(url("event_register", past.pk))
        assert messages_of(response) == ["This event has already started."]
        assert not TrainingRegistration.objects.exists()

    def test_list_shows_upcoming_only_with_constant_queries(self, client, user):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        TrainingEventFactory(title="Old one", start=timezone.now() - dt.timedelta(days=3))
        counts = []
        for n in (5, 50):
            while len(client.get(url("event_list"), {"page_size": 100}).context["events"]) < n:
                e = TrainingEventFactory()
                TrainingRegistrationFactory(event=e, user=user)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url("event_list"), {"page_size": 100})
            counts.append(len(ctx.captured_queries))
            assert "Old one" not in response.content.decode()
        assert counts[0] == counts[1]


def parse(response):
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


class TestCalendars:
    def test_event_ics_is_valid(self, client, user, event):
        response = client.get(url("event_ics", event.pk))
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        calendar = parse(response)
        assert str(calendar["VERSION"]) == "2.0" and "wagtail-mentoring" in str(calendar["PRODID"])
        (vevent,) = calendar.walk("VEVENT")
        assert str(vevent["SUMMARY"]) == "Giving feedback that lands"
        assert vevent.decoded("DTSTART") == event.start.replace(microsecond=0)
        assert vevent.decoded("DTEND") - vevent.decoded("DTSTART") == dt.timedelta(hours=2)
        assert str(vevent["LOCATION"]) == "Room 4.12"
        assert str(vevent["UID"]) == f"training-event-{event.pk}@testserver"
        assert str(vevent["URL"]).endswith(url("event_detail", event.pk))

    def test_text_is_escaped_for_ical(self, client, user):
        e = TrainingEventFactory(
            title="Feedback; commas, and\nnewlines",
            description="Line one\nLine two",
            online_url="https://meet.example.com/x",
        )
        vevent = parse(client.get(url("event_ics", e.pk))).walk("VEVENT")[0]
        assert str(vevent["SUMMARY"]) == "Feedback; commas, and newlines"
        assert str(vevent["DESCRIPTION"]) == "Line one\nLine two\n\nhttps://meet.example.com/x"

    def test_my_calendar_lists_only_my_registrations(self, client, user, event):
        other_event = TrainingEventFactory(title="Not mine")
        TrainingRegistrationFactory(event=event, user=user)
        TrainingRegistrationFactory(event=other_event)
        calendar = parse(client.get(url("my_calendar")))
        assert [str(v["SUMMARY"]) for v in calendar.walk("VEVENT")] == ["Giving feedback that lands"]

    def test_token_feed(self, client, event):
        owner = UserFactory()
        TrainingRegistrationFactory(event=event, user=owner)
        token = calendar_token(owner)
        response = client.get(url("calendar_feed", token))  # no session: calendar apps cannot log in
        assert response.status_code == 200
        assert [str(v["SUMMARY"]) for v in parse(response).walk("VEVENT")] == ["Giving feedback that lands"]

    def test_bad_stale_or_inactive_token_is_404(self, client, event):
        owner = UserFactory()
        token = calendar_token(owner)
        assert client.get(url("calendar_feed", token[:-2] + "xx")).status_code == 404
        assert client.get(url("calendar_feed", "nonsense")).status_code == 404
        owner.set_password("changed")
        owner.save()
        assert client.get(url("calendar_feed", token)).status_code == 404
        fresh = calendar_token(owner)
        assert client.get(url("calendar_feed", fresh)).status_code == 200
        owner.is_active = False
        owner.save()
        assert client.get(url("calendar_feed", fresh)).status_code == 404
