"""API URLs: versioned routes under ``v1/``. Include at ``api/mentoring/``."""

from django.urls import path  # noqa: F401

app_name = "wagtail_mentoring_api"

urlpatterns: list = []
