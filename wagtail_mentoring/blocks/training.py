"""The training StreamField blocks, defined in ``wagtail_mentoring.training.blocks`` (this path stays public)."""

from wagtail_mentoring.training.blocks import (
    BookReferenceBlock,
    ChecklistBlock,
    DocumentBlock,
    ExternalLinkBlock,
    ISBNBlock,
    KeyTakeawaysBlock,
    ReflectionPromptBlock,
    TrainingStreamBlock,
    VideoBlock,
    normalise_isbn,
    validate_isbn,
)

__all__ = [
    "normalise_isbn",
    "validate_isbn",
    "ISBNBlock",
    "VideoBlock",
    "DocumentBlock",
    "ExternalLinkBlock",
    "BookReferenceBlock",
    "ChecklistBlock",
    "KeyTakeawaysBlock",
    "ReflectionPromptBlock",
    "TrainingStreamBlock",
]
