"""Demo directory: real hospital names in all five regions, invented SOR codes and numbers.

The SOR codes and telephone numbers are made up for the demo (they follow the real formats);
never dial them from production data.
"""

from pathlib import Path

from contacts.models import (
    ContactPerson,
    ContactRole,
    Hospital,
    Municipality,
    SorUnit,
    Ward,
    WardKind,
)

# SOR units in the national export's layout (manage.py import_sor): the codes MedCom's own
# example messages use (the Herlev cardiology department, its ward S103, Plejecenter Herlev), and
# home nursing units of the demo's municipalities (their codes invented).
SOR_DEMO = Path(__file__).resolve().parent / "data" / "sor_demo.csv"

# region code → hospitals → (ward name, kind); the first ward of each hospital is somatic.
HOSPITALS: dict[int, list[tuple[str, list[tuple[str, str]]]]] = {
    1084: [
        (
            "Herlev Hospital",
            [
                ("Kardiologisk Afsnit", WardKind.SOMATIC),
                ("Geriatrisk Afsnit", WardKind.SOMATIC),
                ("Lungemedicinsk Afsnit", WardKind.SOMATIC),
            ],
        ),
        (
            "Bispebjerg og Frederiksberg Hospital",
            [
                ("Medicinsk Afsnit", WardKind.SOMATIC),
                ("Psykiatrisk Afsnit", WardKind.PSYCHIATRIC),
            ],
        ),
        ("Rigshospitalet", [("Nefrologisk Afsnit", WardKind.SOMATIC)]),
        ("Amager og Hvidovre Hospital", [("Akut Geriatrisk Afsnit", WardKind.SOMATIC)]),
    ],
    1085: [
        (
            "Sjællands Universitetshospital, Roskilde",
            [("Medicinsk Afdeling", WardKind.SOMATIC), ("Psykiatrien Øst", WardKind.PSYCHIATRIC)],
        ),
        ("Slagelse Sygehus", [("Medicinsk Afdeling", WardKind.SOMATIC)]),
        ("Næstved Sygehus", [("Ortopædkirurgisk Afdeling", WardKind.SOMATIC)]),
    ],
    1083: [
        (
            "Odense Universitetshospital",
            [
                ("Geriatrisk Afdeling G", WardKind.SOMATIC),
                ("Psykiatrisk Afdeling", WardKind.PSYCHIATRIC),
            ],
        ),
        ("Sygehus Lillebælt, Vejle", [("Medicinsk Afdeling", WardKind.SOMATIC)]),
        ("Sydvestjysk Sygehus, Esbjerg", [("Medicinsk Afdeling", WardKind.SOMATIC)]),
    ],
    1082: [
        (
            "Aarhus Universitetshospital",
            [
                ("Hjertesygdomme, Sengeafsnit", WardKind.SOMATIC),
                ("Akutmedicinsk Afsnit", WardKind.SOMATIC),
                ("Psykiatrisk Afdeling", WardKind.PSYCHIATRIC),
            ],
        ),
        ("Regionshospitalet Gødstrup", [("Medicinsk Afdeling", WardKind.SOMATIC)]),
        ("Regionshospitalet Randers", [("Medicinsk Afdeling", WardKind.SOMATIC)]),
    ],
    1081: [
        (
            "Aalborg Universitetshospital",
            [
                ("Geriatrisk Afdeling", WardKind.SOMATIC),
                ("Psykiatrisk Afdeling", WardKind.PSYCHIATRIC),
            ],
        ),
        ("Regionshospital Nordjylland, Hjørring", [("Medicinsk Afdeling", WardKind.SOMATIC)]),
    ],
}

# (municipality code, contact person, e-mail)
MUNICIPAL_CONTACTS = [
    ("101", "Hanne Larsen", "behandlingsansvar@kk.example.dk"),
    ("163", "Mette Holm", "sygepleje@herlev.example.dk"),
    ("751", "Jens Kristensen", "sygepleje@aarhus.example.dk"),
]


def _phone(region: int, hospital_no: int, ward_no: int, line: int) -> str:
    # +45 and eight digits: region, hospital, ward and line make each number unique.
    return f"+45{region % 100:02d}{hospital_no:02d}{ward_no:02d}{line:02d}"


def seed_directory() -> dict[str, Ward]:
    """Create or update the demo hospitals and wards. Returns wards by SOR code."""
    wards: dict[str, Ward] = {}
    for region, hospitals in HOSPITALS.items():
        for hospital_no, (hospital_name, ward_specs) in enumerate(hospitals, start=1):
            hospital_sor = f"{region}{hospital_no:02d}000"
            hospital, _ = Hospital.objects.update_or_create(
                sor_code=hospital_sor,
                defaults={
                    "name": hospital_name,
                    "region_id": region,
                    "central_phone": _phone(region, hospital_no, 0, 0),
                },
            )
            ContactPerson.objects.update_or_create(
                hospital=hospital,
                role=ContactRole.COORDINATOR,
                defaults={
                    "name": f"Koordinator, {hospital_name}",
                    "phone": _phone(region, hospital_no, 0, 9),
                    "email": f"koordinator.{region}{hospital_no:02d}@hospital.example.dk",
                },
            )
            for ward_no, (ward_name, kind) in enumerate(ward_specs, start=1):
                sor = SOR_OVERRIDES.get(
                    (region, hospital_no, ward_no), f"{region}{hospital_no:02d}{ward_no:03d}"
                )
                ward, _ = Ward.objects.update_or_create(
                    sor_code=sor,
                    defaults={
                        "hospital": hospital,
                        "name": ward_name,
                        "kind": kind,
                        "day_phone": _phone(region, hospital_no, ward_no, 1),
                        "on_call_phone": _phone(region, hospital_no, ward_no, 2),
                        # the first ward of each hospital has a line of its own for the scheme
                        "extended_care_phone": (
                            _phone(region, hospital_no, ward_no, 3) if ward_no == 1 else ""
                        ),
                    },
                )
                wards[sor] = ward
    for code, name, email in MUNICIPAL_CONTACTS:
        ContactPerson.objects.update_or_create(
            municipality=Municipality.objects.get(code=code),
            role=ContactRole.KEY_PERSON,
            defaults={"name": name, "email": email, "phone": f"+4570{int(code):03d}100"},
        )
    return wards


# The sender of the MedCom example message (shared/data/hospital_notification_slhj.json).
MEDCOM_EXAMPLE_SOR = "265161000016000"
SOR_OVERRIDES = {(1084, 1, 1): MEDCOM_EXAMPLE_SOR}  # Herlev, Kardiologisk Afsnit

HERLEV_CARDIOLOGY = MEDCOM_EXAMPLE_SOR
AARHUS_CARDIOLOGY = "108201001"


# Each demo municipality's unit for the wards' CareCommunications (rows of SOR_DEMO).
MEDCOM_RECEIVERS = {"101": "953741000016207", "163": "953741000016108", "751": "953741000016306"}


def link_medcom_receivers() -> None:
    """Point the demo municipalities at their units in the SOR directory (after import_sor)."""
    for code, sor_code in MEDCOM_RECEIVERS.items():
        Municipality.objects.filter(code=code).update(
            medcom_receiver=SorUnit.objects.get(sor_code=sor_code)
        )
