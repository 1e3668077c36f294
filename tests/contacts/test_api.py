from datetime import datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from contacts.rules import LOCAL_TZ
from tests.factories import HospitalFactory, WardFactory

pytestmark = pytest.mark.django_db


def token_for(api_client: APIClient, user) -> str:  # type: ignore[no-untyped-def]
    response = api_client.post(
        "/api/v1/auth/token/",
        {"username": user.username, "password": "handover-test"},
        format="json",
    )
    assert response.status_code == 200
    return response.json()["token"]


def test_directory_needs_authentication(api_client: APIClient) -> None:
    for path in ("/api/v1/wards/", "/api/v1/municipalities/"):
        response = api_client.get(path)
        assert response.status_code == 401
        assert "detail" in response.json()


def test_wrong_password_gets_no_token(api_client: APIClient, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    response = api_client.post(
        "/api/v1/auth/token/", {"username": user.username, "password": "x"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]


def test_municipalities_shape(api_client: APIClient, make_user) -> None:  # type: ignore[no-untyped-def]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(api_client, make_user())}")
    body = api_client.get("/api/v1/municipalities/").json()
    assert len(body) == 98
    assert {"code": "101", "name": "København", "region": 1084} in body


def test_wards_shape_and_phone_now(api_client: APIClient, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    hospital = HospitalFactory(name="Herlev Hospital", central_phone="+4538683868")
    WardFactory(
        hospital=hospital,
        name="Kardiologisk Afsnit",
        day_phone="+4544884401",
        on_call_phone="+4544884402",
    )
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(api_client, user)}")
    with time_machine.travel(datetime(2026, 11, 21, 12, 0, tzinfo=LOCAL_TZ), tick=False):
        body = api_client.get("/api/v1/wards/", {"q": "kardio", "hospital": hospital.pk}).json()
    assert body == [
        {
            "id": body[0]["id"],
            "name": "Kardiologisk Afsnit",
            "sor_code": body[0]["sor_code"],
            "kind": "somatic",
            "hospital": {
                "id": hospital.pk,
                "name": "Herlev Hospital",
                "region": 1084,
                "central_phone": "+4538683868",
            },
            "day_phone": "+4544884401",
            "on_call_phone": "+4544884402",
            "phone_now": "+4544884402",
            "phone_now_kind": "on_call",
        }
    ]


def test_ward_list_query_count_does_not_grow(
    api_client: APIClient, make_user, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    api_client.force_authenticate(user)
    WardFactory.create_batch(30)
    with django_assert_max_num_queries(3):
        assert len(api_client.get("/api/v1/wards/").json()) >= 30
