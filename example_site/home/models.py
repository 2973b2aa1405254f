"""The intranet's home page: a portal page editors compose from blocks."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from wagtail_mentoring.blocks.portal import MyMentoringBlock


class HomePage(Page):
    """The company portal's home page."""

    body = StreamField(
        [
            ("paragraph", blocks.RichTextBlock(label=_("Paragraph"))),
            ("my_mentoring", MyMentoringBlock()),
        ],
        blank=True,
        verbose_name=_("body"),
    )

    content_panels = Page.content_panels + [FieldPanel("body")]

    class Meta:
        verbose_name = _("home page")
