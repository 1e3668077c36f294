"""Every change to a discharge goes through here: one transaction each, access log included.

Callers validate the shape of their input (forms, serializers); these functions enforce the
domain's invariants and raise ``django.core.exceptions.ValidationError`` (bad input, 400) or
``Conflict`` (the discharge is in a state that forbids the change, 409).
"""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AccessAction, User
from accounts.services import log_access
from config import inserts
from contacts import directory
from contacts.models import Municipality, Ward, WardKind
from handover import rules
from handover.models import (
    Alert,
    AlertKind,
    Discharge,
    EndReason,
    Extension,
    Patient,
    ResponsibilityRule,
    Source,
    Status,
)
from handover.models.discharges import OPEN_STATUSES
from handover.services import notifications


class Conflict(Exception):
    """The discharge's state forbids the change (answered 409)."""


def _require_aware(**moments: datetime | None) -> None:
    errors = {
        name: _("Tidspunktet skal have en tidszone.")
        for name, moment in moments.items()
        if moment is not None and timezone.is_naive(moment)
    }
    if errors:
        raise ValidationError(errors)


def _check_times(*, admitted_at: datetime, discharged_at: datetime, now: datetime) -> None:
    _require_aware(admitted_at=admitted_at, discharged_at=discharged_at)
    if discharged_at <= admitted_at:
        raise ValidationError({"discharged_at": _("Udskrivelsen skal ligge efter indlæggelsen.")})
    if discharged_at > now + settings.HANDOVER_MAX_FUTURE_DISCHARGE:
        raise ValidationError(
            {"discharged_at": _("Udskrivelsen kan højst ligge en time ude i fremtiden.")}
        )


def _decide(discharge: Discharge, rule: ResponsibilityRule | None) -> None:
    """Set coverage, window, end and status from the rule and the discharge's facts."""
    coverage = rules.decide_coverage(
        rule=rule,
        admitted_at=discharge.admitted_at,
        discharged_at=discharge.discharged_at,
        destination=discharge.destination,
        psychiatric_ward=discharge.ward.kind == WardKind.PSYCHIATRIC,
        birth_date=discharge.patient.birth_date,
        finished=discharge.finished,
    )
    discharge.rule = rule
    discharge.covered = coverage.covered
    discharge.not_covered_reason = coverage.reason or ""
    discharge.window_hours = coverage.window_hours
    if coverage.window_hours is None:
        discharge.responsibility_ends_at = None
        discharge.status = Status.NOT_COVERED
        return
    extension_hours = [] if discharge.pk is None else _extension_hours(discharge)
    discharge.responsibility_ends_at = rules.window_end(
        discharge.discharged_at, coverage.window_hours, extension_hours
    )
    discharge.status = Status.EXTENDED if extension_hours else Status.ACTIVE


def _extension_hours(discharge: Discharge) -> list[int]:
    return list(discharge.extensions.values_list("hours", flat=True))


def rule_for(ward: Ward, discharged_at: datetime) -> ResponsibilityRule | None:
    local_day = discharged_at.astimezone(rules.LOCAL_TZ).date()
    region_id = ward.hospital.region_id
    region_rules = directory.kept(
        "rules", region_id, lambda: list(ResponsibilityRule.objects.filter(region_id=region_id))
    )
    return rules.rule_in_force(region_rules or [], local_day)


def _note_documentation(discharge: Discharge, by: User | None, now: datetime) -> None:
    """Stamp the moment plan and phone are first both present, and resolve the alert."""
    complete = bool(discharge.treatment_plan.strip() and discharge.contact_phone)
    if complete and discharge.documented_at is None:
        discharge.documented_at = now
        discharge.documented_by = by
    if complete and discharge.pk is not None:
        Alert.objects.filter(
            discharge=discharge, kind=AlertKind.MISSING_DOCUMENTATION, resolved_at__isnull=True
        ).update(resolved_at=now)


def _patient(cpr: rules.CPR, name: str) -> Patient:
    """The citizen with this CPR number, made or renamed in one statement (an upsert on the
    unique number); a report without a name leaves a known citizen's name as it is."""
    if not name:
        return Patient.objects.get_or_create(
            cpr=cpr.number, defaults={"name": "", "birth_date": cpr.birth_date, "sex": cpr.sex}
        )[0]
    patient = Patient(cpr=cpr.number, name=name, birth_date=cpr.birth_date, sex=cpr.sex)
    inserts.insert(patient, conflict_on=["cpr"], update=["name"])
    return patient


def record_discharge(
    *,
    by: User | None,
    patient_cpr: str,
    patient_name: str,
    ward: Ward,
    municipality: Municipality,
    admitted_at: datetime,
    discharged_at: datetime,
    destination: str,
    finished: bool = True,
    treatment_plan: str = "",
    contact_phone: str | None = None,
    patient_informed: bool | None = None,
    source: str = Source.MANUAL,
    request: HttpRequest | None = None,
) -> Discharge:
    """Record a discharge and decide its coverage under the rule in force on its date.

    The contact phone defaults to the ward's on-call number: the one line that answers at any
    hour. The report is checked before anything is written, and the writes take no savepoint
    of their own: the MedCom importer, which calls this inside its transaction and rolls it
    back whole on any error, would otherwise pay two round trips more per message. The patient
    and the discharge are written by SQL written once (``config.inserts``): the ORM's save
    cost the importer a third of a message's time.
    """
    now = timezone.now()
    try:
        cpr = rules.parse_cpr(patient_cpr)
    except rules.InvalidCPR as error:
        raise ValidationError({"patient.cpr": str(error)}) from error
    _check_times(admitted_at=admitted_at, discharged_at=discharged_at, now=now)
    rule = rule_for(ward, discharged_at)
    with transaction.atomic(savepoint=False):
        patient = _patient(cpr, patient_name)
        discharge = Discharge(
            patient=patient,
            ward=ward,
            municipality=municipality,
            admitted_at=admitted_at,
            discharged_at=discharged_at,
            destination=destination,
            finished=finished,
            treatment_plan=treatment_plan,
            contact_phone=contact_phone or ward.on_call_phone,
            patient_informed=patient_informed,
            source=source,
            created_by=by,
        )
        _decide(discharge, rule)
        if discharge.responsibility_ends_at is not None and discharge.responsibility_ends_at <= now:
            # Registered after its window ended (a late report or message): the GP is
            # responsible already, so the window is not shown as open until the next sweep
            # expires it.
            discharge.status = Status.EXPIRED
        # A plan and phone given with the discharge report were there when the patient left.
        _note_documentation(discharge, by, min(now, discharged_at))
        inserts.insert(discharge)
        notifications.notify_recorded(discharge)
        log_access(
            user=by,
            action=AccessAction.CREATE_DISCHARGE,
            request=request,
            obj=discharge,
            patient=patient,
        )
    return discharge


def lock(discharge: Discharge) -> Discharge:
    """Re-read the discharge under a row lock (the caller is inside a transaction)."""
    return Discharge.objects.with_related().select_for_update(of=("self",)).get(pk=discharge.pk)


@transaction.atomic
def document_discharge(
    *,
    discharge: Discharge,
    by: User | None,
    treatment_plan: str | None = None,
    contact_phone: str | None = None,
    patient_informed: bool | None = None,
    destination: str | None = None,
    request: HttpRequest | None = None,
) -> Discharge:
    """Complete the discharge report. A new destination re-decides coverage under the rule the
    discharge was decided under (or the one in force on its date, if it had none)."""
    discharge = lock(discharge)
    if discharge.status in (Status.EXPIRED, Status.ENDED):
        raise Conflict(_("Udskrivelsen er afsluttet og kan ikke ændres."))
    now = timezone.now()
    if treatment_plan is not None:
        discharge.treatment_plan = treatment_plan
    if contact_phone is not None:
        discharge.contact_phone = contact_phone or discharge.ward.on_call_phone
    if patient_informed is not None:
        discharge.patient_informed = patient_informed
    if destination is not None and destination != discharge.destination:
        discharge.destination = destination
        _decide(discharge, discharge.rule or rule_for(discharge.ward, discharge.discharged_at))
    _note_documentation(discharge, by, now)
    discharge.save()
    log_access(
        user=by,
        action=AccessAction.UPDATE_DISCHARGE,
        request=request,
        obj=discharge,
        patient=discharge.patient,
    )
    return discharge


@transaction.atomic
def revise_discharge(
    *,
    discharge: Discharge,
    by: User | None,
    ward: Ward,
    admitted_at: datetime,
    discharged_at: datetime,
    request: HttpRequest | None = None,
) -> Discharge:
    """Correct the times or ward of a discharge (a MedCom correction) and re-decide coverage
    under the rule in force on the corrected date."""
    discharge = lock(discharge)
    if discharge.status in (Status.EXPIRED, Status.ENDED):
        raise Conflict(_("Udskrivelsen er afsluttet og kan ikke ændres."))
    _check_times(admitted_at=admitted_at, discharged_at=discharged_at, now=timezone.now())
    discharge.ward = ward
    discharge.admitted_at = admitted_at
    discharge.discharged_at = discharged_at
    _decide(discharge, rule_for(ward, discharged_at))
    discharge.save()
    log_access(
        user=by,
        action=AccessAction.UPDATE_DISCHARGE,
        request=request,
        obj=discharge,
        patient=discharge.patient,
    )
    return discharge


@transaction.atomic
def extend_responsibility(
    *,
    discharge: Discharge,
    by: User | None,
    hours: int,
    reason: str,
    request: HttpRequest | None = None,
) -> Discharge:
    """Extend an open window because the patient is not clinically stable."""
    errors = {}
    if not 1 <= hours <= settings.HANDOVER_EXTENSION_MAX_HOURS:
        errors["hours"] = _("Forlængelsen skal være mellem 1 og %(max)d timer.") % {
            "max": settings.HANDOVER_EXTENSION_MAX_HOURS
        }
    if not reason.strip():
        errors["reason"] = _("Angiv en begrundelse for forlængelsen.")
    if errors:
        raise ValidationError(errors)
    discharge = lock(discharge)
    now = timezone.now()
    if discharge.status not in OPEN_STATUSES or not rules.window_open_at(
        discharge.responsibility_ends_at, now
    ):
        raise Conflict(_("Kun et aktivt eller forlænget ansvar kan forlænges."))
    Extension.objects.create(discharge=discharge, hours=hours, reason=reason, created_by=by)
    discharge.responsibility_ends_at = rules.window_end(
        discharge.discharged_at, discharge.window_hours or 0, _extension_hours(discharge)
    )
    discharge.status = Status.EXTENDED
    discharge.save(update_fields=["responsibility_ends_at", "status", "updated_at"])
    # The nearing-expiry warning was about the old end; the new end is further away.
    Alert.objects.filter(
        discharge=discharge, kind=AlertKind.NEARING_EXPIRY, resolved_at__isnull=True
    ).update(resolved_at=now)
    notifications.notify_extended(discharge)
    log_access(
        user=by,
        action=AccessAction.EXTEND,
        request=request,
        obj=discharge,
        patient=discharge.patient,
    )
    return discharge


@transaction.atomic
def end_responsibility(
    *,
    discharge: Discharge,
    by: User | None,
    reason: str,
    note: str = "",
    at: datetime | None = None,
    request: HttpRequest | None = None,
) -> Discharge:
    """End a window early: readmission, death, or a registration made in error (cancelled).

    A cancellation may end any discharge that has not ended; readmission and death end open
    windows only.
    """
    if reason not in EndReason.values:
        raise ValidationError({"reason": _("Ukendt afslutningsårsag.")})
    _require_aware(at=at)
    discharge = lock(discharge)
    allowed: Iterable[str] = (
        [*OPEN_STATUSES, Status.NOT_COVERED] if reason == EndReason.CANCELLED else OPEN_STATUSES
    )
    if discharge.status not in allowed:
        raise Conflict(_("Udskrivelsen har ikke et aktivt ansvar, der kan afsluttes."))
    now = timezone.now()
    discharge.status = Status.ENDED
    discharge.end_reason = reason
    discharge.end_note = note
    discharge.ended_at = at or now
    discharge.ended_by = by
    discharge.save(
        update_fields=["status", "end_reason", "end_note", "ended_at", "ended_by", "updated_at"]
    )
    Alert.objects.filter(discharge=discharge, resolved_at__isnull=True).update(resolved_at=now)
    notifications.notify_ended(discharge)
    log_access(
        user=by, action=AccessAction.END, request=request, obj=discharge, patient=discharge.patient
    )
    return discharge
