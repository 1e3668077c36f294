"""Every change to a discharge goes through here: one transaction each, access log included.

Callers validate the shape of their input (forms, serializers); these functions enforce the
domain's invariants and raise ``django.core.exceptions.ValidationError`` (bad input, 400) or
``Conflict`` (the discharge is in a state that forbids the change, 409).
"""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from contacts.models import Municipality, Ward, WardKind
from handover import rules
from handover.models import (
    AccessAction,
    Alert,
    AlertKind,
    Discharge,
    EncounterClass,
    Patient,
    PhoneLine,
    ResponsibilityRule,
    Source,
    Status,
    Stay,
)
from handover.services import medcom_out, notifications
from handover.services.access import log_access


class Conflict(Exception):
    """The discharge's state forbids the change (answered 409)."""


def require_aware(**moments: datetime | None) -> None:
    errors = {
        name: _("Tidspunktet skal have en tidszone.")
        for name, moment in moments.items()
        if moment is not None and timezone.is_naive(moment)
    }
    if errors:
        raise ValidationError(errors)


def _check_times(*, admitted_at: datetime, discharged_at: datetime, now: datetime) -> None:
    require_aware(admitted_at=admitted_at, discharged_at=discharged_at)
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
        acute_outpatient=discharge.encounter_class == EncounterClass.EMERGENCY,
    )
    discharge.rule = rule
    discharge.covered = coverage.covered
    discharge.not_covered_reason = coverage.reason or ""
    discharge.window_hours = coverage.window_hours
    if coverage.window_hours is None:
        discharge.responsibility_ends_at = None
        discharge.status = Status.NOT_COVERED
        return
    extended = [] if discharge.pk is None else extension_hours(discharge)
    discharge.responsibility_ends_at = rules.window_end(
        discharge.discharged_at, coverage.window_hours, extended
    )
    discharge.status = Status.EXTENDED if extended else Status.ACTIVE


def extension_hours(discharge: Discharge) -> list[int]:
    return list(discharge.extensions.values_list("hours", flat=True))


def rule_for(ward: Ward, discharged_at: datetime) -> ResponsibilityRule | None:
    local_day = discharged_at.astimezone(rules.LOCAL_TZ).date()
    region_rules = ResponsibilityRule.objects.filter(region_id=ward.hospital.region_id)
    return rules.rule_in_force(region_rules, local_day)


def _note_documentation(discharge: Discharge, by: User | None, now: datetime) -> bool:
    """Stamp the moment plan and phone are first both present, and resolve the alert; whether
    they are present for the first time now."""
    complete = bool(discharge.treatment_plan.strip() and discharge.phone_documented)
    first = complete and discharge.documented_at is None
    if first:
        discharge.documented_at = now
        discharge.documented_by = by
    if complete and discharge.pk is not None:
        Alert.objects.filter(
            discharge=discharge, kind=AlertKind.MISSING_DOCUMENTATION, resolved_at__isnull=True
        ).update(resolved_at=now)
    return first


def _tell_the_municipality_documented(discharge: Discharge, by: User | None) -> None:
    """The CareCommunication that tells the municipality of the responsibility, once it is
    documented and while it lasts."""
    if discharge.is_open:
        medcom_out.queue(
            discharge=discharge, by=by, event=_("Udskrevet med udvidet behandlingsansvar.")
        )


def documented_phone(ward: Ward, *, contact_phone: str, phone_line: str) -> tuple[str, str]:
    """The number and line a report documents (``contact_phone``, ``phone_line``).

    A number given is the ward's line it equals, or a direct number; a line given without a
    number is that line's number (blank "by the clock"); neither is the on-call line, the one
    that answers at any hour. A number and a different line of the ward contradict each other.
    """
    lines = {
        PhoneLine.EXTENDED: str(ward.extended_care_phone or ""),
        PhoneLine.ON_CALL: str(ward.on_call_phone),
        PhoneLine.DAY: str(ward.day_phone),
    }
    if contact_phone:
        own = next((line for line, number in lines.items() if number == contact_phone), None)
        line = own or PhoneLine.DIRECT
        if phone_line and phone_line not in (line, PhoneLine.DIRECT):
            raise ValidationError(
                {
                    "contact_phone": _(
                        "Nummeret er ikke %(line)s. Vælg direkte nummer, eller tøm feltet."
                    )
                    % {"line": PhoneLine(phone_line).label}
                }
            )
        return contact_phone, line
    line = PhoneLine(phone_line or PhoneLine.ON_CALL)
    if line == PhoneLine.BY_CLOCK:
        return "", line
    if line == PhoneLine.DIRECT:
        raise ValidationError({"contact_phone": _("Skriv det direkte nummer.")})
    if not lines[line]:
        raise ValidationError(
            {"phone_line": _("Afdelingen har ingen telefon til udvidet behandlingsansvar.")}
        )
    return lines[line], line


def patient_for(cpr: rules.CPR, name: str) -> Patient:
    """The citizen with this CPR number, made with the first name given. A known citizen is
    never renamed: each discharge keeps the name its own ward documented (``patient_name``), so
    no report changes what another hospital or municipality sees."""
    patient, _created = Patient.objects.get_or_create(
        cpr=cpr.number, defaults={"name": name, "birth_date": cpr.birth_date, "sex": cpr.sex}
    )
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
    contact_phone: str = "",
    phone_line: str = "",
    patient_informed: bool | None = None,
    source: str = Source.MANUAL,
    stay: Stay | None = None,
    encounter_class: str = EncounterClass.INPATIENT,
    request: HttpRequest | None = None,
) -> Discharge:
    """Record a discharge and decide its coverage under the rule in force on its date.

    The number is the one ``documented_phone`` makes of the report's. The report is checked
    before anything is written.
    """
    now = timezone.now()
    try:
        cpr = rules.parse_cpr(patient_cpr)
    except rules.InvalidCPR as error:
        raise ValidationError({"patient.cpr": str(error)}) from error
    _check_times(admitted_at=admitted_at, discharged_at=discharged_at, now=now)
    rule = rule_for(ward, discharged_at)
    phone, line = documented_phone(ward, contact_phone=contact_phone, phone_line=phone_line)
    # Everything is checked above: an error from here on is the database's, and ends the
    # caller's transaction too, so a savepoint inside it would buy nothing.
    with transaction.atomic(savepoint=False):
        # A stay's discharge is its patient's (a HospitalNotification names the same CPR).
        if stay is not None and stay.patient.cpr == cpr.number:
            patient = stay.patient
        else:
            patient = patient_for(cpr, patient_name)
        discharge = Discharge(
            patient=patient,
            patient_name=patient_name or patient.name,
            ward=ward,
            municipality=municipality,
            admitted_at=admitted_at,
            discharged_at=discharged_at,
            destination=destination,
            finished=finished,
            treatment_plan=treatment_plan,
            contact_phone=phone,
            phone_line=line,
            patient_informed=patient_informed,
            source=source,
            stay=stay,
            encounter_class=encounter_class,
            created_by=by,
        )
        _decide(discharge, rule)
        if discharge.responsibility_ends_at is not None and discharge.responsibility_ends_at <= now:
            # Registered after its window ended (a late report or message): the GP is
            # responsible already, so the window is not shown as open until the next sweep
            # expires it.
            discharge.status = Status.EXPIRED
        # A plan and phone given with the discharge report were there when the patient left.
        documented = _note_documentation(discharge, by, min(now, discharged_at))
        discharge.save()
        notifications.notify_recorded(discharge)
        if documented:
            _tell_the_municipality_documented(discharge, by)
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
    phone_line: str | None = None,
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
    if contact_phone is not None or phone_line is not None:
        discharge.contact_phone, discharge.phone_line = documented_phone(
            discharge.ward, contact_phone=contact_phone or "", phone_line=phone_line or ""
        )
    if patient_informed is not None:
        discharge.patient_informed = patient_informed
    if destination is not None and destination != discharge.destination:
        discharge.destination = destination
        _decide(discharge, discharge.rule or rule_for(discharge.ward, discharge.discharged_at))
    documented = _note_documentation(discharge, by, now)
    discharge.save()
    if documented:
        _tell_the_municipality_documented(discharge, by)
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
