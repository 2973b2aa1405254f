"""Stored XSS, part 2: the portal block, program, training, survey, certificate, kudos and matching pages,
iCalendar files, the API, admin messages after every titled action, and every e-mail (HTML escaped,
subject free of header injection)."""

from __future__ import annotations

import datetime as dt
import json
from email import message_from_bytes
from email.header import decode_header, make_header
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from icalendar import Calendar

from tests.factories import KeyResultFactory, ObjectiveFactory, UserFactory
from tests.factories.engagement import MentoringSessionFactory
from tests.factories.programs import mentee_enrolment, mentor_enrolment
from tests.factories.training import (
    TrainingLibraryPageFactory,
    TrainingRegistrationFactory,
    TrainingResourcePageFactory,
    learning_path,
)
from tests.security import test_xss
from tests.security.conftest import XSS_PAYLOADS
from tests.security.test_xss import ESCAPED_MARKERS, assert_escaped
from wagtail_mentoring import models

# The payload world of test_xss.py, shared as a fixture.
stored = test_xss.stored

SCRIPT, IMG = XSS_PAYLOADS
HEADER_INJECTION = "Eve\r\nBcc: x@evil.example"


def require_escaped(html: str, where: str) -> None:
    """No raw payload, and at least one escaped payload (the field really is rendered)."""
    assert_escaped(html, where, require_escaped=True)


def page_html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- front-end pages ------------------------------------------------------------------------------------
@pytest.fixture
def training(stored, home_page):
    """A library whose resource carries payloads in its title, summary and every text block, on a path."""
    library = TrainingLibraryPageFactory(parent=home_page, slug="xss-library", title=IMG)
    resource = TrainingResourcePageFactory(
        parent=library,
        slug="xss-resource",
        title=SCRIPT,
        summary=IMG,
        body=[
            ("paragraph", "<p>Plain</p>"),
            ("checklist", {"heading": SCRIPT, "items": [IMG]}),
            ("key_takeaways", {"heading": IMG, "items": [SCRIPT]}),
            ("reflection_prompt", {"prompt": SCRIPT, "guidance": IMG}),
            ("book", {"title": SCRIPT, "author": IMG, "isbn": "", "publisher": SCRIPT, "year": None, "note": IMG}),
            ("external_link", {"url": "https://example.com/", "title": SCRIPT, "description": IMG}),
        ],
    )
    path = learning_path([resource], title=SCRIPT, description=IMG)
    return {"library": library, "resource": resource, "path": path}


@pytest.mark.django_db
def test_training_library_resource_and_learning_path_pages(training, stored, client_for):
    client = client_for(stored["mentee"])
    library = page_html(client.get(training["library"].url))
    require_escaped(library, "training library")
    assert "&lt;img src=x onerror=alert(1)&gt;" in library  # the library title
    resource = page_html(client.get(training["resource"].url))
    require_escaped(resource, "training resource")
    for escaped in ESCAPED_MARKERS:
        assert resource.count(escaped) >= 3, (escaped, "summary, blocks and the path are all rendered")
    my_learning = page_html(client.get(reverse("wagtail_mentoring:training:my_learning")))
    require_escaped(my_learning, "my learning (learning paths)")
    done = client.post(reverse("wagtail_mentoring:training:resource_done", args=[training["resource"].pk]), follow=True)
    require_escaped(page_html(done), "message after marking a resource done")


@pytest.mark.django_db
def test_program_page_and_enrol_form(stored, program, client_for):
    program.body = [
        ("goals", {"heading": SCRIPT, "goals": [IMG]}),
        ("timeline", {"heading": IMG, "milestones": [{"date": None, "title": SCRIPT, "description": IMG}]}),
        ("quote", {"quote": SCRIPT, "author": IMG, "role": SCRIPT}),
        ("enrol_cta", {"heading": SCRIPT, "text": IMG, "button_label": SCRIPT}),
        ("expectations", {"role": "mentor", "heading": SCRIPT, "expectations": [IMG], "time_commitment": SCRIPT}),
    ]
    program.save_revision().publish()
    employee = stored["employee"]
    client = client_for(employee)
    html = page_html(client.get(program.url))
    require_escaped(html, "program page")
    enrol_url = program.url + "enrol/"
    require_escaped(page_html(client.get(enrol_url)), "enrol form")
    # An invalid submission echoes the payloads back into the form: escaped, never raw.
    bad = client.post(enrol_url, {"role": "nonsense", "goals": SCRIPT, "skills_sought": IMG})
    require_escaped(page_html(bad), "enrol form with errors")
    assert not models.Enrolment.objects.filter(user=employee, program=program).exists()


@pytest.fixture
def at_risk(stored):
    """An off-track objective of the mentee and one of the mentor (listed as at risk), and a next session."""
    today = timezone.localdate()
    for owner in (stored["mentee"], stored["mentor"]):
        behind = ObjectiveFactory(
            owner=owner,
            mentorship=stored["mentorship"],
            title=SCRIPT,
            start_date=today - dt.timedelta(days=50),
            due_date=today + dt.timedelta(days=5),
        )
        KeyResultFactory(objective=behind, title=IMG, start_value=0, target_value=10, current_value=0)
    MentoringSessionFactory(mentorship=stored["mentorship"], date=timezone.now() + dt.timedelta(days=2))


@pytest.mark.django_db
def test_portal_block_escapes_titles_and_heading(stored, at_risk):
    from wagtail_mentoring.blocks.portal import MyMentoringBlock

    block = MyMentoringBlock()
    request = RequestFactory().get("/")
    for who in ("mentee", "mentor"):
        request.user = stored[who]
        html = block.render(block.to_python({"heading": IMG}), context={"request": request})
        require_escaped(html, f"portal block as {who}")
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, "objective title or partner name in the summary"
    request.user = stored["employee"]
    anonymous = block.render(block.to_python({"heading": SCRIPT}), context={"request": request})
    require_escaped(anonymous, "portal block heading")


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.dashboards.urls")
def test_portal_page_escapes(stored, at_risk, client_for):
    require_escaped(page_html(client_for(stored["mentee"]).get("/portal/")), "portal page")


@pytest.fixture
def closed_pair(stored, program):
    """A completed pairing of the mentee with every certificate rule met (so the certificate is issued)."""
    mentor = UserFactory(first_name=IMG, last_name=SCRIPT)
    ms = models.Mentorship.objects.create(program=program, mentor=mentor, mentee=stored["mentee"], status="completed")
    from wagtail_mentoring.access.grants import grant_pair_access

    grant_pair_access(ms)
    for days in range(10, 80, 10):
        MentoringSessionFactory(mentorship=ms, date=timezone.now() - dt.timedelta(days=days))
    objective = ObjectiveFactory(owner=stored["mentee"], mentorship=ms, title=SCRIPT, status="achieved")
    KeyResultFactory(objective=objective, title=IMG)
    return ms


@pytest.mark.django_db
def test_survey_pages_of_every_kind(stored, program, closed_pair, client_for):
    models.Enrolment.objects.filter(user=stored["mentee"], program=program).update(status="accepted")
    client = client_for(stored["mentee"])
    urls = {
        "session": reverse("wagtail_mentoring:survey_session", args=[stored["session"].pk]),
        "pairing_check": reverse("wagtail_mentoring:survey_pairing_check", args=[stored["mentorship"].pk]),
        "closing": reverse("wagtail_mentoring:survey_closing", args=[closed_pair.pk]),
        "program": reverse("wagtail_mentoring:survey_program", args=[program.pk]),
    }
    for kind, url in urls.items():
        require_escaped(page_html(client.get(url)), f"{kind} survey")
    # A submission with a payload comment: stored as text, the answered page still escapes.
    response = client.post(urls["pairing_check"], {"rating": 5, "comment": SCRIPT}, follow=True)
    require_escaped(page_html(response), "pairing check after answering")
    assert models.Feedback.objects.filter(author=stored["mentee"], kind="pairing_check", comment=SCRIPT).exists()


@pytest.mark.django_db
def test_issued_certificate_escapes_names_and_program(stored, closed_pair, client_for):
    from wagtail_mentoring.recognition.certificates import certificate_for

    certificate = certificate_for(closed_pair, stored["mentee"])
    assert certificate.issued, certificate.results
    html = page_html(client_for(stored["mentee"]).get(reverse("wagtail_mentoring:certificate", args=[closed_pair.pk])))
    require_escaped(html, "issued certificate")
    for escaped in ESCAPED_MARKERS:
        assert escaped in html  # program title (script) and the mentor's name (img) both printed


@pytest.mark.django_db
def test_kudos_page_and_celebration(stored, dashboard, client_for):
    mentor = client_for(stored["mentor"])
    url = reverse("wagtail_mentoring:kudos", args=[stored["mentorship"].pk])
    require_escaped(page_html(mentor.get(url)), "kudos form")
    response = mentor.post(url, {"message": IMG}, follow=True)
    require_escaped(page_html(response), "kudos page after sending")
    assert models.Kudos.objects.filter(sender=stored["mentor"], message=IMG).exists()
    home = page_html(client_for(stored["mentee"]).get(dashboard.url))
    require_escaped(home, "dashboard celebrations")
    assert "&lt;img src=x onerror=alert(1)&gt;" in home


# --- iCalendar --------------------------------------------------------------------------------------------
def ics_events(response) -> list:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/calendar"), response["Content-Type"]
    assert response["Content-Disposition"].startswith("attachment;")
    body = response.content.decode()
    assert "&lt;" not in body, "iCalendar text is plain text: never HTML-escaped"
    assert "<html" not in body.lower()
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


@pytest.mark.django_db
def test_ics_files_carry_payloads_as_plain_text(stored, client_for):
    from wagtail_mentoring.training.tokens import calendar_token

    event = stored["event"]
    event.title = SCRIPT + "\r\nBEGIN:VEVENT\r\nSUMMARY:injected"
    event.location = IMG + "\nATTENDEE:mailto:x@evil.example"
    event.description = SCRIPT + "\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:forged"
    event.save()
    TrainingRegistrationFactory(event=event, user=stored["mentee"])
    client = client_for(stored["mentee"])
    urls = [
        reverse("wagtail_mentoring:training:event_ics", args=[event.pk]),
        reverse("wagtail_mentoring:training:my_calendar"),
        reverse("wagtail_mentoring:training:calendar_feed", args=[calendar_token(stored["mentee"])]),
    ]
    for url in urls:
        events = ics_events(client.get(url))
        assert len(events) == 1, (url, "a payload must not open a second VEVENT")
        vevent = events[0]
        assert str(vevent["summary"]).startswith(SCRIPT)  # the literal text, as a calendar app shows it
        assert "\n" not in str(vevent["summary"]) and "\r" not in str(vevent["summary"])
        assert str(vevent["location"]).startswith(IMG) and "ATTENDEE" not in vevent
        assert str(vevent["description"]).startswith(SCRIPT)  # a multi-line text value, folded and escaped
        assert "forged" not in [str(e.get("summary")) for e in events]


# --- API -------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_api_returns_payloads_as_json_data(stored, client_for):
    client = client_for(stored["mentee"])
    base = "/api/mentoring/v1"
    checked = {}
    for endpoint, field, payload in [
        ("objectives", "title", SCRIPT),
        ("objectives", "description", IMG),
        ("key-results", "title", IMG),
        ("check-ins", "note", SCRIPT),
        ("initiatives", "title", IMG),
        ("sessions", "agenda", SCRIPT),
        ("events", "title", SCRIPT),
    ]:
        response = client.get(f"{base}/{endpoint}/", HTTP_ACCEPT="application/json")
        assert response.status_code == 200, endpoint
        assert response["Content-Type"].startswith("application/json")
        data = json.loads(response.content)
        rows = data["results"] if isinstance(data, dict) and "results" in data else data
        values = [row.get(field) for row in rows]
        assert payload in values, (endpoint, field, values)  # data, exactly as stored: not escaped, not dropped
        checked[endpoint] = True
    assert len(checked) == 6


@pytest.mark.django_db
def test_browsable_api_escapes_payloads(stored, client_for):
    client = client_for(stored["mentee"])
    for path in ("objectives/", f"objectives/{stored['objective'].pk}/", "sessions/", "events/"):
        response = client.get(f"/api/mentoring/v1/{path}", HTTP_ACCEPT="text/html")
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith("text/html")
        require_escaped(response.content.decode(), f"browsable API {path}")


# --- admin messages ----------------------------------------------------------------------------------------
def bulk_url(model: str, action: str, *ids) -> str:
    url = reverse("wagtail_bulk_action", args=("wagtail_mentoring", model, action))
    return url + "?" + "&".join(f"id={pk}" for pk in ids)


def followed(client, url, data=None):
    response = client.post(url, data or {}, follow=True)
    assert response.status_code == 200, (url, response.status_code)
    return response


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


class FormScraper(HTMLParser):
    """The values a browser would submit from each POST form of a page, as dicts of lists."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, list[str]]] = []
        self.data: dict[str, list[str]] | None = None
        self.select: str | None = None
        self.select_first: str | None = None
        self.select_chosen = False
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.data = {}
            self.forms.append(self.data)
        if self.data is None:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file", "image"):
                return
            self.data.setdefault(name, []).append(a.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self.select, self.select_first, self.select_chosen = name, None, False
        elif tag == "option" and self.select:
            if self.select_first is None:
                self.select_first = a.get("value", "")
            if "selected" in a:
                self.data.setdefault(self.select, []).append(a.get("value", ""))
                self.select_chosen = True
        elif tag == "textarea" and name:
            self.textarea = name
            self.data.setdefault(name, []).append("")

    def handle_endtag(self, tag):
        if tag == "form":
            self.data = None
        elif tag == "select" and self.select and self.data is not None:
            if not self.select_chosen:
                self.data.setdefault(self.select, []).append(self.select_first or "")
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea and self.data is not None:
            self.data[self.textarea][-1] += data


def scrape_form(html: str) -> dict:
    """The page's main POST form (the one with the most fields)."""
    parser = FormScraper()
    parser.feed(html)
    fields = max(parser.forms, key=len)
    return {k: v if len(v) > 1 else v[0] for k, v in fields.items()}


def submit_admin_form(client, url: str, to: str = "", **changes):
    """GET an admin form, change some fields, POST it (to ``to`` or back) as a browser would, follow redirects."""
    form = scrape_form(page_html(client.get(url)))
    url = to or url
    form.pop("csrfmiddlewaretoken", None)
    form.update(changes)
    response = client.post(url, form, follow=True)
    assert response.status_code == 200, (url, response.status_code)
    errors = response.context.get("form").errors if response.context and response.context.get("form") else None
    assert not errors, (url, errors, form)
    return response


def escaped_messages(response) -> list[str]:
    """The messages shown on the page, as HTML (plain-text messages are escaped by the template)."""
    return [conditional_escape(m.message) for m in response.context["messages"]]


def assert_message_escapes(response, where: str) -> None:
    """A message was shown, names the payload escaped, and the whole page holds no raw payload."""
    shown = escaped_messages(response)
    assert shown, f"no message after {where}"
    assert any(marker in m for m in shown for marker in ESCAPED_MARKERS), (where, shown)
    html = response.content.decode()
    require_escaped(html, f"message after {where}")
    for message in shown:
        text = str(message).split("<", 1)[0].strip()  # Wagtail appends its buttons after the text
        assert text in html, (where, text)


SNIPPET_EDITS = [
    ("wagtailsnippets_wagtail_mentoring_objective", "objective", {"title": IMG}),
    ("wagtailsnippets_wagtail_mentoring_learningpath", "path", {"title": SCRIPT}),
    ("wagtailsnippets_wagtail_mentoring_trainingevent", "event", {"title": IMG}),
    ("wagtailsnippets_wagtail_mentoring_outcome", "outcome", {"note": SCRIPT}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "key", "changes"), SNIPPET_EDITS, ids=[k for _r, k, _c in SNIPPET_EDITS])
def test_admin_messages_after_edit_and_create(route, key, changes, stored, client_for):
    stored["outcome"] = models.Outcome.objects.create(mentorship=stored["mentorship"], kind="promoted", note="x")
    client = client_for(stored["superuser"])
    obj = stored[key]
    response = submit_admin_form(client, reverse(f"{route}:edit", args=[obj.pk]), **changes)
    assert_message_escapes(response, f"{key} edit")
    obj.refresh_from_db()
    field, value = next(iter(changes.items()))
    assert getattr(obj, field) == value, "the edit really was saved"
    if key != "outcome":  # one outcome per mentorship: the others are created from a copy of the edit form
        before = type(obj).objects.count()
        response = submit_admin_form(client, reverse(f"{route}:edit", args=[obj.pk]), to=reverse(f"{route}:add"))
        assert type(obj).objects.count() == before + 1, f"{key} not created"
        assert_message_escapes(response, f"{key} create")


@pytest.mark.django_db
def test_admin_messages_after_check_in_create_and_deletes(stored, client_for):
    # the objective's owner checks in (a superuser, like a coordinator, only views others' key results)
    key_result = stored["objective"].key_results.first()
    url = reverse("wagtailsnippets_wagtail_mentoring_checkin:add") + f"?key_result={key_result.pk}"
    response = submit_admin_form(client_for(stored["mentee"]), url, value="3", note=SCRIPT)
    assert models.CheckIn.objects.filter(key_result=key_result, note=SCRIPT).exists()
    assert_message_escapes(response, "check-in create")
    client = client_for(stored["superuser"])
    for route, obj in (
        ("wagtailsnippets_wagtail_mentoring_learningpath", stored["path"]),
        ("wagtailsnippets_wagtail_mentoring_trainingevent", stored["event"]),
    ):
        response = client.post(reverse(f"{route}:delete", args=[obj.pk]), follow=True)
        assert not type(obj).objects.filter(pk=obj.pk).exists()
        assert_message_escapes(response, f"{route} delete")


# --- matching review and bulk actions ------------------------------------------------------------------
@pytest.fixture
def matchable(stored, program):
    """Two unpaired mentees and a mentor, every name and profile text a payload."""
    mentor = UserFactory(username="xss-mentor", first_name=SCRIPT, last_name=IMG, email="m@example.com")
    mentor_enrolment(program, user=mentor, capacity=1)
    mentees = []
    for n in range(2):
        mentee = UserFactory(username=f"xss-mentee-{n}", first_name=IMG, last_name=SCRIPT, email=f"e{n}@example.com")
        mentee_enrolment(program, user=mentee)
        mentees.append(mentee)
    models.Enrolment.objects.filter(user__in=mentees).update(goals=SCRIPT)
    models.MentoringProfile.objects.filter(user__in=[mentor, *mentees]).update(
        bio=SCRIPT, career_goals=IMG, job_title=SCRIPT
    )
    return {"mentor": mentor, "mentees": mentees}


@pytest.mark.django_db
def test_matching_review_with_proposals_and_approval(stored, program, matchable, client_for):
    client = client_for(stored["coordinator"])
    url = reverse("wagtail_mentoring_matching_review", args=[program.pk])
    response = client.post(url, {"action": "run"}, follow=True)
    html = page_html(response)
    require_escaped(html, "matching review with a proposal")
    rows = response.context["rows"]
    assert rows, "the proposal pairs someone"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    # Unmatched mentees (capacity 1: one of two) are listed with their payload names too.
    pair_ids = [row["pair"].pk for row in rows]
    response = client.post(url, {"action": "approve", "selected": pair_ids}, follow=True)
    assert models.Mentorship.objects.filter(pk__in=pair_ids, status="active").exists()
    assert escaped_messages(response)
    require_escaped(page_html(response), "matching review after approval")


@pytest.mark.django_db
def test_bulk_action_pages_and_messages_escape(stored, program, matchable, client_for):
    client = client_for(stored["coordinator"])
    enrolments = list(models.Enrolment.objects.filter(user__in=matchable["mentees"]))
    models.Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]).update(status="applied")
    listing = reverse("wagtailsnippets_wagtail_mentoring_enrolment:list")
    for action, status in (("enrolment_decline", "declined"), ("enrolment_accept", "accepted")):
        url = bulk_url("enrolment", action, *[e.pk for e in enrolments]) + f"&next={listing}"
        require_escaped(page_html(client.get(url)), f"{action} confirmation")
        response = followed(client, url)
        assert escaped_messages(response), action
        require_escaped(page_html(response), f"listing after {action}")
        assert set(
            models.Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]).values_list("status", flat=True)
        ) == {status}
    ms = stored["mentorship"]
    listing = reverse("wagtailsnippets_wagtail_mentoring_mentorship:list")
    for action, data, status in (
        ("mentorship_pause", {}, "paused"),
        ("mentorship_resume", {}, "active"),
        ("mentorship_complete", {}, "completed"),
    ):
        url = bulk_url("mentorship", action, ms.pk) + f"&next={listing}"
        require_escaped(page_html(client.get(url)), f"{action} confirmation")
        response = followed(client, url, data)
        ms.refresh_from_db()
        assert ms.status == status, action
        assert escaped_messages(response)
        require_escaped(page_html(response), f"listing after {action}")
    other = models.Mentorship.objects.create(
        program=program, mentor=matchable["mentor"], mentee=matchable["mentees"][0], status="active"
    )
    url = bulk_url("mentorship", "mentorship_end", other.pk) + f"&next={listing}"
    response = followed(client, url, {"reason": SCRIPT})
    other.refresh_from_db()
    assert (other.status, other.end_reason) == ("ended", SCRIPT)
    require_escaped(page_html(response), "listing after mentorship_end")


@pytest.mark.django_db
def test_bulk_action_error_messages_escape_names(stored, program, matchable, client_for):
    """A refused transition names the person in its error message: the name is escaped there too."""
    mentee = UserFactory(username=SCRIPT, first_name=IMG)  # usernames from an external directory
    models.Mentorship.objects.create(program=program, mentor=stored["mentor"], mentee=mentee, status="active")
    proposed = models.Mentorship.objects.create(
        program=program, mentor=matchable["mentor"], mentee=mentee, status="proposed"
    )
    client = client_for(stored["coordinator"])
    listing = reverse("wagtailsnippets_wagtail_mentoring_mentorship:list")
    url = bulk_url("mentorship", "mentorship_approve", proposed.pk) + f"&next={listing}"
    response = followed(client, url)
    proposed.refresh_from_db()
    assert proposed.status == "proposed"
    assert any("already has an active mentorship" in m for m in escaped_messages(response))
    assert_message_escapes(response, "a refused approval")


# --- e-mails -----------------------------------------------------------------------------------------------
def html_part(message) -> str:
    return {mime: body for body, mime in message.alternatives}["text/html"]


ALLOWED_HEADERS = {"Content-Type", "MIME-Version", "Subject", "From", "To", "Date", "Message-ID", "Reply-To"}


def assert_clean_email(message, where: str, require: bool = True) -> None:
    """HTML alternative escaped; text part plain (never HTML-escaped); one-line subject; no injected header."""
    assert_escaped(html_part(message), where, require_escaped=require)
    assert "&lt;" not in message.body and "&quot;" not in message.body, f"text part of {where} is HTML-escaped"
    assert "\n" not in message.subject and "\r" not in message.subject, (where, message.subject)
    assert "&lt;" not in message.subject and "&quot;" not in message.subject, f"subject of {where} is HTML-escaped"
    assert message.bcc == [] and message.cc == [], where
    # Parse the wire form back: the only headers are the expected ones; the subject (folded when long) is intact.
    parsed = message_from_bytes(message.message().as_bytes())
    assert set(parsed.keys()) <= ALLOWED_HEADERS, (where, parsed.keys())
    assert parsed["Bcc"] is None and parsed["Cc"] is None, where
    # Folding and unfolding may move whitespace (Django 6 folds with the modern e-mail policy): compare words.
    subject = str(make_header(decode_header(parsed["Subject"])))
    assert subject.split() == message.subject.split(), where


@pytest.fixture
def mailable(stored, program, matchable):
    """Addresses for everyone, the roles coordinator in the program's coordinator group, payloads in names."""
    for name in ("mentee", "mentor", "coordinator"):
        stored[name].email = f"{name}@example.com"
        stored[name].save()
    program.end_date = dt.date(2026, 12, 31)
    program.save_revision().publish()
    models.Enrolment.objects.filter(user=stored["mentee"], program=program).update(status="applied")
    stored["other_mentorship"].status = "paused"
    stored["other_mentorship"].save()
    return stored


@pytest.mark.django_db
def test_every_reminder_email_escapes_payloads(mailable, program):
    from tests.factories.engagement import at
    from wagtail_mentoring.notifications.rules import RULES
    from wagtail_mentoring.notifications.services import run_reminders

    mail.outbox.clear()
    result = run_reminders(at(dt.date(2026, 12, 20)))
    kinds = set(result.by_kind())
    assert {"check_in_due", "no_session", "enrolment_review", "mentee_unmatched", "ending_soon"} <= kinds, kinds
    assert len(mail.outbox) >= len(result.sent) > 0
    for message in mail.outbox:
        # Pair reminders name the program and the partner; digests name the program.
        assert_clean_email(message, f"reminder {message.subject!r}")
    # Every rule's message, fed payloads in every context value it prints, renders escaped.
    context = {
        "program": SCRIPT,
        "partner": IMG,
        "mentor": SCRIPT,
        "mentee": IMG,
        "days": 20,
        "count": 2,
        "end": "2026-12-31",
        "survey": SCRIPT,
        "url": "/mentoring-app/surveys/program/1/",
        "mentorship_id": 1,
        "time": "2026-12-21T15:30:00+00:00",
        "format": SCRIPT,
        "location": IMG,
        "group": IMG,
        "due": "2026-12-21",
    }
    from wagtail_mentoring.notifications.email import send_notification

    mail.outbox.clear()
    for rule in RULES:
        message = rule.message(context)
        assert send_notification(
            mailable["mentee"], message.subject, message.body, message.action_label, message.action_url
        )
    assert len(mail.outbox) == len(RULES)
    for message in mail.outbox:
        assert_clean_email(message, f"{message.subject!r} with a payload context")


@pytest.mark.django_db
def test_pairing_approved_email_escapes_and_keeps_one_subject_line(
    mailable, program, matchable, client_for, django_capture_on_commit_callbacks
):
    program.title = SCRIPT + HEADER_INJECTION
    program.save_revision().publish()
    mentee = matchable["mentees"][0]
    ms = models.Mentorship.objects.create(program=program, mentor=matchable["mentor"], mentee=mentee, status="proposed")
    mail.outbox.clear()
    listing = reverse("wagtailsnippets_wagtail_mentoring_mentorship:list")
    with django_capture_on_commit_callbacks(execute=True):
        followed(
            client_for(mailable["coordinator"]),
            bulk_url("mentorship", "mentorship_approve", ms.pk) + f"&next={listing}",
        )
    ms.refresh_from_db()
    assert ms.status == "active"
    assert {tuple(m.to) for m in mail.outbox} == {(mentee.email,), (matchable["mentor"].email,)}
    for message in mail.outbox:
        assert_clean_email(message, "pairing approved")
        assert SCRIPT in message.subject and "Bcc: x@evil.example" in message.subject  # kept as inert text


@pytest.mark.django_db
def test_kudos_and_achievement_emails_escape_and_resist_header_injection(mailable, django_capture_on_commit_callbacks):
    from wagtail_mentoring.recognition.services import give_kudos
    from wagtail_mentoring.snippets.services import record_check_in

    mentor, mentee = mailable["mentor"], mailable["mentee"]
    mentor.first_name, mentor.last_name = SCRIPT, HEADER_INJECTION
    mentor.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        give_kudos(mailable["mentorship"], mentor, IMG + "\r\nBcc: y@evil.example")
    assert len(mail.outbox) == 1, "the kudos e-mail is sent despite a hostile sender name"
    assert_clean_email(mail.outbox[0], "kudos")
    assert mail.outbox[0].to == [mentee.email]
    objective = ObjectiveFactory(owner=mentee, mentorship=mailable["mentorship"], title=SCRIPT + HEADER_INJECTION)
    key_result = KeyResultFactory(objective=objective, title=IMG + HEADER_INJECTION, start_value=0, target_value=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        record_check_in(key_result, mentee, value=1)
    subjects = [m.subject for m in mail.outbox]
    assert len(mail.outbox) == 4, subjects  # key result and objective achieved, to the mentee and the mentor
    for message in mail.outbox:
        assert_clean_email(message, f"achievement {message.subject!r}")


@pytest.mark.django_db
def test_front_end_messages_naming_an_event_escape_its_title(stored, client_for):
    client = client_for(stored["mentee"])
    event = stored["event"]
    for action in ("event_register", "event_cancel"):
        response = client.post(reverse(f"wagtail_mentoring:training:{action}", args=[event.pk]), follow=True)
        html = page_html(response)
        shown = [str(m) for m in response.context["messages"]]
        assert any(SCRIPT in m for m in shown), (action, shown)  # the message names the event...
        assert "“&lt;script&gt;alert(1)&lt;/script&gt;”" in html  # ...and is printed escaped
        require_escaped(html, f"message after {action}")
    assert not models.TrainingRegistration.objects.filter(event=event, user=stored["mentee"]).exists()
