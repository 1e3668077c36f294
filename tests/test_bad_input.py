"""Hostile and broken requests across endpoints: each gets its 4xx with a message, and nothing
is written."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from tests.factories import record_discharge

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
SQL = "'; DROP TABLE handover_discharge; --"


def row_counts() -> dict[str, int]:
    """Rows in the product's tables, the access log aside (reads are logged by design)."""
    return {
        model._meta.label: model._default_manager.count()
        for app in ("contacts", "handover", "incidents")
        for model in apps.get_app_config(app).get_models()
    }


@pytest.fixture
def nurse_api(api_client, herlev_ward, make_user):  # type: ignore[no-untyped-def]
    api_client.force_authenticate(make_user(Role.WARD_NURSE, ward=herlev_ward))
    return api_client


def discharge_body(ward, **changes):  # type: ignore[no-untyped-def]
    now = timezone.now()
    return {
        "patient": {"cpr": "0101451234", "name": "Ole"},
        "ward": ward.pk,
        "admitted_at": (now - timedelta(days=2)).isoformat(),
        "discharged_at": now.isoformat(),
        "destination": "home_nursing",
        "municipality": "163",
    } | changes


CASES = [
    ("wrong content type", "/api/v1/discharges/", b"patient=1", "text/plain", 415),
    ("invalid UTF-8", "/api/v1/discharges/", b'{"patient": "\xff\xfe"}', "application/json", 400),
    ("JSON array instead of object", "/api/v1/discharges/", b"[1, 2]", "application/json", 400),
    (
        "10 MB body",
        "/api/v1/discharges/",
        b'{"x": "' + b"a" * (10 * 1024 * 1024) + b'"}',
        "application/json",
        413,
    ),
    ("lookup wrong type", "/api/v1/lookup/", b'{"cpr": 101451234}', "application/json", 400),
    (
        "lookup SQL in CPR",
        "/api/v1/lookup/",
        b'{"cpr": "' + SQL.encode() + b'"}',
        "application/json",
        400,
    ),
    ("lookup missing field", "/api/v1/lookup/", b"{}", "application/json", 400),
    (
        "FHIR 10 MB body",
        "/api/v1/fhir/hospital-notification/",
        b" " * (10 * 1024 * 1024),
        "application/fhir+json",
        413,
    ),
    (
        "incident unknown enum",
        "/api/v1/incidents/",
        b'{"category": "blame"}',
        "application/json",
        400,
    ),
    (
        "token with a 300-character user name",
        "/api/v1/auth/token/",
        b'{"username": "' + b"a" * 300 + b'", "password": "x"}',
        "application/json",
        400,
    ),
]


@pytest.mark.parametrize(
    ("case", "url", "body", "content_type", "status"), CASES, ids=[c[0] for c in CASES]
)
def test_broken_requests(nurse_api, case, url, body, content_type, status) -> None:  # type: ignore[no-untyped-def]
    before = row_counts()
    response = nurse_api.generic("POST", url, body, content_type=content_type)
    assert response.status_code == status
    assert response.json()["detail"]
    assert row_counts() == before


@pytest.mark.parametrize("text", [SCRIPT, SQL])
def test_script_and_sql_in_text_are_stored_as_text_and_escaped(
    nurse_api, herlev_ward, client, make_user, text
) -> None:  # type: ignore[no-untyped-def]
    response = nurse_api.post(
        "/api/v1/discharges/", discharge_body(herlev_ward, treatment_plan=text), format="json"
    )
    assert response.status_code == 201
    assert response.json()["treatment_plan"] == text
    client.force_login(make_user(Role.WARD_NURSE, ward=herlev_ward))
    page = client.get(f"/udskrivelser/{response.json()['id']}/").content.decode()
    assert SCRIPT not in page
    assert "&lt;script&gt;" in page or SQL.replace("'", "&#x27;") in page


def test_csrf_less_form_post_is_refused_and_writes_nothing(herlev_ward, make_user) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.WARD_NURSE, ward=herlev_ward))
    discharge = record_discharge(ward=herlev_ward)
    before = row_counts()
    response = client.post(f"/udskrivelser/{discharge.pk}/forlaeng/", {"hours": 24, "reason": "x"})
    assert response.status_code == 403
    assert row_counts() == before


def test_csrf_less_session_api_post_is_refused(herlev_ward, make_user) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.WARD_NURSE, ward=herlev_ward))
    before = row_counts()
    response = client.post(
        "/api/v1/discharges/", discharge_body(herlev_ward), content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert row_counts() == before


QUERIES = [
    ("/api/v1/discharges/?limit=0", "limit"),
    ("/api/v1/discharges/?limit=501", "limit"),
    ("/api/v1/discharges/?offset=-1", "offset"),
    ("/api/v1/discharges/?offset=null", "offset"),
    ("/api/v1/discharges/?status=", "status"),
    ("/api/v1/discharges/?status=gone", "status"),
    ("/api/v1/discharges/?covered=maybe", "covered"),
    ("/api/v1/discharges/?ward=null", "ward"),
    ("/api/v1/discharges/?ward=99999999999999999999", "ward"),
    ("/api/v1/alerts/?open=null", "open"),
    ("/api/v1/alerts/?kind=blame", "kind"),
    ("/api/v1/alerts/?discharge=0", "discharge"),
    ("/api/v1/incidents/?limit=abc", "limit"),
    ("/api/v1/wards/?hospital=x", "hospital"),
    ("/api/v1/stats/compliance/?hospital=abc", "hospital"),
    ("/api/v1/stats/calls/?from=2026-13-01", "from"),
    ("/api/v1/stats/incidents/?from=0998-01-01", "from"),
    ("/api/v1/stats/compliance/?from=2026-02-01&to=2026-01-01", "to"),
]


@pytest.mark.parametrize(("url", "field"), QUERIES, ids=[q[0] for q in QUERIES])
def test_invalid_query_parameters_are_refused_by_name(api_client, make_user, url, field) -> None:  # type: ignore[no-untyped-def]
    """A filter the server cannot read is an error, never silently dropped (which would answer
    with more rows than the client asked for)."""
    api_client.force_authenticate(make_user(Role.RISK_MANAGER, ward=None, region_id=1084))
    response = api_client.get(url)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_list_endpoints_answer_in_pages(nurse_api, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    for cpr in ("0101451234", "0202451234", "0303451234"):
        record_discharge(ward=herlev_ward, cpr=cpr)
    page = nurse_api.get("/api/v1/discharges/?limit=2").json()
    assert page["count"] == 3
    assert len(page["results"]) == 2
    assert "offset=2" in page["next"]


def test_unknown_api_path_and_an_id_too_large_answer_json_404(nurse_api) -> None:  # type: ignore[no-untyped-def]
    for url in ("/api/v1/nothing/", "/api/v1/discharges/99999999999999999999/"):
        response = nurse_api.get(url)
        assert response.status_code == 404
        assert response.json() == {"detail": "Findes ikke.", "errors": {}}


def test_call_time_far_outside_any_window_is_refused(nurse_api, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    response = nurse_api.post(
        f"/api/v1/discharges/{discharge.pk}/calls/",
        {"received_at": "0998-11-13T06:37:32-01:45", "caller_role": "gp", "outcome": "advice"},
        format="json",
    )
    assert response.status_code == 400
    assert "received_at" in response.json()["errors"]
    assert not discharge.calls.exists()


def test_fhir_body_with_a_nul_byte_is_rejected_and_logged(nurse_api) -> None:  # type: ignore[no-untyped-def]
    from handover.models import InboundMessage

    response = nurse_api.generic(
        "POST", "/api/v1/fhir/hospital-notification/", b"\x00", content_type="application/fhir+json"
    )
    assert response.status_code == 400
    logged = InboundMessage.objects.get()
    assert logged.result == "rejected"
    assert logged.payload == "\ufffd"


def test_dashboard_with_a_broken_filter_says_so_and_shows_the_default_year(
    client, make_user
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.RISK_MANAGER, ward=None, region_id=1084))
    response = client.get("/haendelser/overblik/?from=2026-13-01&hospital=")
    assert response.status_code == 200
    assert "Filteret er ugyldigt" in response.content.decode()
