from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET
from django.views.generic import RedirectView


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for the compose healthcheck and load balancers: no database, no broker."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    # Until the dashboard arrives, the admin is where sources and articles are read.
    path("", RedirectView.as_view(pattern_name="admin:index"), name="home"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/", include("apps.events.api.urls")),
]
