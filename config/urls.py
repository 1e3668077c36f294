from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from django.views.i18n import set_language

from accounts.views import home
from config import converters  # noqa: F401  (registers the "id" path converter)
from config.errors import server_error
from config.health import healthz, readyz


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """API clients get the API's error shape for an unknown path, people the page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Findes ikke."), "errors": {}}, status=404)
    return page_not_found(request, exception)


handler404 = not_found
handler500 = server_error

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("api/", include("config.api_urls")),  # first: integrations call it the most
    path("konto/", include("accounts.urls")),
    path("telefonliste/", include("contacts.urls")),
    path("", include("handover.urls")),
    path("haendelser/", include("incidents.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
