"""Request types for views behind login_required, where the user is always a User."""

from typing import cast

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails
from rest_framework import exceptions
from rest_framework.request import Request

from accounts.models import User


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


def api_user(request: Request) -> User:
    """The caller of an API view; DRF's IsAuthenticated default guarantees a User."""
    return cast(User, request.user)


def api_reader(request: Request) -> User:
    """The caller of an API view that reads discharges, their calls or alerts by list or by id.

    GPs and the acute line only look a citizen up (``POST /api/v1/lookup/``): one at a time,
    by CPR number, within the limit and logged. Reading by id would let them walk every open
    period of their region, so they are refused here (403, whatever the id).
    """
    user = api_user(request)
    if user.is_caller:
        raise exceptions.PermissionDenied(_("Din rolle kan kun slå borgere op på CPR-nummer."))
    return user
