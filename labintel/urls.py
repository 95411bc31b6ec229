from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for the compose healthcheck and load balancers: no database, no broker."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/", include("apps.events.api.urls")),
    path("digests/", include("apps.digests.urls")),
    path("", include("apps.dashboard.urls")),
]
