"""StreamField blocks, one module per family, re-exported here."""

from wagtail_mentoring.blocks.program import ProgramStreamBlock
from wagtail_mentoring.blocks.training import TrainingStreamBlock

__all__ = ["ProgramStreamBlock", "TrainingStreamBlock"]
