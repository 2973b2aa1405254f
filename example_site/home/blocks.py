"""StreamField blocks of the intranet's home page: headings, text, call-outs and quick links."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from wagtail_mentoring.blocks.portal import MyMentoringBlock


class HeadingBlock(blocks.CharBlock):
    """A second-level section heading (the page title is the only h1)."""

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "home/blocks/heading.html"


class CalloutBlock(blocks.StructBlock):
    """A highlighted notice with a title and a short text."""

    title = blocks.CharBlock(label=_("Title"))
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link"])

    class Meta:
        icon = "info-circle"
        label = _("Call-out")
        template = "home/blocks/callout.html"


class QuickLinkBlock(blocks.StructBlock):
    """One card of the quick-links grid: an internal page or a URL, with a one-line description."""

    title = blocks.CharBlock(label=_("Title"))
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.CharBlock(
        label=_("URL"), required=False, help_text=_("Used when no page is chosen, e.g. /mentoring/.")
    )
    description = blocks.CharBlock(label=_("Description"), required=False)

    class Meta:
        icon = "link"
        label = _("Quick link")


class QuickLinksBlock(blocks.StructBlock):
    """A titled grid of quick links."""

    title = blocks.CharBlock(label=_("Title"))
    links = blocks.ListBlock(QuickLinkBlock(), label=_("Links"))

    class Meta:
        icon = "list-ul"
        label = _("Quick links")
        template = "home/blocks/quick_links.html"


BODY_BLOCKS = [
    ("heading", HeadingBlock()),
    ("paragraph", blocks.RichTextBlock(label=_("Paragraph"))),
    ("callout", CalloutBlock()),
    ("quick_links", QuickLinksBlock()),
    ("my_mentoring", MyMentoringBlock()),
]
