"""Incident reports, the blame-free workflow, scope and attachments."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from handover.models import Call
from handover.services import log_call
from incidents.models import Incident, Transition
from tests.factories import record_discharge

pytestmark = pytest.mark.django_db


def report(api_client, user, **changes):  # type: ignore[no-untyped-def]
    api_client.force_authenticate(user)
    data = {
        "occurred_at": (timezone.now() - timedelta(hours=2)).isoformat(),
        "occurred_at_precision": "exact",
        "title": "Henvist til egen læge",
        "description": "Afdelingen henviste til egen læge inden for vinduet.",
        "category": "referred_elsewhere",
        "actual_consequence": "minor",
        "possible_consequence": "serious_risk",
        "place_of_occurrence": {"kind": "municipality", "id": "163"},
        "involved_organisations": [],
        "discharge": None,
    } | changes
    return api_client.post("/api/v1/incidents/", data, format="json")


@pytest.fixture
def herlev_nurse(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.MUNICIPAL_NURSE, municipality_id="163")


@pytest.fixture
def hovedstaden_rm(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.RISK_MANAGER, region_id=1084)


def test_any_staff_member_reports_and_it_is_received(api_client, herlev_nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    response = report(
        api_client,
        herlev_nurse,
        involved_organisations=[{"kind": "ward", "id": str(herlev_ward.pk), "role": "ansvarlig"}],
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["cross_sector"]) == ("received", True)
    assert body["reporter"] is None  # the reporter does not see an identity field about herself


def test_single_sector_report_is_not_cross_sector(api_client, herlev_nurse) -> None:  # type: ignore[no-untyped-def]
    assert report(api_client, herlev_nurse).json()["cross_sector"] is False


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"category": "blame"}, "category"),
        ({"occurred_at": "2026-11-20T10:00:00"}, "occurred_at"),
        ({"place_of_occurrence": {"kind": "ward", "id": "999999"}}, "place_of_occurrence"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_reports_are_400_and_write_nothing(api_client, herlev_nurse, change, field) -> None:  # type: ignore[no-untyped-def]
    response = report(api_client, herlev_nurse, **change)
    assert response.status_code == 400
    assert any(key.startswith(field) for key in response.json()["errors"])
    assert Incident.objects.count() == 0


def test_legal_path_to_closed_records_every_transition(
    api_client, herlev_nurse, hovedstaden_rm
) -> None:  # type: ignore[no-untyped-def]
    pk = report(api_client, herlev_nurse).json()["id"]
    api_client.force_authenticate(hovedstaden_rm)
    url = f"/api/v1/incidents/{pk}/transition/"
    assert api_client.post(url, {"to": "in_review"}, format="json").status_code == 200
    closing = {
        "to": "closed",
        "severity": "minor",
        "learning": [{"text": "Tjekliste", "owner": "Ledelsen", "due_date": "2027-01-31"}],
    }
    body = api_client.post(url, closing, format="json").json()
    assert (body["status"], body["severity"], body["learning"][0]["owner"]) == (
        "closed",
        "minor",
        "Ledelsen",
    )
    assert list(Transition.objects.values_list("from_status", "to_status")) == [
        ("received", "in_review"),
        ("in_review", "closed"),
    ]
    assert body["reporter"]  # risk managers see who reported


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ([], "closed"),
        (["in_review", "closed"], "in_review"),
        (["rejected"], "in_review"),
        (["transferred"], "closed"),
    ],
)
def test_illegal_transitions_are_409(
    api_client, herlev_nurse, hovedstaden_rm, path, illegal
) -> None:  # type: ignore[no-untyped-def]
    pk = report(api_client, herlev_nurse).json()["id"]
    api_client.force_authenticate(hovedstaden_rm)
    extra = {
        "severity": "minor",
        "rejection_reason": "duplicate",
        "transferred_to": "Region Sjælland",
        "learning": [{"text": "x", "owner": "y", "due_date": "2027-01-01"}],
    }
    for step in path:
        assert (
            api_client.post(
                f"/api/v1/incidents/{pk}/transition/", {"to": step, **extra}, format="json"
            ).status_code
            == 200
        )
    response = api_client.post(
        f"/api/v1/incidents/{pk}/transition/", {"to": illegal, **extra}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["detail"]


def test_closing_needs_a_learning_action_and_rejection_a_reason(
    api_client, herlev_nurse, hovedstaden_rm
) -> None:  # type: ignore[no-untyped-def]
    pk = report(api_client, herlev_nurse).json()["id"]
    api_client.force_authenticate(hovedstaden_rm)
    url = f"/api/v1/incidents/{pk}/transition/"
    assert api_client.post(url, {"to": "rejected"}, format="json").status_code == 400
    api_client.post(url, {"to": "in_review"}, format="json")
    response = api_client.post(url, {"to": "closed", "severity": "minor"}, format="json")
    assert response.status_code == 400
    assert "learning" in response.json()["errors"]


def test_midtjylland_risk_manager_never_sees_hovedstaden(
    api_client, herlev_nurse, make_user
) -> None:  # type: ignore[no-untyped-def]
    pk = report(api_client, herlev_nurse).json()["id"]
    api_client.force_authenticate(make_user(Role.RISK_MANAGER, region_id=1082))
    assert api_client.get(f"/api/v1/incidents/{pk}/").status_code == 404
    assert (
        api_client.post(
            f"/api/v1/incidents/{pk}/transition/", {"to": "in_review"}, format="json"
        ).status_code
        == 404
    )
    assert api_client.get("/api/v1/incidents/").json()["results"] == []
    assert api_client.get("/api/v1/stats/incidents/").json()["total"] == 0


def test_a_reporter_cannot_read_others_reports(api_client, herlev_nurse, make_user) -> None:  # type: ignore[no-untyped-def]
    pk = report(api_client, herlev_nurse).json()["id"]
    colleague = make_user(Role.MUNICIPAL_NURSE, municipality_id="163")
    api_client.force_authenticate(colleague)
    assert api_client.get(f"/api/v1/incidents/{pk}/").status_code == 404
    api_client.force_authenticate(herlev_nurse)
    assert api_client.get(f"/api/v1/incidents/{pk}/").status_code == 200


def test_reporter_may_not_handle_cases(api_client, herlev_nurse) -> None:  # type: ignore[no-untyped-def]
    pk = report(api_client, herlev_nurse).json()["id"]
    assert (
        api_client.post(
            f"/api/v1/incidents/{pk}/transition/", {"to": "in_review"}, format="json"
        ).status_code
        == 403
    )


def form_data(**changes):  # type: ignore[no-untyped-def]
    return {
        "occurred_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "occurred_at_precision": "exact",
        "place": "municipality:163",
        "title": "Fejl",
        "description": "Beskrivelse",
        "category": "other",
        "actual_consequence": "minor",
        "possible_consequence": "minor",
    } | changes


@pytest.mark.parametrize(
    ("upload", "accepted"),
    [
        (SimpleUploadedFile("brev.pdf", b"%PDF-1.7 hello", "application/pdf"), True),
        (SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n....", "image/png"), True),
        (SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"), False),
        (
            SimpleUploadedFile("stor.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "application/pdf"),
            False,
        ),
    ],
)
def test_attachment_type_and_size_are_checked(client, herlev_nurse, upload, accepted) -> None:  # type: ignore[no-untyped-def]
    client.force_login(herlev_nurse)
    client.post(reverse("incidents:report_new"), form_data(attachment=upload))
    assert Incident.objects.count() == (1 if accepted else 0)


def test_call_suggestion_prefills_the_form(client, herlev_nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    call = log_call(
        discharge=discharge,
        by=herlev_nurse,
        received_at=timezone.now(),
        caller_role="municipal_nurse",
        outcome="referred_to_gp",
    )
    client.force_login(herlev_nurse)
    page = client.get(reverse("incidents:report_new"), {"call": call.pk}).content.decode()
    assert call.suggested_incident["title"] in page
    assert 'value="referred_elsewhere" selected' in page
    client.post(
        reverse("incidents:report_new") + f"?call={call.pk}",
        form_data(call=call.pk, discharge=discharge.pk, place=f"ward:{herlev_ward.pk}"),
    )
    assert Incident.objects.get().discharge == discharge


def test_foreign_call_cannot_prefill(client, make_user, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward, municipality_code="101")
    call = Call.objects.create(
        discharge=discharge,
        received_at=timezone.now(),
        caller_role="gp",
        outcome="advice",
        within_window=True,
    )
    client.force_login(make_user(Role.MUNICIPAL_NURSE, municipality_id="163"))
    assert client.get(reverse("incidents:report_new"), {"call": call.pk}).status_code == 404
