"""The action plan on the dashboard (issue 15, the pair's shared plan): steps added, assigned, dated and ticked
off by whoever keeps the objective's plan (``access.plan_objectives``), 404 for everyone else."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.dashboards.conftest import make_objective
from tests.dashboards.test_queries import count_queries
from tests.factories import InitiativeFactory
from wagtail_mentoring.models import Initiative, Objective
from wagtail_mentoring.snippets.services import save_initiative

pytestmark = pytest.mark.django_db


def plan_url(objective) -> str:
    return f"/mentoring/objective/{objective.pk}/plan/"


def test_mentee_adds_a_step_assigned_to_the_mentor_and_sees_it_on_the_objective_page(client, dashboard, roles, okrs):
    objective, mentor = okrs["mentee"], roles["mentor"]
    mentor.first_name, mentor.last_name = "Bruno", "Okafor"
    mentor.save()
    due = timezone.localdate() + dt.timedelta(days=10)
    client.force_login(roles["mentee"])
    response = client.post(
        plan_url(objective), {"title": "Book a room with the <team>", "assignee": mentor.pk, "due_date": due}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/mentoring/objective/{objective.pk}/#action-plan-{objective.pk}"
    step = objective.initiatives.get(title="Book a room with the <team>")
    assert (step.assignee, step.due_date, step.done) == (mentor, due, False)
    html = client.get(f"/mentoring/objective/{objective.pk}/").content.decode()
    assert "Book a room with the &lt;team&gt;" in html and "<team>" not in html
    assert "Bruno Okafor" in html and "Step added to the action plan." in html
    assert f'id="action-plan-{objective.pk}" open' in html and 'for="wm-plan-' in html


def test_the_mentor_keeps_the_pairing_objective_plan_too(client, dashboard, roles, okrs):
    """The pair plans together: the mentor adds and ticks off a step of the mentee's pairing objective."""
    objective = okrs["mentee"]
    client.force_login(roles["mentor"])
    assert client.post(plan_url(objective), {"title": "Shadow a leadership meeting"}).status_code == 302
    step = objective.initiatives.get(title="Shadow a leadership meeting")
    assert step.assignee is None
    response = client.post(f"/mentoring/initiative/{step.pk}/toggle/", {"done": "on"})
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.done


@pytest.mark.parametrize("who", ["other_mentee", "other_mentor", "coordinator", "employee", "editor"])
def test_people_who_do_not_keep_the_plan_get_404_and_nothing_is_written(client, dashboard, roles, okrs, who):
    objective = okrs["mentee"]
    before = Initiative.objects.count()
    client.force_login(roles[who])
    assert client.post(plan_url(objective), {"title": "Sneaky"}).status_code == 404
    assert Initiative.objects.count() == before


def test_anonymous_is_sent_to_log_in(client, dashboard, okrs):
    url = plan_url(okrs["mentee"])
    response = client.post(url, {"title": "Sneaky"})
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={url}"


def test_a_get_is_not_allowed(client, dashboard, roles, okrs):
    client.force_login(roles["mentee"])
    assert client.get(plan_url(okrs["mentee"])).status_code == 405


def test_a_closed_pairing_objective_is_the_owners_alone(client, dashboard, roles, okrs):
    objective = okrs["mentee"]
    Objective.objects.filter(pk=objective.pk).update(status=Objective.Status.ARCHIVED)
    client.force_login(roles["mentor"])
    assert client.post(plan_url(objective), {"title": "Late"}).status_code == 404
    client.force_login(roles["mentee"])
    assert client.post(plan_url(objective), {"title": "Wrap up"}).status_code == 302


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 256}, "title"),
        ({"title": "Read", "due_date": "31/02/2026"}, "due_date"),
        ({"title": "Read", "due_date": "1850-01-01"}, "due_date"),
        ({"title": "Read", "assignee": "999999"}, "assignee"),
    ],
)
def test_bad_input_is_a_400_with_the_error_at_the_field(client, dashboard, roles, okrs, data, field):
    objective = okrs["mentee"]
    before = Initiative.objects.count()
    client.force_login(roles["mentee"])
    response = client.post(plan_url(objective), data)
    assert response.status_code == 400
    assert field in response.context["initiative_form"].errors
    html = response.content.decode()
    assert "There is a problem" in html and f'href="#wm-plan-{objective.pk}-{field}"' in html
    assert Initiative.objects.count() == before


def test_a_step_is_assigned_only_to_the_objectives_team(client, dashboard, roles, okrs):
    """Someone of another pairing is not a choice: the form refuses them, as the service does (API test)."""
    objective = okrs["mentee"]
    client.force_login(roles["mentee"])
    response = client.post(plan_url(objective), {"title": "Read", "assignee": roles["other_mentee"].pk})
    assert response.status_code == 400 and "assignee" in response.context["initiative_form"].errors
    assert not objective.initiatives.filter(title="Read").exists()
    choices = [value for value, _label in response.context["initiative_form"].fields["assignee"].choices if value]
    assert sorted(int(str(value)) for value in choices) == sorted([roles["mentee"].pk, roles["mentor"].pk])


def test_a_coordinator_reads_the_plan_but_gets_no_buttons(client, dashboard, roles, okrs):
    objective = okrs["mentee"]
    client.force_login(roles["coordinator"])
    html = client.get(f"/mentoring/objective/{objective.pk}/").content.decode()
    assert "Action plan (1 step)" in html
    assert "/toggle/" not in html and plan_url(objective) not in html


def test_overdue_and_done_steps_say_so_in_words(client, dashboard, roles, okrs):
    objective = okrs["mentee"]
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    InitiativeFactory(objective=objective, title="Late step", due_date=yesterday, done=False)
    InitiativeFactory(objective=objective, title="Finished step", due_date=yesterday, done=True)
    client.force_login(roles["mentee"])
    html = client.get(f"/mentoring/objective/{objective.pk}/").content.decode()
    late = html[html.index("Late step") :][:400]
    finished = html[html.index("Finished step") :][:400]
    assert "Overdue" in late and "Overdue" not in finished and "Done" in finished


def test_the_objective_page_costs_the_same_with_5_and_50_steps(client, dashboard, roles):
    mentee, mentor = roles["mentee"], roles["mentor"]
    objective = make_objective(mentee, roles["mentorship"])
    url = f"/mentoring/objective/{objective.pk}/"
    for i in range(5):
        InitiativeFactory(objective=objective, title=f"Step {i}", assignee=mentor if i % 2 else mentee)
    client.force_login(mentor)
    small = count_queries(client, url)
    for i in range(45):
        InitiativeFactory(objective=objective, title=f"More {i}", assignee=mentor if i % 2 else mentee)
    assert count_queries(client, url) == small


def test_the_service_refuses_an_assignee_outside_the_team(roles, okrs):
    """The rule lives in ``save_initiative`` (the API's and the dashboard's one write path)."""
    step = okrs["mentee"].initiatives.get()
    with pytest.raises(ValidationError) as caught:
        save_initiative(step, assignee=roles["other_mentee"])
    assert "assignee" in caught.value.message_dict
    step.refresh_from_db()
    assert step.assignee_id is None
    assert save_initiative(step, assignee=roles["mentor"]).assignee == roles["mentor"]
    personal = okrs["employee"]
    assert personal.team_ids() == {roles["employee"].pk}
