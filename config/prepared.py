"""Querysets the ORM compiles once and the database runs again with new values.

Building and compiling a queryset costs about a millisecond of Python, more than PostgreSQL needs
to answer a look-up or to list a ward's open windows. ``Prepared(build)`` builds its queryset once
per key with stand-ins for the values that change from call to call, keeps the SQL, and finds
the stand-ins among its parameters; each call puts its own values there and runs the SQL. The
queryset stays the one description of the query, its scope from ``visible_to`` included.

- ``build(*key, **values)`` returns a ``.values()`` queryset; a call gives its rows as dicts.
- The key (the positional arguments) is everything else the queryset is built from: hashable and
  unchanging, such as ``User.scope``. ``build`` must not look at the values, only pass them on.
- A text value must reach the parameters as it is given: one made from it (``cpr.strip()``)
  would be compiled in, so a stand-in found nowhere is an error.
- At most one value is a moment. Moments made from it by adding or subtracting time
  (``at - timedelta(days=7)``) follow it; any other date or time among the parameters would stay
  that of the first call, so it is an error.
- Settings a ``build`` reads are compiled in; the compiled queries are forgotten when settings
  change (in tests).
- The other parameters are constants: texts, numbers and flags among them are written into the
  SQL, so that the planner sees them (``_constants_written``), unless ``write_constants`` is
  false.
- Only PostgreSQL receives the parameters as the ORM made them; elsewhere (SQLite in the demo) the
  queryset is built and run at every call.
"""

import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any
from weakref import WeakSet

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.dispatch import receiver
from psycopg import sql as psycopg_sql

Row = dict[str, Any]


class _Text(str):
    """A stand-in for a text value; found among the parameters by identity."""


class _Moment(datetime):
    """A stand-in moment. Adding or subtracting time keeps the type (and so the link to the
    moment); changing the fields or the time zone gives a plain datetime, which is refused."""

    def replace(self, *args: Any, **kwargs: Any) -> datetime:  # type: ignore[override]
        return _plain(self).replace(*args, **kwargs)

    def astimezone(self, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
        return _plain(self).astimezone(tz)


STAND_IN_MOMENT = _Moment(2000, 1, 1, tzinfo=UTC)


def _plain(moment: datetime) -> datetime:
    return datetime.fromtimestamp(moment.timestamp(), moment.tzinfo)


@dataclass(frozen=True)
class Then:
    """The end of a statement ``WITH found AS (<a prepared query>) …``: its SQL and parameters,
    and the names of the columns it gives after the query's own."""

    sql: str
    params: Sequence[Any]
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    # (index in params, name of the value, the moment's offset or None for a text)
    slots: tuple[tuple[int, str, timedelta | None], ...]
    compiler: SQLCompiler
    converters: dict[int, Any]  # the ORM's converters of the columns, found once
    names: tuple[str, ...]
    using: str


class Prepared:
    instances: "WeakSet[Prepared]" = WeakSet()

    def __init__(
        self,
        build: Callable[..., QuerySet[Any, Any]],
        *,
        size: int = 512,
        write_constants: bool = True,
    ) -> None:
        self.build = build
        self.write_constants = write_constants
        self._compiled = lru_cache(maxsize=size)(self._compile)
        Prepared.instances.add(self)

    def forget(self) -> None:
        self._compiled.cache_clear()

    def rows(self, *key: Hashable, **values: str | datetime) -> list[Row]:
        compiled = self._compiled_for(key, values)
        if compiled is None:
            return list(self.build(*key, **values))
        return self._run(compiled, compiled.sql, self._params(compiled, values), compiled.names)

    def rows_with(self, then: Then, *key: Hashable, **values: str | datetime) -> list[Row] | None:
        """The rows of the statement ``WITH found AS (<the query>) <then>``, which gives the
        query's columns (``SELECT found.* …``) and then ``then.columns``, and may change data,
        as writing the log row of what was found does, in the same statement. None where the
        query is not prepared: run ``rows`` and the change apart."""
        compiled = self._compiled_for(key, values)
        if compiled is None:
            return None
        statement = f"WITH found AS ({compiled.sql}) {then.sql}"
        params = [*self._params(compiled, values), *then.params]
        return self._run(compiled, statement, params, compiled.names + then.columns)

    def _compiled_for(self, key: tuple[Hashable, ...], values: dict[str, Any]) -> _Compiled | None:
        kinds = tuple(sorted((name, isinstance(value, datetime)) for name, value in values.items()))
        return self._compiled(key, kinds)

    @staticmethod
    def _params(compiled: _Compiled, values: dict[str, Any]) -> list[Any]:
        params = list(compiled.params)
        for index, name, offset in compiled.slots:
            value = values[name]
            params[index] = value if offset is None else value + offset
        return params

    @staticmethod
    def _run(compiled: _Compiled, sql: str, params: list[Any], names: tuple[str, ...]) -> list[Row]:
        with connections[compiled.using].cursor() as cursor:
            cursor.execute(sql, params)
            rows: Any = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        return [dict(zip(names, row, strict=True)) for row in rows]

    def _compile(
        self, key: tuple[Hashable, ...], kinds: tuple[tuple[str, bool], ...]
    ) -> _Compiled | None:
        moments = [name for name, is_moment in kinds if is_moment]
        if len(moments) > 1:
            raise ImproperlyConfigured(f"a prepared query takes one moment, not {moments}")
        stand_ins: dict[str, Any] = {
            name: STAND_IN_MOMENT if is_moment else _Text(f"\x00stand-in for {name}")
            for name, is_moment in kinds
        }
        queryset = self.build(*key, **stand_ins)
        if connections[queryset.db].vendor != "postgresql":
            return None
        compiler = queryset.query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        slots: list[tuple[int, str, timedelta | None]] = []
        for index, param in enumerate(params):
            if isinstance(param, _Moment):
                slots.append((index, moments[0], param - STAND_IN_MOMENT))
            elif isinstance(param, date):
                raise ImproperlyConfigured(
                    f"a prepared query's dates and times must follow its moment, not {param!r}"
                )
            else:
                slots += [(index, name, None) for name, text in stand_ins.items() if param is text]
        missing = set(stand_ins) - {name for _index, name, _offset in slots}
        if missing:
            raise ImproperlyConfigured(f"values not found among the parameters: {missing}")
        if self.write_constants:
            sql, params, slots = _constants_written(sql, params, slots, connections[queryset.db])
        columns = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
        if compiler.has_composite_fields(columns):
            raise ImproperlyConfigured("a prepared query selects no composite primary key")
        converters = compiler.get_converters(columns)
        return _Compiled(
            sql, tuple(params), tuple(slots), compiler, converters, _names(queryset), queryset.db
        )


_INLINE = (str, int, type(None))  # booleans are ints
PLACEHOLDER = "%s"


def _constants_written(
    sql: str,
    params: Sequence[Any],
    slots: list[tuple[int, str, timedelta | None]],
    connection: Any,
) -> tuple[str, list[Any], list[tuple[int, str, timedelta | None]]]:
    """The SQL with its constant texts, numbers and flags written in as literals, the parameters
    left and the slots re-numbered among them.

    PostgreSQL plans a prepared statement once for all values (a generic plan) only where that
    plan is not dearer than one made for the values at hand, and a partial index such as the
    open windows' (``WHERE status IN ('active', 'extended')``) is open to a generic plan only
    when the query names the values, not parameters: left as parameters, the worklist's query
    was planned anew at every call (0.7 ms).
    """
    connection.ensure_connection()
    kept = {index for index, _name, _offset in slots}
    parts: list[str] = []
    left: list[Any] = []
    renumbered: dict[int, int] = {}
    position = 0
    for piece in re.split(r"(%%|%s)", sql):
        if piece != PLACEHOLDER:
            parts.append(piece)
            continue
        param = params[position]
        if position in kept or not isinstance(param, _INLINE):
            renumbered[position] = len(left)
            left.append(param)
            parts.append(piece)
        else:
            parts.append(sql_literal(param, connection.connection))
        position += 1
    slots = [(renumbered[index], name, offset) for index, name, offset in slots]
    return "".join(parts), left, slots


def sql_literal(value: Any, connection: Any = None) -> str:
    """``value`` as an SQL literal in a statement that also takes parameters: quoted by psycopg
    (for ``connection``, or for any), its per cent signs doubled as the placeholders need."""
    return psycopg_sql.Literal(value).as_string(connection).replace("%", "%%")


@receiver(setting_changed)
def _settings_changed(**_signal: object) -> None:
    """A setting read by a ``build`` is compiled in (tests change settings)."""
    for prepared in Prepared.instances:
        prepared.forget()


def _names(queryset: QuerySet[Any, Any]) -> tuple[str, ...]:
    """The keys of a ``.values()`` row, in the order of the columns (as ``ValuesIterable``)."""
    query = queryset.query
    if query.selected:
        return tuple(query.selected)
    return (*query.extra_select, *query.values_select, *query.annotation_select)
