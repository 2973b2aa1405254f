"""Stored XSS: payloads in every text field are escaped wherever they are rendered (HTML pages and e-mails)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.conftest import WORLD
from tests.factories import CheckInFactory, EnrolmentFactory, InitiativeFactory, KeyResultFactory, ObjectiveFactory
from tests.factories.engagement import FeedbackFactory, MentoringSessionFactory
from tests.factories.programs import MentoringProfileFactory
from tests.factories.training import TrainingEventFactory, learning_path
from tests.security.conftest import XSS_PAYLOADS, grant_admin_access
from wagtail_mentoring import models

SCRIPT, IMG = XSS_PAYLOADS
RAW_MARKERS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
ESCAPED_MARKERS = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;")


def assert_escaped(html: str, where: str, require_escaped: bool = True) -> None:
    for raw in RAW_MARKERS:
        assert raw not in html, f"raw payload {raw!r} in {where}"
    if require_escaped:
        assert any(marker in html for marker in ESCAPED_MARKERS), f"no payload rendered (escaped) in {where}"


@pytest.fixture
def stored(admin_roles, program):
    """Payloads in every text field of the roles pairing, its program, OKRs, sessions and training.

    Built once for consecutive tests that use it (a layer of the shared world, ``tests/conftest.py``);
    each test gets fresh instances (the roles and ``program`` read back with their payloads) and its
    writes are rolled back.
    """
    if WORLD.layer_name == "stored":
        return {**WORLD.layer_objects(), **admin_roles}
    return {**build_stored(admin_roles, program), **admin_roles}


def build_stored(roles: dict, program) -> dict:
    """Write the payloads into the roles pairing and its program; create the other objects that hold them."""
    program.title = SCRIPT
    program.goals = IMG
    program.save_revision().publish()
    for name in ("mentee", "mentor"):
        roles[name].first_name, roles[name].last_name = SCRIPT, IMG
        roles[name].save()
    MentoringProfileFactory(user=roles["mentee"], bio=SCRIPT, career_goals=IMG)
    ms = roles["mentorship"]
    today = timezone.localdate()
    objective = ObjectiveFactory(
        owner=roles["mentee"],
        mentorship=ms,
        title=SCRIPT,
        description=IMG,
        start_date=today - dt.timedelta(days=10),
        due_date=today + dt.timedelta(days=50),
    )
    kr = KeyResultFactory(objective=objective, title=IMG, unit=SCRIPT, current_value=2)
    CheckInFactory(key_result=kr, author=roles["mentee"], note=SCRIPT)
    InitiativeFactory(objective=objective, title=IMG)
    EnrolmentFactory(program=program, user=roles["mentee"], goals=SCRIPT, skills_sought=IMG, skills_offered=SCRIPT)
    session = MentoringSessionFactory(
        mentorship=ms, agenda=SCRIPT, notes=IMG, next_steps=SCRIPT, date=timezone.now() - dt.timedelta(days=1)
    )
    FeedbackFactory(mentorship=ms, program=program, session=session, author=roles["mentee"], comment=IMG)
    models.Kudos.objects.create(mentorship=ms, sender=roles["mentor"], recipient=roles["mentee"], message=SCRIPT)
    event = TrainingEventFactory(title=SCRIPT, location=IMG, description=SCRIPT)
    path = learning_path([], title=IMG)
    return {"objective": objective, "session": session, "event": event, "path": path}


WORLD.register_layer(
    "stored",
    lambda world: build_stored(grant_admin_access(world.roles()), world.get("program", models.MentoringProgramPage)),
)


ADMIN_PAGES = [
    ("superuser", "wagtailsnippets_wagtail_mentoring_objective:list", None),
    ("mentee", "wagtailsnippets_wagtail_mentoring_objective:list", None),
    ("superuser", "wagtailsnippets_wagtail_mentoring_objective:inspect", "objective"),
    ("superuser", "wagtailsnippets_wagtail_mentoring_objective:edit", "objective"),
    ("superuser", "wagtailsnippets_wagtail_mentoring_objective:history", "objective"),
    ("superuser", "wagtailsnippets_wagtail_mentoring_objective:delete", "objective"),
    ("superuser", "wagtailsnippets_wagtail_mentoring_checkin:list", None),
    ("coordinator", "wagtailsnippets_wagtail_mentoring_enrolment:list", None),
    ("coordinator", "wagtailsnippets_wagtail_mentoring_mentorship:list", None),
    ("superuser", "wagtailsnippets_wagtail_mentoring_trainingevent:list", None),
    ("superuser", "wagtailsnippets_wagtail_mentoring_learningpath:list", None),
    ("coordinator", "wagtail_mentoring_coordinator:index", None),
    ("coordinator", "wagtail_mentoring_dashboards:program", "program"),
    ("coordinator", "wagtail_mentoring_dashboards:pair", "mentorship"),
    ("coordinator", "wagtail_mentoring_coordinator:training", "program"),
    ("coordinator", "wagtail_mentoring_reports:program", "program"),
    ("coordinator", "wagtail_mentoring_training_completion", None),
    ("coordinator", "wagtail_mentoring_matching_review", "program"),
    ("coordinator", "wagtail_mentoring_import", "program"),
    ("coordinator", "wagtailadmin_home", None),
    ("mentee", "wagtail_mentoring:kudos", "mentorship"),
    ("mentee", "wagtail_mentoring:certificate", "mentorship"),
    ("mentee", "wagtail_mentoring:survey_session", "session"),
    ("mentee", "wagtail_mentoring:training:event_list", None),
    ("mentee", "wagtail_mentoring:training:event_detail", "event"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "route", "obj"), ADMIN_PAGES, ids=[f"{w}-{r}" for w, r, _ in ADMIN_PAGES])
def test_payloads_are_escaped(who, route, obj, stored, program, client_for):
    objects = {"program": program, "mentorship": stored["mentorship"], **stored}
    url = reverse(route, args=[objects[obj].pk]) if obj else reverse(route)
    response = client_for(stored[who]).get(url)
    assert response.status_code == 200, (url, response.status_code)
    # The admin home and an unissued certificate need not print a payload; the rest must (so the test bites).
    optional = ("wagtailadmin_home", "wagtail_mentoring:certificate")
    assert_escaped(response.content.decode(), url, require_escaped=route not in optional)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["mentee", "mentor", "coordinator"])
def test_dashboard_page_escapes_payloads(who, stored, dashboard, client_for):
    client = client_for(stored[who])
    response = client.get(dashboard.url)
    assert response.status_code == 200
    assert_escaped(response.content.decode(), f"dashboard as {who}")
    if who != "coordinator":
        detail = client.get(f"{dashboard.url}objective/{stored['objective'].pk}/")
        assert_escaped(detail.content.decode(), "objective detail")
    if who == "mentor":
        mentee = client.get(f"{dashboard.url}mentee/{stored['mentorship'].pk}/")
        assert_escaped(mentee.content.decode(), "mentee detail")


@pytest.mark.django_db
def test_admin_messages_escape_titles(stored, client_for):
    client = client_for(stored["superuser"])
    url = reverse("wagtailsnippets_wagtail_mentoring_objective:delete", args=[stored["objective"].pk])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert not models.Objective.objects.filter(pk=stored["objective"].pk).exists()
    assert_escaped(response.content.decode(), "message after delete")


@pytest.mark.django_db
def test_emails_escape_payloads(stored, django_capture_on_commit_callbacks):
    from wagtail_mentoring.programs.emails import send_pairing_approved
    from wagtail_mentoring.recognition.services import give_kudos

    for name in ("mentee", "mentor"):
        stored[name].email = f"{name}@example.com"
        stored[name].save()
    mail.outbox.clear()
    send_pairing_approved(stored["mentorship"])
    with django_capture_on_commit_callbacks(execute=True):
        give_kudos(stored["mentorship"], stored["mentor"], SCRIPT)
    assert len(mail.outbox) >= 3
    for message in mail.outbox:
        html = {mime: body for body, mime in message.alternatives}["text/html"]
        assert_escaped(html, f"e-mail {message.subject!r}")
