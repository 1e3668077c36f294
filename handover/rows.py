"""The rows of the ward worklist and the municipal board, read and formatted in Python.

Both pages list a few hundred open windows. Model instances and the Django template engine's
lookups through them cost more per row than the query, so the rows are read as values by
queries compiled once per scope (``config.prepared``), formatted here once, and made into HTML by
``handover.rows_html``. The rows' words are translated here and there, where makemessages finds
them.
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import (
    Aggregate,
    BooleanField,
    Case,
    CharField,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Scope, User
from config.prepared import Prepared
from contacts import directory
from contacts.models import Municipality, PhoneOverride, Ward
from contacts.rules import Override, PhoneChoice, format_phone
from handover import rules
from handover.models import Alert, AlertKind, Discharge, Status
from handover.models.discharges import (
    OPEN_STATUSES,
    DischargeQuerySet,
    NotCoveredReason,
    display_cpr,
    mask_cpr,
)

Row = dict[str, Any]
FIELDS = (
    "id",
    "patient__name",
    "patient__cpr",
    "ward_id",
    "municipality_id",
    "responsibility_ends_at",
    "status",
    "treatment_plan",
    "patient_informed",
    "destination",
)
NOT_COVERED_FIELDS = (
    "id",
    "patient__name",
    "patient__cpr",
    "ward_id",
    "discharged_at",
    "not_covered_reason",
)
NOT_COVERED_DAYS = 7


def url_for_each(name: str) -> Callable[[int], str]:
    """``reverse`` once for a list's hundreds of rows; each row's id goes into the reversed URL."""
    placeholder = "987654321987654321"
    prefix, suffix = reverse(name, args=[placeholder]).split(placeholder)
    return lambda pk: f"{prefix}{pk}{suffix}"


def local_minute(moment: datetime | None) -> str:
    """ "24-11-2026 14:05" in Danish time (formatted by hand, for every row: ``strftime`` costs
    five times as much, and formatting the numbers with ``:02d`` twice as much as ``TWO``)."""
    if moment is None:
        return ""
    t = moment.astimezone(rules.LOCAL_TZ)
    return f"{TWO[t.day]}-{TWO[t.month]}-{t.year} {TWO[t.hour]}:{TWO[t.minute]}"


TWO = tuple(f"{number:02d}" for number in range(60))


class _Joined(Aggregate):
    """The values joined by commas: PostgreSQL's string_agg, SQLite's group_concat."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


def _values(windows: DischargeQuerySet) -> QuerySet[Discharge, Any]:
    """The rows' fields, with the kinds of each window's open alerts read by a subquery per
    row: whatever the number of open alerts elsewhere, each row costs one look-up in the
    index of open alerts."""
    has_phone = ExpressionWrapper(~Q(contact_phone=""), output_field=BooleanField())
    kinds = (
        Alert.objects.unresolved()
        .filter(discharge_id=OuterRef("id"))
        .order_by()
        .values("discharge_id")
        .annotate(kinds=_Joined("kind"))
        .values("kinds")
    )
    return windows.values(*FIELDS, has_contact_phone=has_phone, alert_kinds=Subquery(kinds))


def _worklist_windows(
    scope: Scope, statuses: tuple[str, ...], ward_id: int | None
) -> DischargeQuerySet:
    windows = Discharge.objects.visible_to(scope).filter(status__in=statuses)
    return windows if ward_id is None else windows.filter(ward_id=ward_id)


def _worklist(
    scope: Scope, statuses: tuple[str, ...], ward_id: int | None, own_ward_id: int | None
) -> QuerySet[Discharge, Any]:
    """The hospital's open windows, own ward first, soonest end first."""
    own_ward_first = Case(When(ward_id=own_ward_id, then=Value(0)), default=Value(1))
    windows = _worklist_windows(scope, statuses, ward_id)
    return _values(windows.order_by(own_ward_first, "responsibility_ends_at"))


def _board_windows(scope: Scope, *, at: datetime) -> DischargeQuerySet:
    return Discharge.objects.visible_to(scope, at=at).active_at(at)


def _board(scope: Scope, *, at: datetime) -> QuerySet[Discharge, Any]:
    """The municipality's citizens with an open window, soonest end first."""
    return _values(_board_windows(scope, at=at).order_by("responsibility_ends_at"))


def _not_covered(scope: Scope, *, at: datetime) -> QuerySet[Discharge, Any]:
    """The last week's 20 latest discharges the scheme did not cover."""
    return (
        Discharge.objects.visible_to(scope, at=at)
        .filter(status=Status.NOT_COVERED, discharged_at__gte=at - timedelta(days=NOT_COVERED_DAYS))
        .order_by("-discharged_at")
        .values(*NOT_COVERED_FIELDS)[:20]
    )


def _current_overrides(*, at: datetime) -> QuerySet[PhoneOverride, Any]:
    """Every ward's temporary numbers in force at ``at`` (a handful at most)."""
    return PhoneOverride.objects.filter(starts_at__lte=at, ends_at__gt=at).values(
        "ward_id", "starts_at", "ends_at", "phone", "reason"
    )


WORKLIST = Prepared(_worklist)
BOARD = Prepared(_board)
NOT_COVERED = Prepared(_not_covered)
CURRENT_OVERRIDES = Prepared(_current_overrides)


def _rows(found: list[Row], at: datetime) -> list[Row]:
    """The fields both lists show, with each row's open alerts (their labels translated once,
    in the order of the kinds) and the names of its ward and municipality (from the
    directory, once per ward)."""
    labels = [(kind, str(label)) for kind, label in AlertKind.choices]
    wards = _names(directory.ward, {row["ward_id"] for row in found})
    towns = _names(directory.municipality, {row["municipality_id"] for row in found})
    alerts: dict[str | None, tuple[str, ...]] = {}  # by the row's kinds: most rows have none
    for row in found:
        ends = row["responsibility_ends_at"]
        row["name"] = row["patient__name"]
        row["cpr_masked"] = mask_cpr(row["patient__cpr"])
        row["ward"] = wards[row["ward_id"]]
        row["town"] = towns[row["municipality_id"]]
        row["ends"] = local_minute(ends)
        row["extended"] = row["status"] == Status.EXTENDED
        row["hours"] = round(rules.hours_remaining(ends, at))
        joined = row["alert_kinds"]
        if joined not in alerts:
            kinds = joined.split(",") if joined else ()
            alerts[joined] = tuple(label for kind, label in labels if kind in kinds)
        row["alerts"] = alerts[joined]
    return found


def _names(read: Callable[[Any], Ward | Municipality], keys: set[Any]) -> dict[Any, str]:
    return {key: read(key).name for key in keys}


def open_alerts_shown(rows: list[Row], at: datetime) -> int:
    """The navigation's badge from a page's rows: the alerts on windows open at ``at``."""
    return sum(len(row["alerts"]) for row in rows if row["responsibility_ends_at"] > at)


def worklist_rows(
    user: User,
    at: datetime,
    *,
    statuses: tuple[str, ...] = tuple(OPEN_STATUSES),
    ward_id: int | None = None,
) -> list[Row]:
    """The worklist's rows with their missing documentation named (one query)."""
    labels = {
        "treatment_plan": _("plan"),
        "contact_phone": _("telefon"),
        "patient_informed": _("information"),
        "destination": _("udskrivningssted"),
    }
    detail = url_for_each("handover:discharge_detail")
    scope = user.scope
    found = WORKLIST.rows(scope, statuses, ward_id, user.ward_id)
    rows = _rows(found, at)
    # What is missing follows from the row's four fields (of the plan, whether there is one),
    # and a page's rows share a few patterns: each is named once.
    named: dict[tuple[Any, ...], tuple[str, ...]] = {}
    for row in rows:
        plan = row["treatment_plan"]
        fields = (row["has_contact_phone"], row["patient_informed"], row["destination"])
        facts = (bool(plan.strip()), *fields)
        if facts not in named:
            has_contact_phone, patient_informed, destination = fields
            missing = rules.missing_documentation(
                treatment_plan=plan,
                has_contact_phone=has_contact_phone,
                patient_informed=patient_informed,
                destination=destination,
            )
            named[facts] = tuple(labels[item] for item in missing)
        row["url"] = detail(row["id"])
        row["missing"] = named[facts]
    return rows


def not_covered_rows(user: User, at: datetime) -> list[Row]:
    """Discharged patients the extended responsibility did not cover, and why."""
    detail = url_for_each("handover:discharge_detail")
    reasons = {value: str(label) for value, label in NotCoveredReason.choices}  # translated once
    return [
        {
            "url": detail(row["id"]),
            "name": row["patient__name"],
            "cpr_masked": mask_cpr(row["patient__cpr"]),
            "ward": directory.ward(row["ward_id"]).name,
            "discharged": local_minute(row["discharged_at"]),
            "reason": reasons.get(row["not_covered_reason"], row["not_covered_reason"]),
        }
        for row in NOT_COVERED.rows(user.scope, at=at)
    ]


def board_rows(user: User, at: datetime) -> list[Row]:
    """Her municipality's citizens with an open window, with the number to call now worked out
    once per ward (two queries: the windows with their alerts, the temporary numbers in
    force)."""
    call_new = url_for_each("handover:call_new")
    scope = user.scope
    rows = _rows(BOARD.rows(scope, at=at), at)
    overrides: dict[int, list[Override]] = defaultdict(list)
    for found in CURRENT_OVERRIDES.rows(at=at):
        overrides[found["ward_id"]].append(
            Override(found["starts_at"], found["ends_at"], str(found["phone"]), found["reason"])
        )
    per_ward: dict[int, Row] = {}
    for row in rows:
        ward_id = row["ward_id"]
        if ward_id not in per_ward:
            ward = directory.ward(ward_id)
            per_ward[ward_id] = _ward_facts(ward, ward.phone_with(at, overrides[ward_id]))
        row.update(
            per_ward[ward_id],
            url=call_new(row["id"]),
            cpr_display=display_cpr(row["patient__cpr"]),
        )
    return rows


def _ward_facts(ward: Ward, now: PhoneChoice) -> Row:
    return {
        "hospital": ward.hospital.name,
        "phone": str(now.phone),
        "phone_display": format_phone(now.phone),
        "phone_reason": now.reason,
        "day_phone": str(ward.day_phone),
        "on_call_phone": str(ward.on_call_phone),
    }
