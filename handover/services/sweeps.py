"""The sweeps that keep windows safe when nobody is looking (ARCHITECTURE.md, flow 3).

Each sweep is one set-based statement over open windows, served by the partial index
``discharge_open_window_idx`` (responsibility_ends_at WHERE status IN active, extended), so its
cost grows with the rows due, not with the table. Alerts are inserted with ``ON CONFLICT DO
NOTHING`` against the one-open-alert-per-kind constraint, and windows are expired by a
conditional UPDATE: a row is claimed by exactly one sweep even when two run at once, and only the
claimant writes the notifications.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from handover.models import Alert, AlertKind, Discharge, Status
from handover.services import notifications

OPEN = (Status.ACTIVE.value, Status.EXTENDED.value)

INSERT_ALERTS = """
    INSERT INTO handover_alert (discharge_id, kind, created_at)
    SELECT d.id, %s, %s FROM handover_discharge d
    WHERE d.status IN (%s, %s) AND d.responsibility_ends_at > %s AND {condition}
    ON CONFLICT (discharge_id, kind) WHERE resolved_at IS NULL DO NOTHING
    RETURNING id, discharge_id
"""


@dataclass(frozen=True)
class SweepReport:
    missing_documentation: int
    nearing_expiry: int
    expired: int

    def __str__(self) -> str:
        return _(
            "%(missing)d manglende dokumentation, %(nearing)d snart udløbet, %(expired)d udløbet"
        ) % {
            "missing": self.missing_documentation,
            "nearing": self.nearing_expiry,
            "expired": self.expired,
        }


def _insert_alerts(kind: str, at: datetime, condition: str, params: list[Any]) -> dict[int, int]:
    """Insert one open alert of ``kind`` per due discharge; returns {discharge id: alert id}
    for the alerts this call created (not those that already existed)."""
    with connection.cursor() as cursor:
        cursor.execute(INSERT_ALERTS.format(condition=condition), [kind, at, *OPEN, at, *params])
        return {discharge_id: alert_id for alert_id, discharge_id in cursor.fetchall()}


def _discharges(ids: list[int]) -> list[Discharge]:
    return list(
        Discharge.objects.filter(pk__in=ids).select_related("ward__hospital", "municipality")
    )


@transaction.atomic
def sweep_missing_documentation(*, at: datetime) -> int:
    """Covered open windows still without a treatment plan or phone after the grace period."""
    created = _insert_alerts(
        AlertKind.MISSING_DOCUMENTATION,
        at,
        "d.discharged_at <= %s AND (d.treatment_plan = '' OR d.contact_phone = '')",
        [at - settings.HANDOVER_DOCUMENTATION_GRACE],
    )
    messages = [
        notifications.Message(
            discharge,
            _("Udskrivelse mangler behandlingsplan eller telefon"),
            _(
                "En udskrivelse fra %(ward)s med behandlingsansvar til %(ends)s mangler "
                "lægefaglig behandlingsplan eller kontakttelefon. Dokumentér den i systemet."
            )
            % {"ward": discharge.ward.name, "ends": notifications.ends_text(discharge)},
            created[discharge.pk],
        )
        for discharge in _discharges(list(created))
    ]
    notifications.queue_many(messages, to_ward=True)
    return len(created)


@transaction.atomic
def sweep_nearing_expiry(*, at: datetime) -> int:
    """Open windows that end within the threshold: warn ward and municipality."""
    created = _insert_alerts(
        AlertKind.NEARING_EXPIRY,
        at,
        "d.responsibility_ends_at <= %s",
        [at + settings.HANDOVER_NEARING_EXPIRY],
    )
    messages = [
        notifications.Message(
            discharge,
            _("Behandlingsansvaret udløber snart"),
            _(
                "Behandlingsansvaret hos %(ward)s, %(hospital)s udløber %(ends)s. Afdelingen: "
                "overvej forlængelse, hvis patienten ikke er klinisk stabil."
            )
            % notifications.facts(discharge),
            created[discharge.pk],
        )
        for discharge in _discharges(list(created))
    ]
    notifications.queue_many(messages, to_ward=True, to_municipality=True)
    return len(created)


@transaction.atomic
def sweep_expired(*, at: datetime) -> int:
    """Windows whose end has passed: responsibility returns to the GP; tell the municipality."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE handover_discharge SET status = %s, updated_at = %s "
            "WHERE status IN (%s, %s) AND responsibility_ends_at <= %s RETURNING id",
            [Status.EXPIRED, at, *OPEN, at],
        )
        claimed = [row[0] for row in cursor.fetchall()]
    if not claimed:
        return 0
    Alert.objects.filter(discharge_id__in=claimed, resolved_at__isnull=True).update(resolved_at=at)
    alerts = Alert.objects.bulk_create(
        [Alert(discharge_id=pk, kind=AlertKind.EXPIRED, created_at=at) for pk in claimed]
    )
    alert_ids = {alert.discharge_id: alert.pk for alert in alerts}
    messages = [
        notifications.Message(
            discharge,
            _("Behandlingsansvaret er udløbet"),
            _(
                "Behandlingsansvaret hos %(ward)s, %(hospital)s udløb %(ends)s. Ansvaret er nu "
                "tilbage hos borgerens egen læge."
            )
            % notifications.facts(discharge),
            alert_ids.get(discharge.pk),
        )
        for discharge in _discharges(claimed)
    ]
    notifications.queue_many(messages, to_municipality=True)
    return len(claimed)


def run_all(*, at: datetime) -> SweepReport:
    """All three sweeps at ``at``, expiry first so that an ended window is not warned about."""
    expired = sweep_expired(at=at)
    return SweepReport(
        missing_documentation=sweep_missing_documentation(at=at),
        nearing_expiry=sweep_nearing_expiry(at=at),
        expired=expired,
    )
