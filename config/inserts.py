"""New rows written by an INSERT whose SQL is written once per model, not compiled by the ORM at
every save.

A MedCom message writes a patient, a discharge, its message-log row and an access-log row: the
ORM's ``save()`` builds each statement anew, which cost more Python than the database spends on
the four. ``insert`` does what ``save()`` does for a new row of a plain model (each field's
``pre_save``, so ``auto_now`` holds, and ``get_db_prep_save``) with SQL kept per model and
database. It sends no ``pre_save``/``post_save`` signals: it is for models nothing listens to.
"""

from collections.abc import Sequence
from functools import cache

from django.db import connections, models, router


@cache
def fields_of(model: type[models.Model]) -> tuple[models.Field, ...]:
    """The columns an insert writes: every concrete field but the generated primary key."""
    return tuple(field for field in model._meta.concrete_fields if not field.primary_key)


@cache
def insert_sql(
    model: type[models.Model],
    alias: str,
    conflict_on: tuple[str, ...] = (),
    update: tuple[str, ...] = (),
) -> str:
    """``INSERT INTO <table> (<fields_of(model)>) VALUES (%s, …) RETURNING <pk>``; with
    ``conflict_on`` (a unique field's name) and ``update`` (field names), a row that exists
    already gets those fields from the new one (PostgreSQL and SQLite)."""
    quote = connections[alias].ops.quote_name
    meta = model._meta
    fields = fields_of(model)
    column = {field.name: quote(field.column) for field in fields}
    columns = ", ".join(column.values())
    values = ", ".join(["%s"] * len(fields))
    upsert = ""
    if conflict_on:
        target = ", ".join(column[name] for name in conflict_on)
        changes = ", ".join(f"{column[name]} = EXCLUDED.{column[name]}" for name in update)
        upsert = f" ON CONFLICT ({target}) DO UPDATE SET {changes}"
    return (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({values}){upsert} "  # noqa: S608 - names from the model
        f"RETURNING {quote(meta.pk.column)}"
    )


def write(
    model: type[models.Model],
    values: Sequence[object],
    alias: str,
    *,
    conflict_on: Sequence[str] = (),
    update: Sequence[str] = (),
) -> object:
    """Write a new row of ``model`` with ``values`` (one per ``fields_of(model)``, as Python
    values: each field prepares its own) and return its primary key (``insert_sql``)."""
    connection = connections[alias]
    params = [
        field.get_db_prep_save(value, connection)
        for field, value in zip(fields_of(model), values, strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(insert_sql(model, alias, tuple(conflict_on), tuple(update)), params)
        return cursor.fetchone()[0]


def insert(
    instance: models.Model, *, conflict_on: Sequence[str] = (), update: Sequence[str] = ()
) -> None:
    """Write the new ``instance`` as ``save()`` would and give it its primary key; with
    ``conflict_on``, the row of the same unique value gets the ``update`` fields instead, and
    the instance that row's key."""
    model = type(instance)
    if instance.pk is not None:
        raise ValueError(f"{model.__name__} {instance.pk} exists: insert writes new rows only")
    alias = router.db_for_write(model, instance=instance)
    values = [field.pre_save(instance, True) for field in fields_of(model)]
    instance.pk = write(model, values, alias, conflict_on=conflict_on, update=update)
    instance._state.adding = False
    instance._state.db = alias
