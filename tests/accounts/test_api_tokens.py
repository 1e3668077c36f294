"""API tokens: stored only as a hash, one per sign-in (device), ending after a shift, revoked one
at a time or all at once, and all of them by a password change or a deactivation."""

import hashlib
import importlib
from datetime import datetime, timedelta

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client, RequestFactory
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.auth import TokenAuthentication
from accounts.models import Role, User
from accounts.tasks import delete_expired_tokens
from config.celery import app

pytestmark = pytest.mark.django_db

PASSWORD = "handover-test"
SHIFT = timedelta(hours=10)


def sign_in(user: User) -> str:
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token: str = response.json()["token"]
    return token


def status_with(token: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/municipalities/").status_code


def post_with(token: str, path: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.post(path).status_code


@pytest.fixture
def nurse(make_user) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.MUNICIPAL_NURSE, municipality_id="163")  # type: ignore[no-any-return]


def test_each_sign_in_gets_a_new_token(nurse) -> None:  # type: ignore[no-untyped-def]
    first, second = sign_in(nurse), sign_in(nurse)
    assert first != second
    assert status_with(first) == 200
    assert status_with(second) == 200


def test_the_token_answer_names_its_expiry_a_shift_ahead(nurse) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        response = APIClient().post(
            "/api/v1/auth/token/",
            {"username": nurse.username, "password": PASSWORD},
            format="json",
        )
    expiry = parse_datetime(response.json()["expiry"])
    assert isinstance(expiry, datetime)
    assert expiry == (now + SHIFT).replace(microsecond=now.microsecond)


def test_tokens_are_stored_only_as_a_hash(nurse) -> None:  # type: ignore[no-untyped-def]
    token = sign_in(nurse)
    stored = AuthToken.objects.get(user=nurse)
    assert stored.digest == hashlib.sha512(token.encode()).hexdigest()
    assert token not in (stored.digest, stored.token_key)
    assert stored.token_key == token[:15]


@pytest.mark.django_db(transaction=True)
def test_the_migration_drops_drfs_token_table_and_its_record() -> None:
    """DRF's tokens were kept in clear: an existing database loses the table and DRF's record
    of having made it."""
    migration = importlib.import_module("accounts.migrations.0008_drop_drf_tokens")
    recorder = MigrationRecorder(connection)
    with connection.schema_editor() as editor:
        editor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY)")
        recorder.record_applied("authtoken", "0001_initial")
        migration.drop_drf_tokens(apps, editor)
    assert "authtoken_token" not in connection.introspection.table_names()
    assert not recorder.migration_qs.filter(app="authtoken").exists()
    assert "rest_framework.authtoken" not in settings.INSTALLED_APPS


def test_a_token_ends_after_a_shift(nurse) -> None:  # type: ignore[no-untyped-def]
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        token = sign_in(nurse)
    with time_machine.travel(start + SHIFT - timedelta(seconds=1), tick=False):
        assert status_with(token) == 200
    with time_machine.travel(start + SHIFT + timedelta(seconds=1), tick=False):
        assert status_with(token) == 401


def test_logout_revokes_only_the_calling_token(nurse) -> None:  # type: ignore[no-untyped-def]
    phone, desktop = sign_in(nurse), sign_in(nurse)
    assert post_with(phone, "/api/v1/auth/logout/") == 204
    assert status_with(phone) == 401
    assert status_with(desktop) == 200


def test_logout_all_revokes_every_token_of_the_caller_only(nurse, make_user) -> None:  # type: ignore[no-untyped-def]
    colleague = make_user(Role.MUNICIPAL_NURSE, municipality_id="163")
    phone, desktop, theirs = sign_in(nurse), sign_in(nurse), sign_in(colleague)
    assert post_with(desktop, "/api/v1/auth/logout-all/") == 204
    assert status_with(phone) == 401
    assert status_with(desktop) == 401
    assert status_with(theirs) == 200


def test_a_session_cannot_log_out_a_token(client: Client, nurse) -> None:  # type: ignore[no-untyped-def]
    token = sign_in(nurse)
    client.force_login(nurse)
    assert client.post("/api/v1/auth/logout-all/").status_code in (401, 403)
    assert status_with(token) == 200


def test_a_password_change_revokes_every_token(nurse) -> None:  # type: ignore[no-untyped-def]
    phone, desktop = sign_in(nurse), sign_in(nurse)
    nurse.set_password("a-new-password-for-the-shift")
    nurse.save()
    assert status_with(phone) == 401
    assert status_with(desktop) == 401
    assert not AuthToken.objects.filter(user=nurse).exists()


def test_a_password_change_in_the_admin_revokes_every_token(
    client: Client, nurse, make_user
) -> None:  # type: ignore[no-untyped-def]
    token = sign_in(nurse)
    client.force_login(make_user(Role.ADMIN, is_staff=True, is_superuser=True))
    response = client.post(
        f"/admin/accounts/user/{nurse.pk}/password/",
        {
            "password1": "a-new-password-for-the-shift",
            "password2": "a-new-password-for-the-shift",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert status_with(token) == 401


def test_deactivation_revokes_every_token(nurse) -> None:  # type: ignore[no-untyped-def]
    token = sign_in(nurse)
    nurse.is_active = False
    nurse.save(update_fields=["is_active"])
    assert not AuthToken.objects.filter(user=nurse).exists()
    nurse.is_active = True
    nurse.save()
    assert status_with(token) == 401


def test_other_changes_to_the_user_keep_her_tokens(nurse) -> None:  # type: ignore[no-untyped-def]
    token = sign_in(nurse)
    nurse.first_name = "Susanne"
    nurse.save()
    nurse.last_login = timezone.now()
    nurse.save(update_fields=["last_login"])
    assert status_with(token) == 200


def test_recording_a_sign_in_costs_no_extra_query(nurse, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    nurse.last_login = timezone.now()
    with django_assert_num_queries(1):
        nurse.save(update_fields=["last_login"])


def test_a_request_reads_its_token_user_and_organisation_in_one_query(
    make_user, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    ward_nurse = make_user(Role.WARD_NURSE)
    _instance, token = AuthToken.objects.create(user=ward_nurse)
    request = RequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {token}")
    with django_assert_num_queries(1):
        user, _auth = TokenAuthentication().authenticate(request)
        assert user.organisation is not None
        assert user.ward.hospital.name


def test_an_expired_token_is_refused_and_left_for_beat(nurse) -> None:  # type: ignore[no-untyped-def]
    _expired, old = AuthToken.objects.create(user=nurse, expiry=timedelta(hours=-1))
    _live, new = AuthToken.objects.create(user=nurse)
    assert status_with(old) == 401
    assert status_with(new) == 200
    assert AuthToken.objects.filter(user=nurse).count() == 2


def test_beat_deletes_the_expired_tokens_only(nurse) -> None:  # type: ignore[no-untyped-def]
    AuthToken.objects.create(user=nurse, expiry=timedelta(seconds=-1))
    _live, new = AuthToken.objects.create(user=nurse)
    assert delete_expired_tokens() == 1
    assert AuthToken.objects.filter(user=nurse).count() == 1
    assert status_with(new) == 200


def test_beat_runs_the_deletion_of_expired_tokens() -> None:
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "accounts.tasks.delete_expired_tokens" in tasks
