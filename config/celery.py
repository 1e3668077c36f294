"""The Celery application. Settings come from Django's settings with the CELERY_ prefix."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("handover")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The filesystem broker (the embedded default) needs its folders before the first message.
for folder in ("data_folder_in", "processed_folder"):
    path = app.conf.broker_transport_options.get(folder)
    if path:
        Path(path).mkdir(parents=True, exist_ok=True)
