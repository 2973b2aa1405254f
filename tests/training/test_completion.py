"""Marking resources done and undone, path progress, "my learning", and the required-path check."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import EnrolmentFactory, UserFactory
from tests.factories.training import TrainingResourcePageFactory, learning_path
from wagtail_mentoring.models import TrainingCompletion
from wagtail_mentoring.training.progress import path_progress, paths_progress, users_path_progress
from wagtail_mentoring.training.requirements import unmet_requirements
from wagtail_mentoring.training.services import mark_complete

pytestmark = pytest.mark.django_db


def done_url(resource):
    return reverse("wagtail_mentoring:training:resource_done", args=[resource.pk])


def undone_url(resource):
    return reverse("wagtail_mentoring:training:resource_undone", args=[resource.pk])


class TestMarkDone:
    def test_mark_done_and_undone(self, client, resources):
        user = UserFactory()
        client.force_login(user)
        resource = resources["listening"]
        page = client.get(resource.url)
        assert f'action="{done_url(resource)}"' in page.content.decode()
        response = client.post(done_url(resource))
        assert response.status_code == 302 and response["Location"] == resource.url
        assert TrainingCompletion.objects.filter(user=user, resource=resource).exists()
        page = client.get(resource.url)
        assert page.context["completed"] is True
        assert "You have marked this resource as done." in page.content.decode()
        client.post(done_url(resource))  # idempotent
        assert TrainingCompletion.objects.filter(user=user).count() == 1
        response = client.post(undone_url(resource))
        assert response.status_code == 302
        assert not TrainingCompletion.objects.filter(user=user).exists()

    def test_get_not_allowed(self, client, resources):
        client.force_login(UserFactory())
        assert client.get(done_url(resources["book"])).status_code == 405
        assert not TrainingCompletion.objects.exists()

    def test_anonymous_redirected_to_login(self, client, resources):
        for url in (done_url(resources["book"]), undone_url(resources["book"])):
            response = client.post(url)
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert not TrainingCompletion.objects.exists()

    def test_csrf_enforced(self, resources):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(UserFactory())
        assert client.post(done_url(resources["book"])).status_code == 403
        assert not TrainingCompletion.objects.exists()

    def test_resource_user_may_not_see_is_404(self, client, roles, private_resource, library):
        secret = private_resource(groups=[roles["coordinator"].groups.first()])
        client.force_login(roles["employee"])
        assert client.post(done_url(secret)).status_code == 404
        assert client.post(undone_url(secret)).status_code == 404
        assert client.post(reverse("wagtail_mentoring:training:resource_done", args=[999999])).status_code == 404
        assert not TrainingCompletion.objects.exists()
        client.force_login(roles["coordinator"])
        assert client.post(done_url(secret)).status_code == 302

    def test_unpublished_resource_is_404(self, client, resources):
        resources["book"].unpublish()
        client.force_login(UserFactory())
        assert client.post(done_url(resources["book"])).status_code == 404

    def test_next_must_be_safe(self, client, resources):
        client.force_login(UserFactory())
        response = client.post(done_url(resources["book"]), {"next": "https://evil.example.com/"})
        assert response["Location"] == resources["book"].url
        response = client.post(done_url(resources["goals"]), {"next": "/training/"})
        assert response["Location"] == "/training/"


class TestProgress:
    def test_path_progress(self, resources):
        user = UserFactory()
        path = learning_path([resources["listening"], resources["goals"], resources["book"]], title="Onboarding")
        progress = path_progress(user, path)
        assert (progress.done, progress.total, progress.next_resource) == (0, 3, resources["listening"])
        mark_complete(user, resources["listening"])
        mark_complete(user, resources["book"])
        progress = path_progress(user, path)
        assert (progress.done, progress.total, progress.percent) == (2, 3, 67)
        assert progress.next_resource == resources["goals"]
        assert progress.remaining == [resources["goals"]]
        mark_complete(user, resources["goals"])
        progress = path_progress(user, path)
        assert progress.complete and progress.next_resource is None and progress.percent == 100

    def test_completions_outside_the_path_do_not_count(self, resources):
        user = UserFactory()
        path = learning_path([resources["listening"]])
        mark_complete(user, resources["workshop"])
        assert path_progress(user, path).done == 0

    def test_empty_path(self, resources):
        progress = path_progress(UserFactory(), learning_path([]))
        assert (progress.done, progress.total, progress.complete) == (0, 0, True)

    def test_bulk_progress_constant_queries(self, library):
        user = UserFactory()
        counts = []
        for n in (5, 50):
            pages = [TrainingResourcePageFactory(parent=library) for _ in range(n)]
            paths = [learning_path(pages[i::5]) for i in range(5)]
            for page in pages[::2]:
                mark_complete(user, page)
            with CaptureQueriesContext(connection) as ctx:
                result = paths_progress(user, paths)
                summary = [(p.done, p.total, p.next_resource) for p in result]
            counts.append(len(ctx.captured_queries))
            assert sum(t for _d, t, _n in summary) == n
            other = UserFactory()
            with CaptureQueriesContext(connection) as ctx:
                by_user = users_path_progress(paths[0], [user.pk, other.pk])
                [(p.done, p.next_resource) for p in by_user.values()]
            assert len(ctx.captured_queries) == 2
        assert counts[0] == counts[1] == 2

    def test_users_path_progress(self, resources):
        path = learning_path([resources["listening"], resources["goals"]])
        a, b = UserFactory(), UserFactory()
        mark_complete(a, resources["goals"])
        result = users_path_progress(path, [a.pk, b.pk])
        assert result[a.pk].done == 1 and result[a.pk].next_resource == resources["listening"]
        assert result[b.pk].done == 0

    def test_resource_page_shows_paths_through_it(self, client, resources):
        user = UserFactory()
        learning_path([resources["listening"], resources["goals"]], title="Mentor onboarding")
        mark_complete(user, resources["listening"])
        client.force_login(user)
        html = client.get(resources["goals"].url).content.decode()
        assert "Mentor onboarding" in html and "1 of 2 steps done (50%)" in html

    def test_resource_page_hides_private_steps_of_a_path(self, client, resources, roles, private_resource):
        secret = private_resource(groups=[roles["coordinator"].groups.first()], title="Secret step")
        learning_path([resources["goals"], secret], title="Mixed path")
        client.force_login(roles["employee"])
        html = client.get(resources["goals"].url).content.decode()
        assert "Mixed path" in html and "Secret step" not in html and "A resource you cannot open" in html
        client.force_login(roles["coordinator"])
        assert "Secret step" in client.get(resources["goals"].url).content.decode()


class TestMyLearning:
    url = reverse("wagtail_mentoring:training:my_learning")

    def test_anonymous_redirected(self, client):
        response = client.get(self.url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    def test_shows_progress_and_next_step(self, client, resources, roles, private_resource):
        user = UserFactory()
        secret = private_resource(groups=[roles["coordinator"].groups.first()], title="Secret step")
        learning_path([resources["listening"], resources["goals"]], title="Mentee essentials")
        learning_path([secret], title="Coordinator path")
        mark_complete(user, resources["listening"])
        client.force_login(user)
        response = client.get(self.url)
        html = response.content.decode()
        assert "Mentee essentials" in html and "1 of 2 steps done (50%)" in html
        assert "Next:" in html and "Setting goals that stick" in html
        assert "Secret step" not in html and "A resource you cannot open" in html
        assert "calendar/feed/" in html


class TestUnmetRequirements:
    def test_reports_people_who_have_not_completed_the_required_path(self, program, resources):
        path = learning_path([resources["listening"], resources["book"]], title="Mentor onboarding")
        program.mentor_learning_path = path
        program.save()
        done, half, none = UserFactory(), UserFactory(), UserFactory()
        for user in (done, half, none):
            EnrolmentFactory(program=program, user=user, role="mentor")
        mark_complete(done, resources["listening"])
        mark_complete(done, resources["book"])
        mark_complete(half, resources["book"])
        unmet = unmet_requirements(program, "mentor", [done.pk, half.pk, none.pk])
        assert set(unmet) == {half.pk, none.pk}
        assert "Mentor onboarding" in unmet[half.pk] and "1 step left" in unmet[half.pk]
        assert "2 steps left" in unmet[none.pk]

    def test_no_requirement_for_role(self, program, resources):
        program.mentor_learning_path = learning_path([resources["listening"]])
        program.save()
        assert unmet_requirements(program, "mentee", [UserFactory().pk]) == {}

    def test_constant_queries(self, program, resources):
        program.mentee_learning_path = learning_path([resources["goals"]])
        program.save()
        users = [UserFactory().pk for _ in range(30)]
        with CaptureQueriesContext(connection) as ctx:
            unmet_requirements(program, "mentee", users[:5])
        small = len(ctx.captured_queries)
        with CaptureQueriesContext(connection) as ctx:
            assert len(unmet_requirements(program, "mentee", users)) == 30
        assert len(ctx.captured_queries) == small
