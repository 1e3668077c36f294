from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from accounts.models import AccessAction, AccessLog, AccessOutcome
from accounts.services import criterion_hash, log_access
from handover.models import Patient

pytestmark = pytest.mark.django_db


def test_log_access_hashes_the_criterion(make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    entry = AccessLog.objects.get(
        pk=log_access(
            user=user,
            action=AccessAction.LOOKUP,
            criterion="0101451234",
            outcome=AccessOutcome.MISS,
        )
    )
    assert entry.criterion == criterion_hash("0101451234")
    assert "0101451234" not in entry.criterion


def test_rows_cannot_be_updated_through_the_model(make_user) -> None:  # type: ignore[no-untyped-def]
    entry = AccessLog.objects.get(
        pk=log_access(user=make_user(), action=AccessAction.LOOKUP, outcome=AccessOutcome.MISS)
    )
    entry.outcome = AccessOutcome.HIT
    with pytest.raises(PermissionError):
        entry.save()


def test_rows_cannot_be_deleted_through_the_model_or_queryset(make_user) -> None:  # type: ignore[no-untyped-def]
    entry = AccessLog.objects.get(
        pk=log_access(user=make_user(), action=AccessAction.LOOKUP, outcome=AccessOutcome.MISS)
    )
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AccessLog.objects.filter(pk=entry.pk).delete()
    with pytest.raises(PermissionError):
        AccessLog.objects.filter(pk=entry.pk).update(outcome=AccessOutcome.HIT)
    assert AccessLog.objects.get(pk=entry.pk).outcome == AccessOutcome.MISS


def test_database_refuses_update_and_delete(require_postgres, make_user) -> None:  # type: ignore[no-untyped-def]
    entry = AccessLog.objects.get(
        pk=log_access(user=make_user(), action=AccessAction.LOOKUP, outcome=AccessOutcome.MISS)
    )
    for statement in (
        "UPDATE accounts_accesslog SET outcome = 'hit' WHERE id = %s",
        "DELETE FROM accounts_accesslog WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
    assert AccessLog.objects.filter(pk=entry.pk, outcome=AccessOutcome.MISS).exists()


def test_a_user_or_patient_with_log_rows_cannot_be_deleted(make_user) -> None:  # type: ignore[no-untyped-def]
    """The log names them without a database constraint; the ORM's PROTECT still holds."""
    user = make_user()
    patient = Patient.objects.create(
        cpr="0101451234", name="Ole Hansen", birth_date=date(1945, 1, 1)
    )
    log_access(user=user, action=AccessAction.LOOKUP, patient=patient, outcome=AccessOutcome.HIT)
    for row in (user, patient):
        with pytest.raises(ProtectedError):
            row.delete()
    assert AccessLog.objects.filter(user=user, patient=patient).exists()
