"""Browser test: the program report's chart labels are whole and its pairs table stays in the page.

Drives Debian's Chromium (``/usr/bin/chromium``) through Playwright; never downloads a browser.
"""

import pytest

from tests.browser.test_dashboard_browser import browser  # noqa: F401 - the fixture
from tests.factories import EnrolmentFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def coordinator(roles, program):
    from django.contrib.auth.models import Permission

    roles["coordinator"].user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    EnrolmentFactory(program=program, user=roles["mentee"], status="accepted")
    return roles["coordinator"]


def test_report_labels_whole_and_table_inside_the_page(live_server, coordinator, program, browser):  # noqa: F811
    program_pk = program.pk
    page = browser.new_page(viewport={"width": 1280, "height": 1200})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "coordinator")
    page.fill("#id_password", "pw")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    for width in (1280, 900):
        page.set_viewport_size({"width": width, "height": 1200})
        page.goto(f"{live_server.url}/admin/mentoring/reports/{program_pk}/")
        _check_report(page)


def _check_report(page) -> None:
    # Every bar label starts inside its chart (a label wider than its column used to lose its first letters).
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('.wm-chart svg')].flatMap(svg => {
            const left = svg.getBoundingClientRect().left;
            return [...svg.querySelectorAll('text[text-anchor=end]')]
              .filter(t => t.getBoundingClientRect().left < left - 0.5).map(t => t.textContent);
        })"""
    )
    assert page.locator("text=Check-in cadence kept").count() >= 1
    assert clipped == []
    # The pairs table never runs past the main column: it fits, or it scrolls inside its own box.
    box = page.evaluate(
        """() => {
            const table = document.querySelector('#listing-results table.listing');
            const main = document.querySelector('main').getBoundingClientRect();
            const scroller = table.closest('.wm-table-scroll');
            const visible = scroller ? scroller.getBoundingClientRect() : table.getBoundingClientRect();
            return {right: visible.right, main: main.right,
                    reachable: !!scroller && (scroller.scrollWidth <= scroller.clientWidth
                                              || getComputedStyle(scroller).overflowX === 'auto')};
        }"""
    )
    assert box["right"] <= box["main"] + 0.5 and box["reachable"]
