"""The municipal nurse's look-up (API and page): right answer, nothing leaked, everything logged."""

import logging
from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import AccessAction, AccessLog, AccessOutcome, Role
from accounts.services import criterion_hash
from contacts.models import PhoneOverride
from contacts.rules import LOCAL_TZ
from handover import services
from handover.lookup import OPEN_WINDOW
from handover.models import Discharge, Patient
from tests.factories import record_discharge

pytestmark = pytest.mark.django_db

NO_WINDOW = {
    "covered": False,
    "advice": "Ingen aktivt behandlingsansvar på hospitalet: kontakt egen læge eller lægevagten.",
}


@pytest.fixture
def herlev_nurse(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.MUNICIPAL_NURSE, municipality_id="163")


def lookup(api_client, user, cpr="010145-1234"):  # type: ignore[no-untyped-def]
    """A look-up as integrations make it, with the user's token (answered without DRF's
    request machinery; ``test_lookup_paths`` compares it with DRF's answers)."""
    token, _created = Token.objects.get_or_create(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
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
def test_phone_kind_follows_the_clock(api_client, herlev_nurse, herlev_ward, moment, kind) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(moment - timedelta(hours=30), tick=False):
        record_discharge(ward=herlev_ward)
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


@pytest.fixture(params=["one statement", "apart"])
def counted(request, monkeypatch):  # type: ignore[no-untyped-def]
    """The look-up as PostgreSQL runs it (one statement) and as it runs elsewhere."""
    if request.param == "apart":
        monkeypatch.setattr(OPEN_WINDOW, "rows_with", lambda *args, **values: None)
    return request.param


def test_31st_lookup_in_a_minute_is_429_and_logged_as_denied(
    api_client, herlev_nurse, herlev_ward, settings, counted
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
    api_client, herlev_nurse, make_user, settings, counted
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
    with time_machine.travel(datetime(2026, 11, 22, 10, 1, 51, tzinfo=LOCAL_TZ), tick=False):
        assert lookup(api_client, herlev_nurse).status_code == 429  # the denied attempts count


def test_lookup_page_past_the_limit_is_429_with_a_notice(
    client, herlev_nurse, settings, counted
) -> None:  # type: ignore[no-untyped-def]
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
    api_client,
    herlev_nurse,
    herlev_ward,
    rows,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        herlev_ward.save()  # committed, as the directory's wards have long been
        token = Token.objects.create(user=herlev_nurse)  # and the nurse's token
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
    )
    target = patients[rows // 2]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    api_client.post("/api/v1/lookup/", {"cpr": patients[0].cpr}, format="json")  # reads the ward
    # the user's look-ups in the last minute, the discharge (the patient by CPR in a subquery,
    # whether the ward has an override now) with its patient's name, and the access-log insert:
    # one statement on PostgreSQL, three elsewhere. The ward and its hospital are in the
    # directory.
    with django_assert_num_queries(3, exact=False) as captured:
        body = api_client.post("/api/v1/lookup/", {"cpr": target.cpr}, format="json").json()
    assert body["covered"] is True
    statements = [q for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == (1 if connection.vendor == "postgresql" else 3)


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


@pytest.mark.django_db(transaction=True)
def test_the_lookup_statement_keeps_one_plan_for_every_nurse_and_moment(
    require_postgres, reference_data, api_client, make_user, herlev_ward
) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL plans the look-up statement once, not at each look-up (0.9 ms of 1.3 at 1M
    rows). In a log like a region's, the nurse's look-ups counted as those after a moment a
    minute ago looked far cheaper planned for the values at hand: 15 plans of 15 were."""
    record_discharge(ward=herlev_ward)
    nurses = [make_user(Role.MUNICIPAL_NURSE, municipality_id="163") for _ in range(4)]
    connection.close()  # a new session: its prepared statements count from nothing
    with connection.cursor() as cursor:
        # A month of a region's log: the ward's recordings, a thousand nurses' look-ups (no
        # such users: the log has no foreign keys), these nurses' own.
        cursor.execute(
            "INSERT INTO accounts_accesslog (at, user_id, action, object_type, object_id, "
            "criterion, outcome) SELECT now() - interval '30 days' + i * interval '10 seconds', "
            "CASE WHEN i %% 5 < 3 THEN %s WHEN i %% 50 = 3 THEN (%s::bigint[])[1 + i %% 4] "
            "ELSE 9000000 + i %% 1000 END, "
            "CASE WHEN i %% 5 < 3 THEN 'create_discharge' ELSE 'lookup' END, '', '', '', 'ok' "
            "FROM generate_series(1, 200000) AS i",
            [nurses[0].pk + 1000, [nurse.pk for nurse in nurses]],
        )
        cursor.execute("ANALYZE accounts_accesslog")
    for index in range(20):
        assert lookup(api_client, nurses[index % 4]).json()["covered"] is True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE 'WITH found AS%%'"
        )
        [(generic, custom)] = cursor.fetchall()
    assert (generic, custom) == (10, 5)  # psycopg prepares it from the sixth look-up on
