"""The worklist's and the board's rows, formatted in Python: the same text the templates used to
produce, and phone numbers parsed once however many rows hold them."""

from datetime import UTC, datetime, timedelta

import phonenumbers
import pytest
import time_machine
from django.urls import reverse
from phonenumber_field.phonenumber import to_python

from accounts.models import Role
from contacts.fields import parsed
from contacts.models import Ward
from handover import rows
from handover.models import Alert, AlertKind
from tests.factories import record_discharge

pytestmark = pytest.mark.django_db

# Sunday 25 October 2026, 01:30 UTC: the first hour after the change to winter time.
NOW = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_url_for_each_matches_reverse() -> None:
    detail = rows.url_for_each("handover:discharge_detail")
    assert detail(42) == reverse("handover:discharge_detail", args=[42])
    call_new = rows.url_for_each("handover:call_new")
    assert call_new(7) == reverse("handover:call_new", args=[7])


def test_local_minute_across_the_dst_change() -> None:
    assert rows.local_minute(datetime(2026, 10, 25, 0, 30, tzinfo=UTC)) == "25-10-2026 02:30"
    assert rows.local_minute(datetime(2026, 10, 25, 1, 30, tzinfo=UTC)) == "25-10-2026 02:30"
    assert rows.local_minute(None) == ""


def test_rows_carry_hours_missing_documentation_alerts_and_links(herlev_ward, make_user) -> None:  # type: ignore[no-untyped-def]
    nurse = make_user(Role.WARD_NURSE, ward=herlev_ward)
    municipal = make_user(Role.MUNICIPAL_NURSE, municipality_id="163")
    with time_machine.travel(NOW, tick=False):
        discharge = record_discharge(
            ward=herlev_ward,
            municipality_code="163",
            discharged_at=NOW - timedelta(hours=2),
            treatment_plan="",
        )
        Alert.objects.create(
            discharge=discharge, kind=AlertKind.MISSING_DOCUMENTATION, created_at=NOW
        )
        [worklist] = rows.worklist_rows(nurse, NOW)
        [board] = rows.board_rows(municipal, NOW)
    assert worklist["hours"] == discharge.window_hours - 2
    assert worklist["missing"] == ("plan",)
    assert worklist["alerts"] == (AlertKind.MISSING_DOCUMENTATION.label,)
    assert worklist["cpr_masked"] == "010145-****"
    assert worklist["url"] == reverse("handover:discharge_detail", args=[discharge.pk])
    assert worklist["ends"] == rows.local_minute(discharge.responsibility_ends_at)
    assert board["url"] == reverse("handover:call_new", args=[discharge.pk])
    assert board["cpr_display"] == "010145-1234"
    assert board["phone"] == str(herlev_ward.phone_at(NOW).phone)
    assert board["phone_display"].replace(" ", "") in board["phone"]


def test_stored_phone_numbers_are_parsed_once(herlev_ward) -> None:  # type: ignore[no-untyped-def]
    first, second = Ward.objects.get(pk=herlev_ward.pk), Ward.objects.get(pk=herlev_ward.pk)
    assert first.day_phone is second.day_phone
    assert str(first.day_phone) == str(herlev_ward.day_phone)
    first.day_phone = "+4538683868"
    assert str(second.day_phone) == str(herlev_ward.day_phone)


def test_a_stored_number_works_out_its_text_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    validations = []
    validate = phonenumbers.is_valid_number
    monkeypatch.setattr(
        phonenumbers, "is_valid_number", lambda number: validations.append(1) or validate(number)
    )
    number = parsed("+4598765432")
    assert [str(number), str(number), str(parsed("+4598765432"))] == ["+4598765432"] * 3
    assert len(validations) == 1
    assert number == to_python("+4598765432")
