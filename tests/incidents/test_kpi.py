"""Seed 003's KPI as implemented: of the covered discharges with 96 hours of responsibility that
were not cancelled, the share whose epikrise and whose udskrivningsrapport were confirmed with the
plan and contact details no later than the discharge plus KPI_GRACE_MINUTES; 72-hour windows
counted apart; per ward, month and sundhedsklynge; within the risk manager's scope."""

import csv
import importlib
import io
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role
from contacts.demo import SOR_DEMO
from contacts.models import Municipality, SorUnit
from handover import services
from handover.models import Channel, EndReason, Notification
from handover.services import notifications
from incidents import stats, summaries
from incidents.models import DischargeMonth
from tests.factories import HospitalFactory, WardFactory, confirm, record_discharge

pytestmark = pytest.mark.django_db

NOV = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
RANGE = {"from": "2026-11-01", "to": "2026-11-30"}
GRACE = timedelta(minutes=60)


@pytest.fixture
def nurse(herlev_ward, make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.WARD_NURSE, ward=herlev_ward)


@pytest.fixture
def manager(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.RISK_MANAGER, region_id=1084)


def discharged(ward, cpr: str = "0101451234", at: datetime = NOV, **kwargs):  # type: ignore[no-untyped-def]
    with time_machine.travel(at, tick=False):
        return record_discharge(ward=ward, cpr=cpr, discharged_at=at, **kwargs)


def confirmed_at(discharge, nurse, moment: datetime, *documents: str) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(moment, tick=False):
        confirm(discharge, nurse, *documents)


def count_months() -> None:
    """What the beat job does every five minutes: whole months are read from the summary."""
    summaries.refresh(date(2025, 12, 1), date(2026, 11, 1))


def kpi(api_client, manager, params=RANGE):  # type: ignore[no-untyped-def]
    count_months()
    api_client.force_authenticate(manager)
    response = api_client.get("/api/v1/stats/compliance/", params)
    assert response.status_code == 200
    return response.json()


def test_a_document_confirmed_exactly_at_the_end_of_the_grace_counts(  # type: ignore[no-untyped-def]
    api_client, herlev_ward, nurse, manager
) -> None:
    discharge = discharged(herlev_ward)
    confirmed_at(discharge, nurse, NOV + GRACE, "epikrise")
    body = kpi(api_client, manager)
    assert (body["covered"], body["epikrise_confirmed"], body["epikrise_rate"]) == (1, 1, 1.0)


def test_a_document_confirmed_a_second_after_the_grace_does_not_count(  # type: ignore[no-untyped-def]
    api_client, herlev_ward, nurse, manager
) -> None:
    discharge = discharged(herlev_ward)
    confirmed_at(discharge, nurse, NOV + GRACE + timedelta(seconds=1), "epikrise")
    body = kpi(api_client, manager)
    assert (body["covered"], body["epikrise_confirmed"], body["epikrise_rate"]) == (1, 0, 0.0)


def test_the_grace_is_kpi_grace_minutes(  # type: ignore[no-untyped-def]
    api_client, herlev_ward, nurse, manager, settings
) -> None:
    settings.HANDOVER_KPI_GRACE = timedelta(minutes=10)
    discharge = discharged(herlev_ward)
    confirmed_at(discharge, nurse, NOV + timedelta(minutes=11), "epikrise")
    assert kpi(api_client, manager)["epikrise_confirmed"] == 0


def test_a_document_confirmed_before_the_patient_left_counts(  # type: ignore[no-untyped-def]
    api_client, herlev_ward, nurse, manager
) -> None:
    with time_machine.travel(NOV - timedelta(minutes=30), tick=False):
        # Registered half an hour ahead (MAX_FUTURE_DISCHARGE_HOURS allows an hour).
        discharge = record_discharge(ward=herlev_ward, discharged_at=NOV)
        confirm(discharge, nurse, "discharge_report")
    assert kpi(api_client, manager)["discharge_report_confirmed"] == 1


def test_the_two_documents_are_counted_separately_and_documented_needs_both(  # type: ignore[no-untyped-def]
    api_client, herlev_ward, nurse, manager
) -> None:
    confirmed_at(discharged(herlev_ward), nurse, NOV, "epikrise")
    confirmed_at(discharged(herlev_ward, "0202451234"), nurse, NOV, "discharge_report")
    confirmed_at(discharged(herlev_ward, "0303451234"), nurse, NOV)
    discharged(herlev_ward, "0404451234")
    body = kpi(api_client, manager)
    assert body["covered"] == 4
    assert (body["epikrise_confirmed"], body["epikrise_rate"]) == (2, 0.5)
    assert (body["discharge_report_confirmed"], body["discharge_report_rate"]) == (2, 0.5)
    assert (body["documented"], body["rate"]) == (1, 0.25)
    assert body["target"] == 0.9


def test_a_plan_and_phone_without_a_confirmation_do_not_count(  # type: ignore[no-untyped-def]
    api_client, herlev_ward, manager
) -> None:
    # The old KPI counted this one: plan given, phone filled in with the on-call number.
    discharge = discharged(herlev_ward, contact_phone=None)
    assert discharge.documented_at == NOV
    body = kpi(api_client, manager)
    assert (body["covered"], body["documented"], body["epikrise_confirmed"]) == (1, 0, 0)


def test_72_hour_windows_are_counted_apart_and_not_in_the_rate(  # type: ignore[no-untyped-def]
    api_client, herlev_ward, nurse, manager
) -> None:
    december_2025 = datetime(2025, 12, 10, 9, 0, tzinfo=UTC)  # Hovedstaden: 72 hours until 2026
    old = discharged(herlev_ward, "0505451234", at=december_2025)
    assert old.window_hours == 72
    confirmed_at(old, nurse, december_2025)
    confirmed_at(discharged(herlev_ward), nurse, NOV)
    discharged(herlev_ward, "0202451234")
    body = kpi(api_client, manager, {"from": "2025-12-01", "to": "2026-11-30"})
    assert (body["covered"], body["documented"], body["rate"]) == (2, 1, 0.5)
    assert body["other_windows"] == 1
    assert [(m["month"], m["covered"], m["other_windows"]) for m in body["by_month"]] == [
        ("2025-12", 0, 1),
        ("2026-11", 2, 0),
    ]
    assert body["by_month"][0]["rate"] is None


def test_cancelled_discharges_are_not_counted(  # type: ignore[no-untyped-def]
    api_client, herlev_ward, nurse, manager
) -> None:
    wrong = discharged(herlev_ward)
    confirmed_at(wrong, nurse, NOV)
    services.end_responsibility(discharge=wrong, by=nurse, reason=EndReason.CANCELLED)
    discharged(herlev_ward, "0202451234")
    body = kpi(api_client, manager)
    assert (body["covered"], body["epikrise_confirmed"], body["other_windows"]) == (1, 0, 0)


def test_readmitted_discharges_stay_in_the_denominator(  # type: ignore[no-untyped-def]
    api_client, herlev_ward, nurse, manager
) -> None:
    discharge = discharged(herlev_ward)
    with time_machine.travel(NOV + timedelta(hours=5), tick=False):
        services.end_responsibility(discharge=discharge, by=nurse, reason=EndReason.READMITTED)
    assert kpi(api_client, manager)["covered"] == 1


def test_a_sent_care_communication_counts_for_the_discharge_report(  # type: ignore[no-untyped-def]
    api_client, herlev_ward, nurse, manager, settings, tmp_path
) -> None:
    settings.MEDCOM_TRANSPORT = "folder"
    settings.MEDCOM_OUTBOX_DIR = tmp_path
    call_command("import_sor", SOR_DEMO, stdout=io.StringIO())
    Municipality.objects.filter(code="163").update(
        medcom_receiver=SorUnit.objects.get(sor_code="953741000016108")
    )
    discharge = discharged(herlev_ward, by=nurse)
    [message] = Notification.objects.filter(discharge=discharge, channel=Channel.MEDCOM)
    with time_machine.travel(NOV + timedelta(minutes=2), tick=False):
        notifications.deliver(message.pk)
    body = kpi(api_client, manager)
    assert (body["discharge_report_confirmed"], body["epikrise_confirmed"]) == (1, 0)


def test_the_kpi_per_ward_month_and_sundhedsklynge(  # type: ignore[no-untyped-def]
    api_client, herlev_ward, nurse, manager
) -> None:
    other_ward = WardFactory(hospital=herlev_ward.hospital, name="Medicinsk Afsnit")
    confirmed_at(discharged(herlev_ward), nurse, NOV)  # to Herlev: Sundhedsklynge Midt
    discharged(herlev_ward, "0202451234", municipality_code="101")  # København: Byen
    confirmed_at(discharged(other_ward, "0303451234", municipality_code="101"), nurse, NOV)
    body = kpi(api_client, manager)
    assert [(w["ward"], w["covered"], w["documented"]) for w in body["by_ward"]] == [
        ("Kardiologisk Afsnit", 2, 1),
        ("Medicinsk Afsnit", 1, 1),
    ]
    assert [(m["month"], m["covered"], m["documented"]) for m in body["by_month"]] == [
        ("2026-11", 3, 2)
    ]
    assert [
        (c["cluster"], c["cluster_code"], c["covered"], c["documented"]) for c in body["by_cluster"]
    ] == [
        ("Sundhedsklynge Byen", "byen", 2, 1),
        ("Sundhedsklynge Midt", "midt-hovedstaden", 1, 1),
    ]


def test_municipalities_without_a_cluster_are_listed_last(  # type: ignore[no-untyped-def]
    api_client, herlev_ward, manager
) -> None:
    Municipality.objects.filter(code="101").update(health_cluster=None)
    discharged(herlev_ward)
    discharged(herlev_ward, "0202451234", municipality_code="101")
    body = kpi(api_client, manager)
    assert [(c["cluster"], c["cluster_code"]) for c in body["by_cluster"]] == [
        ("Sundhedsklynge Midt", "midt-hovedstaden"),
        ("Uden sundhedsklynge", None),
    ]


def test_every_municipality_has_a_sundhedsklynge_of_its_own_region() -> None:
    assert not Municipality.objects.filter(health_cluster__isnull=True).exists()
    assert Municipality.objects.count() == 98
    mismatched = [
        m.code
        for m in Municipality.objects.select_related("health_cluster")
        if m.health_cluster.region_id != m.region_id  # type: ignore[union-attr]
    ]
    assert mismatched == []


def test_a_risk_manager_sees_only_her_scopes_kpi(  # type: ignore[no-untyped-def]
    api_client, herlev_ward, nurse, make_user
) -> None:
    confirmed_at(discharged(herlev_ward), nurse, NOV)
    aarhus = WardFactory(hospital=HospitalFactory(region_id=1082))
    discharged(aarhus, "0202451234", municipality_code="751")
    hovedstaden = kpi(api_client, make_user(Role.RISK_MANAGER, region_id=1084))
    midtjylland = kpi(api_client, make_user(Role.RISK_MANAGER, region_id=1082))
    hospital = kpi(api_client, make_user(Role.RISK_MANAGER, hospital=herlev_ward.hospital))
    assert (hovedstaden["covered"], hovedstaden["documented"]) == (1, 1)
    assert (midtjylland["covered"], midtjylland["documented"]) == (1, 0)
    assert [c["cluster_code"] for c in midtjylland["by_cluster"]] == ["aarhus"]
    assert [w["ward_id"] for w in hospital["by_ward"]] == [herlev_ward.pk]


def test_summaries_count_the_kpi_as_the_rows_do(herlev_ward, nurse, manager) -> None:  # type: ignore[no-untyped-def]
    confirmed_at(discharged(herlev_ward), nurse, NOV)
    confirmed_at(discharged(herlev_ward, "0202451234"), nurse, NOV + 2 * GRACE, "epikrise")
    discharged(herlev_ward, "0303451234", at=datetime(2025, 12, 10, 9, 0, tzinfo=UTC))
    with time_machine.travel(datetime(2026, 12, 15, 12, tzinfo=UTC), tick=False):
        # Partial months at both ends: counted from the rows, no summary needed.
        live = stats.compliance(manager, stats.Filters(date(2025, 12, 2), date(2026, 11, 29)))
        summaries.refresh(date(2025, 12, 1), date(2026, 11, 1))
        stored = stats.compliance(manager, stats.Filters(date(2025, 12, 1), date(2026, 11, 30)))
    assert stored == live
    assert (stored["covered"], stored["documented"], stored["other_windows"]) == (2, 1, 1)


def test_the_migration_rebuilds_the_summaries_under_the_new_definition(  # type: ignore[no-untyped-def]
    herlev_ward, nurse
) -> None:
    confirmed_at(discharged(herlev_ward), nurse, NOV)
    discharged(herlev_ward, "0202451234")
    summaries.refresh(date(2026, 11, 1), date(2026, 11, 1))
    expected = list(DischargeMonth.objects.values("period", "kpi_discharges", "documented"))
    # As the rows stood before the migration: the old count of "documented", no KPI columns.
    DischargeMonth.objects.update(documented=2, kpi_discharges=0)
    importlib.import_module("incidents.migrations.0006_kpi_documents").rebuild(apps, None)
    rebuilt = list(DischargeMonth.objects.values("period", "kpi_discharges", "documented"))
    assert (
        rebuilt == expected == [{"period": date(2026, 11, 1), "kpi_discharges": 2, "documented": 1}]
    )


def test_the_dashboard_shows_both_kpis_with_the_target_line(  # type: ignore[no-untyped-def]
    client, herlev_ward, nurse, manager
) -> None:
    confirmed_at(discharged(herlev_ward), nurse, NOV)
    confirmed_at(discharged(herlev_ward, "0202451234"), nurse, NOV, "discharge_report")
    count_months()
    client.force_login(manager)
    page = client.get(reverse("incidents:dashboard"), RANGE).content.decode()
    epikrise = page[page.index('id="kpi-epikrise"') : page.index('id="kpi-discharge-report"')]
    report = page[page.index('id="kpi-discharge-report"') : page.index('id="kpi-other"')]
    assert "50 %" in epikrise
    assert "1 af 2 udskrivelser · mål 90 %" in epikrise
    assert "100 %" in report
    assert page.count('stroke="#a40e26"') >= 2  # the target line in both charts
    assert "Sundhedsklynge Midt" in page
    assert "Udskrivelser med 72 timers behandlingsansvar tælles for sig" in page


def test_the_dashboard_exports_the_kpi_per_sundhedsklynge(  # type: ignore[no-untyped-def]
    client, herlev_ward, nurse, manager
) -> None:
    confirmed_at(discharged(herlev_ward), nurse, NOV)
    count_months()
    client.force_login(manager)
    exported = client.get(
        reverse("incidents:dashboard"), {**RANGE, "export": "kpi_cluster"}
    ).content.decode()
    assert list(csv.reader(io.StringIO(exported), delimiter=";")) == [
        ["Sundhedsklynge Midt", "1", "1", "1.0", "1", "1.0", "1", "1.0", "0"]
    ]


def test_the_dashboard_does_not_read_figures_kept_in_the_previous_shape(  # type: ignore[no-untyped-def]
    client, herlev_ward, manager
) -> None:
    discharged(herlev_ward)
    count_months()
    client.force_login(manager)
    # What the dashboard kept before this version, under the key it used then.
    scope = (manager.role, manager.is_superuser, manager.region_id, None, None)
    old_key = ":".join(
        map(str, ("dashboard", *scope, "2026-11-01", "2026-11-30", None, None, None))
    )
    cache.set(old_key, {"kpi": {"covered": 9, "documented": 9, "rate": 1.0}}, 60, version=0)
    response = client.get(reverse("incidents:dashboard"), RANGE)
    assert response.status_code == 200
    assert "0 af 1 udskrivelser" in response.content.decode()
