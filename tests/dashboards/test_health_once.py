"""Health is defined once (``snippets.scoring``): the same objective shows the same label and tone on the
dashboard, the admin listing's columns, the portal block and the program heatmap (issue 13, "Health
colours contradict each other")."""

import datetime as dt
import re

import pytest
from django.test import RequestFactory
from django.utils import timezone

from wagtail_mentoring.blocks.portal import MyMentoringBlock
from wagtail_mentoring.dashboards.selectors import PairSummary
from wagtail_mentoring.snippets import scoring
from wagtail_mentoring.snippets.models import KeyResult


def test_every_state_has_one_label_and_one_tone():
    assert {scoring.health_tone(s) for s in scoring.HEALTH_STATES} <= {"good", "warn", "bad"}
    assert scoring.health_tone(scoring.HEALTH_OFF_TRACK) == "bad"
    assert scoring.health_tone(scoring.HEALTH_AT_RISK) == "warn"
    assert scoring.health_tone(None) == "neutral"
    assert scoring.health_label(scoring.HEALTH_OFF_TRACK) == "Off track"
    assert scoring.health_label(None) == "No objectives"


def test_heatmap_progress_cell_takes_the_pairs_health_tone():
    """A pair whose worst objective is off track is never a green progress cell, whatever the mean progress."""
    summary = PairSummary(mentorship=None, objectives=[object()], health="off_track", progress=0.5, expected=0.33)
    assert summary.progress_state == "bad"
    assert summary.health_tone == "bad"


@pytest.fixture
def off_track(roles, okrs):
    """The mentee's pairing objective, far behind: nothing done with 90% of its time gone."""
    objective = okrs["mentee"]
    today = timezone.localdate()
    objective.start_date = today - dt.timedelta(days=90)
    objective.due_date = today + dt.timedelta(days=10)
    objective.save()
    KeyResult.objects.filter(objective=objective).update(current_value=0)
    objective.refresh_from_db()
    assert objective.health == scoring.HEALTH_OFF_TRACK
    return objective


def _badges(html: str) -> set[tuple[str, str]]:
    """(tone, label) of every health badge in ``html``."""
    return set(re.findall(r'class="wm-badge wm-badge--(\w+)[^"]*"[^>]*>([^<]+)</span>', html))


@pytest.mark.django_db
def test_same_label_and_tone_on_dashboard_admin_column_and_portal_block(client, admin_access, off_track, dashboard):
    mentee = admin_access["mentee"]
    client.force_login(mentee)
    dashboard_html = client.get("/mentoring/").content.decode()
    assert ("bad", "Off track") in _badges(dashboard_html)
    assert re.search(r'wm-bar--bad"[^>]*value="0"', dashboard_html), "the progress bar takes the health tone"

    admin_html = client.get("/admin/snippets/wagtail_mentoring/objective/").content.decode()
    assert "Present to leadership" in admin_html
    assert ("bad", "Off track") in _badges(admin_html)
    assert "wm-bar wm-bar--bad" in admin_html

    block = MyMentoringBlock()
    request = RequestFactory().get("/")
    request.user = mentee
    block_html = block.render(block.to_python({}), context={"request": request})
    assert ("bad", "Off track") in _badges(block_html)
    assert "progress 0" not in block_html and "0% complete" in block_html


@pytest.mark.django_db
def test_program_heatmap_badges_and_cells_agree(client, admin_access, off_track, program):
    client.force_login(admin_access["coordinator"])
    html = client.get(f"/admin/mentoring/program-health/{program.pk}/").content.decode()
    assert ("bad", "Off track") in _badges(html)
    assert 'class="wm-heat--bad"' in html
