"""The sweeps that keep windows safe when nobody is looking (ARCHITECTURE.md, flow 3).

Each sweep reads the open windows that are due, served by the partial index
``discharge_open_window_idx`` (responsibility_ends_at WHERE status IN active, extended), so its
cost grows with the rows due, not with the table. It claims them with ``SELECT … FOR UPDATE
SKIP LOCKED``: when two sweeps run at once, each row goes to one of them, and only the claimant
writes the alert and the notifications. The one-open-alert-per-kind constraint is the backstop
(on SQLite, where there are no row locks, transactions take the database's write lock at once).
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from handover.models import Alert, AlertKind, Discharge, PhoneLine, Status
from handover.models.discharges import OPEN_STATUSES, DischargeQuerySet
from handover.services import notifications


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


def _due(kind: str, at: datetime, condition: Q) -> DischargeQuerySet:
    """Open windows at ``at`` that meet ``condition`` and have no open alert of ``kind``,
    claimed for this transaction."""
    open_alert = Alert.objects.unresolved().filter(discharge=OuterRef("pk"), kind=kind)
    return (
        Discharge.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(condition, status__in=OPEN_STATUSES, responsibility_ends_at__gt=at)
        .exclude(Exists(open_alert))
        .select_related("ward__hospital", "municipality")
    )


def _alert(discharges: list[Discharge], kind: str, at: datetime) -> dict[int, int]:
    """One open alert of ``kind`` per claimed discharge: {discharge id: alert id}."""
    alerts = Alert.objects.bulk_create(
        [Alert(discharge=discharge, kind=kind, created_at=at) for discharge in discharges]
    )
    return {alert.discharge_id: alert.pk for alert in alerts}


@transaction.atomic
def sweep_missing_documentation(*, at: datetime) -> int:
    """Covered open windows still without a treatment plan or phone after the grace period."""
    incomplete = Q(treatment_plan="") | (Q(contact_phone="") & ~Q(phone_line=PhoneLine.BY_CLOCK))
    grace_over = Q(discharged_at__lte=at - settings.HANDOVER_DOCUMENTATION_GRACE)
    due = list(_due(AlertKind.MISSING_DOCUMENTATION, at, incomplete & grace_over))
    created = _alert(due, AlertKind.MISSING_DOCUMENTATION, at)
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
        for discharge in due
    ]
    notifications.queue_many(messages, to_ward=True)
    return len(created)


@transaction.atomic
def sweep_nearing_expiry(*, at: datetime) -> int:
    """Open windows that end within the threshold: warn ward and municipality."""
    ending = Q(responsibility_ends_at__lte=at + settings.HANDOVER_NEARING_EXPIRY)
    due = list(_due(AlertKind.NEARING_EXPIRY, at, ending))
    created = _alert(due, AlertKind.NEARING_EXPIRY, at)
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
        for discharge in due
    ]
    notifications.queue_many(messages, to_ward=True, to_municipality=True)
    return len(created)


@transaction.atomic
def sweep_expired(*, at: datetime) -> int:
    """Windows whose end has passed: responsibility returns to the GP; tell the municipality."""
    claimed = list(
        Discharge.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(status__in=OPEN_STATUSES, responsibility_ends_at__lte=at)
        .select_related("ward__hospital", "municipality")
    )
    if not claimed:
        return 0
    ids = [discharge.pk for discharge in claimed]
    Discharge.objects.filter(pk__in=ids).update(status=Status.EXPIRED, updated_at=at)
    Alert.objects.filter(discharge_id__in=ids, resolved_at__isnull=True).update(resolved_at=at)
    alerts = Alert.objects.bulk_create(
        [Alert(discharge_id=pk, kind=AlertKind.EXPIRED, created_at=at) for pk in ids]
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
        for discharge in claimed
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
