"""Browser test: the impact report's tables stay in the page (or scroll in their own box), its chart labels are
whole, and the baseline filter works by keyboard.

Drives Debian's Chromium (``/usr/bin/chromium``) through Playwright; never downloads a browser.
"""

import pytest

from tests.browser.test_dashboard_browser import browser  # noqa: F401 - the fixture
from tests.browser.test_report_browser import _check_report, coordinator  # noqa: F401 - the fixture
from tests.factories import UserFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def baseline_group(db):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="Sales baseline")
    for _ in range(3):
        UserFactory().groups.add(group)
    return group


def test_impact_report_in_the_page_with_and_without_a_baseline(
    live_server,
    coordinator,  # noqa: F811
    baseline_group,
    browser,  # noqa: F811
):
    page = browser.new_page(viewport={"width": 1280, "height": 1200})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "coordinator")
    page.fill("#id_password", "pw")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    for width in (1280, 900):
        page.set_viewport_size({"width": width, "height": 1200})
        page.goto(f"{live_server.url}/admin/mentoring/impact/")
        _check_report(page)
        assert page.locator("h2", has_text="Cohorts over time").count() == 1
    # The baseline, chosen with the keyboard: a group, then Enter on the button.
    page.get_by_label("Baseline: people in the group").select_option(label="Sales baseline")
    page.get_by_role("button", name="Show").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("th", has_text="Baseline (non-participants)").count() == 1
    _check_report(page)
