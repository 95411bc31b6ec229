from django.urls import path

from apps.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("storylines/<slug:slug>/", views.storyline, name="storyline"),
    path("entities/<slug:slug>/", views.entity, name="entity"),
]
