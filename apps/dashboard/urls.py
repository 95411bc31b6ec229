from django.urls import path

from apps.dashboard.views import entity, home, storyline

app_name = "dashboard"
urlpatterns = [
    path("", home.home, name="home"),
    path("storylines/<slug:slug>/", storyline.storyline, name="storyline"),
    path("entities/<slug:slug>/", entity.entity, name="entity"),
]
