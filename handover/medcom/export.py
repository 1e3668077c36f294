"""A discharge as a FHIR R4 Bundle that a Danish system accepts (MedCom/DK core): the patient,
the stay as an Encounter with its episode-of-care identifier and class, the hospital and ward by
SOR code, the window as a CarePlan with the treatment plan, and whom to call: the number the ward
documented (a CareTeam) beside the ward's day and on-call lines (HealthcareServices).

Every resource has an ``id`` and a generated narrative; ``fullUrl`` is the resource's
``urn:uuid:``, the same for the same discharge at every export.
"""

import uuid
from datetime import UTC, datetime
from typing import Any

from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from contacts.models import Ward
from contacts.rules import parse_day_hours
from contacts.sor import SOR_SYSTEM
from handover.medcom.bundle import CPR_SYSTEM
from handover.medcom.resources import SOR_ENDPOINT, narrative
from handover.models import Discharge, EndReason, Status

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
CORE = "http://medcomfhir.dk/ig/core/StructureDefinition/"
# The discharge's status as an R4 CarePlan status (a required value set).
CAREPLAN_STATUS = {
    Status.ACTIVE: "active",
    Status.EXTENDED: "active",
    Status.EXPIRED: "completed",
    Status.ENDED: "revoked",
    Status.NOT_COVERED: "unknown",
}
# Stable ids: the same discharge exports the same resources.
NAMESPACE = uuid.UUID("1c5e3b0a-8f5e-4a43-9b0d-5a7f0d9b6e21")


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment else None


def _available_time(ward: Ward) -> list[dict[str, Any]]:
    times = []
    for day, hours in zip(DAYS, parse_day_hours(ward.day_hours), strict=True):
        if hours:
            times.append(
                {
                    "daysOfWeek": [day],
                    "availableStartTime": hours[0].strftime("%H:%M:%S"),
                    "availableEndTime": hours[1].strftime("%H:%M:%S"),
                }
            )
    return times


def episode_of_care(discharge: Discharge) -> dict[str, str]:
    """The stay's forløbsid as the hospital sent it; for a discharge recorded by hand, one made
    for it, under the ward's SOR address as MedCom recommends for a local identifier."""
    stay = discharge.stay
    if stay is not None:
        return {
            "system": SOR_ENDPOINT.format(stay.hospital.sor_code),
            "value": stay.episode_of_care,
        }
    value = str(uuid.uuid5(NAMESPACE, f"episode-{discharge.pk}"))
    return {"system": SOR_ENDPOINT.format(discharge.ward.sor_code), "value": value}


def careplan_status(discharge: Discharge) -> str:
    if discharge.end_reason == EndReason.CANCELLED:
        return "entered-in-error"
    return CAREPLAN_STATUS[Status(discharge.status)]


def discharge_bundle(discharge: Discharge) -> dict[str, Any]:
    ward = discharge.ward
    hospital = ward.hospital
    patient = discharge.patient
    ids = {
        kind: str(uuid.uuid5(NAMESPACE, f"discharge-{discharge.pk}-{kind}"))
        for kind in (
            "patient",
            "encounter",
            "ward",
            "hospital",
            "careplan",
            "team",
            "day",
            "oncall",
        )
    }

    def ref(kind: str) -> dict[str, str]:
        return {"reference": f"urn:uuid:{ids[kind]}"}

    given, _sep, family = discharge.patient_name.rpartition(" ")
    name = {"use": "official", "family": family, "given": [given] if given else []}
    ends = discharge.responsibility_ends_at
    phone = str(discharge.contact_phone)
    resources: list[tuple[str, dict[str, Any]]] = [
        (
            "patient",
            {
                "resourceType": "Patient",
                "meta": {"profile": [CORE + "medcom-core-patient"]},
                "text": narrative(discharge.patient_name, [("CPR", patient.cpr_display)]),
                "identifier": [{"system": CPR_SYSTEM, "value": patient.cpr}],
                "name": [name],
                "birthDate": patient.birth_date.isoformat(),
            },
        ),
        (
            "hospital",
            {
                "resourceType": "Organization",
                "meta": {"profile": [CORE + "medcom-core-organization"]},
                "text": narrative(hospital.name, [("SOR", hospital.sor_code)]),
                "identifier": [{"system": SOR_SYSTEM, "value": hospital.sor_code}],
                "name": hospital.name,
                "telecom": [
                    {"system": "phone", "value": str(hospital.central_phone), "use": "work"}
                ],
            },
        ),
        (
            "ward",
            {
                "resourceType": "Organization",
                "meta": {"profile": [CORE + "medcom-core-organization"]},
                "text": narrative(ward.name, [("SOR", ward.sor_code), ("Hospital", hospital.name)]),
                "identifier": [{"system": SOR_SYSTEM, "value": ward.sor_code}],
                "name": ward.name,
                "partOf": ref("hospital"),
            },
        ),
        (
            "encounter",
            {
                "resourceType": "Encounter",
                "meta": {"profile": [CORE + "medcom-core-encounter"]},
                "text": narrative(
                    discharge.get_encounter_class_display(),
                    [
                        ("Indlagt", timezone.localtime(discharge.admitted_at)),
                        ("Udskrevet", timezone.localtime(discharge.discharged_at)),
                    ],
                ),
                "status": "finished",
                "class": {"system": ACT_CODE, "code": discharge.encounter_class},
                "subject": ref("patient"),
                "episodeOfCare": [{"identifier": episode_of_care(discharge)}],
                "period": {
                    "start": _iso(discharge.admitted_at),
                    "end": _iso(discharge.discharged_at),
                },
                "serviceProvider": ref("ward"),
            },
        ),
        (
            "team",
            {
                "resourceType": "CareTeam",
                "text": narrative(
                    "Kontakt under udvidet behandlingsansvar",
                    [
                        ("Telefon dokumenteret af afdelingen", discharge.papers_phone()),
                        ("Linje", discharge.get_phone_line_display()),
                    ],
                ),
                "status": "active" if discharge.is_open else "inactive",
                "name": f"{ward.name}: udvidet behandlingsansvar",
                "subject": ref("patient"),
                "managingOrganization": [ref("ward")],
                "telecom": [{"system": "phone", "value": phone, "use": "work"}] if phone else [],
            },
        ),
        (
            "day",
            {
                "resourceType": "HealthcareService",
                "text": narrative(f"{ward.name}: dagtelefon", [("Telefon", ward.day_phone)]),
                "providedBy": ref("ward"),
                "name": f"{ward.name}: dagtelefon",
                "telecom": [{"system": "phone", "value": str(ward.day_phone), "use": "work"}],
                "availableTime": _available_time(ward),
            },
        ),
        (
            "oncall",
            {
                "resourceType": "HealthcareService",
                "text": narrative(
                    f"{ward.name}: vagthavende læge", [("Telefon", ward.on_call_phone)]
                ),
                "providedBy": ref("ward"),
                "name": f"{ward.name}: vagthavende læge",
                "telecom": [{"system": "phone", "value": str(ward.on_call_phone), "use": "work"}],
                "availableTime": [{"allDay": True, "daysOfWeek": DAYS}],
            },
        ),
    ]
    careplan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "text": narrative(
            "Udvidet behandlingsansvar",
            [
                ("Status", discharge.get_status_display()),
                ("Ansvar til", timezone.localtime(ends) if ends else ""),
                ("Ikke omfattet", discharge.get_not_covered_reason_display()),
                ("Behandlingsplan", discharge.treatment_plan),
            ],
        ),
        "status": careplan_status(discharge),
        "intent": "plan",
        "title": "Udvidet behandlingsansvar",
        "subject": ref("patient"),
        "encounter": ref("encounter"),
        "author": ref("ward"),
        "careTeam": [ref("team")],
        "description": discharge.treatment_plan or "Ingen behandlingsplan dokumenteret.",
    }
    notes = [
        f"Forlænget {extension.hours} timer: {extension.reason}"
        for extension in discharge.extensions.all()
    ]
    if discharge.not_covered_reason:
        notes.append(f"Ikke omfattet: {discharge.get_not_covered_reason_display()}")
    if notes:
        careplan["note"] = [{"text": text} for text in notes]
    if ends:
        careplan["period"] = {"start": _iso(discharge.discharged_at), "end": _iso(ends)}
    resources.append(("careplan", careplan))
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": _iso(timezone.now()),
        "entry": [
            {"fullUrl": f"urn:uuid:{ids[kind]}", "resource": {**resource, "id": ids[kind]}}
            for kind, resource in resources
        ],
    }
    Bundle.model_validate(bundle)  # never hand out a bundle that is not valid FHIR
    return bundle
