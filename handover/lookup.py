"""The look-up of municipal nurses, GPs and the acute line: the responsible ward and the number
that is right now.

Only discharges the caller may see count. Unknown citizen, a citizen outside the caller's scope
and an ended period all give the same answer (apart from the CPR number she typed, which the
answer repeats so that a typo does not read like "call the GP"), so a look-up reveals nothing
outside the caller's scope.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.models import Role, User
from contacts.models import Ward
from contacts.rules import PhoneChoice
from handover import rules
from handover.models import AccessAction, AccessLog, AccessOutcome, Discharge
from handover.models.patients import display_cpr
from handover.services.access import log_access, log_refused_lookup

ACUTE_LINE_REGION = 1084  # Akuttelefonen 1813 exists in Region Hovedstaden only
RATE_PER = timedelta(minutes=1)  # LOOKUP_RATE_PER_MINUTE look-ups per user
# The look-ups the limit counts: those answered. A refusal answers nothing and shares a row with
# the minute's other refusals (``log_refused_lookup``).
ANSWERED_OUTCOMES = [AccessOutcome.HIT, AccessOutcome.MISS]
# What an answer shows of the discharge; its ward comes from the cache (``Ward.objects.cached``).
ANSWERED = (
    "patient__cpr",
    "patient_name",
    "ward_id",
    "responsibility_ends_at",
    "treatment_plan",
    "contact_phone",
    "phone_line",
    "status",
    "suspended_at",
)


@dataclass(frozen=True)
class LookupAnswer:
    cpr: str  # the number looked up, ten digits: the answer repeats it
    discharge: Discharge | None  # with its patient, ward and hospital
    phone_now: PhoneChoice | None
    hours_remaining: float | None

    @property
    def covered(self) -> bool:
        return self.discharge is not None

    @property
    def cpr_display(self) -> str:
        return display_cpr(self.cpr)


def no_window_advice(user: User | None = None) -> str:
    """The advice when the hospital holds no responsibility in the caller's scope: the same for
    every citizen a caller asks about, so that it tells nothing of the citizen."""
    role = getattr(user, "role", None)
    if role == Role.GP:
        return _("Intet aktivt behandlingsansvar på hospitalet: ansvaret ligger hos egen læge.")
    if role == Role.ACUTE_LINE:
        return _(
            "Intet aktivt behandlingsansvar på hospitalet: ansvaret ligger hos egen læge "
            "og lægevagten."
        )
    advice = _("Intet aktivt behandlingsansvar på hospitalet: kontakt egen læge eller lægevagten.")
    municipality = getattr(user, "municipality", None)
    if municipality is not None and municipality.region_id == ACUTE_LINE_REGION:
        advice += " " + _("I Region Hovedstaden kan du også ringe til Akuttelefonen 1813.")
    return advice


def purpose_errors(user: User, purpose: str) -> list[str]:
    """What is wrong with the purpose a look-up states: a GP must state one with each
    (sundhedsloven § 42 a: the log holds the purpose), and no one may write a CPR number in it,
    since the log must not hold one in clear."""
    if user.role == Role.GP and not purpose.strip():
        return [_("Angiv formålet med opslaget.")]
    if rules.holds_cpr(purpose):
        return [_("Skriv ikke CPR-nummeret i formålet.")]
    return []


class TooManyLookups(Exception):
    """``LOOKUP_RATE_PER_MINUTE`` of the user's look-ups were answered in the last minute (the
    attempt answers nothing, and is counted on her refusal row of the minute)."""


def open_window(user: User, cpr: str, at: datetime) -> Discharge | None:
    """The caller's discharge of this citizen whose window is open at ``at``, its ward (with the
    ward's temporary numbers) from the cache."""
    discharge = (
        Discharge.objects.visible_to(user, at=at)
        .active_at(at)
        .filter(patient__cpr=cpr)
        .select_related("patient")
        .only(*ANSWERED)
        .order_by("-responsibility_ends_at")
        .first()
    )
    if discharge is not None:
        discharge.ward = Ward.objects.cached(discharge.ward_id)
    return discharge


def over_the_limit(user: User, at: datetime) -> bool:
    """Whether ``LOOKUP_RATE_PER_MINUTE`` of the user's look-ups were answered in the minute
    before ``at``: whether the newest so many answered all lie in that minute.

    Her row is locked first, by a statement of its own, until the transaction ends: look-ups
    made at the same moment then count one after the other. The count must be a later statement
    than the lock: on PostgreSQL a statement sees the rows committed when it began, and one that
    had waited for the lock would count without the look-up it waited for, and answer past the
    limit. Asked this way, the count reads at most so many rows of the log (and a refusal row a
    minute), with one plan for every user and moment.
    """
    User.objects.select_for_update(no_key=True).filter(pk=user.pk).values_list("pk").get()
    limit = settings.LOOKUP_RATE_PER_MINUTE
    nth_newest = list(
        AccessLog.objects.filter(
            user=user, action=AccessAction.LOOKUP, outcome__in=ANSWERED_OUTCOMES
        )
        .order_by("-at")
        .values_list("at", flat=True)[limit - 1 : limit]
    )
    return bool(nth_newest) and nth_newest[0] > at - RATE_PER


def look_up(
    *,
    user: User,
    cpr: str,
    at: datetime,
    request: HttpRequest | None = None,
    purpose: str = "",
) -> LookupAnswer:
    """Answer a look-up and write it to the access log: hit, miss or refused, with the purpose
    the caller states (a GP must state one: ``purpose_errors``).

    The access log is the record the limit is counted from, so a stolen session cannot sweep the
    CPR register. The user's row is locked while her look-ups of the last minute are counted and
    this one is written, so that look-ups made at the same moment are counted one after the
    other. Raises ``TooManyLookups`` past the limit (the refusal counted on her refusal row of
    the minute), ``rules.InvalidCPR`` for text that is not a possible CPR number and
    ``ValidationError`` for a purpose that will not do (nothing is logged for either: no citizen
    is identified, no data read).
    """
    number = rules.parse_cpr(cpr).number
    errors = purpose_errors(user, purpose)
    if errors:
        raise ValidationError({"reason": errors})
    purpose = purpose.strip()
    with transaction.atomic():
        allowed = not over_the_limit(user, at)
        if not allowed:
            log_refused_lookup(user=user, at=at, request=request, criterion=number, purpose=purpose)
            discharge = None
        else:
            discharge = open_window(user, number, at)
            log_access(
                user=user,
                action=AccessAction.LOOKUP,
                request=request,
                obj=discharge,
                patient=discharge.patient if discharge else None,
                criterion="" if discharge else number,
                outcome=AccessOutcome.HIT if discharge else AccessOutcome.MISS,
                purpose=purpose,
            )
    if not allowed:
        raise TooManyLookups
    if discharge is None:
        return LookupAnswer(number, None, None, None)
    return LookupAnswer(
        number,
        discharge,
        discharge.phone_at(at),
        rules.hours_remaining(discharge.responsibility_ends_at, at),
    )
