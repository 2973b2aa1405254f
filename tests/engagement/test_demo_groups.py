"""The groups demo step: a mentoring group with two sessions and a mentors' peer circle in the leadership program."""

import io

import pytest
from django.core.management.color import no_style

from tests.factories import UserFactory
from tests.factories.programs import mentee_enrolment, mentor_enrolment
from wagtail_mentoring.demo import groups as demo_groups
from wagtail_mentoring.demo.base import DemoContext
from wagtail_mentoring.models import GroupSession, MentoringDashboardPage, MentoringGroup

pytestmark = pytest.mark.django_db


def test_nothing_without_the_leadership_program(db):
    out = io.StringIO()
    demo_groups.run(DemoContext(stdout=out, style=no_style(), verbose=True))
    assert "nothing created" in out.getvalue()


def test_a_group_and_a_peer_circle(client, program, home_page):
    for name in ("mentor1", "mentor2", "mentor3"):
        mentor_enrolment(program, user=UserFactory(username=name))
    for name in ("mentee1", "mentee2", "mentee3"):
        mentee_enrolment(program, user=UserFactory(username=name))
    ctx = DemoContext(stdout=io.StringIO(), style=no_style())
    demo_groups.run(ctx)
    demo_groups.run(ctx)  # idempotent
    group, circle = MentoringGroup.objects.order_by("kind")
    assert (group.kind, group.mentor.username, group.status) == ("group", "mentor3", "active")
    assert sorted(group.members.values_list("user__username", flat=True)) == ["mentee1", "mentee2", "mentee3"]
    assert GroupSession.objects.filter(group=group).count() == 2
    assert circle.kind == "peer" and circle.mentor is None and circle.members.count() == 2

    dashboard = MentoringDashboardPage(title="My mentoring", slug="mentoring")
    home_page.add_child(instance=dashboard)
    client.force_login(group.members.first().user)
    page = client.get("/mentoring/").content.decode()
    assert "Your groups" in page and "New managers" in page
    assert "role-played" in client.get(f"/mentoring/group/{group.pk}/").content.decode()
