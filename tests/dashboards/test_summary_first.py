"""The dashboard shows objectives summary first and checks in in place; sessions are logged on their page.

The dashboard renders no check-in form per key result: each key result the viewer may check in on has a
"Check in" link (``?check_in=<pk>``, which renders that one form without JavaScript) and the page holds one
``<template>`` the script clones. Charts are on each objective's page, not on the dashboard.
"""

import re

import pytest
from django.test import override_settings

from tests.dashboards.conftest import make_objective
from wagtail_mentoring.models import CheckIn, KeyResult, MentoringSession

pytestmark = pytest.mark.django_db


def forms_for(html: str) -> list[str]:
    """The key results a rendered check-in form (outside the page's <template>) is for."""
    outside = re.sub(r"<template id=\"wm-check-in-template\">.*?</template>", "", html, flags=re.S)
    return re.findall(r'<input type="hidden" name="key_result" value="([^"]+)">', outside)


def test_dashboard_has_links_not_forms_and_no_charts(client, dashboard, roles, okrs):
    client.force_login(roles["mentee"])
    html = client.get("/mentoring/").content.decode()
    krs = list(okrs["mentee"].key_results.order_by("pk"))
    assert forms_for(html) == []
    for kr in krs:
        assert f'href="?check_in={kr.pk}#key-result-{kr.pk}"' in html
        assert f'data-wm-key-result="{kr.pk}"' in html
    assert html.count('<template id="wm-check-in-template">') == 1
    assert "<svg" not in html  # the trend charts are on the objective's page
    assert f"/mentoring/objective/{okrs['mentee'].pk}/" in html
    assert "Trend and history" in html


def test_check_in_query_opens_that_key_results_form(client, dashboard, roles, okrs):
    kr = okrs["mentee"].key_results.order_by("pk").first()
    client.force_login(roles["mentee"])
    html = client.get(f"/mentoring/?check_in={kr.pk}").content.decode()
    assert forms_for(html) == [str(kr.pk)]
    assert f'id="wm-kr-{kr.pk}-value"' in html
    assert f'<label for="wm-kr-{kr.pk}-value">' in html


@pytest.mark.parametrize("who", ["mentor", "employee", "other_mentee"])
def test_check_in_query_never_opens_a_form_the_viewer_may_not_use(client, dashboard, roles, okrs, who):
    """Another person's key result, or one the viewer may only read, opens nothing; bad input is ignored."""
    kr = okrs["mentee"].key_results.order_by("pk").first()
    client.force_login(roles[who])
    for query in (f"?check_in={kr.pk}", "?check_in=abc", "?check_in=-1", "?check_in=99999999"):
        response = client.get(f"/mentoring/{query}")
        assert response.status_code == 200
        assert forms_for(response.content.decode()) == []


def test_rejected_check_in_shows_its_form_with_errors(client, dashboard, roles, okrs):
    kr = okrs["mentee"].key_results.order_by("pk").first()
    client.force_login(roles["mentee"])
    before = CheckIn.objects.count()
    response = client.post("/mentoring/check-in/", {"key_result": kr.pk, "value": "abc", "confidence": 5})
    assert response.status_code == 400
    html = response.content.decode()
    assert forms_for(html) == [str(kr.pk)]
    assert 'aria-invalid="true"' in html
    assert CheckIn.objects.count() == before


def test_check_in_template_and_links_are_escaped(client, dashboard, roles, okrs):
    KeyResult.objects.filter(objective=okrs["mentee"]).update(title='<script>x</script>"', unit='<b>"h')
    client.force_login(roles["mentee"])
    html = client.get("/mentoring/").content.decode()
    assert "<script>x</script>" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


@override_settings(WAGTAIL_MENTORING={"DASHBOARD_PAGE_SIZE": 2})
def test_objectives_are_paginated_and_check_in_links_keep_the_page(client, dashboard, roles):
    for n in range(5):
        make_objective(roles["mentee"], roles["mentorship"], title=f"Goal {n}", n_check_ins=0)
    client.force_login(roles["mentee"])
    html = client.get("/mentoring/?page=2").content.decode()
    assert html.count('class="wm-card wm-objective"') == 2
    assert "?page=2&amp;check_in=" in html
    assert 'name="next" value="/mentoring/?page=2"' in html


# --- logging a session on its own page --------------------------------------------------------------
def test_session_page_anonymous_is_sent_to_log_in(client, dashboard):
    response = client.get("/mentoring/session/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_session_page_preselects_the_asked_pairing(client, dashboard, roles):
    client.force_login(roles["mentee"])
    response = client.get(f"/mentoring/session/?mentorship={roles['mentorship'].pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<option value="{roles["mentorship"].pk}" selected>' in html
    assert str(roles["other_mentorship"].pk) not in re.findall(r'<option value="(\d+)"', html)


def test_session_page_ignores_someone_elses_pairing(client, dashboard, roles):
    client.force_login(roles["mentee"])
    for raw in (roles["other_mentorship"].pk, "abc", -3):
        response = client.get(f"/mentoring/session/?mentorship={raw}")
        assert response.status_code == 200
        options = re.findall(r'<option value="(\d+)"', response.content.decode())
        assert options == [str(roles["mentorship"].pk)]


def test_session_page_without_a_pairing_says_so(client, dashboard, roles):
    client.force_login(roles["employee"])
    response = client.get("/mentoring/session/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "You have no active pairing." in html
    assert 'name="mentorship"' not in html


def test_rejected_session_shows_the_form_again(client, dashboard, roles):
    client.force_login(roles["mentee"])
    before = MentoringSession.objects.count()
    response = client.post("/mentoring/session/", {"mentorship": roles["mentorship"].pk, "session_date": "nope"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'name="mentorship"' in html
    assert MentoringSession.objects.count() == before


def test_dashboard_links_to_the_session_page(client, dashboard, roles):
    client.force_login(roles["mentee"])
    html = client.get("/mentoring/").content.decode()
    assert f'href="/mentoring/session/?mentorship={roles["mentorship"].pk}"' in html
    assert 'name="session_date"' not in html
    client.force_login(roles["mentor"])
    assert 'href="/mentoring/session/"' in client.get("/mentoring/").content.decode()


def test_objectives_behind_plan_are_in_what_to_do_next(client, dashboard, roles):
    """An off-track objective is something to do, even when no check-in is due."""
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    behind = make_objective(
        roles["mentee"],
        roles["mentorship"],
        title="Speak at the all-hands",
        n_check_ins=0,
        start_date=today - dt.timedelta(days=80),
        due_date=today + dt.timedelta(days=10),
    )
    KeyResult.objects.filter(objective=behind).update(start_value=0, target_value=10, current_value=0)
    client.force_login(roles["mentee"])
    html = client.get("/mentoring/").content.decode()
    assert "“Speak at the all-hands” is behind its plan." in html
    assert f'href="/mentoring/objective/{behind.pk}/"' in html
    assert "Nothing is waiting for you" not in html
    client.force_login(roles["other_mentee"])
    assert "Speak at the all-hands" not in client.get("/mentoring/").content.decode()


def test_objectives_at_risk_agree_with_the_models_health(roles):
    """``selectors.objectives_at_risk`` decides over plain values what ``Objective.health_on`` decides over
    objects: own and cycle dates, weights, yes/no key results and a legacy target equal to its start."""
    import datetime as dt
    import random

    from django.utils import timezone

    from tests.factories import KeyResultFactory, ObjectiveFactory, OKRCycleFactory
    from wagtail_mentoring.dashboards.selectors import objectives_at_risk
    from wagtail_mentoring.models import Objective
    from wagtail_mentoring.snippets import scoring

    rng = random.Random(7)
    today = timezone.localdate()
    cycle = OKRCycleFactory(start_date=today - dt.timedelta(days=60), end_date=today + dt.timedelta(days=30))
    mentee = roles["mentee"]
    for n in range(30):
        own_dates = n % 3 != 0
        objective = ObjectiveFactory(
            owner=mentee,
            title=f"Goal {n}",
            cycle=None if own_dates else cycle,
            start_date=today - dt.timedelta(days=rng.randint(1, 90)) if own_dates else None,
            due_date=today + dt.timedelta(days=rng.randint(-5, 90)) if own_dates else None,
        )
        for k in range(rng.randint(0, 3)):
            kind = rng.choice(["number", "percent", "boolean", "milestone"])
            start, target = (0, 1) if kind in ("boolean", "milestone") else (0, rng.choice([10, 100]))
            kr = KeyResultFactory(
                objective=objective,
                kind=kind,
                start_value=start,
                target_value=target,
                current_value=rng.choice([None, 0, 1, 3, 8, 60]),
                weight=rng.choice([1, 2, 0.5]),
            )
            if n == 4 and k == 0:  # a legacy row: target equal to start (validation rejects it today)
                KeyResult.objects.filter(pk=kr.pk).update(kind="number", start_value=5, target_value=5)
    expected = [
        o.pk
        for o in Objective.objects.filter(owner=mentee).exclude(status__in=Objective.CLOSED_STATUSES)
        if o.health_on(today) in (scoring.HEALTH_AT_RISK, scoring.HEALTH_OFF_TRACK)
    ]
    found = objectives_at_risk(mentee, today, limit=100)
    assert sorted(o.pk for o in found) == sorted(expected) and expected
    by_pk = {o.pk: o for o in Objective.objects.filter(pk__in=expected)}
    for row in found:
        assert row.health == by_pk[row.pk].health_on(today)
        assert row.progress == pytest.approx(by_pk[row.pk].progress)
