"""The one way to write the access log."""

import hashlib
import hmac
from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.db import connections, models, router
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import AccessAction, AccessLog, AccessOutcome, User
from config.inserts import fields_of, write
from config.prepared import Then, sql_literal

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
    row = [values[field.attname] for field in _FIELDS]
    return cast(int, write(AccessLog, row, router.db_for_write(AccessLog)))


_FIELDS = fields_of(AccessLog)


def lookup_logged(
    *,
    user: User,
    request: HttpRequest | None,
    criterion: str,
    model: type[models.Model],
    limit: int,
    per: timedelta,
) -> Then:
    """The end of a statement ``WITH found AS (<a look-up>) …`` (``Prepared.rows_with``) that
    writes the look-up's access-log row and gives what was found, one row, with ``over_limit``.

    The look-up finds at most one row, with the object's ``id`` and the ``patient_id``: a hit
    names them, a miss the criterion's hash, as ``log_access`` would. The user's look-ups in
    the log over the last ``per`` are counted (up to ``limit``): from the limit on, nothing is
    found, the row says denied and ``over_limit`` is true. A look-up with nothing found gives
    the query's columns as NULL. PostgreSQL (a data-changing WITH).
    """
    connection = connections[router.db_for_write(AccessLog)]
    sql, names = _lookup_logged_sql(connection.alias, int(limit), model._meta.label_lower)
    at = timezone.now()  # aware, which the field passes on as it is
    address = _FIELD["client_address"].get_db_prep_save(client_address(request), connection)
    values = {
        "since": at - per,
        "at": at,
        "user_id": user.pk,
        "criterion": criterion_hash(criterion),
        "client_address": address,
    }
    return Then(sql, [values[name] for name in names], ("over_limit",))


_FIELD = {field.attname: field for field in _FIELDS}


@cache
def _lookup_logged_sql(alias: str, limit: int, object_type: str) -> tuple[str, tuple[str, ...]]:
    """``lookup_logged``'s SQL, written once, and the names of its parameters in order.

    The constants of the row written are written in: fewer parameters for the client to send at
    every look-up. The count asks whether the user's ``limit`` newest look-ups all fall after
    ``since``, which is whether she has made ``limit`` since then: it reads at most ``limit``
    rows of the index of look-ups, whatever the log holds, and PostgreSQL estimates it alike
    for every user and moment. Counted as the look-ups after ``since``, the estimate for a
    moment a minute ago made a plan for the values at hand look far cheaper than the generic
    one, and PostgreSQL planned the statement anew at every look-up (0.9 ms of 1.3)."""
    action = sql_literal(AccessAction.LOOKUP)
    denied, miss, hit = (
        sql_literal(outcome)
        for outcome in (AccessOutcome.DENIED, AccessOutcome.MISS, AccessOutcome.HIT)
    )
    expressions = {
        "at": ("%s", ["at"]),
        "user_id": ("%s", ["user_id"]),
        "action": (action, []),
        "object_type": (
            f"CASE WHEN allowed.id IS NULL THEN '' ELSE {sql_literal(object_type)} END",
            [],
        ),
        "object_id": ("COALESCE(allowed.id::text, '')", []),
        "patient_id": ("allowed.patient_id", []),
        "criterion": ("CASE WHEN allowed.id IS NULL THEN %s ELSE '' END", ["criterion"]),
        "client_address": ("%s", ["client_address"]),
        "outcome": (
            f"CASE WHEN recent.over THEN {denied} "
            f"WHEN allowed.id IS NULL THEN {miss} ELSE {hit} END",
            [],
        ),
    }
    quote = connections[alias].ops.quote_name
    table = quote(AccessLog._meta.db_table)
    columns = ", ".join(quote(field.column) for field in _FIELDS)
    chosen = ", ".join(expressions[field.attname][0] for field in _FIELDS)
    at, user = quote("at"), quote("user_id")
    sql = (
        f", recent AS (SELECT count(*) FILTER (WHERE {at} > %s) >= {limit} AS over "  # noqa: S608 - names from the model
        f"FROM (SELECT {at} FROM {table} WHERE {user} = %s AND {quote('action')} = {action} "
        f"ORDER BY {user} DESC, {at} DESC LIMIT {limit}) AS newest), "
        "allowed AS (SELECT found.* FROM found, recent WHERE NOT recent.over), "
        f"logged AS (INSERT INTO {table} ({columns}) "
        f"SELECT {chosen} FROM recent LEFT JOIN allowed ON true) "
        "SELECT allowed.*, recent.over FROM recent LEFT JOIN allowed ON true"
    )
    names = ["since", "user_id"]
    names += [name for field in _FIELDS for name in expressions[field.attname][1]]
    return sql, tuple(names)


def lookups_within(user: User, per: timedelta, limit: int) -> int:
    """The user's look-ups in the access log over the last ``per``, counted up to ``limit``
    (what ``lookup_logged`` counts, asked apart)."""
    since = timezone.now() - per
    recent = AccessLog.objects.filter(user_id=user.pk, action=AccessAction.LOOKUP, at__gt=since)
    return recent.order_by()[:limit].count()
