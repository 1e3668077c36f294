"""The login lockout's answer: the account is locked, and until when.

django-axes locks a user name at one client address (``AXES_LOCKOUT_PARAMETERS``) until
``AXES_COOLOFF_TIME`` has passed since the last failure that counted. The login page (axes calls
``lockout_page`` as ``AXES_LOCKOUT_CALLABLE``) and the token endpoint (``accounts.api``, where
axes' flag stays on DRF's request and never reaches axes' middleware) both name that moment in
local time and send ``Retry-After``.
"""

import math
from datetime import datetime
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException


def locked_until(request: Any, credentials: dict[str, Any] | None) -> datetime:
    """When the lock on ``credentials``' user name at ``request``'s address ends.

    Axes counts the failures newer than the cool-off (its database handler, the one settings
    leave in place); the lock ends a cool-off after the newest of them.
    """
    attempts = AxesDatabaseHandler().get_user_attempts(request, credentials)
    times = [each.aggregate(last=Max("attempt_time"))["last"] for each in attempts]
    last = max((moment for moment in times if moment is not None), default=timezone.now())
    cool_off = get_cool_off(request)
    return last + cool_off if cool_off is not None else last


def seconds_until(moment: datetime) -> int:
    return max(0, math.ceil((moment - timezone.now()).total_seconds()))


def lockout_message(until: datetime) -> str:
    local = timezone.localtime(until)
    return _(
        "Kontoen er låst indtil kl. %(time)s den %(date)s efter for mange mislykkede "
        "log-ind-forsøg. Prøv igen derefter, eller kontakt din administrator."
    ) % {"time": local.strftime("%H:%M"), "date": local.strftime("%d.%m.%Y")}


def lockout_page(
    request: HttpRequest,
    original_response: HttpResponse | None,
    credentials: dict[str, Any] | None,
) -> HttpResponse:
    """The login page's answer to a locked user name (``AXES_LOCKOUT_CALLABLE``)."""
    until = locked_until(request, credentials)
    response = render(
        request,
        "accounts/locked_out.html",
        {"message": lockout_message(until)},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
    )
    response["Retry-After"] = str(seconds_until(until))
    return response


class AccountLocked(APIException):
    """The token endpoint's answer to a locked user name: 429, and DRF's exception handler
    sends ``wait`` as ``Retry-After``."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self, until: datetime) -> None:
        super().__init__(lockout_message(until))
        self.wait = seconds_until(until)
