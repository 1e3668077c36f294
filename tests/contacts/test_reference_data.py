import pytest

from contacts.models import Municipality, Region


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
