"""Signing in by password, session and API token, with the signed-in users kept in each process.

Every request needs its user with her organisation, and every API request its token as well,
while users and tokens change seldom: each process keeps those it has read (``config.kept``)
until a user, a token or an organisation is saved or deleted anywhere. A sign-in only stamps the
user's last login, which changes nothing kept.
"""

import copy
from typing import Any, cast

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.request import Request

from accounts.models import User
from config.kept import Kept

CREDENTIALS = Kept("credentials:version")


def only_last_login(update_fields: frozenset[str] | None = None, **_signal: object) -> bool:
    return update_fields == frozenset({"last_login"})


ORGANISATION = ("ward__hospital", "hospital", "municipality", "region")


def kept_user(user_id: Any) -> User | None:
    """The user with her ward (with its hospital), hospital, municipality and region; a copy of
    the kept one, so that a request may change its own."""
    user = CREDENTIALS.get(
        "user",
        str(user_id),
        lambda: User._default_manager.select_related(*ORGANISATION).filter(pk=user_id).first(),
    )
    return copy.copy(user)


def _token_with_user(key: str) -> Token | None:
    """The token, read with its user and her organisation in one query; the user is kept too,
    unless she is already: the first request with a token costs one query, not two."""
    token = (
        Token.objects.select_related(*(f"user__{path}" for path in ORGANISATION))
        .filter(key=key)
        .first()
    )
    if token is not None:
        CREDENTIALS.get("user", str(token.user_id), lambda: token.user)
    return token


class OrganisationBackend(ModelBackend):
    """Every page names the user's organisation and scopes its queries by it: the user is read
    with her organisation, once per process."""

    def get_user(self, user_id: Any) -> User | None:
        user = kept_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class KeptTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, with the token and its user kept in the process."""

    def authenticate_credentials(self, key: str) -> tuple[User, Token]:
        token = CREDENTIALS.get("token", key, lambda: _token_with_user(key))
        user = kept_user(token.user_id) if token is not None else None
        if token is None or user is None:
            raise exceptions.AuthenticationFailed(_("Ugyldigt token."))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("Brugeren er inaktiv eller slettet."))
        return user, token

    def authenticate_django(self, request: HttpRequest) -> tuple[User, Token] | None:
        """``authenticate`` for a view without DRF's request: the header is all it reads."""
        return cast(tuple[User, Token] | None, self.authenticate(cast(Request, request)))
