"""The municipal nurse's look-up: the responsible ward and the number that is right now.

Only discharges the caller may see count. Unknown citizen, another municipality's citizen and an
ended window all give the same answer, so a look-up reveals nothing outside the caller's scope.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.models import AccessAction, AccessOutcome, User
from accounts.services import log_access
from contacts.models import PhoneOverride
from contacts.rules import PhoneChoice
from handover import rules
from handover.models import Discharge, Patient

ACUTE_LINE_REGION = 1084  # Akuttelefonen 1813 exists in Region Hovedstaden only


@dataclass(frozen=True)
class LookupAnswer:
    discharge: Discharge | None
    phone_now: PhoneChoice | None
    hours_remaining: float | None

    @property
    def covered(self) -> bool:
        return self.discharge is not None


def no_window_advice(user: User | None = None) -> str:
    """The advice when the hospital holds no responsibility in the caller's scope."""
    advice = _("Ingen aktivt behandlingsansvar på hospitalet: kontakt egen læge eller lægevagten.")
    municipality = getattr(user, "municipality", None)
    if municipality is not None and municipality.region_id == ACUTE_LINE_REGION:
        advice += " " + _("I Region Hovedstaden kan du også ringe til Akuttelefonen 1813.")
    return advice


def active_discharge(*, user: User, cpr_number: str, at: datetime) -> Discharge | None:
    """The caller's discharge of this citizen whose window is open at ``at``.

    The patient is found by the unique CPR index first, in a scalar subquery PostgreSQL runs once
    before the join: left to itself, it drives a joined query from the municipality's open
    windows and joins the CPR afterwards, which grows with the municipality. The same query asks
    whether the ward has a temporary number now (``ward_overridden``), so ``look_up`` reads the
    overrides only then. One query on a hit or a miss, two when the ward has an override.
    """
    patient = Patient.objects.filter(cpr=cpr_number).values("id")[:1]
    overridden = PhoneOverride.objects.filter(
        ward_id=OuterRef("ward_id"), starts_at__lte=at, ends_at__gt=at
    )
    discharge = (
        Discharge.objects.visible_to(user)
        .active_at(at)
        .with_related()
        .annotate(ward_overridden=Exists(overridden))
        .filter(patient_id=Subquery(patient))
        .order_by("-responsibility_ends_at")
        .first()
    )
    return discharge


def look_up(
    *, user: User, cpr: str, at: datetime, request: HttpRequest | None = None
) -> LookupAnswer:
    """Answer a look-up and write it to the access log, hit or miss.

    Raises ``rules.InvalidCPR`` for text that is not a possible CPR number (nothing is logged:
    no citizen can be identified by it).
    """
    number = rules.parse_cpr(cpr).number
    discharge = active_discharge(user=user, cpr_number=number, at=at)
    if discharge is None:
        log_access(
            user=user,
            action=AccessAction.LOOKUP,
            request=request,
            criterion=number,
            outcome=AccessOutcome.MISS,
        )
        return LookupAnswer(None, None, None)
    log_access(
        user=user,
        action=AccessAction.LOOKUP,
        request=request,
        obj=discharge,
        patient=discharge.patient,
        outcome=AccessOutcome.HIT,
    )
    overridden = discharge.ward_overridden  # type: ignore[attr-defined]  # annotated above
    return LookupAnswer(
        discharge,
        discharge.ward.phone_at(at, overrides=None if overridden else []),
        rules.hours_remaining(discharge.responsibility_ends_at, at),
    )
