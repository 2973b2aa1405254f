"""The coordinator's pair page and program health read clearly: people by name, progress coloured by health,
values with their unit, each stalled reason apart."""

import re

import pytest

from tests.dashboards.conftest import make_objective
from tests.factories import KeyResultFactory

pytestmark = pytest.mark.django_db
BASE = "/admin/mentoring/program-health/"


def test_pair_page_names_people_and_colours_progress_by_health(client, admin_access, program):
    roles = admin_access
    mentorship = roles["mentorship"]
    for user, first, last in ((mentorship.mentor, "Bruno", "Okafor"), (mentorship.mentee, "Ines", "Haddad")):
        user.first_name, user.last_name = first, last
        user.save()
    objective = make_objective(mentorship.mentee, mentorship, n_key_results=0, title="Speak up")
    KeyResultFactory(
        objective=objective, title="Confidence", unit="/10", start_value=3, target_value=8, current_value=3
    )
    client.force_login(roles["coordinator"])
    response = client.get(f"{BASE}pair/{mentorship.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bruno Okafor → Ines Haddad" in html
    assert f"{mentorship.mentor.username} → {mentorship.mentee.username}" not in html
    # nothing done a third of the way through: off track, and the bar says so in the same tone as the badge
    assert "wm-bar--bad" in html and "wm-badge--bad" in html and "wm-bar--good" not in html
    assert "0% · 3/10, target 8/10" in html and "3 of 8 /10" not in html


def test_each_stalled_reason_is_set_apart(client, admin_access, program):
    client.force_login(admin_access["coordinator"])
    html = client.get(f"{BASE}{program.pk}/").content.decode()
    assert "wm-stalled-pairs" in html, "the fixture's pairing has neither check-in nor session: it is stalled"
    assert "days, no session for over" in " ".join(html.split())


def test_health_counts_read_number_then_badge(client, admin_access, program):
    client.force_login(admin_access["coordinator"])
    html = " ".join(client.get(f"{BASE}{program.pk}/").content.decode().split())
    assert re.search(r'<span class="wm-health-count">\d+</span> <span class="wm-badge wm-badge--bad wm-health', html)
    assert "</span> : " not in html
