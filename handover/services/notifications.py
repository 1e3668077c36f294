"""The notification outbox: rows first, delivery second, so nothing is lost when Redis or the mail
server is down.

Rows are written inside the transaction of the event they report. After commit a task is asked to
deliver them; if the broker is unreachable the request carries on, and the ``deliver_pending``
sweep (Celery beat) sends what is still unsent.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.models import ContactPerson
from handover.models import Discharge, Notification

logger = logging.getLogger(__name__)

# A claim older than this is taken to belong to a worker that died mid-delivery.
STALE_CLAIM = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=1)


@dataclass(frozen=True)
class Message:
    discharge: Discharge
    subject: str
    body: str
    alert_id: int | None = None


def _contacts(messages: list[Message]) -> list[Any]:
    """The scheme's contact persons of every ward, hospital and municipality involved: one query."""
    wards = {m.discharge.ward_id for m in messages}
    hospitals = {m.discharge.ward.hospital_id for m in messages}
    municipalities = {m.discharge.municipality_id for m in messages}
    return list(
        ContactPerson.objects.filter(
            Q(ward_id__in=wards)
            | Q(hospital_id__in=hospitals)
            | Q(municipality_id__in=municipalities)
        )
        .exclude(email="")
        .values("ward_id", "hospital_id", "municipality_id", "email")
    )


def queue_many(
    messages: list[Message], *, to_ward: bool = False, to_municipality: bool = False
) -> list[Notification]:
    """Write outbox rows for the events (two queries in all) and ask for delivery on commit."""
    if not messages:
        return []
    contacts = _contacts(messages)
    rows = []
    for message in messages:
        discharge = message.discharge
        for person in contacts:
            ward_side = to_ward and (
                person["ward_id"] == discharge.ward_id
                or person["hospital_id"] == discharge.ward.hospital_id
            )
            municipality_side = (
                to_municipality and person["municipality_id"] == discharge.municipality_id
            )
            if ward_side or municipality_side:
                rows.append(
                    Notification(
                        discharge=discharge,
                        alert_id=message.alert_id,
                        ward_id=discharge.ward_id if ward_side else None,
                        municipality_id=discharge.municipality_id if municipality_side else None,
                        recipient=person["email"],
                        subject=message.subject[:200],
                        body=message.body,
                    )
                )
    created = Notification.objects.bulk_create(rows)
    ids = [row.pk for row in created if row.pk is not None]
    if ids:
        transaction.on_commit(lambda: enqueue_delivery(ids))
    return created


def queue(
    *,
    discharge: Discharge,
    subject: str,
    body: str,
    to_ward: bool = False,
    to_municipality: bool = False,
) -> list[Notification]:
    return queue_many(
        [Message(discharge, subject, body)], to_ward=to_ward, to_municipality=to_municipality
    )


def enqueue_delivery(ids: Iterable[int]) -> None:
    """Ask a worker to send these rows now. A broker failure is logged, never raised: the rows
    are safe in the outbox and the re-send sweep will deliver them."""
    from handover.tasks import deliver_notification

    for notification_id in ids:
        try:
            deliver_notification.apply_async((notification_id,), retry=False)
        except Exception:  # kombu's connection errors differ by transport
            logger.warning(
                "broker unavailable; notification %s waits in the outbox", notification_id
            )
            return


def backoff(attempts: int) -> timedelta:
    return min(MAX_BACKOFF, timedelta(minutes=2**attempts)) if attempts else timedelta(0)


def _claim(notification: Notification, now: datetime) -> bool:
    """Compare-and-swap on (sent_at, claimed_at, attempts): only one worker wins a row."""
    won = Notification.objects.filter(
        pk=notification.pk,
        sent_at__isnull=True,
        claimed_at=notification.claimed_at,
        attempts=notification.attempts,
    ).update(claimed_at=now, attempts=notification.attempts + 1)
    return won == 1


def deliver(notification_id: int, *, now: datetime | None = None) -> bool:
    """Send one outbox row if it is due and no one else holds it. True when sent."""
    now = now or timezone.now()
    notification = Notification.objects.filter(pk=notification_id, sent_at__isnull=True).first()
    if notification is None or not _due(notification, now) or not _claim(notification, now):
        return False
    try:
        send_mail(
            notification.subject,
            notification.body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.recipient],
        )
    except Exception as error:  # SMTP and backend errors vary; all mean "try again later"
        Notification.objects.filter(pk=notification.pk).update(last_error=str(error)[:2000])
        logger.warning("notification %s not sent: %s", notification.pk, error)
        return False
    Notification.objects.filter(pk=notification.pk).update(sent_at=timezone.now(), last_error="")
    return True


def _due(notification: Notification, now: datetime) -> bool:
    if notification.claimed_at is None:
        return True
    wait = max(STALE_CLAIM, backoff(notification.attempts))
    return notification.claimed_at <= now - wait


def deliver_pending(*, now: datetime | None = None) -> int:
    """The re-send sweep: every unsent row that is due. Returns how many were sent."""
    now = now or timezone.now()
    pending = Notification.objects.filter(sent_at__isnull=True).values_list("pk", flat=True)
    return sum(deliver(pk, now=now) for pk in list(pending))


def ends_text(discharge: Discharge) -> str:
    if discharge.responsibility_ends_at is None:
        return ""
    return timezone.localtime(discharge.responsibility_ends_at).strftime("%d-%m-%Y kl. %H:%M")


def notify_recorded(discharge: Discharge) -> None:
    """Tell the municipality of a new window; a discharge recorded after its window has ended
    (a late registration) has nothing to announce."""
    ends = discharge.responsibility_ends_at
    if not discharge.covered or ends is None or ends <= timezone.now():
        return
    queue(
        discharge=discharge,
        to_municipality=True,
        subject=_("Ny borger med udvidet behandlingsansvar"),
        body=_(
            "%(ward)s, %(hospital)s har behandlingsansvaret for en borger i kommunen til "
            "%(ends)s. Slå borgeren op i systemet for telefonnummer og behandlingsplan."
        )
        % facts(discharge),
    )


def notify_extended(discharge: Discharge) -> None:
    queue(
        discharge=discharge,
        to_municipality=True,
        subject=_("Behandlingsansvaret er forlænget"),
        body=_("%(ward)s, %(hospital)s har forlænget behandlingsansvaret til %(ends)s.")
        % facts(discharge),
    )


def notify_ended(discharge: Discharge) -> None:
    queue(
        discharge=discharge,
        to_municipality=True,
        subject=_("Behandlingsansvaret er afsluttet"),
        body=_("%(ward)s, %(hospital)s: behandlingsansvaret er afsluttet (%(reason)s).")
        % {**facts(discharge), "reason": discharge.get_end_reason_display()},
    )


def facts(discharge: Discharge) -> dict[str, str]:
    return {
        "ward": discharge.ward.name,
        "hospital": discharge.ward.hospital.name,
        "ends": ends_text(discharge),
    }
