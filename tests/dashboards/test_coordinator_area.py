"""The admin's "Mentoring" menu (a ViewSetGroup) and the per-program coordinator area with its tabs."""

import pytest
from django.urls import reverse

from wagtail_mentoring.coordinator_tabs import TABS

pytestmark = pytest.mark.django_db

AREA = "/admin/mentoring/coordinator/"
TAB_URL_NAMES = [url_name for _key, _label, url_name in TABS]


def tab_urls(program):
    return [reverse(name, args=[program.pk]) for name in TAB_URL_NAMES]


@pytest.mark.parametrize("name", ["coordinator", "superuser"])
def test_menu_shows_the_group_and_the_area_to_coordinators(client, admin_access, name):
    client.force_login(admin_access[name])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert '"name": "mentoring"' in html and AREA in html


def test_mentee_with_admin_access_sees_only_their_okr_items(client, admin_access, okrs):
    client.force_login(admin_access["mentee"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("wagtailsnippets_wagtail_mentoring_objective:list") in html
    assert AREA not in html
    assert reverse("wagtailsnippets_wagtail_mentoring_enrolment:list") not in html


@pytest.mark.parametrize("name", ["employee", "mentor", "other_coordinator"])
def test_area_item_only_for_coordinators(client, admin_access, name):
    client.force_login(admin_access[name])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert (AREA in html) is (name == "other_coordinator")


def test_participant_without_admin_access_gets_the_login_page(client, roles):
    client.force_login(roles["other_mentee"])
    response = client.get(AREA)
    assert response.status_code == 302 and "login" in response["Location"]


def test_landing_lists_coordinated_programs_with_their_tabs(client, admin_access, program, other_program):
    client.force_login(admin_access["coordinator"])
    html = client.get(AREA).content.decode()
    assert program.title in html and other_program.title not in html
    for url in tab_urls(program):
        assert url in html


def test_program_area_opens_on_the_health_tab(client, admin_access, program):
    client.force_login(admin_access["coordinator"])
    response = client.get(reverse("wagtail_mentoring_coordinator:program", args=[program.pk]))
    assert response.status_code == 302 and response["Location"] == tab_urls(program)[0]


@pytest.mark.parametrize("url_name", TAB_URL_NAMES)
def test_tabs_render_for_a_coordinator(client, admin_access, program, url_name):
    client.force_login(admin_access["coordinator"])
    response = client.get(reverse(url_name, args=[program.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert program.title in html
    assert f'aria-label="Sections of {program.title}"' in html
    tab_bar = html[
        html.index('class="wm-program-tabs__list"') : html.index("</ul>", html.index('class="wm-program-tabs__list"'))
    ]
    assert tab_bar.count('aria-current="page"') == 1
    current = f'href="{reverse(url_name, args=[program.pk])}" aria-current="page"'
    assert current in html
    for url in tab_urls(program):
        assert f'href="{url}"' in html


@pytest.mark.parametrize("name", ["coordinator", "mentor", "mentee", "employee"])
def test_tabs_of_another_program_404(client, admin_access, other_program, name):
    client.force_login(admin_access[name])
    area = reverse("wagtail_mentoring_coordinator:program", args=[other_program.pk])
    for url in [area, *tab_urls(other_program)]:
        assert client.get(url).status_code == 404, (name, url)


@pytest.mark.parametrize(
    "old",
    ["wagtail_mentoring_dashboards:programs", "wagtail_mentoring_matching", "wagtail_mentoring_reports:index"],
)
def test_former_landing_pages_redirect_to_the_area(client, admin_access, old):
    client.force_login(admin_access["coordinator"])
    response = client.get(reverse(old))
    assert response.status_code == 302 and response["Location"] == AREA


def test_training_tab_shows_only_its_program(client, admin_access, program, other_program):
    client.force_login(admin_access["superuser"])
    response = client.get(reverse("wagtail_mentoring_coordinator:training", args=[program.pk]))
    assert {e.program_id for e in response.context["object_list"]} <= {program.pk}
