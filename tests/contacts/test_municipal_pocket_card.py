"""The municipal staff's pocket card, beside the hospital's: whom to call when."""

import pytest
from django.urls import reverse

from accounts.models import Role
from contacts.models import Municipality
from tests.factories import ContactPersonFactory, HospitalFactory

pytestmark = pytest.mark.django_db


def card(client, user, code: str):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.get(reverse("contacts:municipal_pocket_card", args=[code]))


@pytest.fixture
def herlev_nurse(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.MUNICIPAL_NURSE, municipality_id="163")


def test_the_card_gives_the_central_numbers_of_her_regions_hospitals(client, herlev_nurse) -> None:  # type: ignore[no-untyped-def]
    HospitalFactory(name="Herlev Testhospital", region_id=1084, central_phone="+4538680000")
    HospitalFactory(name="Aarhus Testhospital", region_id=1082, central_phone="+4578450000")
    page = card(client, herlev_nurse, "163").content.decode()
    assert "Herlev Testhospital" in page
    assert '<a class="phone" href="tel:+4538680000">38 68 00 00</a>' in page
    assert "Aarhus Testhospital" not in page


def test_the_card_sends_her_to_the_look_up_for_the_wards_number(client, herlev_nurse) -> None:  # type: ignore[no-untyped-def]
    page = card(client, herlev_nurse, "163").content.decode()
    assert f'<a href="{reverse("handover:lookup")}">Find ansvarlig afdeling</a>' in page


def test_region_hovedstaden_gets_1813_and_everyone_112(client, herlev_nurse) -> None:  # type: ignore[no-untyped-def]
    page = card(client, herlev_nurse, "163").content.decode()
    assert 'href="tel:1813"' in page
    assert 'href="tel:112"' in page


def test_other_regions_get_the_out_of_hours_gp_and_not_1813(client, make_user) -> None:  # type: ignore[no-untyped-def]
    page = card(client, make_user(Role.MUNICIPAL_NURSE, municipality_id="751"), "751")
    body = page.content.decode()
    assert 'href="tel:1813"' not in body
    assert "lægevagten" in body
    assert 'href="tel:112"' in body


def test_the_card_names_the_municipalitys_contact_person(client, herlev_nurse) -> None:  # type: ignore[no-untyped-def]
    ContactPersonFactory(
        municipality=Municipality.objects.get(code="163"), name="Mette Holm", phone="+4570163100"
    )
    page = card(client, herlev_nurse, "163").content.decode()
    assert "Mette Holm (Nøgleperson for ordningen)" in page
    assert "70 16 31 00" in page


def test_the_card_prints(client, herlev_nurse) -> None:  # type: ignore[no-untyped-def]
    page = card(client, herlev_nurse, "163").content.decode()
    assert '<article class="card pocket-card municipal-card">' in page
    assert "data-print" in page


def test_the_phone_list_links_her_own_card(client, herlev_nurse) -> None:  # type: ignore[no-untyped-def]
    client.force_login(herlev_nurse)
    page = client.get(reverse("contacts:ward_list")).content.decode()
    assert f'href="{reverse("contacts:municipal_pocket_card", args=["163"])}"' in page
    assert "Lommekort for Herlev Kommune" in page


def test_an_unknown_municipality_is_not_found(client, herlev_nurse) -> None:  # type: ignore[no-untyped-def]
    assert card(client, herlev_nurse, "999").status_code == 404


def test_the_card_needs_a_signed_in_user(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("contacts:municipal_pocket_card", args=["163"]))
    assert response.status_code == 302
