"""Query parameters that used to be 500s: each is now a 400 that says which parameter, on
SQLite and PostgreSQL alike (the query-parameter fuzz, ``test_query_fuzz``, looks for more)."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import record_discharge

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurse(herlev_ward, make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.WARD_NURSE, ward=herlev_ward)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": "²"}, "limit"),
        ({"offset": "²"}, "offset"),
        ({"limit": "٣"}, "limit"),
        ({"offset": "５"}, "offset"),
        ({"offset": "9" * 5000}, "offset"),
        ({"offset": str(10**9 + 1)}, "offset"),
        ({"limit": str(10**30)}, "limit"),
        ({"ward": "٣"}, "ward"),
    ],
    ids=lambda value: repr(value)[:30],
)
def test_api_list_refuses_unicode_digits_and_huge_numbers(api_client, nurse, query, field) -> None:  # type: ignore[no-untyped-def]
    api_client.force_authenticate(nurse)
    response = api_client.get("/api/v1/discharges/", query)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_api_list_offset_of_a_billion_is_an_empty_page(api_client, nurse) -> None:  # type: ignore[no-untyped-def]
    api_client.force_authenticate(nurse)
    response = api_client.get("/api/v1/discharges/", {"offset": str(10**9)})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_api_list_reads_leading_zeros(api_client, nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    record_discharge(ward=herlev_ward)
    api_client.force_authenticate(nurse)
    response = api_client.get("/api/v1/discharges/", {"limit": "0001", "offset": "000"})
    assert len(response.json()["results"]) == 1


@pytest.mark.parametrize("value", ["²", "\x00", str(10**30), "-1"])
def test_worklist_refuses_a_ward_it_cannot_read(client, nurse, value) -> None:  # type: ignore[no-untyped-def]
    client.force_login(nurse)
    response = client.get(reverse("handover:worklist"), {"ward": value})
    assert response.status_code == 400
    assert "ward" in response.context["errors"]


@pytest.mark.parametrize("name", ["discharge", "call"])
@pytest.mark.parametrize("value", ["²", "\x00", "1\x00", str(10**30), "0", "-1"])
def test_report_form_refuses_a_source_it_cannot_read(client, nurse, name, value) -> None:  # type: ignore[no-untyped-def]
    client.force_login(nurse)
    response = client.get(reverse("incidents:report_new"), {name: value})
    assert response.status_code == 400
    assert name in response.context["errors"]


def test_report_form_still_starts_from_a_discharge(client, nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    client.force_login(nurse)
    response = client.get(reverse("incidents:report_new"), {"discharge": str(discharge.pk)})
    assert response.status_code == 200
    assert response.context["form"].initial["discharge"] == discharge.pk


@pytest.mark.parametrize("value", ["\x00", "Herlev\x00", "x" * 101])
def test_phone_list_refuses_a_search_it_cannot_run(client, nurse, value) -> None:  # type: ignore[no-untyped-def]
    client.force_login(nurse)
    response = client.get(reverse("contacts:ward_list"), {"q": value})
    assert response.status_code == 400
    assert "q" in response.context["errors"]


@pytest.mark.parametrize("key", ["2026-10\n", "2٠٢٦-10", "２０２６-10"])
def test_dashboard_rows_refuse_a_month_in_other_digits(client, make_user, key) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.RISK_MANAGER, ward=None, region_id=1084))
    response = client.get(reverse("incidents:dashboard_rows"), {"chart": "kpi", "key": key})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("incidents:dashboard"))
