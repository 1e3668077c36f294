import pytest
from django.urls import reverse

from accounts.models import Role
from contacts.models import HealthCluster, Municipality, Region
from tests.factories import UserFactory


@pytest.mark.django_db
def test_data_migration_loads_five_regions() -> None:
    assert sorted(Region.objects.values_list("code", flat=True)) == [1081, 1082, 1083, 1084, 1085]


@pytest.mark.django_db
def test_data_migration_loads_98_municipalities() -> None:
    assert Municipality.objects.count() == 98
    assert Municipality.objects.get(code="101").name == "København"
    assert Municipality.objects.get(code="163").region_id == 1084
    assert not Municipality.objects.filter(code="411").exists()  # Christiansø is not one


def test_medcom_four_digit_code_is_normalised() -> None:
    assert Municipality.normalise_code("0101") == "101"
    assert Municipality.normalise_code("751") == "751"


@pytest.mark.django_db
def test_data_migration_loads_21_sundhedsklynger_all_marked_as_assumptions() -> None:
    assert HealthCluster.objects.count() == 21
    assert not HealthCluster.objects.filter(to_be_confirmed=False).exists()
    assert not HealthCluster.objects.filter(source_note="").exists()
    vest = HealthCluster.objects.get(code="vest")
    assert sorted(vest.municipalities.values_list("code", flat=True)) == [
        "657",
        "661",
        "665",
        "671",
        "756",
        "760",
    ]
    assert "Gødstrupklyngen" in vest.source_note  # seed 002's name for it


@pytest.mark.django_db
def test_the_admin_shows_a_clusters_municipalities_and_moves_one(client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(role=Role.ADMIN, ward=None, is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:contacts_healthcluster_change", args=["byen"]))
    assert page.status_code == 200
    assert "Frederiksberg" in page.content.decode()
    assert "Antagelse (ingen kilde giver klyngen)" in page.content.decode()
    listing = client.get(reverse("admin:contacts_municipality_changelist"), {"q": "Dragør"})
    assert "Sundhedsklynge Syd (Amager og Vestegnen)" in listing.content.decode()
    response = client.post(
        reverse("admin:contacts_municipality_change", args=["155"]),
        {"code": "155", "name": "Dragør", "region": 1084, "health_cluster": "byen"},
    )
    assert response.status_code == 302
    assert Municipality.objects.get(code="155").health_cluster_id == "byen"
