"""The municipal nurse's look-up (API and page): right answer, nothing leaked, everything logged."""

import logging
from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from accounts.models import Role
from contacts.models import PhoneOverride
from contacts.rules import LOCAL_TZ
from handover import services
from handover.models import AccessAction, AccessLog, AccessOutcome, Discharge, Patient
from handover.services.access import criterion_hash
from tests.factories import record_discharge

pytestmark = pytest.mark.django_db

NO_WINDOW = {
    "covered": False,
    "advice": "Intet aktivt behandlingsansvar på hospitalet: kontakt egen læge eller lægevagten.",
}


@pytest.fixture
def herlev_nurse(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.MUNICIPAL_NURSE, municipality_id="163")


def lookup(api_client, user, cpr="010145-1234"):  # type: ignore[no-untyped-def]
    """A look-up as integrations make it, with a token of the user's."""
    _token, key = AuthToken.objects.create(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api_client.post("/api/v1/lookup/", {"cpr": cpr}, format="json")


def test_own_citizen_gets_ward_phone_and_end(api_client, herlev_nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward, municipality_code="163")
    body = lookup(api_client, herlev_nurse).json()
    assert body["covered"] is True
    answer = body["discharge"]
    assert answer["id"] == discharge.pk
    assert answer["ward"] == {
        "name": herlev_ward.name,
        "hospital": {
            "name": "Herlev Hospital",
            "central_phone": str(herlev_ward.hospital.central_phone),
        },
    }
    assert answer["phone_now"] in (str(herlev_ward.day_phone), str(herlev_ward.on_call_phone))
    assert answer["status"] == "active"
    assert 94 < answer["hours_remaining"] <= 96


def test_another_municipalitys_citizen_gets_exactly_the_no_window_answer(
    api_client, herlev_nurse, herlev_ward
) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward, municipality_code="101")
    assert lookup(api_client, herlev_nurse).json() == NO_WINDOW
    assert lookup(api_client, herlev_nurse, "020245-1234").json() == NO_WINDOW  # unknown citizen
    call = {
        "received_at": timezone.now().isoformat(),
        "caller_role": "municipal_nurse",
        "outcome": "advice",
    }
    assert (
        api_client.post(
            f"/api/v1/discharges/{discharge.pk}/calls/", call, format="json"
        ).status_code
        == 404
    )


def test_expired_window_is_not_covered(api_client, herlev_nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    record_discharge(
        ward=herlev_ward, discharged_at=timezone.now() - timedelta(hours=96, seconds=1)
    )
    assert lookup(api_client, herlev_nurse).json() == NO_WINDOW


def test_window_boundary_one_second_before_the_end_is_covered(
    api_client, herlev_nurse, herlev_ward
) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    end = discharge.responsibility_ends_at
    with time_machine.travel(end - timedelta(seconds=1), tick=False):
        assert lookup(api_client, herlev_nurse).json()["covered"] is True
    with time_machine.travel(end, tick=False):
        assert lookup(api_client, herlev_nurse).json() == NO_WINDOW


def test_extended_window_is_covered_with_the_new_end(api_client, herlev_nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(
        ward=herlev_ward, discharged_at=timezone.now() - timedelta(hours=95)
    )
    services.extend_responsibility(discharge=discharge, by=None, hours=24, reason="Ustabil")
    discharge.refresh_from_db()
    with time_machine.travel(timezone.now() + timedelta(hours=2), tick=False):
        answer = lookup(api_client, herlev_nurse).json()["discharge"]
    assert answer["status"] == "extended"
    assert (
        datetime.fromisoformat(answer["responsibility_ends_at"]) == discharge.responsibility_ends_at
    )


@pytest.mark.parametrize(
    ("moment", "kind"),
    [
        (datetime(2026, 11, 23, 10, 0, tzinfo=LOCAL_TZ), "day"),  # Monday morning
        (datetime(2026, 11, 23, 15, 30, tzinfo=LOCAL_TZ), "on_call"),  # Monday after day hours
        (datetime(2026, 11, 22, 10, 0, tzinfo=LOCAL_TZ), "on_call"),  # Sunday
    ],
)
def test_a_number_by_the_clock_follows_the_clock(  # type: ignore[no-untyped-def]
    api_client, herlev_nurse, herlev_ward, moment, kind
) -> None:
    with time_machine.travel(moment - timedelta(hours=30), tick=False):
        record_discharge(ward=herlev_ward, phone_line="by_clock")
    with time_machine.travel(moment, tick=False):
        answer = lookup(api_client, herlev_nurse).json()["discharge"]
    expected = herlev_ward.day_phone if kind == "day" else herlev_ward.on_call_phone
    assert (answer["phone_now_kind"], answer["phone_now"]) == (kind, str(expected))


def test_override_wins(api_client, herlev_nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    record_discharge(ward=herlev_ward)
    now = timezone.now()
    PhoneOverride.objects.create(
        ward=herlev_ward,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
        phone="+4570707070",
        reason="Linjen er nede",
    )
    answer = lookup(api_client, herlev_nurse).json()["discharge"]
    assert (answer["phone_now_kind"], answer["phone_now"]) == ("override", "+4570707070")


@pytest.mark.parametrize("cpr", ["0101451234", "010145-1234"])
def test_cpr_with_and_without_hyphen(api_client, herlev_nurse, herlev_ward, cpr) -> None:  # type: ignore[no-untyped-def]
    record_discharge(ward=herlev_ward)
    assert lookup(api_client, herlev_nurse, cpr).json()["covered"] is True


@pytest.mark.parametrize("cpr", ["3102451234", "12345", "", "0101451234' OR 1=1 --"])
def test_invalid_cpr_is_400_and_not_logged(api_client, herlev_nurse, cpr) -> None:  # type: ignore[no-untyped-def]
    response = lookup(api_client, herlev_nurse, cpr)
    assert response.status_code == 400
    assert "cpr" in response.json()["errors"]
    assert AccessLog.objects.count() == 0


def test_31st_lookup_in_a_minute_is_429_and_logged_as_denied(
    api_client, herlev_nurse, herlev_ward, settings
) -> None:  # type: ignore[no-untyped-def]
    record_discharge(ward=herlev_ward)
    with time_machine.travel(datetime(2026, 11, 22, 10, 0, 5, tzinfo=LOCAL_TZ), tick=False):
        for _ in range(settings.LOOKUP_RATE_PER_MINUTE):
            assert lookup(api_client, herlev_nurse).json()["covered"] is True
        response = lookup(api_client, herlev_nurse)
    assert response.status_code == 429
    assert set(response.json()) == {"detail", "errors"}
    assert "For mange opslag" in response.json()["detail"]
    denied = AccessLog.objects.filter(action=AccessAction.LOOKUP).order_by("-id").first()
    assert (denied.outcome, denied.patient, denied.object_id, denied.criterion) == (
        AccessOutcome.DENIED,
        None,
        "",
        criterion_hash("0101451234"),
    )
    with time_machine.travel(datetime(2026, 11, 22, 10, 1, 5, tzinfo=LOCAL_TZ), tick=False):
        assert lookup(api_client, herlev_nurse).json()["covered"] is True


def test_the_limit_counts_the_last_minute_not_the_clock_minute(
    api_client, herlev_nurse, make_user, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.LOOKUP_RATE_PER_MINUTE = 3
    with time_machine.travel(datetime(2026, 11, 22, 10, 0, 50, tzinfo=LOCAL_TZ), tick=False):
        assert [lookup(api_client, herlev_nurse).status_code for _ in range(3)] == [200] * 3
    with time_machine.travel(datetime(2026, 11, 22, 10, 1, 10, tzinfo=LOCAL_TZ), tick=False):
        assert lookup(api_client, herlev_nurse).status_code == 429  # a new clock minute
        colleague = make_user(Role.MUNICIPAL_NURSE, municipality_id="163")
        assert lookup(api_client, colleague).status_code == 200  # each user her own limit
    with time_machine.travel(datetime(2026, 11, 22, 10, 1, 49, tzinfo=LOCAL_TZ), tick=False):
        assert lookup(api_client, herlev_nurse).status_code == 429
    with time_machine.travel(datetime(2026, 11, 22, 10, 1, 50, tzinfo=LOCAL_TZ), tick=False):
        assert lookup(api_client, herlev_nurse).status_code == 200  # the first three: a minute old
    for second in (51, 52):  # the refusals answered nothing: the limit does not count them
        with time_machine.travel(
            datetime(2026, 11, 22, 10, 1, second, tzinfo=LOCAL_TZ), tick=False
        ):
            assert lookup(api_client, herlev_nurse).status_code == 200
    with time_machine.travel(datetime(2026, 11, 22, 10, 1, 53, tzinfo=LOCAL_TZ), tick=False):
        assert lookup(api_client, herlev_nurse).status_code == 429  # three answered since 10:00:53


def test_lookup_page_past_the_limit_is_429_with_a_notice(client, herlev_nurse, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOOKUP_RATE_PER_MINUTE = 1
    client.force_login(herlev_nurse)
    assert client.post(reverse("handover:lookup"), {"cpr": "0101451234"}).status_code == 200
    page = client.post(reverse("handover:lookup"), {"cpr": "0202451234"})
    assert page.status_code == 429
    assert "For mange opslag" in page.content.decode()


def test_every_lookup_is_logged_hit_and_miss(api_client, herlev_nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    lookup(api_client, herlev_nurse)
    lookup(api_client, herlev_nurse, "020245-1234")
    hit, miss = AccessLog.objects.filter(action=AccessAction.LOOKUP).order_by("id")
    assert (hit.outcome, hit.patient, hit.user, hit.client_address) == (
        AccessOutcome.HIT,
        discharge.patient,
        herlev_nurse,
        "127.0.0.1",
    )
    assert (miss.outcome, miss.patient, miss.criterion) == (
        AccessOutcome.MISS,
        None,
        criterion_hash("0202451234"),
    )


def test_cpr_never_appears_in_log_output(
    api_client, client, herlev_nurse, herlev_ward, caplog
) -> None:  # type: ignore[no-untyped-def]
    record_discharge(ward=herlev_ward)
    caplog.set_level(logging.DEBUG)
    lookup(api_client, herlev_nurse)
    lookup(api_client, herlev_nurse, "020245-1234")
    lookup(api_client, herlev_nurse, "3102451234")  # invalid: a 400
    client.force_login(herlev_nurse)
    page = client.post(reverse("handover:lookup"), {"cpr": "010145-1234"})
    text = caplog.text + " ".join(str(v) for e in AccessLog.objects.values() for v in e.values())
    for digits in ("0101451234", "010145-1234", "0202451234", "3102451234"):
        assert digits not in text
    assert "0101451234" not in page.content.decode()
    assert "<title>Find ansvarlig afdeling" in page.content.decode()


@pytest.mark.parametrize("rows", [10, 10_000])
def test_lookup_query_count_is_fixed(
    api_client, herlev_nurse, herlev_ward, rows, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    _token, key = AuthToken.objects.create(user=herlev_nurse)
    patients = Patient.objects.bulk_create(
        Patient(
            cpr=f"{1 + i % 28:02d}0{i % 9 + 1}5{i // 1000 % 10}{i % 1000:04d}",
            name="X",
            birth_date="1950-01-01",
            sex="F",
        )
        for i in range(rows)
    )
    now = timezone.now()
    Discharge.objects.bulk_create(
        [
            Discharge(
                patient=patient,
                ward=herlev_ward,
                municipality_id="163",
                admitted_at=now - timedelta(days=3),
                discharged_at=now - timedelta(hours=1),
                destination="home_nursing",
                covered=True,
                window_hours=96,
                responsibility_ends_at=now + timedelta(hours=95),
                status="active",
                source="manual",
            )
            for patient in patients
        ],
        batch_size=1000,
    )  # PostgreSQL takes at most 65,535 parameters a statement
    target = patients[rows // 2]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    # The token with its user, her row locked, her answered look-ups of the last minute (a
    # statement after the lock's: handover.lookup.over_the_limit), the discharge with its
    # patient, ward and hospital, the ward's temporary numbers now, the log row.
    with django_assert_num_queries(9, exact=False) as captured:
        body = api_client.post("/api/v1/lookup/", {"cpr": target.cpr}, format="json").json()
    assert body["covered"] is True
    statements = [q for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 7


def test_lookup_page_shows_the_call_now_button(client, herlev_nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    record_discharge(ward=herlev_ward)
    client.force_login(herlev_nurse)
    page = client.post(reverse("handover:lookup"), {"cpr": "0101451234"}).content.decode()
    assert 'class="call-now"' in page
    assert herlev_ward.name in page
    assert "Registrér opkald" in page


def test_lookup_page_miss_advises_gp_and_1813_in_hovedstaden(client, herlev_nurse) -> None:  # type: ignore[no-untyped-def]
    client.force_login(herlev_nurse)
    page = client.post(reverse("handover:lookup"), {"cpr": "0101451234"}).content.decode()
    assert "kontakt egen læge eller lægevagten" in page
    assert "1813" in page


def test_lookup_page_is_for_municipal_nurses(client, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.WARD_NURSE))
    assert client.get(reverse("handover:lookup")).status_code == 403
