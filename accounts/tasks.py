"""Celery tasks of the accounts: thin wrappers around ``accounts.tokens``."""

from celery import shared_task
from django.utils import timezone

from accounts import tokens


@shared_task(ignore_result=True)
def delete_expired_tokens() -> int:
    return tokens.delete_expired(at=timezone.now())
