"""The access log: hashed criteria, append-only, and naming only users and patients that exist."""

from datetime import date

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import ProtectedError

from handover.models import AccessAction, AccessLog, AccessOutcome, Patient
from handover.services.access import criterion_hash, log_access

pytestmark = pytest.mark.django_db


def test_log_access_hashes_the_criterion(make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    entry = log_access(
        user=user, action=AccessAction.LOOKUP, criterion="0101451234", outcome=AccessOutcome.MISS
    )
    assert entry.criterion == criterion_hash("0101451234")
    assert "0101451234" not in entry.criterion


def test_rows_cannot_be_updated_through_the_model(make_user) -> None:  # type: ignore[no-untyped-def]
    entry = log_access(user=make_user(), action=AccessAction.LOOKUP, outcome=AccessOutcome.MISS)
    entry.outcome = AccessOutcome.HIT
    with pytest.raises(PermissionError):
        entry.save()


def test_rows_cannot_be_deleted_through_the_model_or_queryset(make_user) -> None:  # type: ignore[no-untyped-def]
    entry = log_access(user=make_user(), action=AccessAction.LOOKUP, outcome=AccessOutcome.MISS)
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AccessLog.objects.filter(pk=entry.pk).delete()
    with pytest.raises(PermissionError):
        AccessLog.objects.filter(pk=entry.pk).update(outcome=AccessOutcome.HIT)
    assert AccessLog.objects.get(pk=entry.pk).outcome == AccessOutcome.MISS


def test_database_refuses_update_and_delete(require_postgres, make_user) -> None:  # type: ignore[no-untyped-def]
    entry = log_access(user=make_user(), action=AccessAction.LOOKUP, outcome=AccessOutcome.MISS)
    for statement in (
        "UPDATE handover_accesslog SET outcome = 'hit' WHERE id = %s",
        "DELETE FROM handover_accesslog WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
    assert AccessLog.objects.filter(pk=entry.pk, outcome=AccessOutcome.MISS).exists()


def test_a_user_or_patient_with_log_rows_cannot_be_deleted(make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    patient = Patient.objects.create(
        cpr="0101451234", name="Ole Hansen", birth_date=date(1945, 1, 1)
    )
    log_access(user=user, action=AccessAction.LOOKUP, patient=patient, outcome=AccessOutcome.HIT)
    for row in (user, patient):
        with pytest.raises(ProtectedError):
            row.delete()
    assert AccessLog.objects.filter(user=user, patient=patient).exists()


def _insert_checked(user_id: object, patient_id: object) -> None:
    """A log row written past the ORM, its foreign keys checked at once (not at commit)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO handover_accesslog (at, user_id, patient_id, action, object_type, "
            "object_id, criterion, outcome, count, purpose) "
            "VALUES (now(), %s, %s, 'lookup', '', '', '', 'ok', 1, '')",
            [user_id, patient_id],
        )
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.parametrize("missing", ["user_id", "patient_id"])
def test_the_database_refuses_a_row_naming_a_user_or_patient_that_does_not_exist(
    require_postgres, make_user, missing
) -> None:  # type: ignore[no-untyped-def]
    values = {"user_id": make_user().pk, "patient_id": None, missing: 999_999_999}
    with pytest.raises(IntegrityError, match="foreign key"):
        _insert_checked(values["user_id"], values["patient_id"])


@pytest.mark.parametrize(
    ("outcome", "assignment"),
    [
        ("miss", "count = count + 1"),  # a count on anything but a refusal
        ("denied", "count = count + 2"),  # more than one refusal at a time
        ("denied", "count = count - 1"),
        ("denied", "count = count + 1, criterion = 'x'"),  # anything besides the count
        ("denied", "count = count + 1, at = now() - interval '1 day'"),
    ],
)
def test_database_allows_only_one_more_on_a_refusals_count(
    require_postgres, make_user, outcome, assignment
) -> None:  # type: ignore[no-untyped-def]
    entry = log_access(user=make_user(), action=AccessAction.LOOKUP, outcome=outcome)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE handover_accesslog SET {assignment} WHERE id = %s", [entry.pk])  # noqa: S608
    assert AccessLog.objects.get(pk=entry.pk).count == 1
    if outcome == "denied":  # the one change allowed
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE handover_accesslog SET count = count + 1 WHERE id = %s", [entry.pk]
            )
        assert AccessLog.objects.get(pk=entry.pk).count == 2


def test_one_more_refusal_counts_on_denied_look_ups_only(make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    refused, missed = (
        log_access(user=user, action=AccessAction.LOOKUP, outcome=outcome)
        for outcome in (AccessOutcome.DENIED, AccessOutcome.MISS)
    )
    assert AccessLog.objects.filter(user=user).count_one_more() == 1
    assert AccessLog.objects.get(pk=refused.pk).count == 2
    assert AccessLog.objects.get(pk=missed.pk).count == 1
