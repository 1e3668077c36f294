"""The municipal nurse's look-up: the responsible ward and the number that is right now.

Only discharges the caller may see count. Unknown citizen, another municipality's citizen and an
ended window all give the same answer, so a look-up reveals nothing outside the caller's scope.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.models import AccessAction, AccessOutcome, Scope, User
from accounts.services import log_access, lookup_logged, lookups_within
from config.prepared import Prepared, Row
from contacts import directory
from contacts.models import PhoneOverride, Ward
from contacts.rules import PhoneChoice
from handover import rules
from handover.models import Discharge, Patient, Status

ACUTE_LINE_REGION = 1084  # Akuttelefonen 1813 exists in Region Hovedstaden only
RATE_PER = timedelta(minutes=1)  # LOOKUP_RATE_PER_MINUTE look-ups per user


@dataclass(frozen=True)
class Window:
    """The open window a look-up found: what the caller needs to know of it."""

    discharge_id: int
    patient_name: str
    ward: Ward  # from the directory, with its hospital: read it, do not change it
    responsibility_ends_at: datetime
    treatment_plan: str
    status: str

    @property
    def is_extended(self) -> bool:
        return self.status == Status.EXTENDED


@dataclass(frozen=True)
class LookupAnswer:
    window: Window | None
    phone_now: PhoneChoice | None
    hours_remaining: float | None

    @property
    def covered(self) -> bool:
        return self.window is not None


def no_window_advice(user: User | None = None) -> str:
    """The advice when the hospital holds no responsibility in the caller's scope."""
    advice = _("Ingen aktivt behandlingsansvar på hospitalet: kontakt egen læge eller lægevagten.")
    municipality = getattr(user, "municipality", None)
    if municipality is not None and municipality.region_id == ACUTE_LINE_REGION:
        advice += " " + _("I Region Hovedstaden kan du også ringe til Akuttelefonen 1813.")
    return advice


def _open_window(scope: Scope, *, cpr: str, at: datetime) -> QuerySet[Discharge, Any]:
    """The caller's discharge of this citizen whose window is open at ``at``.

    The patient is found by the unique CPR index first, in a scalar subquery PostgreSQL runs once
    before the join: left to itself, it drives a joined query from the municipality's open
    windows and joins the CPR afterwards, which grows with the municipality. The same query asks
    whether the ward has a temporary number now (``ward_overridden``), so ``look_up`` reads the
    overrides only then. The ward itself comes from the directory. Its constants stay
    parameters (``OPEN_WINDOW``).
    """
    patient = Patient.objects.filter(cpr=cpr).values("id")[:1]
    overridden = PhoneOverride.objects.filter(
        ward_id=OuterRef("ward_id"), starts_at__lte=at, ends_at__gt=at
    )
    return (
        Discharge.objects.visible_to(scope, at=at)
        .active_at(at)
        .filter(patient_id=Subquery(patient))
        .annotate(ward_overridden=Exists(overridden))
        .order_by("-responsibility_ends_at")
        .values(
            "id",
            "patient_id",
            "patient__name",
            "ward_id",
            "responsibility_ends_at",
            "treatment_plan",
            "status",
            "ward_overridden",
        )[:1]
    )


# With the statuses named in the SQL, the statement's generic plan reads the municipality's
# open windows by their partial index (0.17 ms at 200) rather than the patient's discharges by
# hers (0.05 ms), which it cannot tell apart by cost.
OPEN_WINDOW = Prepared(_open_window, write_constants=False)


class TooManyLookups(Exception):
    """The user has made ``LOOKUP_RATE_PER_MINUTE`` look-ups in the last minute (the attempt is
    logged as denied, and answers nothing)."""


def look_up(
    *, user: User, cpr: str, at: datetime, request: HttpRequest | None = None
) -> LookupAnswer:
    """Answer a look-up and write it to the access log, hit, miss or denied: on PostgreSQL in
    one statement (no answer without its log row), elsewhere in three. One more query when the
    ward has a temporary number now.

    The access log is the record the limit is counted from: a stolen session cannot sweep the
    CPR register. Raises ``TooManyLookups`` past the limit, and ``rules.InvalidCPR`` for text
    that is not a possible CPR number (nothing is logged: no citizen can be identified by it).
    """
    number = rules.parse_cpr(cpr).number
    limit = settings.LOOKUP_RATE_PER_MINUTE
    logged = lookup_logged(
        user=user, request=request, criterion=number, model=Discharge, limit=limit, per=RATE_PER
    )
    found = OPEN_WINDOW.rows_with(logged, user.scope, cpr=number, at=at)
    if found is None:
        row = _look_up_apart(user, request, number, at, limit)
    else:
        (row,) = found
        if row["over_limit"]:
            raise TooManyLookups
    if row is None or row["id"] is None:
        return LookupAnswer(None, None, None)
    ward = directory.ward(row["ward_id"])
    window = Window(
        discharge_id=row["id"],
        patient_name=row["patient__name"],
        ward=ward,
        responsibility_ends_at=row["responsibility_ends_at"],
        treatment_plan=row["treatment_plan"],
        status=row["status"],
    )
    return LookupAnswer(
        window,
        ward.phone_at(at, overrides=None if row["ward_overridden"] else []),
        rules.hours_remaining(window.responsibility_ends_at, at),
    )


def _look_up_apart(
    user: User, request: HttpRequest | None, number: str, at: datetime, limit: int
) -> Row | None:
    """What ``lookup_logged`` counts, finds and writes, by statements of their own."""
    if lookups_within(user, RATE_PER, limit) >= limit:
        outcome = AccessOutcome.DENIED
        found: list[Row] = []
    else:
        found = OPEN_WINDOW.rows(user.scope, cpr=number, at=at)
        outcome = AccessOutcome.HIT if found else AccessOutcome.MISS
    log_access(
        user=user,
        action=AccessAction.LOOKUP,
        request=request,
        obj=(Discharge, found[0]["id"]) if found else None,
        patient=found[0]["patient_id"] if found else None,
        criterion="" if found else number,
        outcome=outcome,
    )
    if outcome == AccessOutcome.DENIED:
        raise TooManyLookups
    return found[0] if found else None
