"""Signing in by API token and by session: a removed token or a deactivated user is refused at
once, and a page's user comes with her organisation."""

import pytest
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.backends import OrganisationBackend
from accounts.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def token_client(make_user):  # type: ignore[no-untyped-def]
    user = make_user(Role.MUNICIPAL_NURSE, municipality_id="163")
    token, key = AuthToken.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client, user, token


def test_a_deleted_token_is_refused_at_once(token_client) -> None:  # type: ignore[no-untyped-def]
    client, _user, token = token_client
    assert client.get("/api/v1/municipalities/").status_code == 200
    token.delete()
    response = client.get("/api/v1/municipalities/")
    assert response.status_code == 401


def test_a_deactivated_user_is_refused_at_once(token_client) -> None:  # type: ignore[no-untyped-def]
    client, user, _token = token_client
    assert client.get("/api/v1/municipalities/").status_code == 200
    user.is_active = False
    user.save()
    assert client.get("/api/v1/municipalities/").status_code == 401


def test_the_session_user_is_read_with_her_organisation(
    make_user, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.WARD_NURSE)
    with django_assert_num_queries(1):
        found = OrganisationBackend().get_user(user.pk)
        assert found is not None
        assert found.organisation is not None
        assert found.ward is not None
        assert found.ward.hospital.name


def test_a_deactivated_user_loses_her_session(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.WARD_NURSE)
    client.force_login(user)
    assert client.get(reverse("contacts:ward_list")).status_code == 200
    user.is_active = False
    user.save()
    assert client.get(reverse("contacts:ward_list")).status_code == 302
