"""The Celery application and beat's schedule. Settings come from Django's settings with the
CELERY_ prefix."""

import os
from datetime import timedelta
from pathlib import Path

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("handover")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The one static schedule. Each entry expires before its next run, so a backlog after an outage
# collapses into one run instead of a burst.
app.conf.beat_schedule = {
    "sweeps": {
        "task": "handover.tasks.run_sweeps",
        "schedule": timedelta(minutes=2),
        "options": {"expires": 100},
    },
    "deliver-pending-notifications": {
        "task": "handover.tasks.deliver_pending",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 50},
    },
    # The dashboard's summaries: this and last month often, the last 13 months nightly.
    "refresh-statistics": {
        "task": "incidents.tasks.refresh_statistics",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 240},
    },
    # Idempotency keys answer repeats for IDEMPOTENCY_KEY_LIFETIME; older ones are deleted.
    "forget-idempotency-keys": {
        "task": "handover.tasks.forget_idempotency_keys",
        "schedule": timedelta(hours=1),
        "options": {"expires": 3000},
    },
    "refresh-statistics-nightly": {
        "task": "incidents.tasks.refresh_statistics",
        "schedule": crontab(hour=2, minute=15),
        "kwargs": {"months": 13},
        "options": {"expires": 3000},
    },
    # API tokens past their expiry: refused at once by accounts.auth, deleted here.
    "delete-expired-api-tokens": {
        "task": "accounts.tasks.delete_expired_tokens",
        "schedule": timedelta(hours=1),
        "options": {"expires": 3000},
    },
}

# The filesystem broker (the embedded default) needs its folders before the first message.
for folder in ("data_folder_in", "processed_folder", "control_folder"):
    path = app.conf.broker_transport_options.get(folder)
    if path:
        Path(path).mkdir(parents=True, exist_ok=True)
