"""Ward staff's pages in the browser's terms: what is shown, what is written, what is hidden."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessAction, AccessLog, Role
from handover.models import Alert, AlertKind, Discharge
from tests.factories import WardFactory, record_discharge

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurse_client(client: Client, herlev_ward, make_user) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.WARD_NURSE, ward=herlev_ward))
    return client


def form_data(ward, **overrides):  # type: ignore[no-untyped-def]
    now = timezone.localtime()
    return {
        "cpr": "010145-1234",
        "name": "Ole Hansen",
        "ward": ward.pk,
        "admitted_at": (now - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "discharged_at": (now - timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M"),
        "destination": "home_nursing",
        "municipality": "163",
        "finished": "on",
        "treatment_plan": "Observer vægt.",
        "contact_phone": "44 88 44 88",
        "patient_informed": "on",
    } | overrides


def test_new_discharge_shows_the_epr_sentence(nurse_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    response = nurse_client.post(
        reverse("handover:discharge_new"), form_data(herlev_ward), follow=True
    )
    page = response.content.decode()
    discharge = Discharge.objects.get()
    assert discharge.covered
    ends = timezone.localtime(discharge.responsibility_ends_at)
    assert (
        f"Hospitalet har behandlingsansvar for patienten indtil {ends:%d-%m-%Y} "
        f"kl. {ends:%H:%M}, tlf. 44 88 44 88." in page
    )
    assert "0101451234" not in response.redirect_chain[0][0]


def test_form_errors_are_shown_and_nothing_is_saved(nurse_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    response = nurse_client.post(
        reverse("handover:discharge_new"), form_data(herlev_ward, cpr="3102451234")
    )
    assert response.status_code == 200
    assert "CPR-nummerets fødselsdato findes ikke." in response.content.decode()
    assert Discharge.objects.count() == 0


def test_coverage_preview_answers_and_creates_nothing(nurse_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    response = nurse_client.post(
        reverse("handover:coverage_preview"), form_data(herlev_ward), HTTP_HX_REQUEST="true"
    )
    assert "Omfattet: 96 timers behandlingsansvar" in response.content.decode()
    short = form_data(
        herlev_ward,
        admitted_at=(timezone.localtime() - timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M"),
    )
    response = nurse_client.post(
        reverse("handover:coverage_preview"), short, HTTP_HX_REQUEST="true"
    )
    assert "indlagt under 24 timer" in response.content.decode()
    assert Discharge.objects.count() == 0
    assert AccessLog.objects.count() == 0


def test_worklist_shows_open_windows_and_missing_documentation(nurse_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    record_discharge(ward=herlev_ward, treatment_plan="")
    record_discharge(
        ward=herlev_ward, cpr="0202451234", name="Kort Ophold", stay=timedelta(hours=3)
    )
    page = nurse_client.get(reverse("handover:worklist")).content.decode()
    assert "Ole Hansen" in page
    assert "010145-****" in page
    assert "0101451234" not in page
    assert "plan</span>" in page
    assert "Indlagt under 24 timer" in page


def test_worklist_and_board_rows_escape_what_staff_typed(
    nurse_client, herlev_ward, make_user
) -> None:  # type: ignore[no-untyped-def]
    record_discharge(ward=herlev_ward, name="<b>Ole</b> & Co")
    municipal = Client()
    municipal.force_login(make_user(role=Role.MUNICIPAL_NURSE, municipality_id="163"))
    for page in (
        nurse_client.get(reverse("handover:worklist")).content.decode(),
        municipal.get(reverse("handover:board")).content.decode(),
    ):
        assert "&lt;b&gt;Ole&lt;/b&gt; &amp; Co" in page
        assert "<b>Ole</b>" not in page


@pytest.mark.parametrize("rows", [5, 40])
def test_worklist_query_count_does_not_grow_with_rows(
    nurse_client, herlev_ward, rows, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for index in range(rows):
        record_discharge(ward=herlev_ward, cpr=f"0101{index:02d}1234")
    with django_assert_max_num_queries(12):
        response = nurse_client.get(reverse("handover:worklist"))
    assert response.content.decode().count("010") >= rows


def test_discharge_page_shows_full_cpr_and_logs_the_read(nurse_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    page = nurse_client.get(
        reverse("handover:discharge_detail", args=[discharge.pk])
    ).content.decode()
    assert "010145-1234" in page
    assert "<title>Udskrivelse" in page
    assert AccessLog.objects.filter(
        action=AccessAction.VIEW_DISCHARGE, patient=discharge.patient
    ).exists()


def test_another_hospitals_discharge_page_is_404(client, herlev_ward, make_user) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    client.force_login(make_user(Role.WARD_NURSE, ward=WardFactory()))
    for name in ("discharge_detail", "patient_card"):
        assert client.get(reverse(f"handover:{name}", args=[discharge.pk])).status_code == 404
    assert (
        client.post(
            reverse("handover:discharge_extend", args=[discharge.pk]), {"hours": 24, "reason": "x"}
        ).status_code
        == 404
    )


def test_municipal_nurse_may_not_open_ward_pages(client, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.MUNICIPAL_NURSE, municipality_id="163"))
    assert client.get(reverse("handover:worklist")).status_code == 403


def test_extend_from_the_page(nurse_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    response = nurse_client.post(
        reverse("handover:discharge_extend", args=[discharge.pk]),
        {"hours": 24, "reason": "Ustabil"},
        follow=True,
    )
    assert "Ansvaret er forlænget." in response.content.decode()
    discharge.refresh_from_db()
    assert discharge.status == "extended"


def test_extend_without_reason_is_refused(nurse_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    nurse_client.post(
        reverse("handover:discharge_extend", args=[discharge.pk]), {"hours": 24, "reason": ""}
    )
    assert discharge.extensions.count() == 0


def test_end_from_the_page(nurse_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    nurse_client.post(
        reverse("handover:discharge_end", args=[discharge.pk]), {"reason": "deceased", "note": ""}
    )
    discharge.refresh_from_db()
    assert (discharge.status, discharge.end_reason) == ("ended", "deceased")


def test_document_from_the_page(nurse_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward, treatment_plan="")
    nurse_client.post(
        reverse("handover:discharge_document", args=[discharge.pk]),
        {
            "treatment_plan": "Ny plan",
            "contact_phone": "",
            "patient_informed": "on",
            "destination": "home_nursing",
        },
    )
    discharge.refresh_from_db()
    assert (discharge.treatment_plan, discharge.contact_phone) == (
        "Ny plan",
        herlev_ward.on_call_phone,
    )


def test_patient_card_has_a_tel_qr_code(nurse_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward, contact_phone="+4544884488")
    page = nurse_client.get(reverse("handover:patient_card", args=[discharge.pk])).content.decode()
    assert "<svg" in page
    assert "44 88 44 88" in page
    assert "112" in page


def badge(page: str) -> str | None:
    found = re.search(r'<span class="badge badge-alert" title="Åbne advarsler">(\d+)</span>', page)
    return found.group(1) if found else None


def test_the_badge_counts_the_alerts_on_the_windows_open_now(
    client: Client, herlev_ward, make_user
) -> None:  # type: ignore[no-untyped-def]
    """The worklist and the board count the badge from their own rows; other pages, and a
    filtered worklist, ask the database; all agree."""
    other_ward = WardFactory(hospital=herlev_ward.hospital)
    now = timezone.now()
    first = record_discharge(ward=herlev_ward, cpr="0101451234")
    second = record_discharge(ward=other_ward, cpr="0202452345")
    for discharge, kind in [
        (first, AlertKind.MISSING_DOCUMENTATION),
        (first, AlertKind.NEARING_EXPIRY),
        (second, AlertKind.NEARING_EXPIRY),
    ]:
        Alert.objects.create(discharge=discharge, kind=kind, created_at=now)
    Alert.objects.create(
        discharge=second, kind=AlertKind.MISSING_DOCUMENTATION, created_at=now, resolved_at=now
    )
    client.force_login(make_user(Role.WARD_NURSE, ward=herlev_ward))
    assert badge(client.get(reverse("handover:worklist")).content.decode()) == "3"
    filtered = client.get(reverse("handover:worklist"), {"ward": herlev_ward.pk})
    assert badge(filtered.content.decode()) == "3"
    assert badge(client.get(reverse("contacts:ward_list")).content.decode()) == "3"
    client.force_login(make_user(Role.MUNICIPAL_NURSE, municipality_id="163"))
    assert badge(client.get(reverse("handover:board")).content.decode()) == "3"
    assert badge(client.get(reverse("contacts:ward_list")).content.decode()) == "3"
