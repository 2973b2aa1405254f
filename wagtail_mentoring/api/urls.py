"""API URLs: versioned routes under ``v1/``. Include at ``api/mentoring/``.

Example::

    path("api/mentoring/", include("wagtail_mentoring.api.urls")),
"""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from wagtail_mentoring.api import views
from wagtail_mentoring.api.schema import DocsView, SchemaView, docs_asset

app_name = "wagtail_mentoring_api"

router = DefaultRouter()
router.register("programs", views.ProgramViewSet, basename="program")
router.register("enrolments", views.EnrolmentViewSet, basename="enrolment")
router.register("mentorships", views.MentorshipViewSet, basename="mentorship")
router.register("objectives", views.ObjectiveViewSet, basename="objective")
router.register("objective-templates", views.ObjectiveTemplateViewSet, basename="objective-template")
router.register("key-results", views.KeyResultViewSet, basename="key-result")
router.register("check-ins", views.CheckInViewSet, basename="check-in")
router.register("realignments", views.RealignmentViewSet, basename="realignment")
router.register("initiatives", views.InitiativeViewSet, basename="initiative")
router.register("sessions", views.SessionViewSet, basename="session")
router.register("groups", views.GroupViewSet, basename="group")
router.register("group-sessions", views.GroupSessionViewSet, basename="group-session")
router.register("availability-slots", views.AvailabilitySlotViewSet, basename="availability-slot")
router.register("mentor-suggestions", views.MentorSuggestionViewSet, basename="mentor-suggestion")
router.register("mentorship-requests", views.MentorshipRequestViewSet, basename="mentorship-request")
router.register("feedback", views.FeedbackViewSet, basename="feedback")
router.register("skill-ratings", views.SkillRatingViewSet, basename="skill-rating")
router.register("training-resources", views.TrainingResourceViewSet, basename="training-resource")
router.register("completions", views.CompletionViewSet, basename="completion")
router.register("events", views.EventViewSet, basename="event")
router.register("registrations", views.RegistrationViewSet, basename="registration")

urlpatterns = [
    path("v1/me/", views.MeView.as_view(), name="me"),
    path("v1/schema/", SchemaView.as_view(), name="schema"),
    path("v1/docs/", DocsView.as_view(url_name="wagtail_mentoring_api:schema"), name="docs"),
    # Swagger UI's own files, from drf-spectacular-sidecar: the docs page loads nothing from a CDN.
    path("v1/docs/assets/<str:name>", docs_asset, name="docs_asset"),
    path("v1/", include(router.urls)),
]
