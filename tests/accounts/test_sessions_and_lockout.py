from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role

pytestmark = pytest.mark.django_db

PASSWORD = "handover-test"


def login(client: Client, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_page_is_danish(client: Client) -> None:
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "Log ind" in response.content.decode()
    assert 'lang="da"' in response.content.decode()


def test_correct_password_logs_in(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.WARD_NURSE)
    response = login(client, user.username)
    assert response.status_code == 302
    assert client.get(reverse("contacts:ward_list")).status_code == 200


def test_five_failures_lock_the_account_even_with_the_right_password(
    client: Client, make_user
) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.WARD_NURSE)
    for _ in range(4):
        assert login(client, user.username, "wrong").status_code == 200
    locked = login(client, user.username, "wrong")
    assert locked.status_code == 429
    assert "midlertidigt låst" in locked.content.decode()
    assert login(client, user.username).status_code == 429


def test_session_expires_after_15_idle_minutes(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.WARD_NURSE)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        login(client, user.username)
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert client.get(reverse("contacts:ward_list")).status_code == 200
    # Each request renews the idle timeout: 14 + 14 minutes is still a live session.
    with time_machine.travel(start + timedelta(minutes=28), tick=False):
        assert client.get(reverse("contacts:ward_list")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=28 + 15, seconds=1), tick=False):
        assert client.get(reverse("contacts:ward_list")).status_code == 302


def test_session_ends_after_12_hours_even_when_active(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.WARD_NURSE)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        login(client, user.username)
        client.get(reverse("contacts:ward_list"))
    moment = start
    while moment < start + timedelta(hours=11, minutes=50):
        moment += timedelta(minutes=10)
        with time_machine.travel(moment, tick=False):
            assert client.get(reverse("contacts:ward_list")).status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=1), tick=False):
        assert client.get(reverse("contacts:ward_list")).status_code == 302


def test_activity_writes_the_session_at_most_once_a_minute(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.WARD_NURSE)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        login(client, user.username)
    writes = []
    for seconds in (1, 30, 61, 90, 122):
        with (
            time_machine.travel(start + timedelta(seconds=seconds), tick=False),
            CaptureQueriesContext(connection) as captured,
        ):
            assert client.get(reverse("contacts:ward_list")).status_code == 200
        if any(q["sql"].startswith('UPDATE "django_session"') for q in captured.captured_queries):
            writes.append(seconds)
    assert writes == [1, 61, 122]
