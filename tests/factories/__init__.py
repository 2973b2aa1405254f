"""Test factories, one module per feature; the core ones are re-exported here."""

from tests.factories.core import (  # noqa: F401
    CheckInFactory,
    EnrolmentFactory,
    GroupFactory,
    InitiativeFactory,
    KeyResultFactory,
    MentoringProgramIndexPageFactory,
    MentoringProgramPageFactory,
    MentorshipFactory,
    ObjectiveFactory,
    OKRCycleFactory,
    RealignmentFactory,
    UserFactory,
    active_mentorship,
)
