"""The discharges API against API.md: shapes, scope, bad input, query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from handover.models import AccessAction, AccessLog, Discharge, Extension, Patient
from tests.factories import HospitalFactory, WardFactory, record_discharge

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurse(herlev_ward, make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.WARD_NURSE, ward=herlev_ward)


@pytest.fixture
def client_as(api_client):  # type: ignore[no-untyped-def]
    def login(user):  # type: ignore[no-untyped-def]
        api_client.force_authenticate(user)
        return api_client

    return login


def payload(ward_object, **overrides):  # type: ignore[no-untyped-def]
    now = timezone.now()
    return {
        "patient": {"cpr": "010145-1234", "name": "Ole Hansen"},
        "ward": ward_object.pk,
        "admitted_at": (now - timedelta(days=3)).isoformat(),
        "discharged_at": (now - timedelta(minutes=5)).isoformat(),
        "destination": "home_nursing",
        "municipality": "101",
        "treatment_plan": "Observer vægt og åndenød.",
        "contact_phone": "+4544884488",
        "patient_informed": True,
    } | overrides


def counts() -> tuple[int, int, int, int]:
    return (
        Discharge.objects.count(),
        Patient.objects.count(),
        Extension.objects.count(),
        AccessLog.objects.filter(action=AccessAction.CREATE_DISCHARGE).count(),
    )


def test_create_returns_the_resource_of_api_md(client_as, nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    response = client_as(nurse).post("/api/v1/discharges/", payload(herlev_ward), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["patient"] == {"cpr_masked": "010145-****", "name": "Ole Hansen"}
    assert body["municipality"] == {"code": "101", "name": "København", "region": 1084}
    assert body["ward"]["id"] == herlev_ward.pk
    assert (body["covered"], body["not_covered_reason"], body["window_hours"], body["status"]) == (
        True,
        None,
        96,
        "active",
    )
    assert body["documentation"] == {"complete": True, "missing": []}
    assert body["extensions"] == []
    assert body["alerts"] == []
    assert "0101451234" not in response.content.decode()


def test_create_without_plan_reports_what_is_missing_and_defaults_the_phone(
    client_as, nurse, herlev_ward
) -> None:  # type: ignore[no-untyped-def]
    data = payload(herlev_ward)
    for key in ("treatment_plan", "contact_phone", "patient_informed"):
        del data[key]
    body = client_as(nurse).post("/api/v1/discharges/", data, format="json").json()
    assert body["contact_phone"] == str(herlev_ward.on_call_phone)
    assert body["documentation"] == {
        "complete": False,
        "missing": ["treatment_plan", "patient_informed"],
    }


def test_not_covered_has_null_window(client_as, nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    data = payload(herlev_ward, admitted_at=(now - timedelta(hours=10)).isoformat())
    body = client_as(nurse).post("/api/v1/discharges/", data, format="json").json()
    assert (body["covered"], body["not_covered_reason"], body["window_hours"]) == (
        False,
        "short_admission",
        None,
    )
    assert (body["responsibility_ends_at"], body["status"]) == (None, "not_covered")


BAD_INPUT = [
    ("malformed cpr", {"patient": {"cpr": "12345", "name": "X"}}, "patient.cpr"),
    ("impossible cpr date", {"patient": {"cpr": "3102451234", "name": "X"}}, "patient.cpr"),
    ("naive datetime", {"discharged_at": "2026-11-20T10:00:00"}, "discharged_at"),
    ("unknown destination", {"destination": "moon"}, "destination"),
    ("unknown municipality", {"municipality": "999"}, "municipality"),
    ("invalid phone", {"contact_phone": "12"}, "contact_phone"),
    ("text over 10,000", {"treatment_plan": "x" * 10_001}, "treatment_plan"),
    ("unknown ward", {"ward": 999999}, "ward"),
    ("ward of wrong type", {"ward": "abc"}, "ward"),
    ("missing patient", {"patient": None}, "patient"),
]


@pytest.mark.parametrize(("case", "change", "field"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input_is_400_with_a_field_message_and_writes_nothing(
    client_as, nurse, herlev_ward, case, change, field
) -> None:  # type: ignore[no-untyped-def]
    before = counts()
    response = client_as(nurse).post(
        "/api/v1/discharges/", payload(herlev_ward, **change), format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"], body
    assert body["detail"]
    assert counts() == before


def test_discharge_before_admission_is_400(client_as, nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    data = payload(
        herlev_ward,
        admitted_at=now.isoformat(),
        discharged_at=(now - timedelta(hours=1)).isoformat(),
    )
    response = client_as(nurse).post("/api/v1/discharges/", data, format="json")
    assert response.status_code == 400
    assert "discharged_at" in response.json()["errors"]
    assert Discharge.objects.count() == 0


def test_discharge_more_than_an_hour_ahead_is_400(client_as, nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    ahead = (timezone.now() + timedelta(hours=1, minutes=1)).isoformat()
    response = client_as(nurse).post(
        "/api/v1/discharges/", payload(herlev_ward, discharged_at=ahead), format="json"
    )
    assert response.status_code == 400
    assert Discharge.objects.count() == 0


def test_errors_are_danish_when_asked(client_as, nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    response = client_as(nurse).post(
        "/api/v1/discharges/",
        payload(herlev_ward, patient={"cpr": "3102451234", "name": "X"}),
        format="json",
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert response.json()["errors"]["patient.cpr"] == ["CPR-nummerets fødselsdato findes ikke."]


def test_ward_of_another_hospital_is_refused(client_as, nurse) -> None:  # type: ignore[no-untyped-def]
    foreign = WardFactory(hospital=HospitalFactory(region_id=1082))
    response = client_as(nurse).post("/api/v1/discharges/", payload(foreign), format="json")
    assert response.status_code == 400
    assert "ward" in response.json()["errors"]


def test_municipal_nurse_may_not_create(client_as, make_user, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    municipal = make_user(Role.MUNICIPAL_NURSE, municipality_id="101")
    response = client_as(municipal).post("/api/v1/discharges/", payload(herlev_ward), format="json")
    assert response.status_code == 403


def test_unauthenticated_is_401(api_client) -> None:  # type: ignore[no-untyped-def]
    assert api_client.get("/api/v1/discharges/").status_code == 401


def test_another_hospitals_discharge_is_404_everywhere(client_as, make_user, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    outsider = make_user(Role.WARD_NURSE)  # a ward of another hospital
    client = client_as(outsider)
    assert client.get(f"/api/v1/discharges/{discharge.pk}/").status_code == 404
    assert (
        client.patch(
            f"/api/v1/discharges/{discharge.pk}/", {"treatment_plan": "x"}, format="json"
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/discharges/{discharge.pk}/extend/",
            {"hours": 24, "reason": "x"},
            format="json",
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/discharges/{discharge.pk}/end/", {"reason": "cancelled"}, format="json"
        ).status_code
        == 404
    )
    assert client.get("/api/v1/discharges/").json()["results"] == []


def test_patch_documents_and_re_decides(client_as, nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward, treatment_plan="")
    client = client_as(nurse)
    body = client.patch(
        f"/api/v1/discharges/{discharge.pk}/", {"treatment_plan": "Plan"}, format="json"
    ).json()
    assert body["documentation"]["complete"] is True
    body = client.patch(
        f"/api/v1/discharges/{discharge.pk}/", {"destination": "other"}, format="json"
    ).json()
    assert (body["covered"], body["status"]) == (False, "not_covered")


def test_extend_and_end(client_as, nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    client = client_as(nurse)
    body = client.post(
        f"/api/v1/discharges/{discharge.pk}/extend/",
        {"hours": 24, "reason": "Ustabil"},
        format="json",
    ).json()
    assert body["status"] == "extended"
    assert [e["hours"] for e in body["extensions"]] == [24]
    ended = client.post(
        f"/api/v1/discharges/{discharge.pk}/end/",
        {"reason": "readmitted", "note": "STIN"},
        format="json",
    )
    assert ended.json()["status"] == "ended"
    again = client.post(
        f"/api/v1/discharges/{discharge.pk}/extend/", {"hours": 24, "reason": "x"}, format="json"
    )
    assert again.status_code == 409
    assert again.json()["detail"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"hours": 0, "reason": "x"}, "hours"),
        ({"hours": 73, "reason": "x"}, "hours"),
        ({"hours": 24}, "reason"),
    ],
)
def test_extension_input_errors(client_as, nurse, herlev_ward, data, field) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    response = client_as(nurse).post(
        f"/api/v1/discharges/{discharge.pk}/extend/", data, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert Extension.objects.count() == 0


def test_retrieve_is_access_logged_with_the_patient(client_as, nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    client_as(nurse).get(f"/api/v1/discharges/{discharge.pk}/")
    entry = AccessLog.objects.get(action=AccessAction.VIEW_DISCHARGE)
    assert (entry.user, entry.patient) == (nurse, discharge.patient)


def test_list_filters(client_as, nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    record_discharge(ward=herlev_ward)
    record_discharge(ward=herlev_ward, cpr="0202451234", stay=timedelta(hours=5))
    client = client_as(nurse)
    assert client.get("/api/v1/discharges/", {"covered": "false"}).json()["count"] == 1
    assert client.get("/api/v1/discharges/", {"status": "active"}).json()["count"] == 1
    assert client.get("/api/v1/discharges/", {"municipality": "163"}).json()["count"] == 2


@pytest.mark.parametrize("rows", [5, 60])
def test_list_query_count_does_not_grow_with_rows(
    client_as, nurse, herlev_ward, rows, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for index in range(rows):
        record_discharge(ward=herlev_ward, cpr=f"0101{index:02d}1234")
    client = client_as(nurse)
    # count, page, extensions, alerts, overrides, access-log insert (+ savepoints on PostgreSQL)
    with django_assert_num_queries(6, exact=False) as captured:
        assert client.get("/api/v1/discharges/").json()["count"] == rows
    assert len([q for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]) == 6
