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
