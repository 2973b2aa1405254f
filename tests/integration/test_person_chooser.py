"""The person chooser of an outcome recorded for a person (superusers): search, names, and 404 for everyone else."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NAMESPACE = "wagtail_mentoring_outcome_person_chooser"
CHOOSE, RESULTS, CHOSEN = f"{NAMESPACE}:choose", f"{NAMESPACE}:choose_results", f"{NAMESPACE}:chosen"
ADD = "wagtailsnippets_wagtail_mentoring_outcome:add"


def modal_html(response) -> str:
    return json.loads(response.content)["html"]


def test_superuser_searches_people_by_name_username_or_email(client, admin_roles):
    UserFactory(username="gsmith", first_name="Giulia", last_name="Rossi", email="giulia@example.com")
    UserFactory(username="mbianchi", first_name="Marco", last_name="Bianchi", email="marco@example.com")
    client.force_login(admin_roles["superuser"])
    html = modal_html(client.get(reverse(CHOOSE)))
    assert "Giulia Rossi" in html and "Marco Bianchi" in html and 'name="q"' in html
    for term in ("rossi", "gsmith", "giulia@", "Giulia Ros"):
        results = client.get(reverse(RESULTS), {"q": term}).content.decode()
        assert "Giulia Rossi" in results and "Marco Bianchi" not in results, term


def test_chosen_person_is_named_by_full_name(client, admin_roles):
    person = UserFactory(username="gsmith", first_name="Giulia", last_name="Rossi")
    client.force_login(admin_roles["superuser"])
    result = json.loads(client.get(reverse(CHOSEN, args=[person.pk])).content)["result"]
    assert result["id"] == str(person.pk) and result["title"] == "Giulia Rossi"


@pytest.mark.parametrize("name", ["coordinator", "mentor", "mentee", "editor"])
def test_everyone_else_gets_404(client, admin_roles, name):
    person = UserFactory()
    client.force_login(admin_roles[name])
    assert client.get(reverse(CHOOSE)).status_code == 404
    assert client.get(reverse(RESULTS), {"q": "a"}).status_code == 404
    assert client.get(reverse(CHOSEN, args=[person.pk])).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse(CHOOSE))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("pk", ["999999", "abc", "1%20OR%201"])
def test_unknown_or_malformed_ids_are_404(client, admin_roles, pk):
    client.force_login(admin_roles["superuser"])
    assert client.get(f"{reverse(CHOOSE)}chosen/{pk}/").status_code == 404


def test_search_text_is_escaped(client, admin_roles):
    UserFactory(first_name="<script>alert(1)</script>", last_name="X")
    client.force_login(admin_roles["superuser"])
    html = modal_html(client.get(reverse(CHOOSE)))
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    results = client.get(reverse(RESULTS), {"q": "<b>"}).content.decode()
    assert "<b>" not in results


def test_the_outcome_form_uses_the_chooser_not_a_select_of_every_account(client, admin_roles):
    for _ in range(30):
        UserFactory()
    client.force_login(admin_roles["superuser"])
    html = client.get(reverse(ADD)).content.decode()
    assert reverse(CHOOSE) in html
    assert '<select name="user"' not in html


def test_listing_queries_do_not_grow_with_people(client, admin_roles):
    client.force_login(admin_roles["superuser"])

    def add(n):
        for _ in range(n):
            UserFactory()

    add(5)
    with CaptureQueriesContext(connection) as five:
        assert client.get(reverse(RESULTS)).status_code == 200
    add(45)
    with CaptureQueriesContext(connection) as fifty:
        assert client.get(reverse(RESULTS)).status_code == 200
    assert len(fifty) == len(five)
