"""OpenAPI examples of the directory API."""

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
