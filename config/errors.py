"""Errors every page and API call can meet: the database out of reach (503), anything else (500).

With PostgreSQL down no page can be shown (the session, the user and the data all live there),
so the answer is a Danish 503 that tells the nurse what to do instead: use the last printed
downtime list (handover:board_print, or its CSV) and the ward's numbers on the pocket card. The
API answers the same in its error shape. Django wraps psycopg's and sqlite3's connection errors
in django.db's ``OperationalError`` and ``InterfaceError``.

Two hooks, one answer: the middleware's ``process_exception`` sees what a view raises (and
answers in DEBUG as well); ``server_error``, the root URLconf's handler500, sees what a
middleware raises, such as reading the session, which Django turns into a 500 before any outer
middleware could catch it.
"""

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.defaults import server_error as page_server_error

logger = logging.getLogger(__name__)

DATABASE_UNREACHABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503: rendered without the request, so that no context processor reads the database."""
    if request.path.startswith("/api/"):
        detail = _(
            "Systemet kan ikke nå sin database lige nu. Brug den senest udskrevne nedetidsliste "
            "og afdelingens telefonnumre på lommekortet, og prøv igen om lidt."
        )
        response: HttpResponse = JsonResponse({"detail": detail, "errors": {}}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_UNREACHABLE):
            return None
        logger.warning("database unreachable: %s", exception)
        return database_unavailable(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. Django calls it while it handles the exception, which ``sys.exc_info`` holds
    (handler500 is given only the request)."""
    if isinstance(sys.exc_info()[1], DATABASE_UNREACHABLE):
        return database_unavailable(request)
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("Der opstod en fejl i systemet. Prøv igen om lidt."), "errors": {}},
            status=500,
        )
    return page_server_error(request)
