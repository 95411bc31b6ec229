from django.urls import path, re_path

from apps.events.api import views

app_name = "api"

urlpatterns = [
    path("", views.index, name="index"),
    path("events/", views.events, name="events"),
    path("events/<int:pk>/", views.event, name="event"),
    path("entities/", views.entities, name="entities"),
    path("entities/<slug:slug>/", views.entity, name="entity"),
    path("storylines/", views.storylines, name="storylines"),
    path("storylines/<slug:slug>/", views.storyline, name="storyline"),
    # Only paths ending in "/": without it, "events" (no slash) would be answered here instead of
    # being redirected to "events/" by APPEND_SLASH.
    re_path(r"^.+/$", views.not_found),
]
