"""Statistics on a small fixed data set whose answers are computed by hand."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from handover import services
from incidents import summaries
from incidents.models import Incident
from tests.factories import WardFactory, confirm, record_discharge

pytestmark = pytest.mark.django_db

NOV = datetime(2026, 11, 10, 10, 0, tzinfo=UTC)
RANGE = {"from": "2026-10-01", "to": "2026-11-30"}


@pytest.fixture
def dataset(herlev_ward, make_user):  # type: ignore[no-untyped-def]
    """Herlev (Region Hovedstaden): 3 covered discharges (96 hours) of which 2 with both
    documents confirmed at discharge and one confirmed two hours late, one not covered; 2 calls
    (1 referred to GP within the window); Aarhus: 1 covered, not counted for a Hovedstaden risk
    manager."""
    nurse = make_user(Role.WARD_NURSE, ward=herlev_ward)
    with time_machine.travel(NOV + timedelta(minutes=10), tick=False):
        first = confirm(record_discharge(ward=herlev_ward, discharged_at=NOV), nurse)
        confirm(record_discharge(ward=herlev_ward, cpr="0202451234", discharged_at=NOV), nurse)
        late = record_discharge(
            ward=herlev_ward, cpr="0303451234", discharged_at=NOV, treatment_plan=""
        )
        record_discharge(
            ward=herlev_ward, cpr="0404451234", discharged_at=NOV, stay=timedelta(hours=5)
        )
    with time_machine.travel(NOV + timedelta(hours=2), tick=False):
        services.document_discharge(discharge=late, by=nurse, treatment_plan="Plan kom for sent")
        confirm(late, nurse)
        record_discharge(
            ward=WardFactory(hospital__region_id=1082), cpr="0505451234", discharged_at=NOV
        )
    with time_machine.travel(NOV + timedelta(hours=20), tick=False):
        services.log_call(
            discharge=first,
            by=None,
            received_at=NOV + timedelta(hours=19),
            caller_role="municipal_nurse",
            outcome="referred_to_gp",
        )
        services.log_call(
            discharge=first,
            by=None,
            received_at=NOV + timedelta(hours=20),
            caller_role="gp",
            outcome="advice",
        )
    # What the beat job does every five minutes.
    summaries.refresh(date(2026, 10, 1), date(2026, 11, 1))
    return first


def test_compliance_counts_covered_discharges_only(api_client, dataset, make_user) -> None:  # type: ignore[no-untyped-def]
    api_client.force_authenticate(make_user(Role.RISK_MANAGER, region_id=1084))
    body = api_client.get("/api/v1/stats/compliance/", RANGE).json()
    assert (body["target"], body["covered"], body["documented"], body["rate"]) == (
        0.9,
        3,
        2,
        0.6667,
    )
    assert body["by_month"] == [
        {
            "month": "2026-11",
            "covered": 3,
            "documented": 2,
            "rate": 0.6667,
            "epikrise_confirmed": 2,
            "epikrise_rate": 0.6667,
            "discharge_report_confirmed": 2,
            "discharge_report_rate": 0.6667,
            "other_windows": 0,
        }
    ]
    assert [(w["covered"], w["documented"]) for w in body["by_ward"]] == [(3, 2)]


def test_calls_stats(api_client, dataset, make_user) -> None:  # type: ignore[no-untyped-def]
    api_client.force_authenticate(make_user(Role.RISK_MANAGER, region_id=1084))
    body = api_client.get("/api/v1/stats/calls/", RANGE).json()
    assert body["by_outcome"] == {"advice": 1, "referred_to_gp": 1}
    assert body["by_caller_role"] == {"gp": 1, "municipal_nurse": 1}
    assert body["referred_to_gp_within_window"] == 1


def report(api_client, category: str, title: str = "x", description: str = "y") -> None:  # type: ignore[no-untyped-def]
    """A report in Herlev Kommune by whoever ``api_client`` is signed in as."""
    response = api_client.post(
        "/api/v1/incidents/",
        {
            "occurred_at": "2026-11-20T10:00:00+01:00",
            "occurred_at_precision": "exact",
            "title": title,
            "description": description,
            "category": category,
            "actual_consequence": "minor",
            "possible_consequence": "minor",
            "place_of_occurrence": {"kind": "municipality", "id": "163"},
        },
        format="json",
    )
    assert response.status_code == 201


def test_incident_stats(api_client, make_user) -> None:  # type: ignore[no-untyped-def]
    nurse = make_user(Role.MUNICIPAL_NURSE, municipality_id="163")
    api_client.force_authenticate(nurse)
    for category in ("referred_elsewhere", "referred_elsewhere", "medication"):
        report(api_client, category)
    api_client.force_authenticate(make_user(Role.RISK_MANAGER, region_id=1084))
    body = api_client.get("/api/v1/stats/incidents/").json()
    assert (body["total"], body["by_category"], body["by_status"]) == (
        3,
        {"medication": 1, "referred_elsewhere": 2},
        {"received": 3},
    )
    assert body["cross_sector_share"] == 0.0
    assert Incident.objects.count() == 3


def test_stats_are_for_risk_managers(api_client, make_user) -> None:  # type: ignore[no-untyped-def]
    api_client.force_authenticate(make_user(Role.WARD_NURSE))
    assert api_client.get("/api/v1/stats/compliance/").status_code == 403


def test_dashboard_shows_the_kpi_and_csv_equals_the_chart(client, dataset, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.RISK_MANAGER, region_id=1084))
    page = client.get(reverse("incidents:dashboard"), RANGE).content.decode()
    assert "67 %" in page
    assert "<svg" in page
    exported = client.get(
        reverse("incidents:dashboard"), {**RANGE, "export": "kpi_month"}
    ).content.decode()
    assert list(csv.reader(io.StringIO(exported), delimiter=";")) == [
        ["2026-11", "3", "2", "0.6667", "2", "0.6667", "2", "0.6667", "0"]
    ]


def test_dashboard_query_count_does_not_grow_with_rows(client, herlev_ward, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.RISK_MANAGER, region_id=1084))
    client.get(reverse("incidents:dashboard"), RANGE)  # renews the session (once a minute)
    counts = []
    for batch in range(2):
        with time_machine.travel(NOV + timedelta(minutes=10), tick=False):
            for index in range(10):
                record_discharge(
                    ward=herlev_ward, cpr=f"{index + 1:02d}0{batch + 1}451234", discharged_at=NOV
                )
        cache.clear()  # count, rather than read the figures kept from the first page
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("incidents:dashboard"), RANGE)
        counts.append(len(captured))
    assert counts[0] == counts[1]


def report_in_herlev(api_client, make_user, category: str = "medication") -> None:  # type: ignore[no-untyped-def]
    api_client.force_authenticate(make_user(Role.MUNICIPAL_NURSE, municipality_id="163"))
    report(api_client, category)


def test_dashboard_figures_are_kept_until_a_report_comes_in(
    client, api_client, make_user, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    report_in_herlev(api_client, make_user)
    client.force_login(make_user(Role.RISK_MANAGER, region_id=1084))
    url = reverse("incidents:dashboard")
    with CaptureQueriesContext(connection) as counted:
        assert "1 rapporter" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as kept:
        assert "1 rapporter" in client.get(url).content.decode()
    assert len(kept) <= len(counted) - 3  # discharges, calls and reports not counted again
    with django_capture_on_commit_callbacks(execute=True):
        report_in_herlev(api_client, make_user)
    assert "2 rapporter" in client.get(url).content.decode()


def test_dashboard_counts_when_the_cache_is_down(client, api_client, make_user, settings) -> None:  # type: ignore[no-untyped-def]
    from config.settings import redis_cache

    report_in_herlev(api_client, make_user)
    settings.CACHES = {"default": redis_cache("redis://127.0.0.1:1/0")}  # nothing listens
    client.force_login(make_user(Role.RISK_MANAGER, region_id=1084))
    assert "1 rapporter" in client.get(reverse("incidents:dashboard")).content.decode()


def test_kept_figures_are_per_scope(client, api_client, make_user) -> None:  # type: ignore[no-untyped-def]
    report_in_herlev(api_client, make_user)
    url = reverse("incidents:dashboard")
    client.force_login(make_user(Role.RISK_MANAGER, region_id=1084))
    assert "1 rapporter" in client.get(url).content.decode()
    client.force_login(make_user(Role.RISK_MANAGER, region_id=1082))
    assert "0 rapporter" in client.get(url).content.decode()


def test_windows_csv_and_ward_filter(client, dataset, herlev_ward, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.RISK_MANAGER, region_id=1084))
    url = reverse("incidents:dashboard")
    exported = client.get(url, {**RANGE, "export": "windows"}).content.decode()
    assert list(csv.reader(io.StringIO(exported), delimiter=";")) == [
        ["Udløbet", "0"],
        ["Genindlagt", "0"],
        ["Død", "0"],
        ["Annulleret (fejlregistrering)", "0"],
    ]
    other = WardFactory(hospital=herlev_ward.hospital)
    page = client.get(url, {**RANGE, "ward": other.pk}).content.decode()
    assert "Begge papirer: 0 af 0 omfattede udskrivelser" in page
    assert f'<option value="{herlev_ward.pk}"' in page
