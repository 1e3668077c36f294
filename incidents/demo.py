"""Demo incident reports: Ole's story as a report, and a few cases at different stages.

A report about a discharge happened after it (a call some hours into the period of
responsibility); the older reports name no discharge, since the demo's discharges are all recent.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from accounts.models import User
from contacts.demo import HERLEV_CARDIOLOGY
from contacts.models import Municipality, Ward
from handover.models import Discharge
from incidents import services
from incidents.models import Incident

# How long after the incident a demo report is sent.
REPORTED_AFTER = timedelta(hours=3)


@dataclass(frozen=True)
class DemoReport:
    title: str
    category: str
    reporter: str
    path: list[str] = field(default_factory=list)  # the case's moves
    # About a discharge (its patient's CPR), this many hours after it; else so many days ago.
    discharge_cpr: str = ""
    hours_after_discharge: int = 0
    days_ago: int = 0
    learning: str = ""  # the learning action the case is closed with


REPORTS = [
    # Inger Jørgensen's call 40 hours after her discharge was referred to her GP (handover.demo).
    DemoReport(
        "Henvist til egen læge inden for 96 timer",
        "referred_elsewhere",
        "municipal_nurse_herlev",
        discharge_cpr="1203402782",
        hours_after_discharge=40,
    ),
    DemoReport(
        "Telefonnummer manglede i udskrivningsrapporten",
        "contact_info_missing",
        "municipal_nurse_herlev",
        ["in_review", "closed"],
        discharge_cpr="2404390216",
        hours_after_discharge=30,
        learning="Afdelingens vagttelefon skrives i fremtidige aftaler; tjeklisten ved "
        "udskrivelse gennemgås på morgenmødet.",
    ),
    DemoReport(
        "Ingen behandlingsplan i udskrivningsrapporten",
        "responsibility_not_documented",
        "municipal_nurse_herlev",
        ["in_review"],
        days_ago=12,
    ),
    DemoReport(
        "Telefonnummer manglede på epikrisen",
        "contact_info_missing",
        "municipal_nurse",
        ["in_review"],
        days_ago=40,
    ),
    DemoReport(
        "Uklart hvem der havde ansvaret efter udskrivelse",
        "unclear_responsibility",
        "ward_nurse",
        ["in_review", "closed"],
        days_ago=60,
        learning="Behandlingsansvaret er en del af introduktionen af nye medarbejdere.",
    ),
]


def _occurred(report: DemoReport, discharge: Discharge | None) -> datetime:
    if discharge is not None:
        return discharge.discharged_at + timedelta(hours=report.hours_after_discharge)
    return timezone.now() - timedelta(days=report.days_ago)


def seed_incidents(users: dict[str, User]) -> int:
    """Create the demo reports that do not exist yet; returns how many were created."""
    created = 0
    herlev_cardiology = Ward.objects.get(sor_code=HERLEV_CARDIOLOGY)
    for report in REPORTS:
        if Incident.objects.filter(title=report.title).exists():
            continue
        discharge = (
            Discharge.objects.select_related("ward__hospital", "municipality")
            .filter(patient__cpr=report.discharge_cpr)
            .order_by("discharged_at")
            .first()
            if report.discharge_cpr
            else None
        )
        user = users[report.reporter]
        ward = discharge.ward if discharge else herlev_cardiology
        if user.municipality:
            place = services.Place("municipality", municipality=user.municipality)
            involved = [(services.Place("ward", ward=ward), "ansvarlig")]
        else:
            place = services.Place("ward", ward=user.ward)
            town = Municipality.objects.get(code="101")
            involved = [(services.Place("municipality", municipality=town), "involveret")]
        occurred_at = _occurred(report, discharge)
        incident = services.report_incident(
            by=user,
            occurred_at=occurred_at,
            occurred_at_precision="exact" if discharge else "estimated",
            title=report.title,
            description="Hjemmesygeplejersken ringede om en borger med åndenød. "
            + report.title
            + ".",
            category=report.category,
            actual_consequence="minor",
            possible_consequence="serious_risk",
            place=place,
            involved=involved,
            discharge=discharge,
        )
        Incident.objects.filter(pk=incident.pk).update(
            created_at=min(occurred_at + REPORTED_AFTER, timezone.now())
        )
        for step in report.path:
            services.transition(
                incident=incident,
                by=users["risk_manager"],
                to=step,
                severity="minor",
                learning=[
                    {
                        "text": report.learning,
                        "owner": "Afdelingsledelsen",
                        "due_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
                    }
                ]
                if step == "closed"
                else [],
            )
        created += 1
    return created
