"""Blocks for training resource pages: text, media, references, checklists and reflection prompts."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock


def normalise_isbn(value: str) -> str:
    """``value`` without spaces and hyphens, upper-cased (``"978-0-13-468599-1"`` -> ``"9780134685991"``)."""
    return re.sub(r"[\s-]", "", value or "").upper()


def validate_isbn(value: str) -> None:
    """Accept a valid ISBN-10 or ISBN-13 (hyphens and spaces allowed); raise ValidationError otherwise."""
    isbn = normalise_isbn(value)
    if re.fullmatch(r"\d{9}[\dX]", isbn):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(isbn))
        valid = total % 11 == 0
    elif re.fullmatch(r"97[89]\d{10}", isbn):
        total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(isbn))
        valid = total % 10 == 0
    else:
        valid = False
    if not valid:
        raise ValidationError(_("Enter a valid ISBN-10 or ISBN-13."), code="invalid_isbn")


class ISBNBlock(blocks.CharBlock):
    """An ISBN-10 or ISBN-13, checksum validated."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("validators", [validate_isbn])
        super().__init__(**kwargs)


class VideoBlock(blocks.StructBlock):
    """An embedded video (YouTube, Vimeo...) with a caption and an optional transcript."""

    video = EmbedBlock(label=_("Video URL"), help_text=_("A YouTube, Vimeo or other oEmbed URL."))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=255)
    transcript = blocks.TextBlock(label=_("Transcript"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "wagtail_mentoring/blocks/video.html"


class DocumentBlock(blocks.StructBlock):
    """A downloadable document from the Wagtail documents library."""

    document = DocumentChooserBlock(label=_("Document"))
    description = blocks.CharBlock(label=_("Description"), required=False, max_length=255)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "wagtail_mentoring/blocks/document.html"


class ExternalLinkBlock(blocks.StructBlock):
    """A link to an article, course or tool elsewhere on the web."""

    url = blocks.URLBlock(label=_("URL"))
    title = blocks.CharBlock(label=_("Link text"), max_length=255)
    description = blocks.TextBlock(label=_("Description"), required=False)

    class Meta:
        icon = "link-external"
        label = _("External link")
        template = "wagtail_mentoring/blocks/external_link.html"


class BookReferenceBlock(blocks.StructBlock):
    """A book: title, author, ISBN (validated) and why it is worth reading."""

    title = blocks.CharBlock(label=_("Title"), max_length=255)
    author = blocks.CharBlock(label=_("Author"), max_length=255)
    isbn = ISBNBlock(label=_("ISBN"), required=False, help_text=_("ISBN-10 or ISBN-13; hyphens are allowed."))
    publisher = blocks.CharBlock(label=_("Publisher"), required=False, max_length=255)
    year = blocks.IntegerBlock(label=_("Year"), required=False, min_value=1450, max_value=2100)
    note = blocks.TextBlock(label=_("Why read it"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Book reference")
        template = "wagtail_mentoring/blocks/book_reference.html"


class ChecklistBlock(blocks.StructBlock):
    """A list of concrete steps to tick off."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=255)
    items = blocks.ListBlock(blocks.CharBlock(label=_("Step"), max_length=500), label=_("Steps"), min_num=1)

    class Meta:
        icon = "tasks"
        label = _("Checklist")
        template = "wagtail_mentoring/blocks/checklist.html"


class KeyTakeawaysBlock(blocks.StructBlock):
    """The few things a reader should remember."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=255, default=_("Key takeaways"))
    items = blocks.ListBlock(blocks.CharBlock(label=_("Takeaway"), max_length=500), label=_("Takeaways"), min_num=1)

    class Meta:
        icon = "pick"
        label = _("Key takeaways")
        template = "wagtail_mentoring/blocks/key_takeaways.html"


class ReflectionPromptBlock(blocks.StructBlock):
    """A question for mentors or mentees to reflect on, alone or together."""

    prompt = blocks.TextBlock(label=_("Prompt"))
    guidance = blocks.TextBlock(label=_("Guidance"), required=False)

    class Meta:
        icon = "help"
        label = _("Reflection prompt")
        template = "wagtail_mentoring/blocks/reflection_prompt.html"


class TrainingStreamBlock(blocks.StreamBlock):
    """The body of a TrainingResourcePage."""

    paragraph = blocks.RichTextBlock(label=_("Paragraph"), icon="pilcrow")
    video = VideoBlock()
    document = DocumentBlock()
    external_link = ExternalLinkBlock()
    book = BookReferenceBlock()
    checklist = ChecklistBlock()
    key_takeaways = KeyTakeawaysBlock()
    reflection_prompt = ReflectionPromptBlock()

    class Meta:
        label = _("Resource content")
