"""Non-page URLs of wagtail-mentoring (calendar feeds, actions). Include at any prefix.

Example::

    path("mentoring-app/", include("wagtail_mentoring.urls")),
    path("api/mentoring/", include("wagtail_mentoring.api.urls")),
"""

from django.urls import include, path

app_name = "wagtail_mentoring"

urlpatterns = [
    path("training/", include("wagtail_mentoring.training.urls")),
    path("dashboard/", include("wagtail_mentoring.dashboards.urls")),
    path("", include("wagtail_mentoring.engagement_urls")),
]
