"""Rows written by SQL written once (config.inserts) are the rows save() would write."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from config.inserts import insert
from handover.models import InboundMessage, MessageResult, Patient

pytestmark = pytest.mark.django_db


def test_a_new_row_gets_its_key_and_its_fields_as_save_writes_them() -> None:
    with time_machine.travel("2026-03-29 00:59:59.5+00:00", tick=False):
        message = InboundMessage(sender="SOR 1", event="discharge-inpatient-home", message_id="m1")
        insert(message)
    assert message.pk is not None
    assert not message._state.adding
    stored = InboundMessage.objects.get(pk=message.pk)
    assert stored.received_at == datetime(
        2026, 3, 29, 0, 59, 59, 500000, tzinfo=UTC
    )  # auto_now_add
    assert (stored.sender, stored.message_id, stored.result) == (
        "SOR 1",
        "m1",
        message.result,
    )


def test_a_conflict_on_a_unique_field_updates_only_the_fields_named() -> None:
    first = Patient(cpr="0101451234", name="Ole Hansen", birth_date=date(1945, 1, 1), sex="M")
    insert(first, conflict_on=["cpr"], update=["name"])
    again = Patient(cpr="0101451234", name="Ole Bent Hansen", birth_date=date(1946, 2, 2), sex="F")
    insert(again, conflict_on=["cpr"], update=["name"])
    assert again.pk == first.pk
    stored = Patient.objects.get(pk=first.pk)
    assert (stored.name, stored.birth_date, stored.sex) == (
        "Ole Bent Hansen",
        date(1945, 1, 1),
        "M",
    )
    assert Patient.objects.count() == 1


def test_a_row_with_a_key_is_refused_and_nothing_is_written() -> None:
    message = InboundMessage(pk=41, message_id="m2", result=MessageResult.CREATED)
    with pytest.raises(ValueError, match="exists"):
        insert(message)
    assert not InboundMessage.objects.exists()
