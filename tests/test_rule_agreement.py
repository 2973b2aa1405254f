"""Every surface agrees on the pairing activity rules and the OKR limits (``programs.activity``, ``snippets.limits``).

Each row of a table is driven through every surface that shows the rule: the admin's program health,
the program report, reminders, the API, the front-end dashboard and the portal block. A pair is stalled
in all of them or in none; a key result due a check-in is due in all of them or in none; a limit (and
the settings behind it) holds in the admin, the dashboard and the API alike.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests.dashboards.test_actions import objective_data
from tests.factories import CheckInFactory, KeyResultFactory, MentoringProgramPageFactory, ObjectiveFactory
from tests.factories.engagement import at
from tests.snippets.test_admin import kr_row
from tests.snippets.test_admin import objective_post as admin_objective_post
from tests.snippets.test_admin import url as admin_url
from wagtail_mentoring.dashboards import selectors
from wagtail_mentoring.models import Objective
from wagtail_mentoring.notifications import rules
from wagtail_mentoring.programs import activity

pytestmark = pytest.mark.django_db

API = "/api/mentoring/v1"


@pytest.fixture
def pair(roles, dashboard):  # noqa: F811 - the imported fixture
    """The ``roles`` pairing alone among active ones; coordinator, mentor and mentee may use the admin."""
    perm = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name in ("coordinator", "mentor", "mentee"):
        roles[name].user_permissions.add(perm)
    roles["other_mentorship"].status = "paused"
    roles["other_mentorship"].save()
    return roles


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def set_idle(mentorship, idle_days: int, cadence: int) -> None:
    """The pairing started ``idle_days`` ago, meets and checks in every ``cadence`` days, has done neither."""
    mentorship.started_on = timezone.localdate() - dt.timedelta(days=idle_days)
    mentorship.meeting_cadence_days = cadence
    mentorship.save()
    mentorship.program.check_in_cadence_days = cadence
    mentorship.program.save()


# --- stalled ---------------------------------------------------------------------------------------
def stalled_on_every_surface(client, roles) -> dict[str, bool]:
    """Whether the pairing is stalled, as each surface says it."""
    m, program = roles["mentorship"], roles["mentorship"].program
    now = timezone.now()
    client.force_login(roles["coordinator"])
    health = client.get(reverse("wagtail_mentoring_dashboards:program", args=[program.pk]))
    report = client.get(reverse("wagtail_mentoring_reports:program", args=[program.pk]))
    overview = client.get(reverse("wagtail_mentoring_coordinator:index"))
    client.force_login(roles["mentor"])
    page = client.get("/mentoring/")
    assert health.status_code == report.status_code == overview.status_code == page.status_code == 200
    api_pair = api(roles["mentor"]).get(f"{API}/mentorships/{m.pk}/").json()
    api_list = api(roles["coordinator"]).get(f"{API}/mentorships/").json()["results"]
    me = api(roles["mentee"]).get(f"{API}/me/").json()
    reminders = [r for r in rules.PairingStalledRule().due(now) if r.subject_key == f"mentorship:{m.pk}"]
    return {
        "program health": [p.mentorship.pk for p in health.context["stalled_pairs"]] == [m.pk],
        "program health table": health.context["object_list"][0].stalled,
        "program list": overview.context["programs"][0]["stalled"] == 1,
        "program report": report.context["report"].stalled_pairs == 1,
        "program report table": report.context["object_list"][0].stalled,
        "reminders": bool(reminders),
        "api detail": api_pair["stalled"],
        "api list": next(row for row in api_list if row["id"] == m.pk)["stalled"],
        "api me": me["mentorships"][0]["stalled"],
        "dashboard": page.context["mentor_pairs"][0].stalled,
        "portal block": selectors.user_summary(roles["mentor"]).stalled_pairs == 1,
    }


@pytest.mark.parametrize(
    ("idle_days", "cadence", "overrides", "stalled"),
    [
        (20, 14, {}, False),  # the example: idle 20 days on a 14-day cadence, under 2x
        (27, 14, {}, False),
        (28, 14, {}, True),  # 2x the cadence without a session and without a check-in
        (40, 14, {}, True),
        (9, 5, {}, False),
        (10, 5, {}, True),
        (20, 14, {"STALLED_SESSION_DAYS": 20, "STALLED_CHECK_IN_DAYS": 20}, True),  # settings override
        (20, 14, {"STALLED_SESSION_DAYS": 21}, False),
    ],
)
def test_stalled_everywhere_or_nowhere(client, pair, idle_days, cadence, overrides, stalled):
    set_idle(pair["mentorship"], idle_days, cadence)
    with override_settings(WAGTAIL_MENTORING=overrides):
        seen = stalled_on_every_surface(client, pair)
    assert seen == dict.fromkeys(seen, stalled)


def test_a_recent_check_in_unstalls_everywhere(client, pair):
    set_idle(pair["mentorship"], 40, 14)
    objective = ObjectiveFactory(owner=pair["mentee"], mentorship=pair["mentorship"], status="active")
    kr = KeyResultFactory(objective=objective)
    CheckInFactory(key_result=kr, author=pair["mentee"], value=1, created_at=timezone.now() - dt.timedelta(days=3))
    seen = stalled_on_every_surface(client, pair)
    assert seen == dict.fromkeys(seen, False)


def test_the_rule_itself():
    assert activity.is_stalled("active", 28, 28, 28, 28)
    assert not activity.is_stalled("active", 28, 27, 28, 28)  # a check-in within the threshold
    assert not activity.is_stalled("paused", 99, 99, 28, 28)
    assert activity.stall_thresholds(14, 7) == (28, 14)
    assert activity.next_session_due(None, dt.date(2026, 1, 1), 14) == dt.date(2026, 1, 15)
    assert activity.next_session_due(dt.date(2026, 1, 10), dt.date(2026, 1, 1), 7) == dt.date(2026, 1, 17)


# --- check-in due ----------------------------------------------------------------------------------
def due_on_every_surface(roles, key_result) -> dict[str, bool]:
    """Whether the key result is due a check-in, as each surface says it."""
    m = roles["mentorship"]
    reminders = [r for r in rules.CheckInDueRule().due(timezone.now()) if r.subject_key == f"mentorship:{m.pk}"]
    seen = {"reminder to the pair": {r.user_id for r in reminders} == {roles["mentor"].pk, roles["mentee"].pk}}
    for who in ("mentee", "mentor"):
        me = api(roles[who]).get(f"{API}/me/").json()
        seen[f"api me ({who})"] = key_result.pk in {row["key_result"] for row in me["check_ins_due"]}
        seen[f"portal block ({who})"] = key_result in selectors.user_summary(roles[who]).check_ins_due
    return seen


@pytest.mark.parametrize(
    ("started_days_ago", "checked_in_days_ago", "cadence", "objective_status", "current", "due"),
    [
        (30, 13, 14, "active", 2, False),
        (30, 14, 14, "active", 2, True),  # the program's cadence since the last check-in
        (30, 20, 14, "active", 2, True),
        (10, None, 14, "active", 2, False),  # never checked in: counted from the objective's start
        (14, None, 14, "active", 2, True),
        (30, 20, 30, "active", 2, False),  # the program's cadence, not a fixed 14 days
        (30, 20, 14, "active", 10, False),  # achieved key results are never due
        (30, 20, 14, "draft", 2, False),  # only active objectives are checked in on
    ],
)
def test_check_in_due_everywhere_or_nowhere(
    pair, started_days_ago, checked_in_days_ago, cadence, objective_status, current, due
):
    today = timezone.localdate()
    set_idle(pair["mentorship"], 60, cadence)
    objective = ObjectiveFactory(
        owner=pair["mentee"],
        mentorship=pair["mentorship"],
        status=objective_status,
        start_date=today - dt.timedelta(days=started_days_ago),
        due_date=today + dt.timedelta(days=60),
    )
    kr = KeyResultFactory(objective=objective, start_value=0, target_value=10, current_value=current)
    if checked_in_days_ago is not None:
        CheckInFactory(
            key_result=kr,
            author=pair["mentee"],
            value=current,
            created_at=at(today - dt.timedelta(days=checked_in_days_ago), hour=0),
        )
    seen = due_on_every_surface(pair, kr)
    assert seen == dict.fromkeys(seen, due)


# --- limits ----------------------------------------------------------------------------------------
def create_on_every_surface(client, roles, n_key_results: int = 1) -> dict[str, bool]:
    """Try to add one objective to the pairing on each surface; whether each was accepted."""
    m, mentee = roles["mentorship"], roles["mentee"]
    client.force_login(mentee)
    accepted = {}
    before = Objective.objects.count()
    key_results = [kr_row(f"KR {i}") for i in range(n_key_results)]
    response = client.post(
        admin_url("add"), admin_objective_post(mentee, key_results=key_results, mentorship=str(m.pk), level="pairing")
    )
    accepted["admin"] = response.status_code == 302 and Objective.objects.count() == before + 1
    Objective.objects.filter(title="Lead the quarterly planning").delete()
    response = client.post("/mentoring/objectives/new/", objective_data(m, n=n_key_results))
    accepted["dashboard"] = response.status_code == 302
    Objective.objects.filter(title="Speak at the all-hands").delete()
    response = api(mentee).post(
        f"{API}/objectives/", {"title": "API objective", "mentorship": m.pk, "status": "active"}, format="json"
    )
    accepted["api"] = response.status_code == 201
    if response.status_code == 400:
        assert "mentorship" in response.json()
    Objective.objects.filter(title="API objective").delete()
    return accepted


@pytest.mark.parametrize(("existing", "limit", "accepted"), [(0, 1, True), (1, 1, False), (1, 2, True), (2, 2, False)])
def test_objective_limit_everywhere(client, pair, existing, limit, accepted):
    program = pair["mentorship"].program
    program.max_objectives = limit
    program.save()
    for i in range(existing):
        ObjectiveFactory(owner=pair["mentee"], mentorship=pair["mentorship"], title=f"Existing {i}")
    ObjectiveFactory(owner=pair["mentee"], mentorship=pair["mentorship"], status="cancelled")  # not counted
    seen = create_on_every_surface(client, pair)
    assert seen == dict.fromkeys(seen, accepted)


@pytest.mark.parametrize(("n", "limit", "accepted"), [(2, 2, True), (3, 2, False)])
def test_key_result_limit_in_admin_and_dashboard(client, pair, n, limit, accepted):
    program = pair["mentorship"].program
    program.max_key_results = limit
    program.save()
    seen = create_on_every_surface(client, pair, n_key_results=n)
    del seen["api"]  # the API adds key results one by one: see below
    assert seen == dict.fromkeys(seen, accepted)


def test_key_result_limit_in_the_api(pair):
    program = pair["mentorship"].program
    program.max_key_results = 1
    program.save()
    objective = ObjectiveFactory(owner=pair["mentee"], mentorship=pair["mentorship"])
    body = {"objective": objective.pk, "title": "KR", "kind": "number", "start_value": 0, "target_value": 3}
    assert api(pair["mentee"]).post(f"{API}/key-results/", body, format="json").status_code == 201
    response = api(pair["mentee"]).post(f"{API}/key-results/", body, format="json")
    assert response.status_code == 400 and "at most 1 key result" in str(response.json())
    assert objective.key_results.count() == 1


@pytest.mark.parametrize(("setting", "accepted"), [(1, False), (2, True)])
def test_max_objectives_per_pairing_setting_changes_behaviour(client, pair, program_index, setting, accepted):
    """A new program's limit starts at ``MAX_OBJECTIVES_PER_PAIRING``; every surface then applies it."""
    with override_settings(WAGTAIL_MENTORING={"MAX_OBJECTIVES_PER_PAIRING": setting}):
        program = MentoringProgramPageFactory(parent=program_index, title="New program", slug="new-program")
    assert program.max_objectives == setting
    m = pair["mentorship"]
    m.program = program
    m.save()
    program.coordinators.user_set.add(pair["coordinator"])
    ObjectiveFactory(owner=pair["mentee"], mentorship=m)
    seen = create_on_every_surface(client, pair)
    assert seen == dict.fromkeys(seen, accepted)


@pytest.mark.parametrize(("setting", "accepted"), [(1, False), (2, True)])
def test_max_key_results_setting_changes_behaviour(pair, setting, accepted):
    """Objectives outside programs use ``MAX_KEY_RESULTS_PER_OBJECTIVE``."""
    objective = ObjectiveFactory(owner=pair["mentee"])
    body = {"objective": objective.pk, "title": "KR", "kind": "number", "start_value": 0, "target_value": 3}
    with override_settings(WAGTAIL_MENTORING={"MAX_KEY_RESULTS_PER_OBJECTIVE": setting}):
        assert api(pair["mentee"]).post(f"{API}/key-results/", body, format="json").status_code == 201
        second = api(pair["mentee"]).post(f"{API}/key-results/", body, format="json")
    assert (second.status_code == 201) is accepted


# --- check-in due: the SQL pre-filter and the pure rule -----------------------------------------------
def test_the_check_in_pre_filter_drops_only_key_results_not_due(pair):
    """Generated key results (check-in ages around each cadence, never checked in, achieved, programs
    with different cadences and none): ``key_results_due`` (SQL pre-filter, then the pure rule) finds
    exactly the key results that the pure rule finds on all of them, and the pre-filter does drop some."""
    from wagtail_mentoring.models import KeyResult
    from wagtail_mentoring.programs import selectors as program_selectors

    today = timezone.localdate()
    programs = [pair["mentorship"].program]
    programs[0].check_in_cadence_days = 7
    programs[0].save()
    other = MentoringProgramPageFactory(parent=programs[0].get_parent(), check_in_cadence_days=30)
    programs += [other, None]
    for i, program in enumerate(programs):
        for started in (3, 40):
            objective = ObjectiveFactory(
                owner=pair["mentee"], program=program, status="active", start_date=today - dt.timedelta(days=started)
            )
            for age in (None, 0, 1, 5, 6, 7, 8, 13, 14, 15, 29, 30, 31, 60):
                current = 10 if age == 8 and i == 0 else 2
                kr = KeyResultFactory(objective=objective, start_value=0, target_value=10, current_value=current)
                if age is not None:
                    for hour in (0, 23):
                        created = at(today - dt.timedelta(days=age), hour=hour)
                        CheckInFactory(key_result=kr, author=pair["mentee"], value=current, created_at=created)
    krs = KeyResult.objects.filter(objective__owner=pair["mentee"])
    everyone = program_selectors.with_last_check_in(krs.filter(objective__status="active"))
    by_pure_rule = {kr.pk for kr in everyone if activity.key_result_due(kr, today).due}
    found = {row.key_result.pk for row in program_selectors.key_results_due(krs, today)}
    assert found == by_pure_rule
    assert by_pure_rule and by_pure_rule != {kr.pk for kr in everyone}
    candidates = everyone.filter(program_selectors.check_in_candidates(krs, today))
    assert by_pure_rule <= {kr.pk for kr in candidates} < {kr.pk for kr in everyone}
