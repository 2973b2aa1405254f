"""The program StreamField blocks, defined in ``wagtail_mentoring.programs.blocks`` (this path stays public)."""

from wagtail_mentoring.programs.blocks import (
    TEMPLATE_DIR,
    EnrolCallToActionBlock,
    FAQBlock,
    FAQItemBlock,
    MilestoneBlock,
    ProgramGoalsBlock,
    ProgramStreamBlock,
    QuoteBlock,
    ResourceHighlightsBlock,
    RoleExpectationsBlock,
    TimelineBlock,
)

__all__ = [
    "TEMPLATE_DIR",
    "ProgramGoalsBlock",
    "RoleExpectationsBlock",
    "MilestoneBlock",
    "TimelineBlock",
    "FAQItemBlock",
    "FAQBlock",
    "QuoteBlock",
    "ResourceHighlightsBlock",
    "EnrolCallToActionBlock",
    "ProgramStreamBlock",
]
