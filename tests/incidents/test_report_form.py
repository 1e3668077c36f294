"""The report form: which places a reporter can name, and no consequence chosen for her."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from incidents.forms import place_choices
from incidents.models import Incident, InvolvedOrganisation
from tests.factories import HospitalFactory, WardFactory

pytestmark = pytest.mark.django_db


def form_data(**changes):  # type: ignore[no-untyped-def]
    return {
        "occurred_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "occurred_at_precision": "exact",
        "place": "municipality:163",
        "title": "Ingen svarede",
        "description": "Afdelingen tog ikke telefonen.",
        "category": "unclear_responsibility",
        "actual_consequence": "minor",
        "possible_consequence": "serious_risk",
    } | changes


def values(choices) -> set[str]:  # type: ignore[no-untyped-def]
    flat = set()
    for value, label in choices:
        flat |= {v for v, _l in label} if isinstance(label, list) else {value}
    return flat


def test_a_municipal_nurse_may_name_her_regions_hospitals_and_wards(make_user, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    nurse = make_user(Role.MUNICIPAL_NURSE, municipality_id="163")
    offered = values(place_choices(nurse, None))
    assert {f"ward:{herlev_ward.pk}", f"hospital:{herlev_ward.hospital_id}"} <= offered


def test_another_regions_wards_are_not_offered(make_user) -> None:  # type: ignore[no-untyped-def]
    aarhus = WardFactory(hospital=HospitalFactory(region_id=1082))
    nurse = make_user(Role.MUNICIPAL_NURSE, municipality_id="163")
    assert f"ward:{aarhus.pk}" not in values(place_choices(nurse, None))


def test_a_standalone_report_names_a_ward_as_the_place(client, make_user, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.MUNICIPAL_NURSE, municipality_id="163"))
    response = client.post(
        reverse("incidents:report_new"), form_data(place=f"ward:{herlev_ward.pk}")
    )
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert (incident.place_kind, incident.hospital) == ("ward", herlev_ward.hospital)


def test_a_standalone_report_names_a_hospital_as_the_place(client, make_user, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.MUNICIPAL_NURSE, municipality_id="163"))
    client.post(
        reverse("incidents:report_new"), form_data(place=f"hospital:{herlev_ward.hospital_id}")
    )
    assert Incident.objects.get().place_name == herlev_ward.hospital.name


def test_the_risk_managers_form_offers_involved_organisations(
    client, make_user, herlev_ward
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.RISK_MANAGER, region_id=1084))
    page = client.get(reverse("incidents:report_new")).content.decode()
    assert re.search(r'name="involved" value="municipality:163"', page)
    assert re.search(rf'name="involved" value="ward:{herlev_ward.pk}"', page)


def test_a_risk_manager_reports_with_involved_organisations(client, make_user, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.RISK_MANAGER, region_id=1084))
    client.post(
        reverse("incidents:report_new"),
        form_data(
            place=f"ward:{herlev_ward.pk}", involved=["municipality:163", "municipality:101"]
        ),
    )
    names = set(InvolvedOrganisation.objects.values_list("name", flat=True))
    assert names == {"Herlev", "København"}
    assert Incident.objects.get().cross_sector is True


def test_no_consequence_is_chosen_before_the_reporter_chooses(client, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.MUNICIPAL_NURSE, municipality_id="163"))
    page = client.get(reverse("incidents:report_new")).content.decode()
    assert 'value="no_consequence" selected' not in page
    assert re.search(r'<select name="actual_consequence"[^>]*>\s*<option value="" selected>', page)


def test_a_report_without_consequences_is_refused(client, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.MUNICIPAL_NURSE, municipality_id="163"))
    response = client.post(
        reverse("incidents:report_new"), form_data(actual_consequence="", possible_consequence="")
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"actual_consequence", "possible_consequence"}
    assert not Incident.objects.exists()


def test_a_regions_risk_manager_chooses_the_place_herself(client, make_user, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.RISK_MANAGER, region_id=1084))
    page = client.get(reverse("incidents:report_new")).content.decode()
    assert re.search(
        r'<select name="place"[^>]*>\s*<option value="" selected>— Vælg —</option>', page
    )
    assert 'name="involved" value=""' not in page
