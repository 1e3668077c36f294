"""Content negotiation (config.negotiation): the shortcut answers as DRF would."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept", "status", "content_type"),
    [
        (None, 200, "application/json"),
        ("*/*", 200, "application/json"),
        ("application/json", 200, "application/json"),
        ("application/json; indent=2", 200, "application/json"),
        ("text/html, application/json;q=0.5", 200, "application/json"),
        ("text/html", 406, "application/json"),
    ],
)
def test_the_api_answers_json_to_whoever_accepts_it(
    make_user, accept, status, content_type
) -> None:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(make_user(Role.MUNICIPAL_NURSE, municipality_id="163"))
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    response = client.get("/api/v1/municipalities/", **headers)
    assert response.status_code == status
    assert response["Content-Type"] == content_type
    assert (b"\n  " in response.content) == (accept is not None and "indent=2" in accept)


def test_a_format_the_api_does_not_speak_is_not_found(make_user) -> None:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(make_user(Role.MUNICIPAL_NURSE, municipality_id="163"))
    assert client.get("/api/v1/municipalities/", {"format": "json"}).status_code == 200
    assert client.get("/api/v1/municipalities/", {"format": "xml"}).status_code == 404
