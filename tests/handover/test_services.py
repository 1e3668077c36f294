"""Recording, documenting, extending and ending discharges (handover.services)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from contacts.models import WardKind
from handover import services
from handover.models import AccessAction, AccessLog, Discharge, Status
from tests.factories import HospitalFactory, WardFactory, record_discharge

pytestmark = pytest.mark.django_db


def ward_in(region: int, kind: str = WardKind.SOMATIC):  # type: ignore[no-untyped-def]
    return WardFactory(hospital=HospitalFactory(region_id=region), kind=kind)


@pytest.mark.parametrize(
    ("discharged", "destination", "covered", "hours"),
    [
        # Region Hovedstaden phased the 72-hour model in by destination (seed 001).
        ("2022-01-31T12:00:00+01:00", "temporary_bed", False, None),
        ("2022-02-01T12:00:00+01:00", "temporary_bed", True, 72),
        ("2022-03-31T12:00:00+02:00", "nursing_home", False, None),
        ("2022-04-01T12:00:00+02:00", "nursing_home", True, 72),
        ("2022-07-31T12:00:00+02:00", "home_nursing", False, None),
        ("2022-08-01T12:00:00+02:00", "home_nursing", True, 72),
        # Trin 3: everyone who receives municipal nursing, bosteder too.
        ("2022-07-31T12:00:00+02:00", "residential_facility", False, None),
        ("2022-08-01T12:00:00+02:00", "residential_facility", True, 72),
        ("2025-12-31T12:00:00+01:00", "home_nursing", True, 72),
        ("2026-01-01T12:00:00+01:00", "home_nursing", True, 96),
    ],
)
def test_hovedstaden_rule_by_date_and_destination(
    discharged: str, destination: str, covered: bool, hours: int | None
) -> None:
    discharge = record_discharge(
        ward=ward_in(1084),
        discharged_at=datetime.fromisoformat(discharged),
        destination=destination,
    )
    assert (discharge.covered, discharge.window_hours) == (covered, hours)


@pytest.mark.parametrize(
    ("discharged", "destination", "kind", "covered", "reason"),
    [
        # Region Midtjylland's agreement (seed 002): from 1 June 2021, no bosteder, no psychiatry.
        ("2021-05-31T12:00:00+02:00", "home_nursing", WardKind.SOMATIC, False, "no_rule_in_force"),
        ("2021-06-01T12:00:00+02:00", "home_nursing", WardKind.SOMATIC, True, None),
        (
            "2021-06-01T12:00:00+02:00",
            "residential_facility",
            WardKind.SOMATIC,
            False,
            "destination_not_covered",
        ),
        ("2024-04-01T12:00:00+02:00", "nursing_home", WardKind.PSYCHIATRIC, False, "psychiatric"),
        (
            "2026-12-01T12:00:00+01:00",
            "residential_facility",
            WardKind.SOMATIC,
            False,
            "destination_not_covered",
        ),
    ],
)
def test_midtjylland_rule_as_seed_002_writes_it(
    discharged, destination, kind, covered, reason
) -> None:  # type: ignore[no-untyped-def]
    when = datetime.fromisoformat(discharged)
    ward = ward_in(1082, kind)
    with time_machine.travel(when, tick=False):
        discharge = record_discharge(ward=ward, discharged_at=when, destination=destination)
    assert (discharge.covered, discharge.not_covered_reason or None) == (covered, reason)


def test_every_rule_date_no_seed_gives_is_marked_as_an_assumption() -> None:
    from handover.models import ResponsibilityRule

    assumed = ResponsibilityRule.objects.filter(to_be_confirmed=True)
    assert assumed.exists()
    assert all("Antagelse" in rule.source_note for rule in assumed)
    seeded = ResponsibilityRule.objects.filter(to_be_confirmed=False)
    assert {(r.region_id, r.effective_from.isoformat()) for r in seeded} == {
        (1084, "2022-04-01"),
        (1084, "2022-08-01"),
        (1082, "2021-06-01"),
        (1082, "2024-04-01"),
    }


@pytest.mark.parametrize(
    ("region", "day", "hours"),
    [
        (1083, "2023-10-31", None),
        (1083, "2023-11-01", 72),
        (1085, "2023-12-04", None),
        (1085, "2023-12-05", 72),
        (1085, "2025-01-01", 96),
        (1082, "2023-12-31", 72),
        (1081, "2026-06-01", 96),
    ],
)
def test_rule_selection_by_region_and_date(region: int, day: str, hours: int | None) -> None:
    discharged = datetime.fromisoformat(f"{day}T12:00:00+01:00")
    discharge = record_discharge(ward=ward_in(region), discharged_at=discharged)
    assert discharge.window_hours == hours
    assert discharge.not_covered_reason == ("" if hours else "no_rule_in_force")


def test_sjaelland_covers_adult_psychiatry_from_2026() -> None:
    ward = ward_in(1085, WardKind.PSYCHIATRIC)
    before = record_discharge(ward=ward, discharged_at=datetime(2025, 12, 30, 12, tzinfo=UTC))
    after = record_discharge(
        ward=ward, cpr="0202451234", discharged_at=datetime(2026, 1, 2, 12, tzinfo=UTC)
    )
    assert (before.covered, before.not_covered_reason) == (False, "psychiatric")
    assert after.covered


def test_record_discharge_sets_window_status_and_default_phone(herlev_ward, make_user) -> None:  # type: ignore[no-untyped-def]
    nurse = make_user(ward=herlev_ward)
    discharged = timezone.now() - timedelta(hours=2)
    discharge = record_discharge(ward=herlev_ward, by=nurse, discharged_at=discharged)
    assert discharge.status == Status.ACTIVE
    assert discharge.responsibility_ends_at == discharged + timedelta(hours=96)
    assert discharge.contact_phone == herlev_ward.on_call_phone
    assert discharge.documented_at is not None
    assert AccessLog.objects.get(action=AccessAction.CREATE_DISCHARGE).patient == discharge.patient


def test_patient_birth_date_and_sex_come_from_the_cpr(herlev_ward) -> None:  # type: ignore[no-untyped-def]
    patient = record_discharge(ward=herlev_ward, cpr="010145-1235").patient
    assert (patient.cpr, str(patient.birth_date), patient.sex) == ("0101451235", "1945-01-01", "M")


def test_not_covered_discharge_has_no_window(herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward, stay=timedelta(hours=24))
    assert (discharge.status, discharge.responsibility_ends_at, discharge.window_hours) == (
        Status.NOT_COVERED,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("admitted_delta", "discharged_delta", "field"),
    [
        (timedelta(hours=-1), timedelta(hours=-2), "discharged_at"),  # before admission
        (timedelta(hours=-30), timedelta(hours=1, seconds=1), "discharged_at"),  # > 1 h ahead
    ],
)
def test_impossible_times_are_refused_and_nothing_is_written(
    herlev_ward, admitted_delta, discharged_delta, field
) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.record_discharge(
            by=None,
            patient_cpr="0101451234",
            patient_name="Ole",
            ward=herlev_ward,
            municipality=herlev_ward.hospital.region.municipalities.first(),
            admitted_at=now + admitted_delta,
            discharged_at=now + discharged_delta,
            destination="home_nursing",
        )
    assert field in error.value.message_dict
    assert Discharge.objects.count() == 0
    assert AccessLog.objects.count() == 0


def test_documenting_plan_completes_and_stamps_documentation(herlev_ward, make_user) -> None:  # type: ignore[no-untyped-def]
    nurse = make_user(ward=herlev_ward)
    discharge = record_discharge(ward=herlev_ward, treatment_plan="")
    assert discharge.documented_at is None
    discharge = services.document_discharge(
        discharge=discharge, by=nurse, treatment_plan="Vej dagligt"
    )
    assert discharge.documented_at is not None
    assert discharge.documented_by == nurse


def test_changing_destination_re_decides_coverage(herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    discharge = services.document_discharge(discharge=discharge, by=None, destination="other")
    assert (discharge.covered, discharge.status, discharge.not_covered_reason) == (
        False,
        Status.NOT_COVERED,
        "destination_not_covered",
    )
    discharge = services.document_discharge(
        discharge=discharge, by=None, destination="nursing_home"
    )
    assert (discharge.covered, discharge.status) == (True, Status.ACTIVE)


def test_extensions_stack_and_mark_the_window_extended(herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    end = discharge.responsibility_ends_at
    services.extend_responsibility(discharge=discharge, by=None, hours=24, reason="Åndenød")
    discharge = services.extend_responsibility(
        discharge=discharge, by=None, hours=12, reason="Feber"
    )
    assert discharge.status == Status.EXTENDED
    assert discharge.responsibility_ends_at == end + timedelta(hours=36)


@pytest.mark.parametrize(("hours", "reason"), [(0, "x"), (73, "x"), (24, " ")])
def test_extension_needs_hours_within_limits_and_a_reason(herlev_ward, hours, reason) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    with pytest.raises(ValidationError):
        services.extend_responsibility(discharge=discharge, by=None, hours=hours, reason=reason)
    assert discharge.extensions.count() == 0


def test_ending_stops_the_window_and_forbids_extension(herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    discharge = services.end_responsibility(discharge=discharge, by=None, reason="readmitted")
    assert (discharge.status, discharge.end_reason) == (Status.ENDED, "readmitted")
    with pytest.raises(services.Conflict):
        services.extend_responsibility(discharge=discharge, by=None, hours=24, reason="x")
    with pytest.raises(services.Conflict):
        services.end_responsibility(discharge=discharge, by=None, reason="deceased")


def test_a_window_past_its_end_cannot_be_extended(herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(
        ward=herlev_ward, discharged_at=timezone.now() - timedelta(hours=97)
    )
    with pytest.raises(services.Conflict):
        services.extend_responsibility(discharge=discharge, by=None, hours=24, reason="x")
