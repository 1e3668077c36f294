"""A year of past demo discharges with the wards' confirmations, so that the risk manager's KPI
(seed 003: the plan with contact details in the epikrise and in the udskrivningsrapport) has
months, wards and sundhedsklynger to show, and a rate that rises towards the 90 % target.

December 2025 was under the 72-hour rules (counted apart on the dashboard). Everything is
derived from the month and the patient's number, so seeding twice changes nothing: a patient
who already has a discharge is left alone.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from contacts.demo import AARHUS_CARDIOLOGY, HERLEV_CARDIOLOGY
from contacts.models import Municipality, Ward
from handover import rules, services
from handover.models import Destination, Discharge, DischargeDocument

PLAN = "Observer vægt og åndenød dagligt. Ring til afdelingen ved vægtøgning over 2 kg."
FIRST_NAMES = ["Else", "Jens", "Kirsten", "Bent", "Hanne", "Svend", "Inge", "Leif", "Aase"]
LAST_NAMES = ["Holm", "Lauridsen", "Kjær", "Dam", "Bach", "Vestergaard", "Møller", "Berg"]
# (ward SOR, municipality codes): Herlev's wards discharge into four sundhedsklynger.
HERLEV = [
    (HERLEV_CARDIOLOGY, ["163", "101", "151", "167"]),
    ("108401002", ["163", "219", "101"]),  # Geriatrisk Afsnit
    ("108401003", ["151", "173", "101"]),  # Lungemedicinsk Afsnit
]
AARHUS = [(AARHUS_CARDIOLOGY, ["751", "746", "741"])]
PER_MONTH = {"ward_nurse": (HERLEV, 8), "ward_nurse_aarhus": (AARHUS, 3)}
MONTHS = 12  # December 2025 to November 2026, and the days of this month that have passed


def _months(today: datetime) -> list[datetime]:
    first = today.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    months = [first]
    for _ in range(MONTHS):
        months.insert(0, (months[0] - timedelta(days=1)).replace(day=1))
    return months


def _cpr(month_no: int, index: int, region_no: int) -> str:
    """A made-up, valid CPR number, one per month, patient and region: born on day
    ``index + 1`` of a month in 1930–1942; the serial's first digit 3 puts the year in the
    1900s."""
    return f"{index + 1:02d}{month_no % 12 + 1:02d}{30 + month_no:02d}3{region_no}{index:02d}"


def _confirmed(month_no: int, index: int, document: str) -> timedelta | None:
    """When after the discharge the ward confirmed ``document``, or None: more often and sooner
    as the year goes on (the epikrise lags the udskrivningsrapport); some a few hours late."""
    share = 5 if document == DischargeDocument.EPIKRISE else 6
    share += month_no // 3  # from 50–60 % a year ago to about 90 % now, of ten
    ticket = (index * 7 + month_no * 3 + len(document)) % 10
    if ticket < share:
        return timedelta(minutes=5 + 4 * index)
    if ticket == share:
        return timedelta(hours=3)  # written, but after the papers had gone
    return None


def seed_history(users: dict[str, User]) -> int:
    """Record the past demo discharges that do not exist yet; returns how many were created."""
    now = timezone.now()
    created = 0
    for month_no, month in enumerate(_months(timezone.localtime(now))):
        for username, (wards, count) in PER_MONTH.items():
            nurse = users[username]
            region_no = 4 if username == "ward_nurse" else 2
            for index in range(count):
                sor, towns = wards[index % len(wards)]
                day = 2 + (index * 27) // count
                discharged_at = datetime.combine(
                    month.date().replace(day=day), time(10 + index % 5), rules.LOCAL_TZ
                )
                cpr = _cpr(month_no, index, region_no)
                if discharged_at > now - timedelta(hours=4):
                    continue
                if Discharge.objects.filter(patient__cpr=cpr).exists():
                    continue
                discharge = services.record_discharge(
                    by=nurse,
                    patient_cpr=cpr,
                    patient_name=f"{FIRST_NAMES[index % 9]} {LAST_NAMES[(index + month_no) % 8]}",
                    ward=Ward.objects.select_related("hospital").get(sor_code=sor),
                    municipality=Municipality.objects.get(code=towns[index % len(towns)]),
                    admitted_at=discharged_at - timedelta(hours=72),
                    discharged_at=discharged_at,
                    destination=Destination.NURSING_HOME if index % 3 else Destination.HOME_NURSING,
                    treatment_plan=PLAN,
                    patient_informed=True,
                )
                for document in DischargeDocument.values:
                    after = _confirmed(month_no, index, document)
                    if after is not None and discharged_at + after < now:
                        services.confirm_documents(
                            discharge=discharge,
                            by=nurse,
                            documents=[document],
                            at=discharged_at + after,
                        )
                created += 1
    return created
