"""The notification outbox: rows first, delivery second, so nothing is lost when Redis or the mail
server is down.

Rows are written inside the transaction of the event they report. After commit a task is asked to
deliver them; if the broker is unreachable the request carries on, and the ``deliver_pending``
sweep (Celery beat) sends what is still unsent.
"""

import logging
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.models import ContactPerson
from handover.models import Channel, Discharge, Notification
from handover.services import medcom_out
from handover.services.outbox import enqueue_delivery

logger = logging.getLogger(__name__)

# A claim older than this is taken to belong to a worker that died mid-delivery.
STALE_CLAIM = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=1)
# Beat starts the re-send sweep every minute and Celery stops a task at its soft time limit
# (settings.CELERY_TASK_SOFT_TIME_LIMIT). A run takes no row after its budget, so that it ends
# before the limit even when its last message waits out the mail server's timeout (EMAIL_TIMEOUT),
# and leaves the rest to the next run. A batch is the rows sent over one connection.
DELIVERY_BUDGET = timedelta(seconds=40)
DELIVERY_BATCH = 500
# Rows claimed in one transaction, at most: the claims and "sent" marks of a backlog cost a
# commit a chunk rather than a row each.
CLAIM_CHUNK = 50


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


def backoff(attempts: int) -> timedelta:
    return min(MAX_BACKOFF, timedelta(minutes=2**attempts)) if attempts else timedelta(0)


def _due(now: datetime) -> QuerySet[Notification]:
    """Unsent rows, oldest first (the partial index notification_unsent_idx), that are unclaimed
    or were claimed longer ago than the back-off their attempts earn, and never less than
    STALE_CLAIM (a claim that old belongs to a worker that died). Said in SQL so that rows
    backing off cannot hold up the newer ones behind them."""
    due = Q(claimed_at__isnull=True)
    attempts = 0
    while backoff(attempts) < MAX_BACKOFF:
        due |= Q(attempts=attempts, claimed_at__lte=now - max(STALE_CLAIM, backoff(attempts)))
        attempts += 1
    due |= Q(attempts__gte=attempts, claimed_at__lte=now - max(STALE_CLAIM, MAX_BACKOFF))
    return Notification.objects.filter(due, sent_at__isnull=True).order_by("created_at")


def _claim(rows: QuerySet[Notification], *, now: datetime, limit: int) -> list[Notification]:
    """Take up to ``limit`` of the rows for this worker. Rows another worker is claiming are
    locked and skipped; once committed, a claim makes its rows not due for anyone else (on SQLite
    the transaction holds the database's write lock instead). The returned rows keep the
    claim and attempts they had before, for ``_release``."""
    with transaction.atomic():
        claimed = list(rows.select_for_update(skip_locked=True)[:limit])
        Notification.objects.filter(pk__in=[row.pk for row in claimed]).update(
            claimed_at=now, attempts=F("attempts") + 1
        )
    return claimed


def _release(rows: list[Notification], *, now: datetime) -> None:
    """Give back rows claimed but not tried: due again at once, their attempts as they were."""
    if not rows:
        return
    with transaction.atomic():
        for row in rows:
            Notification.objects.filter(pk=row.pk, claimed_at=now, sent_at__isnull=True).update(
                claimed_at=row.claimed_at, attempts=row.attempts
            )


def _send(notification: Notification, connection: BaseEmailBackend) -> bool:
    """Send a claimed row: an e-mail over the batch's connection, a MedCom message by its
    transport (``medcom_out.send``). True when sent; on an error it is kept on the row, which
    waits for its back-off."""
    try:
        if notification.channel == Channel.MEDCOM:
            medcom_out.send(notification)
        else:
            connection.send_messages(
                [
                    EmailMessage(
                        notification.subject,
                        notification.body,
                        settings.DEFAULT_FROM_EMAIL,
                        [notification.recipient],
                        connection=connection,
                    )
                ]
            )
    except Exception as error:  # SMTP and backend errors vary; all mean "try again later"
        Notification.objects.filter(pk=notification.pk).update(last_error=str(error)[:2000])
        logger.warning("notification %s not sent: %s", notification.pk, error)
        return False
    return True


def _mark_sent(rows: list[Notification]) -> None:
    """Mark the rows sent; a CareCommunication that carried the plan and the number confirms
    its discharge's udskrivningsrapport at this moment."""
    now = timezone.now()
    Notification.objects.filter(pk__in=[row.pk for row in rows]).update(sent_at=now, last_error="")
    medcom_out.confirm_discharge_reports(rows, at=now)


def deliver(notification_id: int, *, now: datetime | None = None) -> bool:
    """Send one outbox row if it is due and no one else holds it. True when sent."""
    now = now or timezone.now()
    claimed = _claim(_due(now).filter(pk=notification_id), now=now, limit=1)
    if not claimed or not _send(claimed[0], get_connection()):
        return False
    _mark_sent(claimed)
    return True


def deliver_pending(
    *,
    now: datetime | None = None,
    batch_size: int = DELIVERY_BATCH,
    budget: timedelta = DELIVERY_BUDGET,
) -> int:
    """The re-send sweep: the due rows, oldest first, in batches of ``batch_size`` over one
    mail-server connection each, until none is due or ``budget`` has passed; the next run
    carries on. Returns how many were sent."""
    now = now or timezone.now()
    deadline = timezone.now() + budget
    sent, exhausted = 0, False
    while not exhausted and timezone.now() < deadline and _due(now).exists():
        connection = get_connection()
        try:
            connection.open()
        except Exception as error:  # the mail server is down: every row waits for the next run
            logger.warning("mail server unavailable; notifications wait: %s", error)
            break
        try:
            batch_sent, exhausted = _send_batch(
                connection, now=now, deadline=deadline, size=batch_size
            )
        finally:
            # Every message of the batch is marked sent or failed: a failing QUIT changes nothing.
            with suppress(Exception):
                connection.close()
        sent += batch_sent
    return sent


def _send_batch(
    connection: BaseEmailBackend, *, now: datetime, deadline: datetime, size: int
) -> tuple[int, bool]:
    """Claim and send up to ``size`` rows over the connection, a chunk at a time. Returns how
    many were sent and whether no due row was left to claim.

    The first chunk is one row, and each next one twice the last, up to CLAIM_CHUNK: a mail
    server that hangs holds one row, not a chunk. A worker that dies leaves at most a chunk
    claimed (due again after STALE_CLAIM), and those of it already sent are sent again. The
    batch stops at the deadline or the first error and gives back the rows it did not try.
    """
    sent, chunk = 0, 1
    while sent < size and timezone.now() < deadline:
        rows = _claim(_due(now), now=now, limit=min(chunk, size - sent))
        if not rows:
            return sent, True
        tried, failed = 0, False
        for row in rows:
            if timezone.now() >= deadline:
                break
            tried += 1
            if not _send(row, connection):
                failed = True  # the connection may be broken: the next batch opens a new one
                break
        delivered = rows[: tried - 1] if failed else rows[:tried]
        _mark_sent(delivered)
        _release(rows[tried:], now=now)
        sent += len(delivered)
        if tried < len(rows) or failed:
            return sent, False
        chunk = min(2 * chunk, CLAIM_CHUNK)
    return sent, False


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


def notify_ended(discharge: Discharge, *, to_ward: bool = False) -> None:
    """Tell the municipality (and the ward, when the end came from elsewhere: another stay's
    admission or death) that the window has ended."""
    queue(
        discharge=discharge,
        to_ward=to_ward,
        to_municipality=True,
        subject=_("Behandlingsansvaret er afsluttet"),
        body=_("%(ward)s, %(hospital)s: behandlingsansvaret er afsluttet (%(reason)s).")
        % {**facts(discharge), "reason": discharge.get_end_reason_display()},
    )


def notify_reopened(discharge: Discharge) -> None:
    queue(
        discharge=discharge,
        to_ward=True,
        to_municipality=True,
        subject=_("Behandlingsansvaret gælder igen"),
        body=_(
            "%(ward)s, %(hospital)s: den besked, der afsluttede behandlingsansvaret, er "
            "annulleret eller rettet. Ansvaret gælder igen til %(ends)s."
        )
        % facts(discharge),
    )


def facts(discharge: Discharge) -> dict[str, str]:
    return {
        "ward": discharge.ward.name,
        "hospital": discharge.ward.hospital.name,
        "ends": ends_text(discharge),
    }
