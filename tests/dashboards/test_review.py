"""Review and realign from the dashboard: the people who may check in on a key result that is at risk, off
track or missed record what happened and what changes; everyone else gets a 404."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import CheckInFactory, KeyResultFactory, ObjectiveFactory, RealignmentFactory
from wagtail_mentoring.models import KeyResult, Realignment

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


@pytest.fixture
def off_track(roles):
    """A pairing objective of the mentee, 80 days into 90, with a key result at 2 of 10 talks: off track."""
    objective = ObjectiveFactory(
        owner=roles["mentee"],
        mentorship=roles["mentorship"],
        title="Speak up",
        start_date=_today() - dt.timedelta(days=80),
        due_date=_today() + dt.timedelta(days=10),
    )
    return KeyResultFactory(objective=objective, title="Give talks", current_value=2, unit="talks")


def url(kr) -> str:
    return f"/mentoring/key-result/{kr.pk}/review/"


def post(client, kr, **data):
    return client.post(url(kr), {"what_happened": "Two talks were cancelled.", "what_changes": "Ask earlier.", **data})


@pytest.mark.parametrize("who", ["mentee", "mentor"])
def test_the_pair_reviews_and_realigns_from_the_objective_page(client, dashboard, roles, off_track, who):
    client.force_login(roles[who])
    page = client.get(f"/mentoring/objective/{off_track.objective_id}/").content.decode()
    assert f'href="{url(off_track)}"' in page and "Review and realign" in page
    form = client.get(url(off_track))
    html = form.content.decode()
    assert form.status_code == 200 and "Off track" in html and "2 of 10 talks" in html
    assert 'for="wm-review-what_happened"' in html and 'for="wm-review-target_value"' in html
    due = _today() + dt.timedelta(days=40)
    response = post(client, off_track, what_changes="Book slots a month ahead.", target_value="6", due_date=due)
    assert response.status_code == 302
    assert response["Location"] == f"/mentoring/objective/{off_track.objective_id}/#key-result-{off_track.pk}"
    off_track.refresh_from_db()
    assert (off_track.target_value, off_track.due_date) == (6, due)
    review = Realignment.objects.get()
    assert review.author == roles[who] and (review.previous_target, review.target_value) == (10, 6)
    page = client.get(f"/mentoring/objective/{off_track.objective_id}/").content.decode()
    assert "Reviews and realignments" in page and "Two talks were cancelled." in page and "10 talks → 6 talks" in page


def test_the_check_in_history_shows_the_target_in_force_then(client, dashboard, roles, off_track):
    CheckInFactory(key_result=off_track, value=2, created_at=timezone.now() - dt.timedelta(days=2))
    client.force_login(roles["mentee"])
    post(client, off_track, target_value="6")
    CheckInFactory(key_result=off_track, value=3)
    html = client.get(f"/mentoring/objective/{off_track.objective_id}/").content.decode()
    assert "Target then" in html
    rows = html.split("Check-ins, newest first")[1]
    assert rows.index("6 talks") < rows.index("10 talks")  # newest first: the new target, then the old


@pytest.mark.parametrize("who", ["other_mentee", "other_mentor", "coordinator", "employee", "editor", "superuser"])
def test_nobody_else_reviews(client, dashboard, roles, off_track, who):
    client.force_login(roles[who])
    assert client.get(url(off_track)).status_code == 404
    assert post(client, off_track, target_value="6").status_code == 404
    assert not Realignment.objects.exists()


def test_a_coordinator_sees_the_reviews_but_no_link(client, dashboard, roles, off_track):
    RealignmentFactory(key_result=off_track, what_happened="<b>Busy</b> quarter")
    client.force_login(roles["coordinator"])
    html = client.get(f"/mentoring/objective/{off_track.objective_id}/").content.decode()
    assert "&lt;b&gt;Busy&lt;/b&gt; quarter" in html and url(off_track) not in html


def test_anonymous_is_sent_to_log_in(client, dashboard, off_track):
    response = client.get(url(off_track))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_missing_key_result_is_a_404(client, dashboard, roles):
    client.force_login(roles["mentee"])
    assert client.get("/mentoring/key-result/99999999/review/").status_code == 404


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"what_happened": ""}, "what_happened"),
        ({"due_date": "2026-01-02"}, "due_date"),
        ({"due_date": "1066-10-14"}, "due_date"),
        ({"target_value": "0"}, "target_value"),
        ({"target_value": "lots"}, "target_value"),
        ({"what_changes": ""}, "what_changes"),
    ],
)
def test_bad_input_is_a_400_with_the_error_at_its_field(client, dashboard, roles, off_track, data, field):
    client.force_login(roles["mentee"])
    response = post(client, off_track, **data)
    assert response.status_code == 400
    assert f'id="wm-review-{field}"' in response.content.decode()
    assert response.context["form"].errors.get(field)
    off_track.refresh_from_db()
    assert off_track.target_value == 10 and not Realignment.objects.exists()


def test_an_on_track_key_result_has_nothing_to_realign(client, dashboard, roles):
    objective = ObjectiveFactory(owner=roles["mentee"], start_date=_today(), due_date=_today() + dt.timedelta(days=90))
    on_track = KeyResultFactory(objective=objective, current_value=1)
    client.force_login(roles["mentee"])
    assert url(on_track) not in client.get(f"/mentoring/objective/{objective.pk}/").content.decode()
    page = client.get(url(on_track))
    assert page.status_code == 200 and "nothing to realign" in page.content.decode()
    assert 'id="wm-review"' not in page.content.decode()
    refused = post(client, on_track, target_value="5")
    assert refused.status_code == 400 and "on track" in refused.content.decode()
    assert not Realignment.objects.exists()


def _count(client, path) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_reviews_and_key_results(client, dashboard, roles, off_track):
    client.force_login(roles["mentee"])
    objective_page = f"/mentoring/objective/{off_track.objective_id}/"

    def add(n):
        krs = KeyResult.objects.bulk_create(
            [KeyResultFactory.build(objective=off_track.objective, current_value=1) for _ in range(n)]
        )
        Realignment.objects.bulk_create(RealignmentFactory.build(key_result=kr) for kr in [off_track, *krs])
        for kr in krs:
            CheckInFactory(key_result=kr, value=1)

    add(5)
    few = (_count(client, objective_page), _count(client, url(off_track)))
    add(45)
    assert (_count(client, objective_page), _count(client, url(off_track))) == few
