"""Page types, creation rules, blocks and page API fields of the training library."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from wagtail_mentoring.blocks.training import BookReferenceBlock, TrainingStreamBlock, validate_isbn
from wagtail_mentoring.models import MentoringProgramIndexPage, TrainingLibraryPage, TrainingResourcePage
from wagtail_mentoring.training.models import LearningPath


class TestCreationRules(WagtailPageTestCase):
    def test_library_can_be_created_under_any_page(self):
        self.assertCanCreateAt(Page, TrainingLibraryPage)

    def test_resource_only_under_library(self):
        self.assertCanCreateAt(TrainingLibraryPage, TrainingResourcePage)
        self.assertCanNotCreateAt(Page, TrainingResourcePage)
        self.assertCanNotCreateAt(MentoringProgramIndexPage, TrainingResourcePage)

    def test_allowed_subpage_types(self):
        self.assertAllowedSubpageTypes(TrainingLibraryPage, {TrainingResourcePage})
        self.assertAllowedSubpageTypes(TrainingResourcePage, set())
        self.assertAllowedParentPageTypes(TrainingResourcePage, {TrainingLibraryPage})


@pytest.mark.parametrize("isbn", ["978-0-13-468599-1", "9780134685991", "0-306-40615-2", "080442957X"])
def test_valid_isbn(isbn):
    validate_isbn(isbn)


@pytest.mark.parametrize("isbn", ["978-0-13-468599-2", "12345", "0-306-40615-3", "abcdefghij", ""])
def test_invalid_isbn(isbn):
    with pytest.raises(ValidationError):
        validate_isbn(isbn)


def test_book_block_rejects_bad_isbn():
    block = BookReferenceBlock()
    value = block.to_python({"title": "Book", "author": "A. Author", "isbn": "978-0-00-000000-1"})
    with pytest.raises(ValidationError):
        block.clean(value)
    ok = block.to_python({"title": "Book", "author": "A. Author", "isbn": "978-0-13-468599-1"})
    assert block.clean(ok)["isbn"] == "978-0-13-468599-1"


def test_stream_block_has_every_family():
    names = set(TrainingStreamBlock().child_blocks)
    assert names == {
        "paragraph",
        "video",
        "document",
        "external_link",
        "book",
        "checklist",
        "key_takeaways",
        "reflection_prompt",
    }
    for name in names - {"paragraph"}:
        meta = TrainingStreamBlock().child_blocks[name].meta
        assert meta.template.startswith("wagtail_mentoring/blocks/")
        assert meta.icon


def test_api_fields():
    resource_fields = {f.name for f in TrainingResourcePage.api_fields}
    assert {"resource_type", "audience", "duration_minutes", "summary", "body", "topic_names"} <= resource_fields
    assert {f.name for f in TrainingLibraryPage.api_fields} == {"intro"}


@pytest.mark.django_db
def test_resource_page_renders_blocks_escaped(client, library):
    from tests.factories.training import TrainingResourcePageFactory

    page = TrainingResourcePageFactory(
        parent=library,
        title="Feedback <script>",
        duration_minutes=90,
        body=[
            ("paragraph", "<p>Hello</p>"),
            ("book", {"title": "Radical Candor", "author": "Kim Scott", "isbn": "9781250103505", "note": "<b>x</b>"}),
            ("checklist", {"heading": "Before", "items": ["Agree an agenda", "Book a room"]}),
            ("key_takeaways", {"heading": "", "items": ["Care personally"]}),
            ("reflection_prompt", {"prompt": "When did feedback help you?", "guidance": ""}),
            ("external_link", {"url": "https://example.com/a", "title": "Read more", "description": ""}),
        ],
    )
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Radical Candor" in html and "Kim Scott" in html and "9781250103505" in html
    assert "Agree an agenda" in html and "Care personally" in html and "When did feedback help you?" in html
    assert "1 h 30 min" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "Feedback &lt;script&gt;" in html
    assert "Log in to track your progress" in html


@pytest.mark.django_db
def test_topic_names_for_the_api(library, resources):
    page = resources["listening"]
    assert sorted(page.topic_names) == ["feedback", "listening"]


def test_learning_path_str():
    assert str(LearningPath(title="Mentor onboarding")) == "Mentor onboarding"
