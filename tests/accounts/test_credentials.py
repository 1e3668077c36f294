"""Signed-in users and API tokens kept in the process (accounts.backends): read once, and read
anew as soon as a user or a token changes."""

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import update_last_login
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.backends import CREDENTIALS, kept_user
from accounts.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_credentials() -> Iterator[None]:
    CREDENTIALS.forget()
    yield
    CREDENTIALS.forget()


@pytest.fixture
def token_client(make_user, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):  # as if committed long ago
        user = make_user(Role.MUNICIPAL_NURSE, municipality_id="163")
        token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client, user, token


def credential_reads(client: APIClient) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        status = client.get("/api/v1/municipalities/").status_code
    reads = [
        q["sql"]
        for q in captured.captured_queries
        if '"authtoken_token"' in q["sql"] or 'FROM "accounts_user"' in q["sql"]
    ]
    return status, len(reads)


def test_a_token_and_its_user_are_read_once_in_one_query(token_client) -> None:  # type: ignore[no-untyped-def]
    client, _user, _token = token_client
    assert credential_reads(client) == (200, 1)
    assert credential_reads(client) == (200, 0)


def test_the_user_read_with_her_token_comes_with_her_organisation(token_client) -> None:  # type: ignore[no-untyped-def]
    client, user, _token = token_client
    credential_reads(client)
    with CaptureQueriesContext(connection) as captured:
        kept = kept_user(user.pk)
        assert kept is not None
        assert kept.municipality is not None
        assert kept.municipality.name
    assert captured.captured_queries == []


def test_a_deleted_token_is_refused_at_once(
    token_client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client, _user, token = token_client
    assert credential_reads(client)[0] == 200
    with django_capture_on_commit_callbacks(execute=True):
        token.delete()
    response = client.get("/api/v1/municipalities/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Ugyldigt token."


def test_a_deactivated_user_is_refused_at_once(
    token_client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client, user, _token = token_client
    assert credential_reads(client)[0] == 200
    with django_capture_on_commit_callbacks(execute=True):
        user.is_active = False
        user.save()
    assert client.get("/api/v1/municipalities/").status_code == 401


def test_a_sign_in_elsewhere_changes_nothing_kept(
    token_client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client, user, _token = token_client
    credential_reads(client)
    with django_capture_on_commit_callbacks(execute=True):
        update_last_login(None, user)
    assert credential_reads(client) == (200, 0)


def test_each_caller_gets_its_own_copy_of_the_kept_user(token_client) -> None:  # type: ignore[no-untyped-def]
    _client, user, _token = token_client
    first, second = kept_user(user.pk), kept_user(user.pk)
    assert first == second == user
    assert first is not second
    assert first is not None
    assert second is not None
    first.first_name = "Changed by one request"
    assert second.first_name == user.first_name
    assert first.municipality is second.municipality  # the organisation is shared, read-only
