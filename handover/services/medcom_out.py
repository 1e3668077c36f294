"""The ward's CareCommunication "Udvidet behandlingsansvar" to the municipality: written into the
notification outbox when a covered discharge is documented, extended or ended early by the ward,
and delivered by the transport the settings name.

Transports (``MEDCOM_TRANSPORT``): ``folder`` writes each message as ``<MessageHeader.id>.json``
into ``MEDCOM_OUTBOX_DIR`` (the demo's ``var/medcom/outbox``, where a VANS client picks it up);
``http`` posts it to ``MEDCOM_ENDPOINT`` as ``application/fhir+json``. A message whose
municipality has no receiving unit is not written; the discharge page says so.
"""

import json
import logging
import os
import urllib.request
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from contacts.models import SorUnit
from handover.medcom import care_communication
from handover.medcom.bundle import Org
from handover.models import Channel, ConfirmedBy, Discharge, Notification
from handover.services.outbox import enqueue_delivery

logger = logging.getLogger(__name__)


def receiver_of(discharge: Discharge) -> SorUnit | None:
    """The municipality's unit: the one the hospital's own messages named for the stay, else the
    municipality's unit for CareCommunications."""
    stay = discharge.stay
    if stay is not None and stay.receiver is not None:
        return stay.receiver
    return discharge.municipality.medcom_receiver


def _org(unit: SorUnit) -> Org:
    return Org(sor=unit.sor_code, ean=unit.ean, name=unit.name)


def _sender(discharge: Discharge) -> Org:
    ward = discharge.ward
    unit = SorUnit.objects.filter(sor_code=ward.sor_code).first()
    return Org(sor=ward.sor_code, ean=unit.ean if unit else "", name=ward.name)


def queue(*, discharge: Discharge, by: User | None, event: str) -> Notification | None:
    """Write the CareCommunication about ``discharge`` into the outbox (inside the caller's
    transaction) and ask for its delivery on commit. Only a covered discharge, told by a person
    (the message's author), to a municipality with a receiving unit."""
    receiver = receiver_of(discharge)
    if not discharge.covered or by is None or receiver is None:
        return None
    outgoing = care_communication.care_communication(
        discharge=discharge,
        by=by,
        sender=_sender(discharge),
        receiver=_org(receiver),
        event=event,
        at=timezone.now(),
    )
    row = Notification.objects.create(
        channel=Channel.MEDCOM,
        discharge=discharge,
        ward=discharge.ward,
        municipality=discharge.municipality,
        recipient=receiver.sor_code,
        subject=_("Korrespondancemeddelelse: udvidet behandlingsansvar"),
        body=care_communication.text_of(discharge, event),
        message_id=outgoing.message_id,
        payload=outgoing.bundle,
        # Its delivery confirms the udskrivningsrapport (confirm_discharge_reports).
        carries_plan=discharge.is_open and discharge.has_plan_and_phone,
    )
    transaction.on_commit(lambda: enqueue_delivery([row.pk]))
    return row


def confirm_discharge_reports(rows: Iterable[Notification], *, at: datetime) -> int:
    """The outbox sent ``rows`` at ``at``: each CareCommunication among them that told an open
    responsibility with the treatment plan and the number confirms its discharge's
    udskrivningsrapport (seed 003's KPI; why it counts for that document and not the epikrise:
    ``handover.services.documents``), unless it was confirmed before. Returns how many."""
    discharge_ids = {
        row.discharge_id
        for row in rows
        if row.channel == Channel.MEDCOM and row.carries_plan and row.discharge_id is not None
    }
    if not discharge_ids:
        return 0
    return Discharge.objects.filter(
        pk__in=discharge_ids, discharge_report_confirmed_at__isnull=True
    ).update(
        discharge_report_confirmed_at=at,
        discharge_report_confirmed_via=ConfirmedBy.CARE_COMMUNICATION,
    )


def send(notification: Notification) -> None:
    """Deliver a claimed MedCom row by the configured transport; raises when it could not."""
    body = json.dumps(notification.payload, ensure_ascii=False).encode()
    if settings.MEDCOM_TRANSPORT == "http":
        request = urllib.request.Request(  # noqa: S310 - the configured endpoint
            settings.MEDCOM_ENDPOINT,
            data=body,
            headers={"Content-Type": "application/fhir+json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=settings.MEDCOM_TIMEOUT) as answer:  # noqa: S310
            if not 200 <= answer.status < 300:
                raise OSError(f"MedCom endpoint answered {answer.status}")
        return
    folder = Path(settings.MEDCOM_OUTBOX_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{notification.message_id}.json"
    partial = target.with_suffix(".part")
    partial.write_bytes(body)
    os.replace(partial, target)  # whole or not at all: a reader never sees half a message
