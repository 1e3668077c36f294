"""Celery tasks of the risk management side: the statistics' summary tables."""

from celery import shared_task

from incidents import summaries


@shared_task(ignore_result=True)
def refresh_statistics(months: int = 2) -> int:
    return summaries.refresh_recent(months)
