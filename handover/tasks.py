"""Celery tasks: thin wrappers that take ids and call services. The database is the schedule:
beat runs the sweeps at fixed intervals (config.celery); nothing waits in the
broker with a long ETA."""

from celery import shared_task
from django.utils import timezone

from handover import idempotency
from handover.services import notifications, sweeps


@shared_task(ignore_result=True)
def run_sweeps() -> str:
    return str(sweeps.run_all(at=timezone.now()))


@shared_task(ignore_result=True)
def deliver_notification(notification_id: int) -> bool:
    return notifications.deliver(notification_id)


@shared_task(ignore_result=True)
def deliver_pending() -> int:
    return notifications.deliver_pending()


@shared_task(ignore_result=True)
def forget_idempotency_keys() -> int:
    return idempotency.forget_expired(now=timezone.now())
