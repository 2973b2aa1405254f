"""Browser test: a mentee logs in, checks in, sees the progress change; axe-core finds no serious issue.

Drives Debian's Chromium (``/usr/bin/chromium``) through Playwright; never downloads a browser.
"""

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def mentee_data(roles, home_page):
    from tests.dashboards.conftest import make_objective
    from wagtail_mentoring.models import MentoringDashboardPage

    page = MentoringDashboardPage(title="My mentoring", slug="mentoring")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    objective = make_objective(roles["mentee"], roles["mentorship"], n_key_results=1, n_check_ins=2, title="Present")
    return {"key_result": objective.key_results.get(), "mentee": roles["mentee"]}


def test_mentee_checks_in_and_dashboard_is_accessible(live_server, mentee_data, browser):
    from axe_playwright_python.sync_playwright import Axe

    kr = mentee_data["key_result"]  # read before the browser's event loop runs (Django forbids ORM there)
    kr_pk, kr_title = kr.pk, kr.title
    page = browser.new_page()
    page.goto(f"{live_server.url}/mentoring/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", "mentee")
    page.fill("input[name=password]", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/mentoring/")
    item = page.locator(f"#key-result-{kr_pk}")
    progress = item.locator("[data-wm-progress-text]")
    assert progress.inner_text().startswith("20%")

    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], results.generate_report()

    # Check in in place: the script saves without a reload, updates the progress and announces it.
    page.evaluate("window.wmNoReload = true")
    item.locator("[data-wm-open-check-in]").click()  # the form opens in place, focus on its first field
    assert page.evaluate("document.activeElement.name") == "value"
    item.get_by_label("New value").fill("8")
    item.get_by_label("Confidence (0-10)").fill("7")
    item.get_by_label("Note").fill("Presented to my team")
    item.locator("button[type=submit]").click()
    page.wait_for_function("document.querySelector('[data-wm-status]').innerText.includes('Check-in saved.')")
    assert page.evaluate("window.wmNoReload") is True
    assert progress.inner_text().startswith("80%")
    assert page.evaluate("document.activeElement.type") == "submit"  # focus stays on the form's button
    # The trend chart is on the objective's page ("Trend and history").
    page.click(f"#key-result-{kr_pk} >> xpath=ancestor::article//a[contains(., 'Trend and history')]")
    page.wait_for_selector("svg title", state="attached")  # inside the "Show trend" disclosure
    assert page.locator(f"#key-result-{kr_pk} svg title").text_content() == f"Trend of \u201c{kr_title}\u201d"

    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], results.generate_report()
    page.close()
