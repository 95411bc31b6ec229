from django.urls import path

from apps.digests import views

app_name = "digests"
urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("follow/<str:token>/", views.follow, name="follow"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("manage/<str:token>/preview/", views.preview, name="preview"),
    path("manage/<str:token>/resubscribe/", views.resubscribe, name="resubscribe"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
