"""OpenAPI examples of the incidents API."""

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
