"""StreamField blocks of the intranet's home page: headings, text, call-outs and quick links."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from wagtail_mentoring.blocks.portal import MyMentoringBlock

#: A quick link's audience: visitors who have not logged in, or people who have.
ANONYMOUS, AUTHENTICATED = "anonymous", "authenticated"


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
    audience = blocks.ChoiceBlock(
        label=_("Shown to"),
        choices=[
            ("", _("Everyone")),
            (ANONYMOUS, _("Visitors who have not logged in")),
            (AUTHENTICATED, _("People who have logged in")),
        ],
        required=False,
        help_text=_("e.g. a 'Log in' link only for visitors who have not logged in."),
    )

    class Meta:
        icon = "link"
        label = _("Quick link")


def shown_to(link, user) -> bool:
    """Whether the quick link ``link`` is shown to ``user`` (its ``audience``; everyone when unset)."""
    audience = link.get("audience") or ""
    if audience == ANONYMOUS:
        return not user.is_authenticated
    if audience == AUTHENTICATED:
        return user.is_authenticated
    return True


class QuickLinksBlock(blocks.StructBlock):
    """A titled grid of quick links; each is shown to its audience only."""

    title = blocks.CharBlock(label=_("Title"))
    links = blocks.ListBlock(QuickLinkBlock(), label=_("Links"))

    class Meta:
        icon = "list-ul"
        label = _("Quick links")
        template = "home/blocks/quick_links.html"

    def get_context(self, value, parent_context=None):
        """Adds ``links``: the links shown to the requesting user (:func:`shown_to`)."""
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        user = getattr(request, "user", None) or AnonymousUser()
        context["links"] = [link for link in value["links"] if shown_to(link, user)]
        return context


BODY_BLOCKS = [
    ("heading", HeadingBlock()),
    ("paragraph", blocks.RichTextBlock(label=_("Paragraph"))),
    ("callout", CalloutBlock()),
    ("quick_links", QuickLinksBlock()),
    ("my_mentoring", MyMentoringBlock()),
]
