"""Program pages: creation rules, rendering, privacy, API fields and constant query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase

from tests.factories import (
    EnrolmentFactory,
    GroupFactory,
    MentoringProgramIndexPageFactory,
    MentoringProgramPageFactory,
    UserFactory,
)
from tests.testapp.models import TestHomePage as HomePageModel
from wagtail_mentoring.blocks import ProgramStreamBlock
from wagtail_mentoring.models import MentoringProgramIndexPage, MentoringProgramPage, SurveyPage


class TestPageCreationRules(WagtailPageTestCase):
    def test_program_only_under_index(self):
        self.assertCanCreateAt(MentoringProgramIndexPage, MentoringProgramPage)
        self.assertCanNotCreateAt(HomePageModel, MentoringProgramPage)
        self.assertCanNotCreateAt(MentoringProgramPage, MentoringProgramPage)
        self.assertCanCreateAt(HomePageModel, MentoringProgramIndexPage)

    def test_subpage_types(self):
        self.assertAllowedSubpageTypes(MentoringProgramIndexPage, {MentoringProgramPage})
        self.assertAllowedSubpageTypes(MentoringProgramPage, {SurveyPage})
        self.assertAllowedParentPageTypes(SurveyPage, {MentoringProgramPage})
        self.assertAllowedParentPageTypes(MentoringProgramPage, {MentoringProgramIndexPage})


def test_api_fields_declared():
    names = {f.name for f in MentoringProgramPage.api_fields}
    assert {"intro", "body", "goals", "start_date", "enrolment_status_code", "mentor_expectations"} <= names
    assert {f.name for f in MentoringProgramIndexPage.api_fields} == {"intro"}


def test_every_block_has_icon_and_namespaced_template():
    for name, block in ProgramStreamBlock().child_blocks.items():
        if name == "paragraph":
            continue
        assert block.meta.icon, name
        assert block.meta.template.startswith("wagtail_mentoring/blocks/"), name


BODY = [
    ("goals", {"heading": "Why", "goals": ["Retain <managers>"]}),
    ("expectations", {"role": "mentor", "heading": "", "expectations": ["Meet often"], "time_commitment": "2h"}),
    (
        "timeline",
        {"heading": "When", "milestones": [{"date": dt.date(2026, 2, 1), "title": "Kick-off", "description": ""}]},
    ),
    ("faq", {"heading": "FAQ", "items": [{"question": "Who?", "answer": "<p>Anyone</p>"}]}),
    ("quote", {"quote": "Great", "author": "Ann", "role": "Lead"}),
    ("resources", {"heading": "Read", "pages": []}),
    ("enrol_cta", {"heading": "Join", "text": "", "button_label": "Enrol now"}),
]


@pytest.mark.django_db
def test_program_page_renders_blocks_escaped(client, program_index):
    page = MentoringProgramPageFactory(parent=program_index, slug="p", title="P", body=BODY, goals="Retain <staff>")
    response = client.get(page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Retain &lt;managers&gt;" in html and "<managers>" not in html
    for text in ("Meet often", "Kick-off", "Who?", "Ann", "Enrol now"):
        assert text in html
    assert page.url + "enrol/" in html
    # The page's own goals show when its body has no goals block (else the block shows them, once).
    bare = MentoringProgramPageFactory(parent=program_index, slug="q", title="Q", goals="Retain <staff>")
    html = client.get(bare.url).content.decode()
    assert "Retain &lt;staff&gt;" in html and "<staff>" not in html


@pytest.mark.django_db
def test_index_lists_status_and_own_enrolment(client, program_index):
    today = timezone.localdate()
    open_ = MentoringProgramPageFactory(parent=program_index, slug="open", title="Open one")
    MentoringProgramPageFactory(parent=program_index, slug="closed", title="Closed one", enrolment_open=False)
    MentoringProgramPageFactory(
        parent=program_index, slug="late", title="Late one", enrolment_deadline=today - dt.timedelta(days=1)
    )
    user = UserFactory()
    EnrolmentFactory(program=open_, user=user, role="mentee", status="waitlisted")
    html = client.get(program_index.url).content.decode()
    assert "Enrolment is closed." in html and "The enrolment deadline has passed." in html
    assert "Waitlisted" not in html
    client.force_login(user)
    html = client.get(program_index.url).content.decode()
    assert "You applied as Mentee: Waitlisted." in html


@pytest.mark.django_db
def test_private_programs_hidden_and_protected(client, program_index):
    members = GroupFactory(name="members")
    private = MentoringProgramPageFactory(parent=program_index, slug="secret", title="Secret program")
    restriction = PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(members)
    outsider, member = UserFactory(), UserFactory()
    member.groups.add(members)

    assert "Secret program" not in client.get(program_index.url).content.decode()
    response = client.get(private.url)
    assert response.status_code == 302 and "login" in response["Location"]

    client.force_login(outsider)
    assert "Secret program" not in client.get(program_index.url).content.decode()
    assert client.get(private.url).status_code != 200
    assert client.get(private.url + "enrol/").status_code != 200

    client.force_login(member)
    assert "Secret program" in client.get(program_index.url).content.decode()
    assert client.get(private.url).status_code == 200
    assert client.get(private.url + "enrol/").status_code == 200


@pytest.mark.django_db
def test_login_restricted_program(client, program_index):
    page = MentoringProgramPageFactory(parent=program_index, slug="staff", title="Staff only")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert "Staff only" not in client.get(program_index.url).content.decode()
    client.force_login(UserFactory())
    assert "Staff only" in client.get(program_index.url).content.decode()
    inactive = UserFactory(is_active=False)
    from wagtail_mentoring.access.querysets import can_view_page

    assert not can_view_page(inactive, page)


def _index_queries(client, program_index, n, user):
    for i in range(n):
        page = MentoringProgramPageFactory(parent=program_index, slug=f"p{n}-{i}", title=f"P {i}")
        EnrolmentFactory(program=page, user=user, role="mentee", status="applied")
        if i % 3 == 0:
            r = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
            assert r.pk
    client.force_login(user)
    client.get(program_index.url)  # warm caches (site root paths, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(program_index.url)
    assert response.status_code == 200
    assert response.content.decode().count("You applied as") == n
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_index_query_count_constant(client, home_page):
    small = MentoringProgramIndexPageFactory(parent=home_page, slug="small", title="Small")
    big = MentoringProgramIndexPageFactory(parent=home_page, slug="big", title="Big")
    user = UserFactory()
    assert _index_queries(client, small, 5, user) == _index_queries(client, big, 50, user)


@pytest.mark.django_db
def test_unpublished_program_not_listed(client, program_index):
    page = MentoringProgramPageFactory(parent=program_index, slug="draft", title="Draft program")
    Page.objects.filter(pk=page.pk).update(live=False)
    assert "Draft program" not in client.get(program_index.url).content.decode()
