"""Front-end URLs of the engagement loop: surveys, kudos, certificates, celebrations, preferences.

Included from ``wagtail_mentoring.urls`` (namespace ``wagtail_mentoring``).
"""

from django.urls import path

from wagtail_mentoring.notifications.views import PreferencesView
from wagtail_mentoring.recognition.views import CertificateView, KudosView, dismiss_celebration_view
from wagtail_mentoring.surveys.views import (
    BeforeLaunchSurveyView,
    ClosingSurveyView,
    MidpointSurveyView,
    PairingCheckView,
    ProgramSurveyView,
    SessionRatingView,
)

urlpatterns = [
    path("surveys/session/<int:pk>/", SessionRatingView.as_view(), name="survey_session"),
    path("surveys/pairing/<int:pk>/", PairingCheckView.as_view(), name="survey_pairing_check"),
    path("surveys/closing/<int:pk>/", ClosingSurveyView.as_view(), name="survey_closing"),
    path("surveys/program/<int:pk>/", ProgramSurveyView.as_view(), name="survey_program"),
    path("surveys/midpoint/<int:pk>/", MidpointSurveyView.as_view(), name="survey_midpoint"),
    path("surveys/before-launch/<int:pk>/", BeforeLaunchSurveyView.as_view(), name="survey_before_launch"),
    path("kudos/<int:pk>/", KudosView.as_view(), name="kudos"),
    path("certificate/<int:pk>/", CertificateView.as_view(), name="certificate"),
    path("celebrations/<int:pk>/dismiss/", dismiss_celebration_view, name="dismiss_celebration"),
    path("notifications/preferences/", PreferencesView.as_view(), name="notification_preferences"),
]
