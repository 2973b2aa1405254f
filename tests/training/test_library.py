"""The library listing: filters, search, pagination, privacy and a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests.factories import UserFactory
from tests.factories.training import TrainingResourcePageFactory

pytestmark = pytest.mark.django_db


def titles(response):
    return [r.title for r in response.context["resources"]]


def test_lists_all_public_resources_with_type_audience_and_length(client, library, resources):
    response = client.get(library.url)
    assert response.status_code == 200
    assert set(titles(response)) == {r.title for r in resources.values()}
    html = response.content.decode()
    assert "Type: Book" in html and "For: Coordinators" in html and "Length: 5 h" in html
    assert "Length: 10 min" in html and "Topics: feedback, listening" in html


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"resource_type": "video"}, {"goals"}),
        ({"audience": "mentors"}, {"listening", "book"}),
        ({"audience": "everyone"}, {"book"}),
        ({"topic": "listening"}, {"listening"}),
        ({"duration": "short"}, {"listening"}),
        ({"duration": "medium"}, {"goals"}),
        ({"duration": "long"}, {"workshop"}),
        ({"duration": "extended"}, {"book"}),
        ({"audience": "mentees", "duration": "medium"}, {"goals"}),
    ],
)
def test_filters(client, library, resources, params, expected):
    response = client.get(library.url, params)
    assert set(titles(response)) == {resources[k].title for k in expected}


def test_bad_filter_value_is_a_form_error_not_a_500(client, library, resources):
    response = client.get(library.url, {"resource_type": "novel"})
    assert response.status_code == 200
    assert titles(response) == []
    assert response.context["filter_form"].errors["resource_type"]


@pytest.mark.search_index
def test_search_uses_wagtail_search(client, library, resources):
    response = client.get(library.url, {"q": "objectives"})
    assert titles(response) == ["Setting goals that stick"]
    response = client.get(library.url, {"q": "coaching"})
    assert titles(response) == ["The coaching habit"]


@pytest.mark.search_index
def test_search_combines_with_filters(client, library, resources):
    assert titles(client.get(library.url, {"q": "mentor", "resource_type": "video"})) == ["Setting goals that stick"]
    assert titles(client.get(library.url, {"q": "listen", "resource_type": "video"})) == []


def test_unpublished_resources_are_not_listed(client, library, resources):
    resources["book"].unpublish()
    assert "The coaching habit" not in titles(client.get(library.url))


def test_pagination_bounded_by_max_page_size(client, library, settings):
    settings.WAGTAIL_MENTORING = {"PAGE_SIZE": 2, "MAX_PAGE_SIZE": 3}
    for i in range(5):
        TrainingResourcePageFactory(parent=library, title=f"Guide {i}")
    response = client.get(library.url)
    assert len(titles(response)) == 2
    assert response.context["paginator"].num_pages == 3
    response = client.get(library.url, {"page_size": 1000, "page": 2})
    assert titles(response) == ["Guide 3", "Guide 4"]
    assert client.get(library.url, {"page_size": "x", "page": "zz"}).status_code == 200


class TestPrivacy:
    def test_group_restricted_resource_hidden_from_outsiders(self, client, library, resources, roles, private_resource):
        secret = private_resource(groups=[roles["coordinator"].groups.first()])
        client.force_login(roles["employee"])
        assert secret.title not in titles(client.get(library.url))
        client.force_login(roles["coordinator"])
        assert secret.title in titles(client.get(library.url))
        client.force_login(roles["superuser"])
        assert secret.title in titles(client.get(library.url))

    def test_login_restricted_resource_hidden_from_anonymous(self, client, library, resources, private_resource):
        secret = private_resource(restriction_type=PageViewRestriction.LOGIN, title="Staff only")
        assert "Staff only" not in titles(client.get(library.url))
        assert "Staff only" not in titles(client.get(library.url, {"q": "staff"}))
        response = client.get(secret.url)
        assert response.status_code == 302 and "login" in response["Location"]  # Wagtail's own handling
        client.force_login(UserFactory())
        assert "Staff only" in titles(client.get(library.url))

    def test_inactive_user_counts_as_anonymous(self, library, roles, private_resource):
        from wagtail_mentoring.access.querysets import visible_training_resources

        secret = private_resource(restriction_type=PageViewRestriction.LOGIN)
        assert secret in visible_training_resources(roles["employee"])
        assert secret not in visible_training_resources(roles["inactive"])

    def test_password_restriction_needs_the_session(self, client, library, private_resource):
        secret = private_resource(restriction_type=PageViewRestriction.PASSWORD, title="Password page")
        restriction = PageViewRestriction.objects.get(page=secret)
        assert "Password page" not in titles(client.get(library.url))
        session = client.session
        session[PageViewRestriction.passed_view_restrictions_session_key] = [restriction.pk]
        session.save()
        assert "Password page" in titles(client.get(library.url))

    def test_restricted_library_section_hides_everything_in_it(self, client, library, resources):
        PageViewRestriction.objects.create(page=library, restriction_type=PageViewRestriction.LOGIN)
        client.force_login(UserFactory())
        assert len(titles(client.get(library.url))) == 4


def _grow_library(library, n):
    """Add public resources (with topics) until the library lists ``n`` of them."""
    from wagtail_mentoring.models import TrainingResourcePage

    existing = TrainingResourcePage.objects.child_of(library).public().count()
    for i in range(existing, n):
        page = TrainingResourcePageFactory(
            parent=library,
            title=f"Guide {i:03d}",
            duration_minutes=(10, 30, 90, 300)[i % 4],
            summary="A practical guide.",
        )
        page.topics.add("coaching", f"topic-{i % 3}")
        page.save()


@pytest.mark.search_index
@pytest.mark.parametrize("params", [{}, {"q": "practical"}, {"audience": "everyone", "duration": "medium"}])
def test_listing_queries_do_not_grow(client, library, roles, private_resource, params):
    from wagtail_mentoring.training.services import mark_complete

    private_resource(groups=[roles["coordinator"].groups.first()], title="Hidden")
    user = roles["employee"]
    client.force_login(user)
    client.get(library.url)  # warm per-process caches (content types, site root paths)
    counts = []
    for n in (5, 50):
        _grow_library(library, n)
        for page in library.get_children().live().specific()[:3]:
            mark_complete(user, page)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(library.url, {"page_size": 100, **params})
        assert response.status_code == 200
        if not params or "q" in params:
            assert len(response.context["resources"]) == n
        else:
            assert response.context["resources"]  # the filtered case lists something too
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
