"""URLs of the training feature: completion, my learning, events and calendar feeds."""

from django.urls import path

from wagtail_mentoring.training import views

app_name = "training"

urlpatterns = [
    path("resources/<int:pk>/done/", views.ResourceCompletionView.as_view(done=True), name="resource_done"),
    path("resources/<int:pk>/undone/", views.ResourceCompletionView.as_view(done=False), name="resource_undone"),
    path("my-learning/", views.MyLearningView.as_view(), name="my_learning"),
    path("events/", views.EventListView.as_view(), name="event_list"),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="event_detail"),
    path("events/<int:pk>/register/", views.EventActionView.as_view(action="register"), name="event_register"),
    path("events/<int:pk>/cancel/", views.EventActionView.as_view(action="cancel"), name="event_cancel"),
    path("events/<int:pk>/event.ics", views.EventICalView.as_view(), name="event_ics"),
    path("calendar/my-events.ics", views.MyCalendarView.as_view(), name="my_calendar"),
    path("calendar/feed/<str:token>.ics", views.CalendarFeedView.as_view(), name="calendar_feed"),
]
