"""Imports every model so Django and migrations see them; nothing is defined here."""

from wagtail_mentoring.access.models import (  # noqa: F401
    MentorshipGroupObjectPermission,
    MentorshipUserObjectPermission,
    ProgramGroupObjectPermission,
    ProgramUserObjectPermission,
)
from wagtail_mentoring.dashboards.models import MentoringDashboardPage  # noqa: F401, E402
from wagtail_mentoring.notifications.models import (  # noqa: F401
    NotificationPreference,
    ReminderLog,
    WebhookDelivery,
    WebhookEndpoint,
)
from wagtail_mentoring.programs.models import (  # noqa: F401
    AvailabilitySlot,
    Enrolment,
    Feedback,
    GroupMember,
    GroupSession,
    JourneyStepCompletion,
    MatchingRun,
    MentoringGroup,
    MentoringProfile,
    MentoringProgramIndexPage,
    MentoringProgramPage,
    MentoringSession,
    Mentorship,
    MentorshipRequest,
)
from wagtail_mentoring.recognition.models import Achievement, Celebration, Kudos  # noqa: F401
from wagtail_mentoring.reports.models import Outcome  # noqa: F401
from wagtail_mentoring.skills.models import ProgramSkill, SkillRating  # noqa: F401
from wagtail_mentoring.snippets.library import ObjectiveTemplate, ObjectiveTemplateKeyResult  # noqa: F401
from wagtail_mentoring.snippets.models import (  # noqa: F401
    CheckIn,
    Initiative,
    KeyResult,
    Objective,
    OKRCycle,
    Realignment,
)
from wagtail_mentoring.surveys.models import SurveyFormField, SurveyPage  # noqa: F401
from wagtail_mentoring.training.models import (  # noqa: F401
    LearningPath,
    LearningPathItem,
    TrainingCompletion,
    TrainingEvent,
    TrainingLibraryPage,
    TrainingRegistration,
    TrainingResourcePage,
)

__all__ = [
    "Achievement",
    "AvailabilitySlot",
    "Celebration",
    "Kudos",
    "NotificationPreference",
    "Outcome",
    "ReminderLog",
    "WebhookDelivery",
    "WebhookEndpoint",
    "CheckIn",
    "Enrolment",
    "Feedback",
    "GroupMember",
    "GroupSession",
    "SurveyFormField",
    "SurveyPage",
    "Initiative",
    "JourneyStepCompletion",
    "MentorshipRequest",
    "KeyResult",
    "LearningPath",
    "LearningPathItem",
    "MatchingRun",
    "MentoringDashboardPage",
    "MentoringGroup",
    "MentoringProfile",
    "MentoringProgramIndexPage",
    "MentoringProgramPage",
    "MentoringSession",
    "Mentorship",
    "MentorshipGroupObjectPermission",
    "MentorshipUserObjectPermission",
    "OKRCycle",
    "SkillRating",
    "Objective",
    "ObjectiveTemplate",
    "ObjectiveTemplateKeyResult",
    "ProgramGroupObjectPermission",
    "ProgramSkill",
    "ProgramUserObjectPermission",
    "TrainingCompletion",
    "TrainingEvent",
    "TrainingLibraryPage",
    "TrainingRegistration",
    "TrainingResourcePage",
]
