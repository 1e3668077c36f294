"""Demo incident reports: Ole's story as a report, and a few cases at different stages."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from contacts.models import Municipality
from handover.models import Discharge
from incidents import services
from incidents.models import Incident

REPORTS = [
    # (title, category, days ago, reporter, status path)
    ("Henvist til egen læge inden for 96 timer", "referred_elsewhere", 2, "municipal_nurse", []),
    (
        "Ingen behandlingsplan i udskrivningsrapporten",
        "responsibility_not_documented",
        12,
        "municipal_nurse_herlev",
        ["in_review"],
    ),
    (
        "Telefonnummer manglede på epikrisen",
        "contact_info_missing",
        40,
        "municipal_nurse",
        ["in_review"],
    ),
    (
        "Uklart hvem der havde ansvaret efter udskrivelse",
        "unclear_responsibility",
        60,
        "ward_nurse",
        ["in_review", "closed"],
    ),
]


def seed_incidents(users: dict[str, User]) -> int:
    """Create the demo reports that do not exist yet; returns how many were created."""
    created = 0
    discharge = Discharge.objects.filter(ward__hospital__region_id=1084, covered=True).first()
    for title, category, days, reporter, path in REPORTS:
        if Incident.objects.filter(title=title).exists():
            continue
        user = users[reporter]
        place = (
            services.Place("municipality", municipality=user.municipality)
            if user.municipality
            else services.Place("ward", ward=user.ward)
        )
        other = services.Place("municipality", municipality=Municipality.objects.get(code="101"))
        incident = services.report_incident(
            by=user,
            occurred_at=timezone.now() - timedelta(days=days),
            occurred_at_precision="estimated",
            title=title,
            description="Hjemmesygeplejersken ringede om en borger med åndenød. " + title + ".",
            category=category,
            actual_consequence="minor",
            possible_consequence="serious_risk",
            place=place,
            involved=[(other, "involveret")] if place.kind != "municipality" else [],
            discharge=discharge,
        )
        Incident.objects.filter(pk=incident.pk).update(
            created_at=timezone.now() - timedelta(days=days)
        )
        for step in path:
            services.transition(
                incident=incident,
                by=users["risk_manager"],
                to=step,
                severity="minor",
                learning=[
                    {
                        "text": "Tjekliste for udskrivningsrapporten gennemgås på morgenmødet.",
                        "owner": "Afdelingsledelsen",
                        "due_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
                    }
                ]
                if step == "closed"
                else [],
            )
        created += 1
    return created
