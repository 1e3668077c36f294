"""Acting on a MedCom HospitalNotification: create, correct, cancel or end a discharge.

Every message is written to the message log, accepted or not. A MessageHeader.id that was
processed before is a duplicate and changes nothing. A message that cannot be acted on leaves
nothing behind but its log row.
"""

import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from accounts.models import AccessAction, User
from accounts.services import log_access
from config import inserts
from contacts import directory
from contacts.models import Municipality, Ward
from handover import services
from handover.fhir.parse import BadMessage, HospitalNotification, parse
from handover.models import Discharge, EndReason, InboundMessage, MessageResult, Source
from handover.models.discharges import OPEN_STATUSES

logger = logging.getLogger(__name__)

DISCHARGE_EVENTS = {"discharge-inpatient-home", "discharge-emergency-home"}
ADMISSION_EVENTS = {"admit-inpatient", "admit-emergency"}
PROCESSED = [
    MessageResult.CREATED,
    MessageResult.UPDATED,
    MessageResult.ENDED,
    MessageResult.CANCELLED,
    MessageResult.IGNORED,
]


@dataclass(frozen=True)
class Outcome:
    result: str  # a MessageResult value, or "duplicate"
    discharge: Discharge | None = None
    error: str = ""

    @property
    def http_status(self) -> int:
        if self.result == MessageResult.REJECTED:
            return 400
        return 201 if self.result == MessageResult.CREATED else 200


def municipality_from_name(name: str) -> Municipality:
    """The receiving municipality from its organisation name ("Herlev Kommune",
    "Københavns Kommune"). MedCom addresses it by SOR code, and our reference data has no
    SOR-to-municipality table, so the official name is the key."""
    base = name.strip()
    for suffix in (" Regionskommune", " Kommune"):
        base = base.removesuffix(suffix)
    candidates = (base, base.removesuffix("s"))
    found = directory.kept(
        "municipality", candidates, lambda: Municipality.objects.filter(name__in=candidates).first()
    )
    if found is None:
        raise BadMessage(f"unknown receiving municipality: {name or '(none)'}")
    return found


def ward_for(message: HospitalNotification, user: User) -> Ward:
    sor = message.ward_sor
    ward = directory.kept(
        "ward", sor, lambda: Ward.objects.select_related("hospital").filter(sor_code=sor).first()
    )
    if ward is None or not (user.is_admin_role or ward.hospital_id == user.hospital_id_in_scope):
        raise BadMessage(f"unknown SOR code for a ward of your hospital: {message.ward_sor}")
    return ward


def _encounter_discharge(message: HospitalNotification) -> Discharge | None:
    earlier = (
        InboundMessage.objects.filter(encounter_id=message.encounter_id, discharge__isnull=False)
        .order_by("-received_at")
        .first()
    )
    return earlier.discharge if earlier else None


def _open_window(cpr: str) -> Discharge | None:
    return (
        Discharge.objects.filter(patient__cpr=cpr, status__in=OPEN_STATUSES)
        .order_by("-discharged_at")
        .first()
    )


def apply(message: HospitalNotification, user: User, request: HttpRequest | None) -> Outcome:
    ward = ward_for(message, user)
    activity = message.activity
    if message.deceased:
        discharge = _open_window(message.cpr)
        if discharge is None:
            return Outcome(MessageResult.IGNORED)
        services.end_responsibility(
            discharge=discharge, by=user, reason=EndReason.DECEASED, note="MedCom", request=request
        )
        return Outcome(MessageResult.ENDED, discharge)
    if activity in DISCHARGE_EVENTS:
        if message.discharged_at is None:
            raise BadMessage("a discharge message needs Encounter.period.end")
        discharge = services.record_discharge(
            by=user,
            patient_cpr=message.cpr,
            patient_name=message.patient_name,
            ward=ward,
            municipality=municipality_from_name(message.receiver_name),
            admitted_at=message.admitted_at,
            discharged_at=message.discharged_at,
            destination="",  # a HospitalNotification carries none: the ward completes it
            source=Source.FHIR,
            request=request,
        )
        return Outcome(MessageResult.CREATED, discharge)
    if activity in ADMISSION_EVENTS:
        discharge = _open_window(message.cpr)
        if discharge is None:
            return Outcome(MessageResult.IGNORED)
        services.end_responsibility(
            discharge=discharge,
            by=user,
            reason=EndReason.READMITTED,
            note="MedCom STIN",
            at=message.admitted_at,
            request=request,
        )
        return Outcome(MessageResult.ENDED, discharge)
    if activity.startswith(("revise-", "cancel-")):
        discharge = _encounter_discharge(message)
        if discharge is None:
            return Outcome(MessageResult.IGNORED)
        if activity.startswith("cancel-"):
            services.end_responsibility(
                discharge=discharge,
                by=user,
                reason=EndReason.CANCELLED,
                note="MedCom",
                request=request,
            )
            return Outcome(MessageResult.CANCELLED, discharge)
        services.revise_discharge(
            discharge=discharge,
            by=user,
            ward=ward,
            admitted_at=message.admitted_at,
            discharged_at=message.discharged_at or discharge.discharged_at,
            request=request,
        )
        return Outcome(MessageResult.UPDATED, discharge)
    return Outcome(MessageResult.IGNORED)


def receive(*, payload: bytes, user: User, request: HttpRequest | None = None) -> Outcome:
    """Parse, act on and log one message, and answer a repeat as a duplicate.

    A repeat of a message acted on fails on the unique index when its log row is written,
    which rolls back what acting on it did again; a repeat that can no longer be acted on (a
    second cancel, say) fails earlier. Either way the message log is asked before the message
    is rejected.
    """
    try:
        message = parse(payload)
    except BadMessage as error:
        return _reject(payload, str(error), user, request)
    try:
        with transaction.atomic():
            outcome = apply(message, user, request)
            _log_message(payload, message, result=outcome.result, discharge=outcome.discharge)
    except (IntegrityError, BadMessage, services.Conflict, ValidationError) as error:
        if InboundMessage.objects.filter(
            message_id=message.message_id, result__in=PROCESSED
        ).exists():
            return Outcome("duplicate")  # acted on before, or by a concurrent request
        return _reject(payload, _reason(error), user, request, message)
    return outcome


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(
            f"{field}: {' '.join(texts)}" for field, texts in error.message_dict.items()
        )
    if isinstance(error, IntegrityError):
        # The database's own text may quote a CPR number: only the constraint's name is logged.
        constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
        logger.warning("MedCom message rejected by database constraint %s", constraint)
        return "the message conflicts with stored data"
    return str(error)


def _text(value: bytes | str) -> str:
    """What PostgreSQL can keep of a received body: undecodable bytes and NUL become U+FFFD."""
    text = value.decode(errors="replace") if isinstance(value, bytes) else value
    return text.replace("\x00", "\ufffd")


def _reject(
    payload: bytes,
    error: str,
    user: User,
    request: HttpRequest | None,
    message: HospitalNotification | None = None,
) -> Outcome:
    _log_message(payload, message, result=MessageResult.REJECTED, error=_text(error))
    log_access(user=user, action=AccessAction.IMPORT, request=request, outcome="denied")
    return Outcome(MessageResult.REJECTED, error=error)


def _log_message(payload: bytes, message: HospitalNotification | None, **outcome: Any) -> None:
    """The message's row in the message log, with what became of it."""
    inserts.insert(
        InboundMessage(
            sender=message.sender if message else "",
            event=message.activity if message else "",
            message_id=message.message_id if message else "",
            encounter_id=message.encounter_id if message else "",
            payload=_text(payload),
            **outcome,
        )
    )
