"""The dashboard caches each objective card's head and key results (``dashboards.rows.card_cache_key``).

The key is a digest of what the card shows, the viewer, the language and the page: a change to what the card
shows is shown at once, no card is served to another user, and nothing holding a form (an open check-in form,
the action plan's buttons with their CSRF token) is cached.
"""

import re

import pytest
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.utils import make_template_fragment_key
from django.utils import translation

from tests.dashboards.conftest import make_objective
from wagtail_mentoring.dashboards.rows import card_cache_key, objective_rows
from wagtail_mentoring.dashboards.selectors import own_objectives
from wagtail_mentoring.dashboards.views import index_context
from wagtail_mentoring.models import KeyResult, Objective

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _rows(user):
    return objective_rows(user, own_objectives(user), tables=False, charts=False)


def test_changes_to_what_a_card_shows_are_shown_at_once(client, rf, dashboard, roles, okrs):
    kr = okrs["mentee"].key_results.order_by("pk").first()
    client.force_login(roles["mentee"])
    first = client.get("/mentoring/").content.decode()
    request = rf.get("/mentoring/")
    request.user = roles["mentee"]
    (row,) = index_context(request, dashboard)["objective_rows"]
    cached = cache.get(make_template_fragment_key("wm-objective-card", [row.cache_key]))
    assert "Present to leadership" in cached and "csrfmiddlewaretoken" not in cached
    # Served from the cache, the same page (but for the action plan's CSRF tokens, rendered every time).
    assert _without_tokens(first) == _without_tokens(client.get("/mentoring/").content.decode())
    assert ">Present to leadership</a>" in first
    KeyResult.objects.filter(pk=kr.pk).update(title="Speak at the all-hands", current_value=7, confidence=3)
    Objective.objects.filter(pk=okrs["mentee"].pk).update(title="Lead the quarterly review")
    html = client.get("/mentoring/").content.decode()
    assert "Speak at the all-hands" in html
    assert "Lead the quarterly review" in html
    assert ">Present to leadership</a>" not in html
    assert 'data-wm-current="7"' in html
    assert "confidence 3/10" in html


def test_a_card_key_differs_by_viewer_language_and_data(roles, okrs):
    row = _rows(roles["mentee"])[0]
    key = card_cache_key(roles["mentee"], row, page_id=1)
    assert key == card_cache_key(roles["mentee"], row, page_id=1)
    assert key != card_cache_key(roles["mentor"], row, page_id=1)
    assert key != card_cache_key(roles["mentee"], row, page_id=2)
    assert key != card_cache_key(roles["mentee"], row, page_id=1, check_in_query="page=2&")
    with translation.override("it"):
        assert key != card_cache_key(roles["mentee"], row, page_id=1)
    row.key_results[0].can_check_in = False
    assert key != card_cache_key(roles["mentee"], row, page_id=1)


def test_no_card_is_served_to_another_user(client, dashboard, roles, okrs):
    """Two people whose cards would read alike still get their own, each rendered for them."""
    make_objective(roles["other_mentee"], roles["other_mentorship"], title="Shared wording")
    make_objective(roles["mentee"], roles["mentorship"], title="Shared wording")
    client.force_login(roles["mentee"])
    mine = client.get("/mentoring/").content.decode()
    client.force_login(roles["other_mentee"])
    theirs = client.get("/mentoring/").content.decode()
    assert "Present to leadership" in mine and "Present to leadership" not in theirs
    assert "Learn Rust" in theirs and "Learn Rust" not in mine
    mine_ids = {o.pk for o in Objective.objects.filter(owner=roles["mentee"])}
    theirs_ids = {o.pk for o in Objective.objects.filter(owner=roles["other_mentee"])}
    for pk in mine_ids:
        assert f'id="objective-{pk}"' in mine and f'data-wm-objective="{pk}"' not in theirs
    for pk in theirs_ids:
        assert f'id="objective-{pk}"' in theirs and f'data-wm-objective="{pk}"' not in mine
    keys_mine = {card_cache_key(roles["mentee"], r, page_id=dashboard.pk) for r in _rows(roles["mentee"])}
    keys_theirs = {card_cache_key(roles["other_mentee"], r, page_id=dashboard.pk) for r in _rows(roles["other_mentee"])}
    assert None not in keys_mine | keys_theirs
    assert keys_mine.isdisjoint(keys_theirs)


def test_open_check_in_forms_and_action_plans_are_never_cached(client, dashboard, roles, okrs):
    kr = okrs["mentee"].key_results.order_by("pk").first()
    rows = objective_rows(
        roles["mentee"], own_objectives(roles["mentee"]), tables=False, charts=False, open_key_result=kr.pk
    )
    assert card_cache_key(roles["mentee"], rows[0], page_id=1) is None
    client.force_login(roles["mentee"])
    client.get("/mentoring/")
    html = client.get(f"/mentoring/?check_in={kr.pk}").content.decode()
    assert f'id="wm-kr-{kr.pk}-value"' in html  # the form is rendered, not a cached card without it
    assert client.get("/mentoring/").content.decode().count(f'id="wm-kr-{kr.pk}-value"') == 0
    # The action plan's step (with its mark-done form and CSRF token) is rendered on every request.
    client.post(  # mark the step done through the page
        f"/mentoring/initiative/{okrs['mentee'].initiatives.get().pk}/toggle/", {"done": "on"}
    )
    assert "<s>Present to leadership step</s>" in client.get("/mentoring/").content.decode()


class UnreachableCache(LocMemCache):
    """A cache server that is down: every read and write raises, as Django's Redis backend does."""

    def get(self, *args, **kwargs):
        raise ConnectionError("cache server unreachable")

    def set(self, *args, **kwargs):
        raise ConnectionError("cache server unreachable")


def test_a_cache_server_that_is_down_costs_the_saving_not_the_page(client, dashboard, roles, okrs, settings, caplog):
    # Django's fragment cache uses the "template_fragments" alias when there is one (Wagtail keeps its own
    # entries, such as the site root paths, in "default": with that one down, no Wagtail page is served).
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "template_fragments": {"BACKEND": "tests.dashboards.test_card_cache.UnreachableCache"},
    }
    client.force_login(roles["mentee"])
    with caplog.at_level("WARNING", logger="wagtail_mentoring.templatetags.mentoring_cache"):
        response = client.get("/mentoring/")
    assert response.status_code == 200
    html = response.content.decode()
    assert ">Present to leadership</a>" in html  # the card, rendered without the cache
    assert html.count('id="objective-') == 1
    assert "The fragment cache failed" in caplog.text


def test_a_template_error_inside_the_card_is_not_hidden(rf):
    from django.template import Context, Template

    template = Template("{% load mentoring_cache %}{% wm_cache 60 frag key %}{{ value.boom }}{% endwm_cache %}")

    class Boom:
        @property
        def boom(self):
            raise ValueError("a bug in the card")

    with pytest.raises(ValueError, match="a bug in the card"):
        template.render(Context({"key": "k", "value": Boom()}))
