"""Objective templates in the admin: editors curate, coordinators read and start objectives from them."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from tests.factories import MentoringProgramPageFactory
from tests.factories.okr import objective_template
from wagtail_mentoring.models import Objective, ObjectiveTemplate

pytestmark = pytest.mark.django_db

NS = "wagtailsnippets_wagtail_mentoring_objectivetemplate"


def url(name, *args):
    return reverse(f"{NS}:{name}", args=args)


def denied(response):
    """Wagtail's admin answers PermissionDenied with a redirect to the dashboard (and a message)."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


@pytest.fixture
def editor(admin_access):
    user = admin_access["editor"]
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__model="objectivetemplate", codename__regex=r"^(add|change|delete|view)_"
        ),
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
    )
    return user


@pytest.fixture
def library(admin_access, program, program_index):
    """A template for every program, one of the program, and one of an unpublished program (hidden)."""
    draft = MentoringProgramPageFactory(parent=program_index, title="Draft", slug="draft-program", live=False)
    return {
        "every": objective_template("Speak up in meetings"),
        "own": objective_template("Lead a project", programs=[program]),
        "hidden": objective_template("Secret plan", programs=[draft]),
    }


def titles(response):
    return {t.title for t in response.context["object_list"]}


def template_post(title="Grow my network", programs=(), key_results=1):
    rows = [
        {"title": f"KR {i}", "kind": "number", "unit": "chats", "start_value": "0", "target_value": "6"}
        for i in range(key_results)
    ]
    data = nested_form_data(
        {
            "title": title,
            "description": "Meet people outside my team.",
            "category": "networking",
            "level": "mentee",
            "key_results": inline_formset(rows),
        }
    )
    data["programs"] = [str(p.pk) for p in programs]  # a multiple choice: one value per program
    return data


def test_editors_see_every_template_and_write(client, editor, library):
    client.force_login(editor)
    response = client.get(url("list"))
    assert response.status_code == 200
    assert titles(response) == {"Speak up in meetings", "Lead a project", "Secret plan"}
    assert client.get(url("add")).status_code == 200
    response = client.post(url("add"), template_post())
    assert response.status_code == 302, response.context["form"].errors
    created = ObjectiveTemplate.objects.get(title="Grow my network")
    assert list(created.key_results.values_list("title", flat=True)) == ["KR 0"]
    assert created.latest_revision is not None  # revisions
    # Editors take no part in OKRs: no "Start from this template" for them.
    assert url("use", library["every"].pk) not in client.get(url("list")).content.decode()


def test_too_many_key_results_is_a_form_error_and_nothing_is_written(client, editor, program):
    program.max_key_results = 2
    program.save()
    client.force_login(editor)
    response = client.post(url("add"), template_post("Too much", programs=[program], key_results=3))
    assert response.status_code == 200
    assert "at most 2 key results" in response.content.decode()
    assert not ObjectiveTemplate.objects.filter(title="Too much").exists()


def test_coordinators_read_the_templates_they_may_see_and_write_nothing(client, admin_access, library):
    client.force_login(admin_access["coordinator"])
    response = client.get(url("list"))
    assert response.status_code == 200
    assert titles(response) == {"Speak up in meetings", "Lead a project"}
    assert client.get(url("inspect", library["own"].pk)).status_code == 200
    assert client.get(url("inspect", library["hidden"].pk)).status_code == 404
    assert client.get(url("use", library["hidden"].pk)).status_code == 404
    assert denied(client.get(url("add")))
    assert denied(client.get(url("edit", library["own"].pk)))
    before = ObjectiveTemplate.objects.count()
    assert denied(client.post(url("add"), template_post()))
    assert ObjectiveTemplate.objects.count() == before


@pytest.mark.parametrize("name", ["mentee", "employee"])
def test_participants_and_employees_do_not_use_the_admin_library(client, admin_access, library, name):
    client.force_login(admin_access[name])
    assert denied(client.get(url("list")))
    assert client.get(url("inspect", library["every"].pk)).status_code in (302, 403, 404)


def test_anonymous_is_sent_to_log_in(client, library):
    response = client.get(url("use", library["every"].pk))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_start_from_this_template_creates_a_draft_and_opens_its_edit_view(client, admin_access, library):
    coordinator = admin_access["coordinator"]
    client.force_login(coordinator)
    listing = client.get(url("list")).content.decode()
    assert url("use", library["own"].pk) in listing
    assert url("use", library["own"].pk) in client.get(url("inspect", library["own"].pk)).content.decode()
    page = client.get(url("use", library["own"].pk))
    assert page.status_code == 200
    assert "Lead a project KR 1" in page.content.decode()
    response = client.post(url("use", library["own"].pk), {"mentorship": ""})
    objective = Objective.objects.get(owner=coordinator, title="Lead a project")
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailsnippets_wagtail_mentoring_objective:edit", args=[objective.pk])
    assert objective.status == Objective.Status.DRAFT
    assert objective.key_results.count() == 2


def test_start_from_this_template_refuses_a_pairing_template_without_a_pairing(client, admin_access):
    template = objective_template("Our why", level="pairing")
    client.force_login(admin_access["coordinator"])
    response = client.post(url("use", template.pk), {"mentorship": ""})
    assert response.status_code == 400
    assert "choose the pairing" in response.content.decode()
    response = client.post(url("use", template.pk), {"mentorship": str(admin_access["other_mentorship"].pk)})
    assert response.status_code == 400  # not a pairing the coordinator may file under
    assert not Objective.objects.filter(owner=admin_access["coordinator"]).exists()


def test_listing_queries_do_not_grow_with_templates(client, editor, program, other_program):
    client.force_login(editor)

    def add(n, start):
        for i in range(start, start + n):
            objective_template(f"Template {i:03}", programs=[program, other_program] if i % 2 else [], n=3)

    def count():
        client.get(url("list"))
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url("list"))
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.context["object_list"])

    add(5, 0)
    small, rows = count()
    assert rows == 5
    add(45, 5)
    large, rows = count()
    assert rows == 50
    assert large == small
