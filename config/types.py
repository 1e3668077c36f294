"""Request types for views behind login_required, where the user is always a User."""

from typing import cast

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails
from rest_framework.request import Request

from accounts.models import User


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
    open_alert_count: int  # set by a page that counts the navigation's badge itself


def api_user(request: Request) -> User:
    """The caller of an API view; DRF's IsAuthenticated default guarantees a User."""
    return cast(User, request.user)
