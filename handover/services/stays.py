"""What each HospitalNotification event does (MedCom HospitalNotification 3.x).

The hospital that sends a stay's messages owns the stay; its messages find the stay by that
hospital and the episode-of-care identifier. Effects, event by event:

- admission (STIN): the stay is recorded; the patient's open windows discharged before it —
  at any hospital — end as readmitted at the admission's time. Acute ambulant (STAA): the stay
  is recorded and ends no window (a contact in the emergency department is no readmission).
- correction of an admission (RE_STIN, RE_STAA): its time and department are corrected, and
  the windows it ends are worked out again (one that no longer lies before it opens again).
- cancellation of an admission (AN_STIN, AN_STAA): the stay is cancelled, the windows it ended
  open again, and a discharge recorded for it is cancelled.
- leave (STOR, SLOR, their corrections and cancellations): the stay is on leave, or admitted
  again; the hospital keeps the treatment responsibility throughout, no window is touched.
- discharge (SLHJ): the discharge is recorded from the stay (ward, the receiver's municipality,
  the times); the destination is left for the ward to document. An acute ambulant stay's
  discharge is recorded as not covered (no admission). Its correction (RE_SLHJ) corrects the
  discharge; its cancellation (AN_SLHJ) cancels it and the stay is admitted again.
- death (MORS: ``Patient.deceased`` with the stay's current event; death on arrival with the
  stay's start equal to its end): the stay ends in death, and the patient's open windows end as
  deceased. A later message of the stay without ``deceased`` withdraws it (AN_MORS): the windows
  it ended open again.

Windows of other hospitals are ended and opened by this service alone, never by the sender's
hand: the sender's answer says only that its message was recorded.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from accounts.models import User
from contacts.models import Hospital, Municipality, Ward
from contacts.sor import Party
from handover import rules
from handover.medcom.hospital_notification import (
    ADMIT,
    DISCHARGE,
    LEAVE_END,
    LEAVE_START,
    HospitalNotification,
)
from handover.models import (
    Discharge,
    EndReason,
    MessageResult,
    Source,
    Status,
    Stay,
    StayStatus,
)
from handover.models.discharges import OPEN_STATUSES
from handover.services import discharges, periods


@dataclass(frozen=True)
class Effect:
    result: str  # a MessageResult value
    stay: Stay | None = None
    discharge: Discharge | None = None


def _stay(hospital: Hospital, message: HospitalNotification) -> Stay | None:
    return (
        Stay.objects.select_for_update()
        .filter(hospital=hospital, episode_of_care__in=message.episode_ids)
        .select_related("patient")
        .first()
    )


def _new_stay(
    hospital: Hospital, ward: Ward | None, receiver: Party, message: HospitalNotification
) -> Stay:
    """The stay a message begins, admitted; the caller sets what the message says and saves it."""
    return Stay(
        hospital=hospital,
        episode_of_care=message.episode_ids[0],
        patient=discharges.patient_for(rules.parse_cpr(message.cpr), message.patient_name),
        ward=ward,
        municipality=receiver.municipality,
        receiver=receiver.unit,
        encounter_class=message.encounter_class,
        status=StayStatus.ADMITTED,
        admitted_at=message.admitted_at,
    )


def _readmissions(stay: Stay) -> None:
    """Work out the windows the stay's admission ends: the patient's open windows discharged
    before it began; one it ended that no longer lies before it opens again."""
    admits = stay.is_inpatient and stay.status != StayStatus.CANCELLED
    for ended in stay.ended_windows.filter(end_reason=EndReason.READMITTED):
        if not admits or ended.discharged_at > stay.admitted_at:
            periods.reopen_responsibility(
                discharge=ended, note="Sygehusadvis rettet eller annulleret"
            )
    if not admits:
        return
    due = (
        Discharge.objects.filter(
            patient=stay.patient, status__in=OPEN_STATUSES, discharged_at__lte=stay.admitted_at
        )
        .exclude(stay=stay)
        .select_related("ward__hospital", "municipality", "patient")
    )
    for discharge in due:
        periods.end_responsibility(
            discharge=discharge,
            by=None,
            reason=EndReason.READMITTED,
            note=f"Genindlagt på {stay.hospital.name} (sygehusadvis)",
            at=max(stay.admitted_at, discharge.discharged_at),
            stay=stay,
        )


def _deaths(stay: Stay) -> None:
    """A stay that ended in death ends the patient's open windows; one withdrawn opens the
    windows it ended again."""
    dead = stay.status == StayStatus.DECEASED
    for ended in stay.ended_windows.filter(end_reason=EndReason.DECEASED):
        if not dead:
            periods.reopen_responsibility(discharge=ended, note="Dødsfald annulleret af hospitalet")
    if not dead or stay.ended_at is None:
        return
    for discharge in Discharge.objects.filter(
        patient=stay.patient, status__in=OPEN_STATUSES, discharged_at__lte=stay.ended_at
    ).select_related("ward__hospital", "municipality", "patient"):
        periods.end_responsibility(
            discharge=discharge,
            by=None,
            reason=EndReason.DECEASED,
            note=f"Død ({stay.hospital.name}, sygehusadvis)",
            at=max(stay.ended_at, discharge.discharged_at),
            stay=stay,
        )


def _record_discharge(
    stay: Stay,
    ward: Ward,
    municipality: Municipality,
    message: HospitalNotification,
    by: User | None,
    request: HttpRequest | None,
) -> Discharge:
    assert message.ended_at is not None  # checked by the caller  # noqa: S101
    return discharges.record_discharge(
        by=by,
        patient_cpr=message.cpr,
        patient_name=message.patient_name,
        ward=ward,
        municipality=municipality,
        admitted_at=message.admitted_at,
        discharged_at=message.ended_at,
        destination="",  # a HospitalNotification carries none: the ward documents it
        source=Source.FHIR,
        stay=stay,
        encounter_class=message.encounter_class,
        request=request,
    )


@transaction.atomic(
    savepoint=False
)  # no savepoint in the receiver's transaction: an error ends both
def receive_notification(
    *,
    message: HospitalNotification,
    hospital: Hospital,
    ward: Ward | None,
    receiver: Party,
    by: User | None,
    request: HttpRequest | None = None,
) -> Effect:
    """Act on one HospitalNotification of ``hospital`` (its sender, already trusted). ``ward``
    is the stay's department, when it is one of the hospital's wards."""
    stay = _stay(hospital, message)
    base = message.base_activity
    if message.deceased:
        stay = stay or _new_stay(hospital, ward, receiver, message)
        stay.status, stay.ended_at = StayStatus.DECEASED, message.ended_at or message.admitted_at
        stay.save()
        _deaths(stay)
        return Effect(MessageResult.RECORDED, stay)
    if stay is not None and stay.status == StayStatus.DECEASED:
        stay.status, stay.ended_at = StayStatus.ADMITTED, None  # the death is withdrawn
        stay.save()
        _deaths(stay)
    if base in ADMIT:
        return _admission(stay, hospital, ward, receiver, message)
    if base in LEAVE_START | LEAVE_END:
        return _leave(stay, message)
    if base in DISCHARGE:
        return _discharge(stay, hospital, ward, receiver, message, by, request)
    return Effect(MessageResult.IGNORED, stay)


def _admission(
    stay: Stay | None,
    hospital: Hospital,
    ward: Ward | None,
    receiver: Party,
    message: HospitalNotification,
) -> Effect:
    if stay is None:
        if message.is_cancellation:
            return Effect(MessageResult.IGNORED)
        stay = _new_stay(hospital, ward, receiver, message)
    elif message.is_cancellation:
        stay.status = StayStatus.CANCELLED
        discharge = Discharge.objects.filter(stay=stay).exclude(status=Status.ENDED).first()
        if discharge is not None:
            periods.end_responsibility(
                discharge=discharge,
                by=None,
                reason=EndReason.CANCELLED,
                note="Sygehusadvis annulleret",
            )
    else:  # a correction, or the admission told again
        stay.admitted_at = message.admitted_at
        stay.encounter_class = message.encounter_class
        stay.ward = ward or stay.ward
    stay.save()
    _readmissions(stay)
    return Effect(MessageResult.RECORDED, stay)


def _leave(stay: Stay | None, message: HospitalNotification) -> Effect:
    if stay is None:
        return Effect(MessageResult.IGNORED)
    on_leave = (message.base_activity in LEAVE_START) != message.is_cancellation
    if stay.status in (StayStatus.ADMITTED, StayStatus.ON_LEAVE):
        stay.status = StayStatus.ON_LEAVE if on_leave else StayStatus.ADMITTED
        stay.save()
    return Effect(MessageResult.RECORDED, stay)


def _discharge(
    stay: Stay | None,
    hospital: Hospital,
    ward: Ward | None,
    receiver: Party,
    message: HospitalNotification,
    by: User | None,
    request: HttpRequest | None,
) -> Effect:
    existing = Discharge.objects.filter(stay=stay).first() if stay is not None else None
    if message.is_cancellation:
        if stay is None or existing is None:
            return Effect(MessageResult.IGNORED, stay)
        if existing.status != Status.ENDED:
            periods.end_responsibility(
                discharge=existing,
                by=by,
                reason=EndReason.CANCELLED,
                note="Udskrivelsesadvis annulleret (AN_SLHJ)",
                request=request,
            )
        stay.status, stay.ended_at = StayStatus.ADMITTED, None
        stay.save()
        return Effect(MessageResult.CANCELLED, stay, existing)
    if message.ended_at is None:
        raise ValidationError({"Encounter.period.end": "a discharge needs its end"})
    department = ward or (existing.ward if existing else None)
    if department is None:
        raise ValidationError({"serviceProvider": "no ward of the hospital"})
    if stay is None:
        stay = _new_stay(hospital, ward, receiver, message)
    stay.status, stay.ended_at = StayStatus.DISCHARGED, message.ended_at
    stay.encounter_class = message.encounter_class
    stay.save()
    if existing is not None:
        discharges.revise_discharge(
            discharge=existing,
            by=by,
            ward=department,
            admitted_at=message.admitted_at,
            discharged_at=message.ended_at,
            request=request,
        )
        return Effect(MessageResult.UPDATED, stay, existing)
    assert receiver.municipality is not None  # noqa: S101 - checked on receipt
    discharge = _record_discharge(stay, department, receiver.municipality, message, by, request)
    return Effect(MessageResult.CREATED, stay, discharge)
