"""Calls about a discharge, the citizen board and its downtime list, and the access report."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from handover.models import AccessAction, AccessLog, Call
from tests.factories import record_discharge

pytestmark = pytest.mark.django_db


@pytest.fixture
def herlev_nurse(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.MUNICIPAL_NURSE, municipality_id="163")


def call_data(**overrides):  # type: ignore[no-untyped-def]
    return {
        "received_at": timezone.now().isoformat(),
        "caller_role": "municipal_nurse",
        "caller_name": "Susanne Berg",
        "caller_organisation": "Herlev Kommune",
        "reason": "Åndenød",
        "outcome": "advice",
        "note": "",
    } | overrides


def test_call_inside_window_is_within_window(api_client, herlev_nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    api_client.force_authenticate(herlev_nurse)
    response = api_client.post(
        f"/api/v1/discharges/{discharge.pk}/calls/", call_data(), format="json"
    )
    assert response.status_code == 201
    assert (response.json()["within_window"], response.json()["suggested_incident"]) == (True, None)


def test_referred_to_gp_inside_window_suggests_an_incident(
    api_client, herlev_nurse, herlev_ward
) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    api_client.force_authenticate(herlev_nurse)
    body = api_client.post(
        f"/api/v1/discharges/{discharge.pk}/calls/",
        call_data(outcome="referred_to_gp"),
        format="json",
    ).json()
    suggestion = body["suggested_incident"]
    assert suggestion["category"] == "referred_elsewhere"
    assert suggestion["discharge"] == discharge.pk
    assert {org["kind"] for org in suggestion["involved_organisations"]} == {"ward", "municipality"}


def test_call_after_the_window_is_outside_and_raises_no_flag(
    api_client, make_user, herlev_ward
) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(
        ward=herlev_ward, discharged_at=timezone.now() - timedelta(hours=97)
    )
    nurse = make_user(Role.WARD_NURSE, ward=herlev_ward)
    api_client.force_authenticate(nurse)
    body = api_client.post(
        f"/api/v1/discharges/{discharge.pk}/calls/", call_data(outcome="no_answer"), format="json"
    ).json()
    assert (body["within_window"], body["suggested_incident"]) == (False, None)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"outcome": "shrug"}, "outcome"),
        ({"caller_role": "alien"}, "caller_role"),
        ({"received_at": "2026-11-22T10:00:00"}, "received_at"),
        ({"received_at": "not a time"}, "received_at"),
        ({"note": "x" * 10_001}, "note"),
    ],
)
def test_bad_call_input_is_400_and_writes_nothing(
    api_client, herlev_nurse, herlev_ward, change, field
) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    api_client.force_authenticate(herlev_nurse)
    response = api_client.post(
        f"/api/v1/discharges/{discharge.pk}/calls/", call_data(**change), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert Call.objects.count() == 0


def test_future_call_is_refused(api_client, herlev_nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    api_client.force_authenticate(herlev_nurse)
    future = (timezone.now() + timedelta(hours=2)).isoformat()
    response = api_client.post(
        f"/api/v1/discharges/{discharge.pk}/calls/", call_data(received_at=future), format="json"
    )
    assert response.status_code == 400
    assert Call.objects.count() == 0


def test_risk_manager_may_read_but_not_log_calls(api_client, make_user, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    api_client.force_authenticate(make_user(Role.RISK_MANAGER, region_id=1084))
    assert api_client.get(f"/api/v1/discharges/{discharge.pk}/calls/").status_code == 200
    assert (
        api_client.post(
            f"/api/v1/discharges/{discharge.pk}/calls/", call_data(), format="json"
        ).status_code
        == 403
    )


def test_call_form_shows_the_incident_suggestion(client, herlev_nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    client.force_login(herlev_nurse)
    page = client.post(
        reverse("handover:call_new", args=[discharge.pk]),
        {
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "caller_role": "municipal_nurse",
            "outcome": "referred_to_gp",
        },
        follow=True,
    ).content.decode()
    assert "Forslag: rapportér en utilsigtet hændelse" in page
    assert Call.objects.get().suggested_incident is not None


def test_board_lists_own_municipality_sorted_by_end(client, herlev_nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    record_discharge(ward=herlev_ward, name="Senere Slut", discharged_at=now - timedelta(hours=1))
    record_discharge(
        ward=herlev_ward,
        cpr="0202451234",
        name="Snart Slut",
        discharged_at=now - timedelta(hours=90),
    )
    record_discharge(
        ward=herlev_ward, cpr="0303451234", name="Anden Kommune", municipality_code="101"
    )
    client.force_login(herlev_nurse)
    page = client.get(reverse("handover:board")).content.decode()
    assert page.index("Snart Slut") < page.index("Senere Slut")
    assert "Anden Kommune" not in page
    assert 'hx-trigger="every 60s"' in page


@pytest.mark.parametrize("rows", [3, 30])
def test_board_query_count_does_not_grow(
    client, herlev_nurse, herlev_ward, rows, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for index in range(rows):
        record_discharge(ward=herlev_ward, cpr=f"0101{index:02d}1234")
    client.force_login(herlev_nurse)
    with django_assert_max_num_queries(14):
        client.get(reverse("handover:board"))


def test_downtime_csv_has_full_cpr_and_is_logged(client, herlev_nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    record_discharge(ward=herlev_ward)
    client.force_login(herlev_nurse)
    response = client.get(reverse("handover:board_csv"))
    text = response.content.decode()
    assert "010145-1234;Ole Hansen" in text
    assert AccessLog.objects.filter(action=AccessAction.EXPORT, user=herlev_nurse).exists()


def test_access_report_finds_hits_and_misses_by_cpr(
    client, api_client, herlev_nurse, herlev_ward, make_user
) -> None:  # type: ignore[no-untyped-def]
    record_discharge(ward=herlev_ward)
    api_client.force_authenticate(herlev_nurse)
    api_client.post("/api/v1/lookup/", {"cpr": "0101451234"}, format="json")
    api_client.post("/api/v1/lookup/", {"cpr": "0202451234"}, format="json")
    client.force_login(make_user(Role.RISK_MANAGER, region_id=1084))
    hits = client.post(reverse("handover:access_report"), {"cpr": "010145-1234"}).content.decode()
    assert "Fundet" in hits
    misses = client.post(
        reverse("handover:access_report"), {"cpr": "0202451234", "format": "csv"}
    ).content.decode()
    assert "Ikke fundet" in misses
    assert herlev_nurse.username in misses


def test_access_report_is_not_for_nurses(client, herlev_nurse) -> None:  # type: ignore[no-untyped-def]
    client.force_login(herlev_nurse)
    assert client.get(reverse("handover:access_report")).status_code == 403
