"""The login lockout holds a user name at one address, not the address: behind the TLS proxy all
staff share one address, and five typos must not lock out a hospital. A locked user is told, in
Danish, until when (local time), on the page and by the token endpoint (429 with Retry-After)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role

pytestmark = pytest.mark.django_db

PASSWORD = "handover-test"
OFFICE = "10.0.0.1"
ELSEWHERE = "10.0.0.2"
# 13:40 in Copenhagen (winter time, UTC+1): a lock from now ends at 14:10 local time.
NOW = datetime(2026, 11, 24, 12, 40, tzinfo=ZoneInfo("UTC"))


def web_login(client: Client, username: str, password: str = PASSWORD, address: str = OFFICE):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def api_login(username: str, password: str = PASSWORD, address: str = OFFICE):  # type: ignore[no-untyped-def]
    return APIClient().post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=address,
    )


def lock_out(username: str) -> None:
    """Five wrong passwords from the office, the limit."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        web_login(Client(), username, "wrong")


@pytest.fixture
def anne(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.WARD_NURSE, username="anne")


@pytest.fixture
def bente(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.WARD_NURSE, username="bente")


def test_a_colleague_at_the_same_address_still_signs_in_on_the_page(anne, bente) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        lock_out(anne.username)
        assert web_login(Client(), bente.username).status_code == 302


def test_a_colleague_at_the_same_address_still_gets_a_token(anne, bente) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        lock_out(anne.username)
        response = api_login(bente.username)
    assert response.status_code == 200
    assert response.json()["token"]


def test_the_locked_user_signs_in_from_another_address(anne) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        lock_out(anne.username)
        assert web_login(Client(), anne.username, address=ELSEWHERE).status_code == 302


def test_the_locked_page_says_until_when_in_local_time(anne) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        lock_out(anne.username)
        page = web_login(Client(), anne.username)
    assert page.status_code == 429
    text = page.content.decode()
    assert "Kontoen er midlertidigt låst" in text
    assert "indtil kl. 14:10 den 24.11.2026" in text
    assert page["Retry-After"] == str(30 * 60)


def test_the_token_endpoint_answers_429_with_retry_after_and_until_when(anne) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        lock_out(anne.username)
    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        response = api_login(anne.username)
    assert response.status_code == 429
    assert response["Retry-After"] == str(20 * 60)
    body = response.json()
    assert body["errors"] == {}
    assert "låst" in body["detail"]
    assert "kl. 14:10 den 24.11.2026" in body["detail"]


def test_the_fifth_wrong_password_at_the_token_endpoint_locks(anne) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert api_login(anne.username, "wrong").status_code == 400
        locked = api_login(anne.username, "wrong")
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(30 * 60)


def test_trying_again_during_the_lock_does_not_move_its_end(anne) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        lock_out(anne.username)
    with time_machine.travel(NOW + timedelta(minutes=20), tick=False):
        web_login(Client(), anne.username, "wrong")
        page = web_login(Client(), anne.username)
    assert "indtil kl. 14:10 den 24.11.2026" in page.content.decode()
    assert page["Retry-After"] == str(10 * 60)


def test_the_lock_ends_after_the_cool_off(anne) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        lock_out(anne.username)
    with time_machine.travel(NOW + timedelta(minutes=29, seconds=59), tick=False):
        assert web_login(Client(), anne.username).status_code == 429
    with time_machine.travel(NOW + timedelta(minutes=30, seconds=1), tick=False):
        assert web_login(Client(), anne.username).status_code == 302
        assert api_login(anne.username).status_code == 200
