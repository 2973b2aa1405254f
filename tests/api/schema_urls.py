"""A URLconf holding only the mentoring API, for generating and validating its schema."""

from django.urls import include, path

urlpatterns = [path("api/mentoring/", include("wagtail_mentoring.api.urls"))]
