"""Stored XSS, part 2: the portal block, program, training, survey, certificate, kudos and matching pages,
iCalendar files, the API, admin messages after every titled action, and every e-mail (HTML escaped,
subject free of header injection)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.factories import KeyResultFactory, ObjectiveFactory, UserFactory
from tests.factories.engagement import MentoringSessionFactory
from tests.factories.programs import MentoringProfileFactory, mentee_enrolment, mentor_enrolment
from tests.factories.training import (
    TrainingLibraryPageFactory,
    TrainingRegistrationFactory,
    TrainingResourcePageFactory,
    learning_path,
)
from tests.security.conftest import XSS_PAYLOADS
from tests.security.test_xss import ESCAPED_MARKERS, RAW_MARKERS, assert_escaped
from tests.security.test_xss import dashboard, stored  # noqa: F401 (fixtures)
from wagtail_mentoring import models

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
