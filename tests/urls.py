from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="tests/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("mentoring-app/", include("wagtail_mentoring.urls")),
    path("api/mentoring/", include("wagtail_mentoring.api.urls")),
    path("", include(wagtail_urls)),
]
