"""OpenAPI examples shared by the API modules: one realistic payload per resource (API.md)."""

from drf_spectacular.utils import OpenApiExample

WARD = {
    "id": 12,
    "name": "Kardiologisk Afsnit",
    "sor_code": "265161000016000",
    "kind": "somatic",
    "hospital": {
        "id": 3,
        "name": "Herlev Hospital",
        "region": 1084,
        "central_phone": "+4538683868",
    },
    "day_phone": "+4544884401",
    "on_call_phone": "+4544884402",
    "phone_now": "+4544884402",
    "phone_now_kind": "on_call",
}
DISCHARGE = {
    "id": 481,
    "patient": {"cpr_masked": "010145-****", "name": "Ole Hansen"},
    "ward": WARD,
    "municipality": {"code": "163", "name": "Herlev", "region": 1084},
    "admitted_at": "2026-11-17T09:00:00Z",
    "discharged_at": "2026-11-20T11:00:00Z",
    "destination": "home_nursing",
    "finished": True,
    "covered": True,
    "not_covered_reason": None,
    "window_hours": 96,
    "responsibility_ends_at": "2026-11-24T11:00:00Z",
    "status": "active",
    "treatment_plan": "Observer vægt og åndenød. Furosemid øget til 40 mg x 2.",
    "contact_phone": "+4544884402",
    "patient_informed": True,
    "documentation": {"complete": True, "missing": []},
    "extensions": [],
    "alerts": [],
    "source": "manual",
    "end_reason": "",
    "ended_at": None,
}
CALL = {
    "id": 7,
    "discharge": 481,
    "received_at": "2026-11-21T18:40:00Z",
    "caller_role": "municipal_nurse",
    "caller_name": "Susanne Berg",
    "caller_organisation": "Herlev Kommune",
    "reason": "Åndenød og træthed",
    "outcome": "advice",
    "note": "",
    "within_window": True,
    "suggested_incident": None,
}
INCIDENT_INPUT = {
    "occurred_at": "2026-11-21T19:05:00+01:00",
    "occurred_at_precision": "exact",
    "title": "Henvist til egen læge inden for behandlingsansvaret",
    "description": "Afdelingen henviste hjemmesygeplejersken til egen læge.",
    "category": "referred_elsewhere",
    "actual_consequence": "minor",
    "possible_consequence": "serious_risk",
    "place_of_occurrence": {"kind": "ward", "id": "12"},
    "involved_organisations": [{"kind": "municipality", "id": "163", "role": "caller"}],
    "discharge": 481,
}


def response(name: str, value: object) -> OpenApiExample:
    return OpenApiExample(name, value=value, response_only=True)


def request(name: str, value: object) -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=True)
