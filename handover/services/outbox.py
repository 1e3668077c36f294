"""Asking a worker to deliver outbox rows now (the re-send sweep delivers what it cannot)."""

import logging
from collections.abc import Iterable

from celery import current_app

logger = logging.getLogger(__name__)

# Named, not imported: the tasks module calls the services that queue rows.
DELIVER_TASK = "handover.tasks.deliver_notification"


def enqueue_delivery(ids: Iterable[int]) -> None:
    """Ask a worker to send these rows now. A broker failure is logged, never raised: the rows
    are safe in the outbox and the re-send sweep will deliver them."""
    for notification_id in ids:
        try:
            current_app.send_task(DELIVER_TASK, (notification_id,), retry=False)
        except Exception:  # kombu's connection errors differ by transport
            logger.warning(
                "broker unavailable; notification %s waits in the outbox", notification_id
            )
            return
