"""A discharge as a FHIR R4 Bundle: who, where, the window as a CarePlan, and whom to call."""

from datetime import UTC
from typing import Any

from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from contacts.models import Ward
from contacts.rules import parse_day_hours
from handover.fhir.parse import CPR_SYSTEM, SOR_SYSTEM
from handover.models import Discharge, Status

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
CAREPLAN_STATUS = {
    Status.ACTIVE: "active",
    Status.EXTENDED: "active",
    Status.EXPIRED: "completed",
    Status.ENDED: "revoked",
    Status.NOT_COVERED: "not-applicable",
}


def _iso(moment: Any) -> str | None:
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


def discharge_bundle(discharge: Discharge) -> dict[str, Any]:
    ward = discharge.ward
    hospital = ward.hospital
    patient = discharge.patient
    ids = {
        kind: f"urn:uuid:discharge-{discharge.pk}-{kind}"
        for kind in ("patient", "encounter", "ward", "hospital", "careplan", "day", "oncall")
    }
    resources: list[tuple[str, dict[str, Any]]] = [
        (
            ids["patient"],
            {
                "resourceType": "Patient",
                "identifier": [{"system": CPR_SYSTEM, "value": patient.cpr}],
                "name": [{"text": patient.name}],
                "birthDate": patient.birth_date.isoformat(),
            },
        ),
        (
            ids["hospital"],
            {
                "resourceType": "Organization",
                "identifier": [{"system": SOR_SYSTEM, "value": hospital.sor_code}],
                "name": hospital.name,
                "telecom": [
                    {"system": "phone", "value": str(hospital.central_phone), "use": "work"}
                ],
            },
        ),
        (
            ids["ward"],
            {
                "resourceType": "Organization",
                "identifier": [{"system": SOR_SYSTEM, "value": ward.sor_code}],
                "name": ward.name,
                "partOf": {"reference": ids["hospital"]},
            },
        ),
        (
            ids["encounter"],
            {
                "resourceType": "Encounter",
                "status": "finished",
                "class": {
                    "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                    "code": "IMP",
                },
                "subject": {"reference": ids["patient"]},
                "period": {
                    "start": _iso(discharge.admitted_at),
                    "end": _iso(discharge.discharged_at),
                },
                "serviceProvider": {"reference": ids["ward"]},
            },
        ),
        (
            ids["day"],
            {
                "resourceType": "HealthcareService",
                "providedBy": {"reference": ids["ward"]},
                "name": f"{ward.name}: dagtelefon",
                "telecom": [{"system": "phone", "value": str(ward.day_phone), "use": "work"}],
                "availableTime": _available_time(ward),
            },
        ),
        (
            ids["oncall"],
            {
                "resourceType": "HealthcareService",
                "providedBy": {"reference": ids["ward"]},
                "name": f"{ward.name}: vagthavende læge",
                "telecom": [{"system": "phone", "value": str(ward.on_call_phone), "use": "work"}],
                "availableTime": [{"allDay": True, "daysOfWeek": DAYS}],
            },
        ),
    ]
    careplan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "status": CAREPLAN_STATUS[Status(discharge.status)],
        "intent": "plan",
        "title": "Udvidet behandlingsansvar",
        "subject": {"reference": ids["patient"]},
        "encounter": {"reference": ids["encounter"]},
        "author": {"reference": ids["ward"]},
        "description": discharge.treatment_plan or "Ingen behandlingsplan dokumenteret.",
        "note": [
            {"text": f"Forlænget {extension.hours} timer: {extension.reason}"}
            for extension in discharge.extensions.all()
        ]
        or None,
    }
    if discharge.responsibility_ends_at:
        careplan["period"] = {
            "start": _iso(discharge.discharged_at),
            "end": _iso(discharge.responsibility_ends_at),
        }
    resources.append((ids["careplan"], {k: v for k, v in careplan.items() if v is not None}))
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": _iso(timezone.now()),
        "entry": [{"fullUrl": url, "resource": resource} for url, resource in resources],
    }
    Bundle.model_validate(bundle)  # never hand out a bundle that is not valid FHIR
    return bundle
