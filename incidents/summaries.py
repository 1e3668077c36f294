"""The statistics' summary tables: whole months of discharges and whole weeks of calls, counted
once by a beat job instead of on every dashboard request.

One set of aggregation queries serves both sides: ``refresh`` stores their rows for whole periods,
and a date range that starts or ends inside a period counts that partial period from the rows
themselves. A period that has not ended yet is read from the summary (refreshed every few
minutes) when the range reaches today, since no later rows exist.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, DateField, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from handover.models import Call, Discharge, EndReason, Extension, Status
from handover.rules import LOCAL_TZ
from incidents import kept
from incidents.models import DISCHARGE_COUNTS, CallWeek, DischargeMonth, SummaryRefresh

DAY = timedelta(days=1)
CALL_KEYS = ("outcome", "caller_role", "within_window")


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_start_of(month: str) -> date:
    """ "2026-10" → 1 October 2026."""
    return date.fromisoformat(f"{month}-01")


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def next_week(day: date) -> date:
    return day + timedelta(days=7)


@dataclass(frozen=True)
class Unit:
    start: Callable[[date], date]
    following: Callable[[date], date]


MONTH = Unit(month_start, next_month)
WEEK = Unit(week_start, next_week)


@dataclass
class Split:
    """[date_from, date_to] as whole periods (first and last period start, from the summary)
    and partial periods (local day ranges, both ends included, counted from the rows)."""

    periods: tuple[date, date] | None = None
    edges: list[tuple[date, date]] = field(default_factory=list)


def split(date_from: date, date_to: date, today: date, unit: Unit) -> Split:
    result = Split()
    first = unit.start(date_from)
    if first != date_from:
        first = unit.following(first)
        result.edges.append((date_from, min(date_to, first - DAY)))
    last = unit.start(date_to)
    if date_to < unit.following(last) - DAY and date_to < today:
        if last >= first:
            result.edges.append((last, date_to))
        last = unit.start(last - DAY)
    if first <= last:
        result.periods = (first, last)
    return result


def local_range(start: date, end: date) -> tuple[datetime, datetime]:
    """The instants of local days ``start`` to ``end``, both included."""
    return datetime.combine(start, time.min, LOCAL_TZ), datetime.combine(
        end + DAY, time.min, LOCAL_TZ
    )


def in_time(field: str) -> Q:
    """A document confirmed no later than the discharge plus KPI_GRACE_MINUTES (seed 003's KPI;
    ``Discharge.confirmed_in_time`` says the same of one discharge)."""
    return Q(**{f"{field}__lte": F("discharged_at") + settings.HANDOVER_KPI_GRACE})


def kpi_population() -> Q:
    """Seed 003's denominator: "patienter, der udskrives med 96 timers behandlingsansvar" – the
    covered discharges whose rule gave 96 hours, less those cancelled as wrong registrations."""
    return Q(window_hours=settings.HANDOVER_KPI_WINDOW_HOURS) & ~Q(end_reason=EndReason.CANCELLED)


def counted(name: str) -> Q:
    """Which covered discharges the count ``name`` counts; the dashboard's row lists filter by
    the same condition."""
    kpi = kpi_population()
    return {
        "kpi_discharges": kpi,
        "epikrise_in_time": kpi & in_time("epikrise_confirmed_at"),
        "discharge_report_in_time": kpi & in_time("discharge_report_confirmed_at"),
        # Both documents in time: the API's ``documented``.
        "documented": kpi
        & in_time("epikrise_confirmed_at")
        & in_time("discharge_report_confirmed_at"),
        # Windows of another length (the 72 hours before the 2024 reform), shown apart.
        "other_windows": ~Q(window_hours=settings.HANDOVER_KPI_WINDOW_HOURS)
        & ~Q(end_reason=EndReason.CANCELLED),
        "expired": Q(status=Status.EXPIRED),
        "extended": Q(Exists(Extension.objects.filter(discharge=OuterRef("pk")))),
        "readmitted": Q(end_reason=EndReason.READMITTED),
        "deceased": Q(end_reason=EndReason.DECEASED),
        "cancelled": Q(end_reason=EndReason.CANCELLED),
    }[name]


def discharge_counts(rows: QuerySet[Discharge], keys: Sequence[str]) -> QuerySet[Any]:
    """Covered discharges counted per local month and ``keys``."""
    return (
        rows.filter(covered=True)
        .annotate(period=TruncMonth("discharged_at", output_field=DateField(), tzinfo=LOCAL_TZ))
        .values("period", *keys)
        .annotate(
            discharges=Count("id"),
            **{name: Count("id", filter=counted(name)) for name in DISCHARGE_COUNTS[1:]},
        )
        .order_by()
    )


def call_counts(rows: QuerySet[Call], keys: Sequence[str]) -> QuerySet[Any]:
    """Calls counted per local week (starting Monday) and ``keys``."""
    return (
        rows.annotate(
            period=TruncWeek("received_at", output_field=DateField(), tzinfo=LOCAL_TZ),
            ward_id=F("discharge__ward_id"),
            municipality_id=F("discharge__municipality_id"),
        )
        .values("period", *keys)
        .annotate(calls=Count("id"))
        .order_by()
    )


def read(
    scope: Q,
    date_from: date,
    date_to: date,
    *,
    unit: Unit,
    summary: QuerySet[Any],
    live: Callable[[datetime, datetime], QuerySet[Any]],
    keys: Sequence[str],
    counts: Sequence[str],
) -> list[dict[str, Any]]:
    """Rows per period and ``keys``: whole periods from the summary, partial ones counted live."""
    parts = split(date_from, date_to, timezone.localdate(), unit)
    rows: list[dict[str, Any]] = []
    if parts.periods:
        rows += (
            summary.filter(scope, period__range=parts.periods)
            .values("period", *keys)
            .annotate(**{name: Sum(name) for name in counts})
            .order_by()
        )
    for start, end in parts.edges:
        rows += live(*local_range(start, end))
    return rows


def discharge_rows(scope: Q, date_from: date, date_to: date, keys: Sequence[str]) -> list[Any]:
    """Covered discharges per month and ``keys`` within ``scope`` (a filter on ward and
    municipality)."""

    def live(start: datetime, end: datetime) -> QuerySet[Any]:
        rows = Discharge.objects.filter(scope, discharged_at__gte=start, discharged_at__lt=end)
        return discharge_counts(rows, keys)

    return read(
        scope,
        date_from,
        date_to,
        unit=MONTH,
        summary=DischargeMonth.objects.all(),
        live=live,
        keys=keys,
        counts=DISCHARGE_COUNTS,
    )


def call_rows(
    scope: Q, call_scope: Q, date_from: date, date_to: date, keys: Sequence[str]
) -> list[Any]:
    """Calls per week and ``keys``; ``call_scope`` is ``scope`` seen from the call."""

    def live(start: datetime, end: datetime) -> QuerySet[Any]:
        rows = Call.objects.filter(call_scope, received_at__gte=start, received_at__lt=end)
        return call_counts(rows, keys)

    return read(
        scope,
        date_from,
        date_to,
        unit=WEEK,
        summary=CallWeek.objects.all(),
        live=live,
        keys=keys,
        counts=("calls",),
    )


def months_back(today: date, months: int) -> date:
    """The first day of the month ``months - 1`` months before ``today``'s."""
    month = month_start(today)
    for _ in range(months - 1):
        month = month_start(month - DAY)
    return month


def refresh_recent(months: int = 2) -> int:
    """The beat job: the current month and the ones before it that can still change (windows
    expire and are extended days after the discharge)."""
    today = timezone.localdate()
    return refresh(months_back(today, months), month_start(today))


def refresh(
    first_month: date, last_month: date, progress: Callable[[str], None] | None = None
) -> int:
    """Rebuild the summaries of the months ``first_month`` to ``last_month`` (and the weeks that
    touch them), one month per transaction; returns the rows written."""
    written = 0
    month = month_start(first_month)
    while month <= last_month:
        following = next_month(month)
        written += _refresh_month(month, following)
        if progress:
            progress(f"  {month:%Y-%m}: {written:,} rows so far")
        month = following
    SummaryRefresh.objects.update_or_create(
        first_month=month_start(first_month),
        last_month=month_start(last_month),
        defaults={"rows": written, "finished_at": timezone.now()},
    )
    kept.figures_changed()
    _vacuum()
    return written


def _vacuum() -> None:
    """Reads are answered from the covering indexes only while the tables' visibility map is
    current; after a rebuild that waits for autovacuum, so the refresh vacuums the tables itself
    (PostgreSQL, and only outside a transaction)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    tables = ", ".join(model._meta.db_table for model in (DischargeMonth, CallWeek))
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {tables}")


def _refresh_month(month: date, following: date) -> int:
    start, end = local_range(month, following - DAY)
    # The weeks touching this month are rebuilt whole, with their days in the neighbouring
    # months, so a week that spans two months is right after either month's refresh.
    first_week = week_start(month)
    weeks = local_range(first_week, week_start(following - DAY) + timedelta(days=6))
    discharges = discharge_counts(
        Discharge.objects.filter(discharged_at__gte=start, discharged_at__lt=end),
        ("ward_id", "municipality_id"),
    )
    calls = call_counts(
        Call.objects.filter(received_at__gte=weeks[0], received_at__lt=weeks[1]),
        ("ward_id", "municipality_id", *CALL_KEYS),
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Concurrent refreshes would both insert the rows the other deleted.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext('summary-refresh'))")
        DischargeMonth.objects.filter(period=month).delete()
        CallWeek.objects.filter(
            period__gte=first_week, period__lte=week_start(following - DAY)
        ).delete()
        return _insert(DischargeMonth, discharges) + _insert(CallWeek, calls)


Summary = TypeVar("Summary", DischargeMonth, CallWeek)


def _insert(model: type[Summary], rows: Iterable[dict[str, Any]]) -> int:
    objects = [model(**row) for row in rows]
    model.objects.bulk_create(objects, batch_size=5000)
    return len(objects)
