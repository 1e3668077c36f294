"""Signing in to the API: a token for a username and password, and signing out again.

The tokens are django-rest-knox's: stored as a hash, one per sign-in (a device), ending after
``REST_KNOX["TOKEN_TTL"]``. Signing out revokes the calling token, or every token of the caller.
"""

from typing import Any

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from knox import views as knox_views
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.auth import TokenAuthentication
from accounts.lockout import AccountLocked, locked_until
from api.examples import request, response
from api.parsers import JSONParser
from api.schema import ErrorOutput


class TokenScheme(KnoxTokenScheme):
    """The schema names the scheme as before the tokens moved to knox: ``Token <token>``."""

    target_class = "accounts.auth.TokenAuthentication"
    name = "tokenAuth"


class TokenInput(AuthTokenSerializer):
    """Bounded credentials: an over-long name is refused before it reaches the login lockout."""

    # DRF's serializer hands the request to `authenticate`, as the lockout (axes) needs.

    username = serializers.CharField(label="Username", max_length=150, write_only=True)
    password = serializers.CharField(
        label="Password",
        max_length=4096,
        style={"input_type": "password"},
        trim_whitespace=False,
        write_only=True,
    )


class TokenOutput(serializers.Serializer[Any]):
    token = serializers.CharField(help_text="`Authorization: Token <token>`")
    expiry = serializers.DateTimeField(help_text="Tokenet virker til dette tidspunkt.")


class TokenView(knox_views.LoginView):
    """A new token at each sign-in, valid for a shift; send it as `Authorization: Token <token>`.

    Five failed sign-ins for a user name from one address lock that name at that address for a
    while: 429, with the end of the lock in `detail` and the seconds until then in `Retry-After`.
    """

    # The credentials come in the body, not in a session or a token.
    authentication_classes = ()
    permission_classes = (AllowAny,)
    parser_classes = (JSONParser,)  # the API reads JSON only

    def post(self, request: Request, format: str | None = None) -> Response:
        credentials = TokenInput(data=request.data, context={"request": request})
        if not credentials.is_valid():
            # Axes flags DRF's request, which its middleware never sees: answer here.
            if getattr(request, "axes_locked_out", False):
                raise AccountLocked(
                    locked_until(request, getattr(request, "axes_credentials", None))
                )
            raise ValidationError(credentials.errors)
        request.user = credentials.validated_data["user"]
        # Knox's view makes the token and sends user_logged_in: Django records last_login, and
        # axes logs the sign-in (opening a session to hash into its log) and forgets this
        # address's failures for the user name, as after a sign-in on the page.
        answer: Response = super().post(request, format)
        return answer


class LogoutView(knox_views.LogoutView):
    """Revoke the token that calls: this device signs in again, the others keep theirs."""

    authentication_classes = (TokenAuthentication,)


class LogoutAllView(knox_views.LogoutAllView):
    """Revoke every token of the caller: every device signs in again."""

    authentication_classes = (TokenAuthentication,)


REVOKED = OpenApiResponse(
    ErrorOutput,
    description="Ikke logget ind (tokenet er udløbet eller tilbagekaldt)",
    examples=[response("Tilbagekaldt", {"detail": "Ugyldigt token.", "errors": {}})],
)

token_view = extend_schema_view(
    post=extend_schema(
        summary="Log ind: et token for brugernavn og adgangskode",
        request=TokenInput,
        responses={
            200: TokenOutput,
            429: OpenApiResponse(
                ErrorOutput,
                description=(
                    "Kontoen er låst efter for mange mislykkede log-ind-forsøg fra denne "
                    "adresse; `Retry-After` giver sekunderne til låsen ophører"
                ),
            ),
        },
        examples=[
            request("Login", {"username": "municipal_nurse_herlev", "password": "…"}),
            response(
                "Token",
                {
                    "token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b4b4f6c1e9b1f0a3c2d5e7f81",
                    "expiry": "2026-11-24T23:40:00+01:00",
                },
            ),
        ],
    )
)(TokenView).as_view()

logout_view = extend_schema_view(
    post=extend_schema(
        summary="Log ud: tilbagekald det token, der kalder",
        request=None,
        responses={204: None, 401: REVOKED},
    )
)(LogoutView).as_view()

logout_all_view = extend_schema_view(
    post=extend_schema(
        summary="Log ud overalt: tilbagekald alle brugerens tokens",
        request=None,
        responses={204: None, 401: REVOKED},
    )
)(LogoutAllView).as_view()
