"""Browser test: a week on the demo data, as the mentee, the mentor, the coordinator and the editor.

One demo build (``mentoring_demo``), one Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright):
the mentee checks in on a key result in place, starts an objective from a template and marks a step of their
journey done, the mentor logs a
session, the coordinator approves the proposed pairing the "Waiting for you" panel links to, the editor
publishes a training resource. axe-core
runs on every page; with ``WM_SCREENSHOTS`` set, a full-page screenshot of each page is saved there.
"""

import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.test_dashboard_browser import browser  # noqa: F401 (the fixture)
from wagtail_mentoring.models import Mentorship, Objective, TrainingLibraryPage
from wagtail_mentoring.snippets import limits

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "mentoring-demo"


class Walk:
    """One browser context per person; every page it visits is checked with axe and, if asked, shot."""

    def __init__(self, browser, base_url: str) -> None:  # noqa: F811 (the fixture's name)
        self.browser = browser
        self.base_url = base_url
        folder = os.environ.get("WM_SCREENSHOTS")
        self.folder = Path(folder) if folder else None
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)
        self.shots = 0

    def as_user(self, username: str, login_path: str, height: int = 1000):
        """A new page, logged in as ``username`` through the login form at ``login_path``; Wagtail's admin
        scrolls an inner box, so its full-page screenshots need a ``height`` as tall as the page."""
        context = self.browser.new_context(viewport={"width": 1280, "height": height})
        page = context.new_page()
        page.goto(f"{self.base_url}{login_path}")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.click("button[type=submit]")
        return page

    def check(self, page, name: str, exclude: tuple[str, ...] = ()) -> None:
        """No serious or critical axe-core violation on ``page`` (outside ``exclude``, CSS selectors of
        Wagtail's own widgets); a full-page screenshot first, if asked."""
        from axe_playwright_python.sync_playwright import Axe

        # Wagtail's admin messages fade in: axe measures their colour contrast once they have settled.
        page.wait_for_function(
            "[...document.querySelectorAll('.messages')].every((m) => m.getAnimations({subtree: true}).length === 0)"
        )
        if self.folder:
            self.shots += 1
            page.screenshot(path=str(self.folder / f"{self.shots:02d}-{name}.png"), full_page=True)
        results = Axe().run(page, context={"exclude": [[selector] for selector in exclude]} if exclude else None)
        serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], f"{name} ({page.url}):\n{results.generate_report()}"


@pytest.fixture
def demo(home_page, settings):
    """The demo data on the test site (the demo refuses to run with ``DEBUG = False``)."""
    settings.DEBUG = True
    call_command("mentoring_demo", stdout=io.StringIO())
    settings.DEBUG = False
    library = TrainingLibraryPage.objects.get(slug="training")
    room = next(
        m
        for m in Mentorship.objects.filter(status=Mentorship.Status.ACTIVE).select_related("program", "mentee")
        if Objective.objects.filter(mentorship=m).exclude(status__in=Objective.CLOSED_STATUSES).count()
        < limits.objective_limit(m.program)
    )
    return {
        "library_id": library.pk,
        "library_url": library.url,
        "room_mentee": room.mentee.username,
        "room_pairing": room.pk,
    }


def _todo_count(page, kind: str) -> int:
    """The number shown in the admin home's "Waiting for you" to-do of ``kind`` (0 when it is gone)."""
    todo = page.locator(f".wm-todo--{kind}")
    return int(todo.locator(".wm-todo-count").inner_text()) if todo.count() else 0


def test_a_week_on_the_demo_as_each_role(live_server, demo, browser):  # noqa: F811 (the fixture)
    walk = Walk(browser, live_server.url)

    # 1. The mentee checks in on a key result from the dashboard, without leaving the page.
    page = walk.as_user("mentee1", "/accounts/login/?next=/mentoring/")
    assert page.url == f"{live_server.url}/mentoring/"
    walk.check(page, "mentee-dashboard")
    page.evaluate("window.wmNoReload = true")
    key, target = page.evaluate(
        """() => {
          for (const item of document.querySelectorAll("[data-wm-key-result]")) {
            const d = item.dataset;
            const text = item.querySelector("[data-wm-progress-text]").textContent;
            const open = item.querySelector("[data-wm-open-check-in]");
            if (open && d.wmNumeric === "1" && d.wmTarget !== d.wmCurrent && !text.startsWith("100%")) return [item.id, d.wmTarget];
          }
          return [null, null];
        }"""
    )
    assert key, "the mentee has no numeric key result to check in on"
    item = page.locator(f"#{key}")
    progress = item.locator("[data-wm-progress-text]")
    before = progress.inner_text()
    item.locator("[data-wm-open-check-in]").click()  # the form opens in place
    item.locator("input[name=value]").fill(target)
    item.locator("input[name=note]").fill("Reached it this week")
    item.locator("button[type=submit]").click()
    page.wait_for_function("document.querySelector('[data-wm-status]').innerText.includes('Check-in saved.')")
    assert page.evaluate("window.wmNoReload") is True  # no navigation: the script saved in place
    assert progress.inner_text() != before
    assert progress.inner_text().startswith("100%"), progress.inner_text()
    walk.check(page, "mentee-checked-in")

    page.context.close()

    # 1b. A mentee whose pairing has room starts an objective from a template: a draft with its key
    # results, open to edit. (mentee1's pairing is full: the page says so, tests/dashboards cover it.)
    page = walk.as_user(demo["room_mentee"], "/accounts/login/?next=/mentoring/")
    with page.expect_navigation():
        page.get_by_role("link", name="Start from a template").click()
    walk.check(page, "mentee-templates")
    card = page.locator("section.wm-template").first
    title = card.locator("h3").inner_text()
    suggested = card.locator(".wm-template__key-results li").count()
    card.locator("select").select_option(str(demo["room_pairing"]))
    with page.expect_navigation():
        card.get_by_role("button", name="Use this template").click()
    assert re.search(r"/mentoring/objective/\d+/edit/$", page.url), page.url
    assert page.locator("input[name=title]").input_value() == title
    assert page.locator("input[name$='-title'][value]:not([value=''])").count() == suggested
    walk.check(page, "mentee-template-draft")
    page.context.close()

    # 1c. mentee2's agreement step is overdue ("What to do next" says so): they mark it done on their journey.
    page = walk.as_user("mentee2", "/accounts/login/?next=/mentoring/")
    assert page.locator(".wm-action", has_text="Journey step overdue").first.is_visible()
    step = page.locator(".wm-journey__step", has=page.locator(".wm-journey__name", has_text="Agreement"))
    assert "Overdue" in step.inner_text()
    with page.expect_navigation():
        step.get_by_role("button", name=re.compile("^Mark done")).click()
    step = page.locator(".wm-journey__step", has=page.locator(".wm-journey__name", has_text="Agreement"))
    assert "Done" in step.inner_text() and step.get_by_role("button", name=re.compile("^Undo")).is_visible()
    assert page.get_by_text("“Agreement” is done.").is_visible()
    walk.check(page, "mentee-journey-step-done")
    page.context.close()

    # 2. The mentor logs a session with Ines Haddad (mentee1) and sees it as the last session.
    page = walk.as_user("mentor1", "/accounts/login/?next=/mentoring/")
    walk.check(page, "mentor-dashboard")
    row = page.locator("table.wm-mentees tr", has=page.get_by_role("link", name="Ines Haddad"))
    last_before = row.locator("td[data-label='Last session']").inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name="Log a session").first.click()
    walk.check(page, "mentor-session-form")
    pairing = page.locator("#wm-session-mentorship option", has_text="Ines Haddad").get_attribute("value")
    page.select_option("#wm-session-mentorship", value=pairing)
    session_date = page.evaluate(
        "(() => { const d = new Date(Date.now() - 3600e3); d.setMinutes(d.getMinutes() - d.getTimezoneOffset());"
        " return d.toISOString().slice(0, 16); })()"
    )
    page.fill("#wm-session-session_date", session_date)
    page.fill("#wm-session-agenda", "Quarterly goals")
    with page.expect_navigation():
        page.click("#wm-session button[type=submit]")
    assert page.locator(".wm-message--success, .wm-messages").first.is_visible()
    row = page.locator("table.wm-mentees tr", has=page.get_by_role("link", name="Ines Haddad"))
    last_after = row.locator("td[data-label='Last session']").inner_text()
    assert last_after != last_before, (last_before, last_after)
    walk.check(page, "mentor-session-logged")
    page.context.close()

    # 3. The coordinator follows "Waiting for you" to the proposed pairing and approves it.
    page = walk.as_user("coordinator", "/admin/login/")
    assert page.locator("h2", has_text="Waiting for you").is_visible()
    assert _todo_count(page, "proposals") == 1
    walk.check(page, "coordinator-admin-home")
    with page.expect_navigation():
        page.click(".wm-todo--proposals")
    walk.check(page, "coordinator-proposals")
    page.locator("table.listing tbody tr").first.get_by_role("button", name=re.compile("More options")).click()
    with page.expect_navigation():
        page.get_by_role("link", name="Approve", exact=True).click()
    walk.check(page, "coordinator-approve-confirm")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    walk.check(page, "coordinator-approved")
    page.goto(f"{live_server.url}/admin/")
    assert _todo_count(page, "proposals") == 0
    page.context.close()

    # 4. The editor adds a training resource under the library in the page editor and publishes it.
    page = walk.as_user("editor", "/admin/login/", height=2000)
    page.goto(f"{live_server.url}/admin/pages/{demo['library_id']}/add_subpage/")
    # Wagtail's tag widget (jQuery tag-it) adds an unlabelled text input: Wagtail's, not the package's.
    walk.check(page, "editor-new-resource", exclude=(".tagit-new",))
    page.fill("#id_title", "Running a good retrospective")
    page.locator("#id_title").blur()
    page.get_by_role("button", name="More actions").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Publish").click()
    walk.check(page, "editor-published")
    page.goto(f"{live_server.url}{demo['library_url']}running-a-good-retrospective/")
    assert page.locator("h1").inner_text() == "Running a good retrospective"
    walk.check(page, "resource-live")
    page.context.close()
