"""One number, one truth (issue 26 §1): the number the ward documents is the number every caller,
paper and message gets; by the clock, every view gives the same answer for the same moment."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from accounts.models import Role
from contacts.models import PhoneOverride
from contacts.rules import LOCAL_TZ
from handover import services
from handover.medcom import care_communication
from handover.medcom.bundle import Org
from handover.models import Discharge
from tests.factories import record_discharge

pytestmark = pytest.mark.django_db

DIRECT = "+4544881234"  # the ward nurse's own choice: none of the ward's lines
CPR = "010145-1234"
MONDAY_MORNING = datetime(2026, 11, 23, 10, 0, tzinfo=LOCAL_TZ)
MONDAY_EVENING = datetime(2026, 11, 23, 18, 0, tzinfo=LOCAL_TZ)


@pytest.fixture
def town_nurse(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.MUNICIPAL_NURSE, municipality_id="163")


@pytest.fixture
def ward_nurse(make_user, herlev_ward):  # type: ignore[no-untyped-def]
    return make_user(Role.WARD_NURSE, ward=herlev_ward, first_name="Anne", last_name="Holm")


def as_user(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def api_lookup(api_client, user) -> dict:  # type: ignore[no-untyped-def,type-arg]
    _token, key = AuthToken.objects.create(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api_client.post("/api/v1/lookup/", {"cpr": CPR}, format="json")
    assert response.status_code == 200
    return response.json()["discharge"]  # type: ignore[no-any-return]


def digits(e164: str) -> str:
    """ "+4544881234" as the product shows it: "44 88 12 34"."""
    number = e164.removeprefix("+45")
    return " ".join(number[i : i + 2] for i in range(0, 8, 2))


# What the report documents


@pytest.mark.parametrize(
    ("number", "line", "documented"),
    [
        ("", "", ("on_call", "on_call")),  # nothing said: the line that answers at any hour
        ("on_call", "", ("on_call", "on_call")),  # a ward line's number is that line
        ("day", "", ("day", "day")),
        (DIRECT, "", (DIRECT, "direct")),
        (DIRECT, "direct", (DIRECT, "direct")),
        ("", "day", ("day", "day")),
        ("", "by_clock", ("", "by_clock")),
    ],
)
def test_the_report_documents_one_line_or_a_direct_number(
    herlev_ward, number, line, documented
) -> None:  # type: ignore[no-untyped-def]
    lines = {"on_call": str(herlev_ward.on_call_phone), "day": str(herlev_ward.day_phone)}
    phone, kind = services.documented_phone(
        herlev_ward, contact_phone=lines.get(number, number), phone_line=line
    )
    assert (phone, kind) == (lines.get(documented[0], documented[0]), documented[1])


@pytest.mark.parametrize(
    ("number", "line", "field"),
    [
        ("", "direct", "contact_phone"),  # a direct number must be written
        (DIRECT, "on_call", "contact_phone"),  # a number that is not the line chosen
        ("", "extended", "phone_line"),  # the ward has no line of its own for the scheme
    ],
)
def test_a_contradictory_or_missing_number_is_refused(herlev_ward, number, line, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        services.documented_phone(herlev_ward, contact_phone=number, phone_line=line)
    assert field in refused.value.message_dict


def test_the_wards_own_line_for_the_scheme_can_be_chosen(herlev_ward) -> None:  # type: ignore[no-untyped-def]
    herlev_ward.extended_care_phone = "+4544889999"
    herlev_ward.save()
    discharge = record_discharge(ward=herlev_ward, phone_line="extended")
    assert (str(discharge.contact_phone), discharge.phone_line) == ("+4544889999", "extended")


# The same number everywhere


@pytest.fixture
def direct(herlev_ward) -> Discharge:  # type: ignore[no-untyped-def]
    return record_discharge(ward=herlev_ward, contact_phone=DIRECT, treatment_plan="Vej dagligt.")


def test_the_look_up_gives_the_documented_number_and_says_it_is_direct(
    api_client, town_nurse, direct
) -> None:  # type: ignore[no-untyped-def]
    answer = api_lookup(api_client, town_nurse)
    assert (answer["phone_now"], answer["contact_phone"], answer["phone_now_kind"]) == (
        DIRECT,
        DIRECT,
        "direct",
    )
    page = as_user(town_nurse).post(reverse("handover:lookup"), {"cpr": CPR}).content.decode()
    assert f'href="tel:{DIRECT}"' in page
    assert "Direkte nummer dokumenteret af afdelingen" in page
    # the ward's own lines are not offered beside it
    assert digits(str(direct.ward.on_call_phone)) not in page
    assert digits(str(direct.ward.day_phone)) not in page


def test_the_board_the_ward_page_the_card_and_the_sentence_give_the_same_number(
    town_nurse, ward_nurse, direct
) -> None:  # type: ignore[no-untyped-def]
    board = as_user(town_nurse).get(reverse("handover:board")).content.decode()
    ward = as_user(ward_nurse)
    page = ward.get(reverse("handover:discharge_detail", args=[direct.pk])).content.decode()
    card = ward.get(reverse("handover:patient_card", args=[direct.pk])).content.decode()
    for shown in (board, page, card):
        assert digits(DIRECT) in shown
        assert digits(str(direct.ward.on_call_phone)) not in shown
    assert f"tlf. {digits(DIRECT)}." in page  # the EPR sentence


def test_the_fhir_export_and_the_care_communication_carry_the_same_number(
    api_client, ward_nurse, direct
) -> None:  # type: ignore[no-untyped-def]
    api_client.force_authenticate(ward_nurse)
    bundle = api_client.get(f"/api/v1/discharges/{direct.pk}/fhir/").json()
    team = next(
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "CareTeam"
    )
    assert team["telecom"] == [{"system": "phone", "value": DIRECT, "use": "work"}]
    org = Org(sor="1", ean="5790000000001", name="x")
    message = care_communication.care_communication(
        discharge=direct,
        by=ward_nurse,
        sender=org,
        receiver=org,
        event="Udskrevet",
        at=timezone.now(),
    )
    communication = next(
        e["resource"]
        for e in message.bundle["entry"]
        if e["resource"]["resourceType"] == "Communication"
    )
    payload = communication["payload"][0]
    assert f"tlf. {digits(DIRECT)}." in payload["contentString"]
    contact = payload["extension"][-1]["valueContactPoint"]
    assert contact["value"] == DIRECT


def test_the_downtime_list_gives_the_documented_number(town_nurse, direct) -> None:  # type: ignore[no-untyped-def]
    page = as_user(town_nurse).get(reverse("handover:board_print")).content.decode()
    assert digits(DIRECT) in page
    assert digits(str(direct.ward.on_call_phone)) not in page


# By the clock: the same answer for the same moment, with why


@pytest.mark.parametrize(("moment", "line"), [(MONDAY_MORNING, "day"), (MONDAY_EVENING, "on_call")])
def test_by_the_clock_every_view_gives_the_line_of_the_moment(
    api_client, town_nurse, ward_nurse, herlev_ward, moment, line
) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(moment - timedelta(hours=5), tick=False):
        discharge = record_discharge(ward=herlev_ward, phone_line="by_clock")
    expected = str(getattr(herlev_ward, f"{line}_phone"))
    other = str(herlev_ward.on_call_phone if line == "day" else herlev_ward.day_phone)
    with time_machine.travel(moment, tick=False):
        answer = api_lookup(api_client, town_nurse)
        board = as_user(town_nurse).get(reverse("handover:board")).content.decode()
        ward_page = (
            as_user(ward_nurse)
            .get(reverse("handover:discharge_detail", args=[discharge.pk]))
            .content.decode()
        )
    assert (answer["phone_now"], answer["phone_now_kind"]) == (expected, line)
    assert "dagtelefon i dagtid, ellers vagttelefonen" in answer["phone_now_reason"]
    assert f'href="tel:{expected}"' in board
    assert f'href="tel:{other}"' not in board
    assert f'href="tel:{expected}"' in ward_page
    # the papers name both lines and when each holds
    assert (
        f"tlf. {digits(str(herlev_ward.day_phone))} i dagtid, ellers "
        f"{digits(str(herlev_ward.on_call_phone))}." in ward_page
    )


def test_a_temporary_number_replaces_the_wards_lines_but_not_a_direct_number(
    api_client, town_nurse, herlev_ward
) -> None:  # type: ignore[no-untyped-def]
    on_call = record_discharge(ward=herlev_ward)
    now = timezone.now()
    PhoneOverride.objects.create(
        ward=herlev_ward,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
        phone="+4570707070",
        reason="Telefonen er nede",
    )
    assert on_call.phone_at(now).phone == "+4570707070"
    on_call.contact_phone, on_call.phone_line = DIRECT, "direct"
    assert on_call.phone_at(now).phone == DIRECT


# The form


def test_the_form_documents_a_direct_number_and_previews_it(ward_nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    now = timezone.localtime()
    data = {
        "cpr": CPR,
        "name": "Ole Hansen",
        "ward": herlev_ward.pk,
        "admitted_at": (now - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "discharged_at": (now - timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M"),
        "destination": "home_nursing",
        "municipality": "163",
        "finished": "on",
        "treatment_plan": "Observer vægt.",
        "phone_line": "direct",
        "contact_phone": "44 88 12 34",
    }
    client = as_user(ward_nurse)
    preview = client.post(reverse("handover:coverage_preview"), data).content.decode()
    assert "Nummeret, kommunen og lægerne får: 44 88 12 34" in preview
    assert "direkte nummer dokumenteret af afdelingen" in preview
    client.post(reverse("handover:discharge_new"), data)
    discharge = Discharge.objects.get()
    assert (str(discharge.contact_phone), discharge.phone_line) == (DIRECT, "direct")


def test_the_preview_says_what_is_wrong_with_the_number(ward_nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    data = {"ward": herlev_ward.pk, "phone_line": "direct", "contact_phone": ""}
    preview = as_user(ward_nurse).post(reverse("handover:coverage_preview"), data)
    assert "Skriv det direkte nummer." in preview.content.decode()


def test_the_api_documents_the_line(api_client, ward_nurse, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    api_client.force_authenticate(ward_nurse)
    response = api_client.patch(
        f"/api/v1/discharges/{discharge.pk}/", {"phone_line": "by_clock"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["phone_line"], response.json()["contact_phone"]) == ("by_clock", "")
    assert response.json()["documentation"]["missing"] == []
