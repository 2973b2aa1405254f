"""StreamField blocks, one module per family, re-exported here.

The program and training blocks are defined with their feature (``programs.blocks``,
``training.blocks``) so that the page models need not import this package, which also holds the
"My mentoring" portal block (a front-end surface).
"""

from wagtail_mentoring.programs.blocks import ProgramStreamBlock
from wagtail_mentoring.training.blocks import TrainingStreamBlock

__all__ = ["ProgramStreamBlock", "TrainingStreamBlock"]
