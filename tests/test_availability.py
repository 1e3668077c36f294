"""Liveness, readiness, and what every page and API call answers while the database is down."""

from collections.abc import Callable, Iterator

import pytest
from django.db import OperationalError, connections
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from config.celery import app

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:1/0"


def refuse() -> None:
    """What Django raises when PostgreSQL does not answer (it wraps psycopg's error)."""
    raise OperationalError(
        'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
    )


@pytest.fixture
def cut_database(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """From the call on, every query fails as if the database server were gone."""

    def cut(failure: Callable[[], None] = refuse) -> None:
        monkeypatch.setattr(connections["default"], "ensure_connection", failure)

    return cut


@pytest.fixture
def broker_down(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    previous = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.broker_url = CLOSED_PORT
    app.conf.broker_transport_options = settings.REDIS_TRANSPORT_OPTIONS
    yield
    app.conf.broker_url, app.conf.broker_transport_options = previous


@pytest.fixture
def signed_in(make_user) -> Client:  # type: ignore[no-untyped-def]
    """A municipal nurse's browser; errors come back as responses, as a browser gets them."""
    browser = Client(raise_request_exception=False)
    browser.force_login(make_user(Role.MUNICIPAL_NURSE, municipality_id="163"))
    return browser


def test_healthz_answers_while_the_database_is_down(client, cut_database) -> None:  # type: ignore[no-untyped-def]
    cut_database()
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")


def test_readyz_reports_each_check(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/readyz")
    assert (response.status_code, response.json()) == (
        200,
        {"status": "ok", "checks": {"database": "ok", "broker": "ok"}},
    )


def test_readyz_is_503_when_the_database_is_down(client, cut_database) -> None:  # type: ignore[no-untyped-def]
    cut_database()
    response = client.get("/readyz")
    assert (response.status_code, response.json()["checks"]) == (
        503,
        {"database": "unavailable", "broker": "ok"},
    )


def test_readyz_is_503_when_the_broker_is_down(client, broker_down) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/readyz")
    assert (response.status_code, response.json()["checks"]) == (
        503,
        {"database": "ok", "broker": "unavailable"},
    )


def test_a_page_answers_a_danish_503_that_points_to_the_downtime_list(
    signed_in, cut_database
) -> None:  # type: ignore[no-untyped-def]
    cut_database()
    response = signed_in.get(reverse("handover:board"))
    page = response.content.decode()
    assert response.status_code == 503
    assert 'lang="da"' in page
    assert "udskrevne nedetidsliste" in page
    assert "lommekortet" in page


def test_a_view_that_reads_the_database_answers_the_same_503(client, cut_database) -> None:  # type: ignore[no-untyped-def]
    cut_database()
    response = client.post(reverse("accounts:login"), {"username": "a", "password": "b"})
    assert response.status_code == 503
    assert "udskrevne nedetidsliste" in response.content.decode()


def test_an_api_call_answers_503_in_the_api_error_shape(client, cut_database) -> None:  # type: ignore[no-untyped-def]
    cut_database()
    response = client.get("/api/v1/discharges/", HTTP_AUTHORIZATION="Token 0123456789abcdef")
    body = response.json()
    assert (response.status_code, set(body), body["errors"]) == (503, {"detail", "errors"}, {})
    assert "nedetidsliste" in body["detail"]
    assert response["Retry-After"] == "60"


def test_an_unexpected_error_answers_a_danish_500_page(signed_in, cut_database) -> None:  # type: ignore[no-untyped-def]
    def fail() -> None:
        raise RuntimeError("not the database")

    cut_database(fail)
    response = signed_in.get(reverse("handover:board"))
    page = response.content.decode()
    assert (response.status_code, 'lang="da"' in page) == (500, True)
    assert "Der opstod en fejl i systemet" in page


def test_an_unexpected_api_error_answers_json(cut_database) -> None:  # type: ignore[no-untyped-def]
    def fail() -> None:
        raise RuntimeError("not the database")

    cut_database(fail)
    response = Client(raise_request_exception=False).get(
        "/api/v1/discharges/", HTTP_AUTHORIZATION="Token 0123456789abcdef"
    )
    assert (response.status_code, response.json()["errors"]) == (500, {})


@pytest.mark.django_db(transaction=True)
def test_with_postgresql_out_of_reach_pages_and_the_api_answer_503(
    require_postgres, reference_data, make_user
) -> None:  # type: ignore[no-untyped-def]
    browser = Client(raise_request_exception=False)
    browser.force_login(make_user(Role.MUNICIPAL_NURSE, municipality_id="163"))
    database = connections["default"]
    port = database.settings_dict["PORT"]
    database.close()
    database.settings_dict["PORT"] = 1  # nothing listens: psycopg's own connection error
    try:
        page = browser.get(reverse("handover:board"))
        api = browser.get("/api/v1/discharges/", HTTP_AUTHORIZATION="Token 0123456789abcdef")
        ready = browser.get("/readyz")
    finally:
        database.close()
        database.settings_dict["PORT"] = port
    assert (page.status_code, api.status_code, ready.status_code) == (503, 503, 503)
    assert "nedetidsliste" in page.content.decode()
