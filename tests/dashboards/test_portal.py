"""The "My mentoring" portal block: per-user summaries, nothing private for anonymous users, no leaks
through a cache."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from wagtail_mentoring.blocks.portal import MyMentoringBlock
from wagtail_mentoring.programs.services import log_session, plan_session

pytestmark = pytest.mark.django_db

CACHED = {
    "ROOT_URLCONF": "tests.dashboards.urls",
    "MIDDLEWARE": [
        "django.middleware.cache.UpdateCacheMiddleware",
        *settings.MIDDLEWARE,
        "django.middleware.cache.FetchFromCacheMiddleware",
    ],
    "CACHE_MIDDLEWARE_SECONDS": 600,
}


def test_block_meta():
    block = MyMentoringBlock()
    assert block.meta.icon == "user"
    assert block.meta.template == "wagtail_mentoring/dashboards/blocks/my_mentoring.html"


def test_block_renders_the_viewing_users_summary(roles, okrs, dashboard):
    import datetime as dt

    from django.utils import timezone

    from wagtail_mentoring.models import CheckIn

    log_session(roles["mentorship"], roles["mentor"], date=timezone.now() - dt.timedelta(days=3))
    plan_session(roles["mentorship"], roles["mentor"], date=timezone.now() + dt.timedelta(days=3))
    CheckIn.objects.filter(key_result__objective=okrs["mentee"]).update(
        created_at=timezone.now() - dt.timedelta(days=30)
    )
    block = MyMentoringBlock()
    request = RequestFactory().get("/")
    request.user = roles["mentee"]
    html = block.render(block.to_python({"heading": "Mine"}), context={"request": request})
    assert "Present to leadership" in html and "Learn Rust" not in html
    assert "Next session:" in html and "not planned yet" not in html
    assert 'href="/mentoring/"' in html
    assert "Present to leadership KR0" in html  # no check-in for over the cadence: due
    request.user = roles["inactive"]
    html = block.render(block.to_python({}), context={"request": request})
    assert "Sign in" in html and "Present to leadership" not in html


@override_settings(**CACHED)
def test_two_users_rendering_the_same_page_with_a_cache_on_see_their_own_data(client, roles, okrs, dashboard):
    cache.clear()
    anonymous = client.get("/portal/")
    assert "Sign in to see your mentoring" in anonymous.content.decode()
    with CaptureQueriesContext(connection) as ctx:
        again = client.get("/portal/")
    assert again.content == anonymous.content and len(ctx.captured_queries) == 0  # the cache is on

    client.force_login(roles["mentee"])
    mine = client.get("/portal/").content.decode()
    assert "Present to leadership" in mine and "Learn Rust" not in mine
    assert "Sign in" not in mine

    other = client.__class__()
    other.force_login(roles["other_mentee"])
    theirs = other.get("/portal/").content.decode()
    assert "Learn Rust" in theirs and "Present to leadership" not in theirs

    # And again, in the other order, after both have been cached.
    assert "Present to leadership" in client.get("/portal/").content.decode()
    assert "Present to leadership" not in other.get("/portal/").content.decode()
    assert "Present to leadership" not in client.__class__().get("/portal/").content.decode()
