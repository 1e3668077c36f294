"""Two regions with a discharge, a call and an incident on each side, and a user of every role
in the own one: the scoping matrix and the API fuzzing run against it."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Role
from handover.services import log_call
from incidents.services import Place, report_incident
from tests.factories import HospitalFactory, UserFactory, WardFactory, record_discharge

ROLES = [
    "ward_nurse",
    "ward_doctor",
    "coordinator",
    "municipal_nurse",
    "gp",
    "acute_line",
    "risk_manager",
    "admin",
]


def build_world():  # type: ignore[no-untyped-def]
    """Region Hovedstaden (own: Herlev hospital, municipality 163) and Region Midtjylland
    (foreign: an Aarhus hospital, municipality 751), with a discharge, call, alert-free
    incident on each side."""
    herlev = WardFactory(hospital=HospitalFactory(region_id=1084))
    aarhus = WardFactory(hospital=HospitalFactory(region_id=1082))
    now = timezone.now()
    own = record_discharge(
        ward=herlev, municipality_code="163", discharged_at=now - timedelta(hours=2)
    )
    foreign = record_discharge(
        ward=aarhus,
        cpr="0202451234",
        name="Fremmed Borger",
        municipality_code="751",
        discharged_at=now - timedelta(hours=2),
    )
    users = {
        "ward_nurse": UserFactory(role=Role.WARD_NURSE, ward=herlev),
        "ward_doctor": UserFactory(role=Role.WARD_DOCTOR, ward=herlev),
        "coordinator": UserFactory(role=Role.COORDINATOR, ward=None, hospital=herlev.hospital),
        "municipal_nurse": UserFactory(role=Role.MUNICIPAL_NURSE, ward=None, municipality_id="163"),
        "gp": UserFactory(role=Role.GP, ward=None, municipality_id="163"),
        "acute_line": UserFactory(role=Role.ACUTE_LINE, ward=None, region_id=1084),
        "risk_manager": UserFactory(role=Role.RISK_MANAGER, ward=None, region_id=1084),
        "admin": UserFactory(role=Role.ADMIN, ward=None, is_staff=True),
    }
    foreign_reporter = UserFactory(role=Role.MUNICIPAL_NURSE, ward=None, municipality_id="751")
    own_call, foreign_call = (
        log_call(discharge=discharge, by=None, received_at=now, caller_role="gp", outcome="advice")
        for discharge in (own, foreign)
    )

    def incident(by, place):  # type: ignore[no-untyped-def]
        return report_incident(
            by=by,
            occurred_at=now - timedelta(hours=1),
            occurred_at_precision="exact",
            title="x",
            description="y",
            category="other",
            actual_consequence="minor",
            possible_consequence="minor",
            place=place,
        )

    own_incident = incident(
        users["municipal_nurse"], Place("municipality", municipality=own.municipality)
    )
    foreign_incident = incident(
        foreign_reporter, Place("municipality", municipality=foreign.municipality)
    )
    return {
        "users": users,
        "ward": (herlev, aarhus),
        "discharge": (own, foreign),
        "call": (own_call, foreign_call),
        "incident": (own_incident, foreign_incident),
    }
