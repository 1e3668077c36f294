"""The long lists: the ward worklist, the municipal board and the discharges the scheme did not
cover. Each is one query for its discharges and one for their open alerts, whatever its length."""

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.db.models import Case, Prefetch, Value, When
from django.db.models.functions import Coalesce

from accounts.models import User
from contacts.models import Ward
from handover.models import Alert, Discharge, Status
from handover.models.discharges import DischargeQuerySet

NOT_COVERED_DAYS = 7
NOT_COVERED_SHOWN = 20
ENDED_SHOWN = 20
ENDED_ON_WORKLIST = timedelta(hours=48)
PAGE_SIZE = 25  # rows of the worklist and the board a page shows
# What every list shows of a discharge.
LISTED = (
    "patient_name",
    "patient__cpr",
    "ward_id",
    "responsibility_ends_at",
    "status",
    "contact_phone",
    "phone_line",
    "suspended_at",
)


def with_open_alerts(discharges: DischargeQuerySet) -> DischargeQuerySet:
    """Each discharge's unresolved alerts as ``open_alerts``."""
    unresolved = Alert.objects.unresolved().order_by("kind")
    return discharges.prefetch_related(Prefetch("alerts", unresolved, to_attr="open_alerts"))


def worklist(user: User, *, statuses: Sequence[str], ward_id: int | None) -> DischargeQuerySet:
    """The hospital's windows in ``statuses``, own ward first, soonest end first."""
    own_ward_first = Case(When(ward_id=user.ward_id, then=Value(0)), default=Value(1))
    windows = Discharge.objects.visible_to(user).filter(status__in=statuses)
    if ward_id is not None:
        windows = windows.filter(ward_id=ward_id)
    return with_open_alerts(
        windows.select_related("patient")
        .prefetch_related("ward", "municipality")
        .only(*LISTED, "municipality_id", "treatment_plan", "patient_informed", "destination")
        .order_by(own_ward_first, "responsibility_ends_at")
    )


def not_covered(user: User, at: datetime) -> DischargeQuerySet:
    """The last week's latest discharges the scheme did not cover."""
    return (
        Discharge.objects.visible_to(user, at=at)
        .filter(
            status=Status.NOT_COVERED,
            discharged_at__gte=at - timedelta(days=NOT_COVERED_DAYS),
        )
        .select_related("patient")
        .prefetch_related("ward")
        .only("patient_name", "patient__cpr", "ward_id", "discharged_at", "not_covered_reason")
        .order_by("-discharged_at")[:NOT_COVERED_SHOWN]
    )


def history(user: User, *, statuses: Sequence[str]) -> DischargeQuerySet:
    """The hospital's discharges in ``statuses``, latest discharge first, with how each ended."""
    return (
        Discharge.objects.visible_to(user)
        .filter(status__in=statuses)
        .select_related("patient", "ended_by")
        .prefetch_related("ward")
        .order_by("-discharged_at", "-pk")
    )


def recently_ended(user: User, at: datetime, since: datetime) -> DischargeQuerySet:
    """The windows that ended or expired since ``since``, latest end first: who ended them, why
    and when stay visible for a while on both sides."""
    ended = Coalesce("ended_at", "responsibility_ends_at")
    return (
        Discharge.objects.visible_to(user, at=at)
        # An ended window's planned end lies after its end: the index on the planned end serves.
        .filter(status__in=[Status.ENDED, Status.EXPIRED], responsibility_ends_at__gte=since)
        .alias(ended=ended)
        .filter(ended__gte=since, ended__lte=at)
        .select_related("patient", "ended_by")
        .prefetch_related("ward")
        .only(
            *LISTED,
            "end_reason",
            "ended_at",
            "ended_by_stay_id",
            "ended_by__username",
            "ended_by__first_name",
            "ended_by__last_name",
        )
        .order_by(ended.desc())[:ENDED_SHOWN]
    )


def board(user: User, at: datetime) -> DischargeQuerySet:
    """The caller's citizens (her municipality's; the acute line's region's) with an open
    window at ``at``, soonest end first. The wards are read once each (a prefetch, shared by
    their rows), with their temporary numbers."""
    return with_open_alerts(
        Discharge.objects.visible_to(user, at=at)
        .active_at(at)
        .select_related("patient")
        .prefetch_related(Prefetch("ward", Ward.objects.with_directory(at)))
        .only(*LISTED, "treatment_plan")
        .order_by("responsibility_ends_at")
    )


def with_phone_now(rows: Iterable[Discharge], at: datetime) -> list[Discharge]:
    """The rows, each with the number to call at ``at`` (``phone_now``): the one its ward
    documented, as every view shows it."""
    rows = list(rows)
    for discharge in rows:
        discharge.phone_now = discharge.phone_at(at)  # type: ignore[attr-defined]
    return rows
