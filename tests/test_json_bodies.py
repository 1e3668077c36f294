"""The API reads JSON only (``api.parsers``): a body it cannot read or store is a 400 in the
API's error shape, any other content type a 415, and the schema offers JSON bodies only."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from django.utils import timezone

from accounts.models import Role
from handover.models import Discharge, Patient

pytestmark = pytest.mark.django_db

OPENAPI = Path(__file__).resolve().parents[1] / "openapi.yaml"
NUL_MESSAGE = "Tekst må ikke indeholde NUL-tegnet (U+0000)."


@pytest.fixture
def nurse_api(api_client, herlev_ward, make_user):  # type: ignore[no-untyped-def]
    api_client.force_authenticate(make_user(Role.WARD_NURSE, ward=herlev_ward))
    return api_client


def discharge(ward, **changes):  # type: ignore[no-untyped-def]
    now = timezone.now()
    return {
        "patient": {"cpr": "0101451234", "name": "Ole Hansen"},
        "ward": ward.pk,
        "admitted_at": (now - timedelta(days=2)).isoformat(),
        "discharged_at": now.isoformat(),
        "destination": "home_nursing",
        "municipality": "163",
    } | changes


def post_raw(client, url, body: bytes, content_type="application/json"):  # type: ignore[no-untyped-def]
    return client.generic("POST", url, body, content_type=content_type)


@pytest.mark.parametrize("url", ["/api/v1/discharges/", "/api/v1/lookup/", "/api/v1/incidents/"])
def test_json_nested_100000_deep_is_400_not_500(nurse_api, url) -> None:  # type: ignore[no-untyped-def]
    response = post_raw(nurse_api, url, b"[" * 100_000 + b"]" * 100_000)
    assert response.status_code == 400
    assert response.json() == {"detail": "JSON-dokumentet er indlejret for dybt.", "errors": {}}


def test_deep_json_inside_an_object_is_400(nurse_api) -> None:  # type: ignore[no-untyped-def]
    body = b'{"patient": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_000 + b"}"
    response = post_raw(nurse_api, "/api/v1/discharges/", body)
    assert response.status_code == 400
    assert not Discharge.objects.exists()


def test_broken_json_says_where(nurse_api) -> None:  # type: ignore[no-untyped-def]
    response = post_raw(nurse_api, "/api/v1/lookup/", b'{"cpr": "0101451234",\n}')
    assert response.status_code == 400
    assert response.json()["detail"] == "Brødteksten er ikke gyldig JSON (linje 2, tegn 1)."


@pytest.mark.parametrize("body", [b'{"cpr": NaN}', b'{"cpr": ' + b"9" * 5000 + b"}"])
def test_json_numbers_python_cannot_take_are_400(nurse_api, body) -> None:  # type: ignore[no-untyped-def]
    response = post_raw(nurse_api, "/api/v1/lookup/", body)
    assert response.status_code == 400
    assert response.json()["detail"] == "Brødteksten er ikke gyldig JSON."


def test_nul_in_a_string_is_refused_by_the_field_path(nurse_api, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    body = discharge(herlev_ward, patient={"cpr": "0101451234", "name": "Ole\x00Hansen"})
    response = nurse_api.post("/api/v1/discharges/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"patient.name": [NUL_MESSAGE]}
    assert not Patient.objects.exists()


def test_nul_in_a_field_the_api_ignores_is_refused_too(nurse_api, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    """Unknown members are not read, but a body that cannot be stored is refused whole: what
    is refused today cannot become a 500 when a field of that name is added."""
    body = discharge(herlev_ward, involved=[{"x": ["ok", "\x00"]}])
    response = nurse_api.post("/api/v1/discharges/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"involved.0.x.1": [NUL_MESSAGE]}
    assert not Discharge.objects.exists()


def test_nul_in_a_member_name_is_refused(nurse_api, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    body = json.dumps(discharge(herlev_ward) | {"no\x00te": "x"}).encode()
    response = post_raw(nurse_api, "/api/v1/discharges/", body)
    assert response.status_code == 400
    assert response.json()["errors"] == {"non_field_errors": [NUL_MESSAGE]}


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]
)
def test_form_bodies_are_415(nurse_api, content_type) -> None:  # type: ignore[no-untyped-def]
    response = post_raw(nurse_api, "/api/v1/lookup/", b"cpr=0101451234", content_type)
    assert response.status_code == 415
    assert response.json()["detail"]


def test_the_token_endpoint_reads_json_only(api_client, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    credentials = {"username": user.username, "password": "handover-test"}
    assert api_client.post("/api/v1/auth/token/", credentials).status_code == 415
    assert api_client.post("/api/v1/auth/token/", credentials, format="json").status_code == 200


def test_the_schema_offers_json_request_bodies_only() -> None:
    schema = yaml.safe_load(OPENAPI.read_text())
    types = {
        content_type
        for operations in schema["paths"].values()
        for operation in operations.values()
        for content_type in operation.get("requestBody", {}).get("content", {})
    }
    assert "application/json" in types
    assert all(kind == "application/json" or kind.endswith("+json") for kind in types), types
