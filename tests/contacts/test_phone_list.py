"""The phone list starts with the user's own region."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import HospitalFactory, WardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_regions():  # type: ignore[no-untyped-def]
    """An Aarhus ward (Region Midtjylland), which sorts before Herlev's (Region Hovedstaden)."""
    aarhus = WardFactory(hospital=HospitalFactory(name="Aarhus Testhospital", region_id=1082))
    herlev = WardFactory(hospital=HospitalFactory(name="Herlev Testhospital", region_id=1084))
    return aarhus, herlev


def listed(client, user):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return [ward for ward, _now in client.get(reverse("contacts:ward_list")).context["rows"]]


def test_a_herlev_nurse_sees_her_regions_wards_first(client, make_user, two_regions) -> None:  # type: ignore[no-untyped-def]
    aarhus, herlev = two_regions
    nurse = make_user(Role.MUNICIPAL_NURSE, municipality_id="163")
    assert listed(client, nurse) == [herlev, aarhus]


def test_within_her_region_the_wards_are_in_alphabetical_order(
    client, make_user, two_regions
) -> None:  # type: ignore[no-untyped-def]
    aarhus, herlev = two_regions
    bispebjerg = WardFactory(
        hospital=HospitalFactory(name="Bispebjerg Testhospital", region_id=1084)
    )
    nurse = make_user(Role.MUNICIPAL_NURSE, municipality_id="163")
    assert listed(client, nurse) == [bispebjerg, herlev, aarhus]


def test_a_search_keeps_her_region_first(client, make_user, two_regions) -> None:  # type: ignore[no-untyped-def]
    aarhus, herlev = two_regions
    client.force_login(make_user(Role.MUNICIPAL_NURSE, municipality_id="163"))
    rows = client.get(reverse("contacts:ward_list"), {"q": "Testhospital"}).context["rows"]
    assert [ward for ward, _now in rows] == [herlev, aarhus]
