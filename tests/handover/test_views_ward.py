"""Ward staff's pages in the browser's terms: what is shown, what is written, what is hidden."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from handover import lists
from handover.models import AccessAction, AccessLog, Alert, AlertKind, Discharge
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
    assert "indlagt højst 24 timer" in response.content.decode()
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
    assert "Indlagt højst 24 timer" in page


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


def test_worklist_query_count_does_not_grow_with_rows(nurse_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    def queries_for_worklist() -> int:
        cache.clear()  # the navigation's badge counted anew each time
        with CaptureQueriesContext(connection) as captured:
            nurse_client.get(reverse("handover:worklist"))
        return len(captured.captured_queries)

    record_discharge(ward=herlev_ward, cpr="0101001234")
    nurse_client.get(reverse("handover:worklist"))  # the session's first page renews it
    few = queries_for_worklist()
    for index in range(1, 40):
        record_discharge(ward=herlev_ward, cpr=f"0101{index:02d}1234")
    assert queries_for_worklist() == few <= 16


def test_a_long_worklist_is_shown_a_page_at_a_time(nurse_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    for index in range(lists.PAGE_SIZE + 3):
        record_discharge(ward=herlev_ward, cpr=f"0101{index:02d}1234")
    first = nurse_client.get(reverse("handover:worklist")).content.decode()
    second = nurse_client.get(reverse("handover:worklist"), {"page": 2}).content.decode()
    assert first.count("-****") == lists.PAGE_SIZE
    assert second.count("-****") == 3
    assert "Side 1 af 2" in first
    assert 'href="?page=2"' in first


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


@pytest.mark.parametrize(
    ("night", "offered"),
    [
        # the autumn night: 02:30 happens twice
        (
            "2026-10-25T02:30",
            ["25-10-2026 02:30 sommertid (CEST)", "25-10-2026 02:30 vintertid (CET)"],
        ),
        # the spring night: 02:30 never happens; it is 03:30 summer time or 01:30 winter time
        (
            "2026-03-29T02:30",
            ["29-03-2026 03:30 sommertid (CEST)", "29-03-2026 01:30 vintertid (CET)"],
        ),
    ],
)
def test_a_time_on_a_clock_change_night_offers_the_two_real_moments(
    nurse_client, herlev_ward, night, offered
) -> None:  # type: ignore[no-untyped-def]
    data = form_data(herlev_ward, discharged_at=night, admitted_at="2026-03-20T10:00")
    with time_machine.travel("2026-11-01T12:00Z"):
        page = nurse_client.post(reverse("handover:discharge_new"), data).content.decode()
    assert "Uret blev stillet om den nat: 02:30 findes to gange eller slet ikke." in page
    assert "couldn’t be interpreted" not in page
    for label in offered:
        assert label in page
    assert not Discharge.objects.exists()


def test_the_moment_picked_on_a_clock_change_night_is_recorded(nurse_client, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    data = form_data(
        herlev_ward,
        admitted_at="2026-10-20T10:00",
        discharged_at="2026-10-25T02:30",
        discharged_at_offset="+01:00",
    )
    with time_machine.travel("2026-10-25T03:00Z"):
        nurse_client.post(reverse("handover:discharge_new"), data)
    discharge = Discharge.objects.get()
    assert discharge.discharged_at == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
