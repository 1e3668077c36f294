"""Health endpoints for the orchestrator and the load balancer.

``/healthz`` is liveness: the process answers. It reads nothing, so a database outage does not
get healthy web processes restarted. ``/readyz`` is readiness: this process can serve, because
it reaches the database and the Celery broker; 503 when one of them is out of reach.
"""

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from kombu.exceptions import KombuError

from config.celery import app

logger = logging.getLogger(__name__)

# Seconds the broker check may take: an orchestrator's probe gives up after a few.
BROKER_TIMEOUT = 2


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def database_reachable() -> bool:
    try:
        connection.ensure_connection()
        # A kept connection (CONN_MAX_AGE) may have been cut: Django's own health check.
        return connection.is_usable()
    except DatabaseError as error:
        logger.warning("readiness: database unreachable: %s", error)
        return False


def broker_reachable() -> bool:
    try:
        with app.connection_for_write() as broker:
            broker.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT
            )
    except (KombuError, OSError) as error:
        logger.warning("readiness: broker unreachable: %s", error)
        return False
    return True


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {"database": database_reachable(), "broker": broker_reachable()}
    ready = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if ready else "unavailable",
            "checks": {name: "ok" if ok else "unavailable" for name, ok in checks.items()},
        },
        status=200 if ready else 503,
    )
