"""`python -m bench.outbox [BACKLOG]`: how fast the re-send sweep drains a notification backlog.

Writes BACKLOG (default 10,000) unsent outbox rows into the database of DATABASE_URL, then runs
``deliver_pending`` as beat does, one run a minute, and prints each run and when the last row
was sent on beat's clock (run k starts k minutes after the first). The runs follow each other
at once rather than a minute apart: the clock is beat's, the durations are measured. The mail
backend is EMAIL_BACKEND (locmem unless set), so the figure is the product's own cost, not a
mail server's. The rows are removed at the end. Not part of ``make bench``.
"""

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django

BEAT_INTERVAL = 60.0  # seconds: config.celery: beat_schedule["deliver-pending-notifications"]
SUBJECT = "bench.outbox"


def main(backlog: int) -> None:
    django.setup()
    from django.core import mail
    from django.db import connection

    from handover.models import Notification
    from handover.services import notifications

    mail.outbox = []  # the locmem backend appends here; the test runner is not there to set it
    rows = Notification.objects.filter(subject=SUBJECT)
    rows.delete()
    Notification.objects.bulk_create(
        [
            Notification(recipient=f"kommune{index % 98}@example.dk", subject=SUBJECT, body="Tekst")
            for index in range(backlog)
        ],
        batch_size=1000,
    )
    backend = os.environ["EMAIL_BACKEND"].rsplit(".", 2)[-2]
    print(f"{backlog} unsent rows in {connection.vendor}; mail backend: {backend}")
    run, beat_clock = 0, 0.0
    try:
        while rows.filter(sent_at__isnull=True).exists():
            started = time.monotonic()
            sent = notifications.deliver_pending()
            took = time.monotonic() - started
            beat_clock = run * BEAT_INTERVAL + took
            left = rows.filter(sent_at__isnull=True).count()
            print(
                f"run {run + 1} at {run * BEAT_INTERVAL:.0f} s: sent {sent} in {took:.1f} s "
                f"({sent / took * 60:,.0f}/min), {left} unsent at {beat_clock:.1f} s"
            )
            run += 1
            if sent == 0:
                raise SystemExit("a run sent nothing: is the mail server refusing?")
        print(f"drained: the last row was sent {beat_clock:.1f} s after the first run began")
    finally:
        rows.delete()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
