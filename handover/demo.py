"""Demo discharges: open windows near and far from their end, gaps in documentation, a
psychiatric and a short stay that are not covered, an extension and an early end.

Recorded through the services, exactly as a ward nurse would, relative to the moment the demo is
seeded. A patient who already has a discharge is left alone, so seeding twice changes nothing.
"""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from contacts.demo import HERLEV_CARDIOLOGY
from contacts.models import Municipality, Ward
from handover import services
from handover.models import Destination, Discharge, DischargeDocument, EndReason

PLAN = (
    "Observer vægt dagligt og åndenød. Ved vægtøgning over 2 kg på 3 dage: ring til afdelingen. "
    "Furosemid øget til 40 mg x 2. Kontrol af væsketal om 3 dage."
)

# (cpr, name, ward SOR, municipality, hours since discharge, stay hours, destination, plan?,
#  extension hours, end reason)
DISCHARGES = [
    (
        "0101451234",
        "Ole Hansen",
        HERLEV_CARDIOLOGY,
        "101",
        30,
        72,
        Destination.HOME_NURSING,
        True,
        0,
        "",
    ),
    (
        "1203402782",
        "Inger Jørgensen",
        HERLEV_CARDIOLOGY,
        "163",
        86,
        96,
        Destination.HOME_NURSING,
        False,
        0,
        "",
    ),
    (
        "0512381521",
        "Poul Andersen",
        "108401002",
        "101",
        95,
        120,
        Destination.NURSING_HOME,
        True,
        0,
        "",
    ),
    (
        "2307423614",
        "Grethe Nielsen",
        "108401002",
        "163",
        5,
        60,
        Destination.TEMPORARY_BED,
        False,
        0,
        "",
    ),
    (
        "1508331128",
        "Erik Mortensen",
        "108401003",
        "163",
        20,
        12,
        Destination.HOME_NURSING,
        True,
        0,
        "",
    ),
    (
        "0902952417",
        "Sofie Lund",
        "108402002",
        "101",
        10,
        200,
        Destination.HOME_NURSING,
        True,
        0,
        "",
    ),
    (
        "3011363790",
        "Karl Petersen",
        HERLEV_CARDIOLOGY,
        "101",
        60,
        48,
        Destination.HOME_NURSING,
        True,
        24,
        "",
    ),
    (
        "1706441903",
        "Ruth Olsen",
        "108401003",
        "101",
        40,
        50,
        Destination.NURSING_HOME,
        True,
        0,
        EndReason.READMITTED,
    ),
    (
        "2404390216",
        "Hans Christensen",
        HERLEV_CARDIOLOGY,
        "163",
        200,
        80,
        Destination.HOME_NURSING,
        True,
        0,
        "",
    ),
    (
        "0808412831",
        "Birthe Rasmussen",
        "108201001",
        "751",
        50,
        70,
        Destination.HOME_NURSING,
        True,
        0,
        "",
    ),
    (
        "1411372845",
        "Niels Thomsen",
        "108201002",
        "751",
        90,
        100,
        Destination.RESIDENTIAL_FACILITY,
        False,
        24,
        "",
    ),
    ("2112443652", "Lone Frederiksen", "108201001", "751", 3, 30, Destination.OTHER, True, 0, ""),
]


# cpr → minutes after the discharge the ward confirmed the plan with contact details in the
# epikrise and in the udskrivningsrapport (None: not confirmed); seed 003's KPI counts those
# within KPI_GRACE_MINUTES. Poul Andersen's epikrise is still missing, Karl Petersen's
# udskrivningsrapport came too late.
CONFIRMED: dict[str, tuple[int | None, int | None]] = {
    "0101451234": (8, 5),
    "0512381521": (None, 15),
    "3011363790": (20, 180),
    "1706441903": (10, 10),
    "2404390216": (30, 30),
    "0808412831": (5, 5),
}

# cpr → calls (hours after discharge, caller role, outcome): Ole's story, once right, once not;
# and a 112 call.
CALLS = {
    "0101451234": [(20, "municipal_nurse", "advice"), (26, "ssa", "medication_change")],
    "1203402782": [(40, "municipal_nurse", "referred_to_gp")],
    # A 112 call suspends the period while prehospital care takes over: the ward sees it.
    "2307423614": [(3, "municipal_nurse", "emergency_112")],
}


def seed_discharges(users: dict[str, User]) -> int:
    """Record the demo discharges that do not exist yet; returns how many were created."""
    now = timezone.now()
    created = 0
    for cpr, name, sor, code, since, stay, destination, plan, extra, end in DISCHARGES:
        if Discharge.objects.filter(patient__cpr=cpr).exists():
            continue
        ward = Ward.objects.select_related("hospital").get(sor_code=sor)
        nurse = users["ward_nurse_aarhus" if ward.hospital.region_id == 1082 else "ward_nurse"]
        discharged_at = now - timedelta(hours=since)
        discharge = services.record_discharge(
            by=nurse,
            patient_cpr=cpr,
            patient_name=name,
            ward=ward,
            municipality=Municipality.objects.get(code=code),
            admitted_at=discharged_at - timedelta(hours=stay),
            discharged_at=discharged_at,
            destination=destination,
            treatment_plan=PLAN if plan else "",
            patient_informed=plan,
        )
        for document, minutes in zip(
            DischargeDocument.values, CONFIRMED.get(cpr, ()), strict=False
        ):
            if minutes is not None:
                services.confirm_documents(
                    discharge=discharge,
                    by=nurse,
                    documents=[document],
                    at=discharged_at + timedelta(minutes=minutes),
                )
        if extra and discharge.is_open:
            services.extend_responsibility(
                discharge=discharge, by=nurse, hours=extra, reason="Ikke klinisk stabil: åndenød."
            )
        if cpr in CALLS and discharge.is_open:
            for hours_after, role, outcome in CALLS[cpr]:
                services.log_call(
                    discharge=discharge,
                    by=None,
                    received_at=discharged_at + timedelta(hours=hours_after),
                    caller_role=role,
                    caller_organisation="Hjemmesygeplejen",
                    reason="Åndenød og træthed",
                    outcome=outcome,
                )
        if end and discharge.is_open:
            services.end_responsibility(
                discharge=discharge, by=nurse, reason=end, note="Genindlagt via akutmodtagelsen."
            )
        created += 1
    return created
