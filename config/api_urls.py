"""The public API, version 1 (API.md), and its OpenAPI schema and documentation."""

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import obtain_auth_token

from contacts import api as contacts_api

v1: list[URLPattern | URLResolver] = [
    path("auth/token/", obtain_auth_token, name="token"),
    path("municipalities/", contacts_api.MunicipalityList.as_view(), name="municipality-list"),
    path("wards/", contacts_api.WardList.as_view(), name="ward-list"),
    path("", include("handover.api_urls")),
]

urlpatterns = [
    path("v1/", include((v1, "api"), namespace="v1")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
]
