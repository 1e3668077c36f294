"""The public API, version 1 (API.md), and its OpenAPI schema and documentation."""

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken

from config.examples import request, response
from contacts import api as contacts_api
from handover import api_urls as handover_api_urls


class TokenInput(AuthTokenSerializer):
    """Bounded credentials: an over-long name is refused before it reaches the login lockout."""

    username = serializers.CharField(label="Username", max_length=150, write_only=True)
    password = serializers.CharField(
        label="Password",
        max_length=4096,
        style={"input_type": "password"},
        trim_whitespace=False,
        write_only=True,
    )


class TokenView(ObtainAuthToken):
    serializer_class = TokenInput


token_view = extend_schema_view(
    post=extend_schema(
        examples=[
            request("Login", {"username": "municipal_nurse_herlev", "password": "…"}),
            response("Token", {"token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"}),
        ]
    )
)(TokenView).as_view()

# The handover API's patterns first (the look-up is called the most), in this list rather than
# included: an include("") is one more resolver for every request.
v1: list[URLPattern | URLResolver] = [
    *handover_api_urls.urlpatterns,
    path("auth/token/", token_view, name="token"),
    path("municipalities/", contacts_api.MunicipalityList.as_view(), name="municipality-list"),
    path("wards/", contacts_api.WardList.as_view(), name="ward-list"),
]

urlpatterns = [
    path("v1/", include((v1, "api"), namespace="v1")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
]
