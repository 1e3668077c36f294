"""The public API, version 1 (API.md), and its OpenAPI schema and documentation."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import api as accounts_api
from contacts import api_urls as contacts_api_urls
from handover import api_urls as handover_api_urls
from incidents import api_urls as incidents_api_urls

v1 = [
    path("auth/token/", accounts_api.token_view, name="token"),
    path("auth/logout/", accounts_api.logout_view, name="logout"),
    path("auth/logout-all/", accounts_api.logout_all_view, name="logout-all"),
    *contacts_api_urls.urlpatterns,
    *handover_api_urls.urlpatterns,
    *incidents_api_urls.urlpatterns,
]

urlpatterns = [
    path("v1/", include((v1, "api"), namespace="v1")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
]
