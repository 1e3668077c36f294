"""The one way to write the access log."""

import hashlib
import hmac
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connections, models, router
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import AccessLog, AccessOutcome, User

if TYPE_CHECKING:
    from handover.models import Patient


def criterion_hash(value: str) -> str:
    """A keyed hash of a search criterion (a CPR number), so the log never holds it in clear.

    The same CPR always gives the same hash under the same key, so the citizen's own access report
    can find the misses as well as the hits.
    """
    key = settings.CPR_HASH_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def log_access(
    *,
    user: User | None,
    action: str,
    request: HttpRequest | None = None,
    obj: models.Model | tuple[type[models.Model], object] | None = None,
    patient: "Patient | int | None" = None,
    criterion: str = "",
    outcome: str = AccessOutcome.OK,
) -> int:
    """Append one row to the access log and return its id.

    ``obj`` is the object read, or its model and primary key; ``patient`` the patient, or her
    id (a caller holding only ids need not make instances, which cost more than the insert).
    ``criterion`` is hashed before it is stored.
    """
    model, pk = (type(obj), obj.pk) if isinstance(obj, models.Model) else obj or (None, "")
    return _insert(
        {
            "at": timezone.now(),
            "user_id": user.pk if user is not None and user.is_authenticated else None,
            "action": action,
            "object_type": model._meta.label_lower if model is not None else "",
            "object_id": str(pk),
            "patient_id": patient.pk if isinstance(patient, models.Model) else patient,
            "criterion": criterion_hash(criterion) if criterion else "",
            "client_address": client_address(request),
            "outcome": outcome,
        }
    )


def _insert(values: dict[str, object]) -> int:
    """Insert the row with one statement written once, not compiled by the ORM at every read of
    patient data; each value is prepared by its field as ``save()`` would prepare it."""
    alias = router.db_for_write(AccessLog)
    connection = connections[alias]
    params = [field.get_db_prep_save(values[field.attname], connection) for field in _FIELDS]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(alias), params)
        return cursor.fetchone()[0]


_FIELDS = [field for field in AccessLog._meta.concrete_fields if not field.primary_key]


@cache
def _insert_sql(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    meta = AccessLog._meta
    columns = ", ".join(quote(field.column) for field in _FIELDS)
    values = ", ".join(["%s"] * len(_FIELDS))
    return (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({values}) "  # noqa: S608 - names from the model
        f"RETURNING {quote(meta.pk.column)}"
    )
