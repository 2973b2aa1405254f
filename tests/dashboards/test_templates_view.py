"""The dashboard's "Start from a template": who sees which templates, the language, search, and the POST."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from tests.factories import MentoringProgramPageFactory
from tests.factories.okr import objective_template
from wagtail_mentoring.models import KeyResult, Objective

pytestmark = pytest.mark.django_db

URL = "/mentoring/objectives/templates/"


@pytest.fixture
def library(roles, program, other_program, program_index):
    draft = MentoringProgramPageFactory(parent=program_index, title="Draft", slug="draft-program", live=False)
    return {
        "every": objective_template("Speak up in meetings", category="confidence"),
        "own": objective_template("Lead a project", programs=[program], category="leadership"),
        "other": objective_template("Review code", programs=[other_program]),
        "draft": objective_template("Secret plan", programs=[draft]),
    }


def shown(response):
    assert response.status_code == 200
    return {t.title for t in response.context["templates_page"]}


EXPECTED = {
    "mentee": {"Speak up in meetings", "Lead a project"},
    "mentor": {"Speak up in meetings", "Lead a project"},
    "coordinator": {"Speak up in meetings", "Lead a project"},
    "other_mentee": {"Speak up in meetings", "Review code"},
    "other_mentor": {"Speak up in meetings", "Review code"},
    "other_coordinator": {"Speak up in meetings", "Review code"},
    "employee": {"Speak up in meetings"},
    "editor": {"Speak up in meetings"},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_role_sees_exactly_its_templates(client, dashboard, roles, library, name):
    client.force_login(roles[name])
    assert shown(client.get(URL, {"level": "all"})) == EXPECTED[name]


def test_anonymous_is_sent_to_log_in(client, dashboard, library):
    for response in (client.get(URL), client.post(URL, {"template": library["every"].pk})):
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={URL}"
    assert not Objective.objects.exists()


def test_the_dashboard_links_to_it(client, dashboard, roles, library):
    client.force_login(roles["mentee"])
    assert URL in client.get("/mentoring/").content.decode()


def test_by_default_the_levels_of_ones_roles(client, dashboard, roles, program):
    objective_template("Mentee goal", level="mentee")
    objective_template("Mentor goal", level="mentor")
    objective_template("Pair goal", level="pairing")
    for name, expected in (
        ("mentee", {"Mentee goal", "Pair goal"}),
        ("mentor", {"Mentor goal", "Pair goal"}),
        ("employee", {"Mentee goal", "Mentor goal", "Pair goal"}),  # no pairing: every level
    ):
        client.force_login(roles[name])
        assert shown(client.get(URL)) == expected, name
        assert shown(client.get(URL, {"level": "all"})) == {"Mentee goal", "Mentor goal", "Pair goal"}
        assert shown(client.get(URL, {"level": "mentor"})) == {"Mentor goal"}


@pytest.mark.search_index
def test_search_and_filters(client, dashboard, roles, library):
    client.force_login(roles["mentee"])
    assert shown(client.get(URL, {"q": "project"})) == {"Lead a project"}
    assert shown(client.get(URL, {"category": "confidence"})) == {"Speak up in meetings"}
    assert shown(client.get(URL, {"category": "astrology", "level": "all"})) == EXPECTED["mentee"]
    response = client.get(URL, {"q": "nothing like it"})
    assert shown(response) == set()
    assert "No template matches your search." in response.content.decode()


def test_italian_with_fallback_to_the_default_language(client, dashboard, roles, library):
    italian, _created = Locale.objects.get_or_create(language_code="it")
    objective_template("Intervenire nelle riunioni", locale=italian, translation_key=library["every"].translation_key)
    client.force_login(roles["mentee"])
    assert shown(client.get(URL, HTTP_ACCEPT_LANGUAGE="it")) == {"Intervenire nelle riunioni", "Lead a project"}
    assert shown(client.get(URL, HTTP_ACCEPT_LANGUAGE="en")) == EXPECTED["mentee"]


def test_use_creates_a_draft_and_opens_its_edit_page(client, dashboard, roles, library):
    client.force_login(roles["mentee"])
    response = client.post(URL, {"template": library["own"].pk, "mentorship": roles["mentorship"].pk})
    objective = Objective.objects.get(owner=roles["mentee"])
    assert response.status_code == 302
    assert response["Location"] == f"/mentoring/objective/{objective.pk}/edit/"
    assert (objective.status, objective.mentorship, objective.title) == ("draft", roles["mentorship"], "Lead a project")
    assert objective.key_results.count() == 2
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "created from the template" in page.content.decode()


@pytest.mark.parametrize(
    "case",
    ["other_program_template", "hidden_template", "missing_template", "not_an_id", "others_pairing", "pairing_alone"],
)
def test_bad_input_is_a_form_error_and_nothing_is_written(client, dashboard, roles, library, case):
    pairing_template = objective_template("Our why", level="pairing")
    data = {
        "other_program_template": {"template": library["other"].pk},
        "hidden_template": {"template": library["draft"].pk},
        "missing_template": {"template": 999999},
        "not_an_id": {"template": "1; DROP TABLE"},
        "others_pairing": {"template": library["every"].pk, "mentorship": roles["other_mentorship"].pk},
        "pairing_alone": {"template": pairing_template.pk, "mentorship": ""},
    }[case]
    client.force_login(roles["mentee"])
    before = (Objective.objects.count(), KeyResult.objects.count())
    response = client.post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    if case in ("others_pairing", "pairing_alone"):
        # The error summary links to the pairing select of the template that was posted.
        assert 'href="#id_mentorship"' in html and html.count('id="id_mentorship"') == 1
    assert (Objective.objects.count(), KeyResult.objects.count()) == before


def test_queries_do_not_grow_with_templates(client, dashboard, roles, program):
    client.force_login(roles["mentee"])

    def add(n, start):
        for i in range(start, start + n):
            objective_template(f"Template {i:03}", programs=[program] if i % 2 else [], n=3)

    def count():
        client.get(URL)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    add(5, 0)
    small = count()
    add(45, 5)
    large = count()
    assert large == small
