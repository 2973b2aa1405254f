"""Blocks for training resource pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class TrainingStreamBlock(blocks.StreamBlock):
    """The body of a TrainingResourcePage."""

    paragraph = blocks.RichTextBlock(label=_("Paragraph"), icon="pilcrow")

    class Meta:
        label = _("Resource content")
