"""Blocks for mentoring program pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class ProgramStreamBlock(blocks.StreamBlock):
    """The body of a MentoringProgramPage."""

    paragraph = blocks.RichTextBlock(label=_("Paragraph"), icon="pilcrow")

    class Meta:
        label = _("Program content")
