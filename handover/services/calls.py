"""Logging calls about a discharge (henvendelser), and the red flag they may raise."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from handover import rules
from handover.models import AccessAction, Call, CallerRole, CallOutcome, Discharge
from handover.models.calls import RED_FLAG_OUTCOMES
from handover.services.access import log_access
from handover.services.suspension import suspend_for_emergency

# A call is logged when it happens or after; a little clock skew between devices is tolerated.
CLOCK_SKEW_SECONDS = 300


# The incident category (``incidents.models.Category``, which this part may not import) each
# red-flag outcome suggests, with its label for the call's page. A referral is the redirect of
# Ole's story; a call nobody answered left the caller without the doctor who held the
# responsibility, which seed 000 files under doubt about who is responsible.
SUGGESTED_CATEGORIES: dict[str, tuple[str, Any]] = {
    CallOutcome.REFERRED_TO_GP: (
        "referred_elsewhere",
        gettext_lazy("Henvist til egen læge/lægevagt"),
    ),
    CallOutcome.NO_ANSWER: ("unclear_responsibility", gettext_lazy("Tvivl om behandlingsansvar")),
}


def within_window(discharge: Discharge, at: datetime) -> bool:
    return (
        discharge.covered
        and discharge.discharged_at <= at
        and rules.window_open_at(discharge.responsibility_ends_at, at)
    )


def suggested_incident(discharge: Discharge, call: Call) -> dict[str, Any]:
    """A prefilled incident report (API.md incident fields) for a red-flag call in the window."""
    outcome = call.get_outcome_display()
    return {
        "occurred_at": call.received_at.isoformat(),
        "occurred_at_precision": "exact",
        "title": _("%(outcome)s inden for behandlingsansvaret") % {"outcome": outcome},
        "description": _(
            "Opkald %(at)s fra %(role)s om en borger udskrevet fra %(ward)s, %(hospital)s. "
            "Udfald: %(outcome)s, selvom hospitalet havde behandlingsansvar til %(ends)s."
        )
        % {
            "at": timezone.localtime(call.received_at).strftime("%d-%m-%Y %H:%M"),
            "role": call.get_caller_role_display(),
            "ward": discharge.ward.name,
            "hospital": discharge.ward.hospital.name,
            "outcome": outcome,
            "ends": timezone.localtime(discharge.responsibility_ends_at).strftime("%d-%m-%Y %H:%M")
            if discharge.responsibility_ends_at
            else "",
        },
        "category": SUGGESTED_CATEGORIES[call.outcome][0],
        "place_of_occurrence": {"kind": "ward", "id": discharge.ward_id},
        "involved_organisations": [
            {
                "kind": "ward",
                "id": discharge.ward_id,
                "name": str(discharge.ward),
                "role": "responsible",
            },
            {
                "kind": "municipality",
                "id": discharge.municipality_id,
                "name": discharge.municipality.name,
                "role": "caller",
            },
        ],
        "discharge": discharge.pk,
    }


@transaction.atomic
def log_call(
    *,
    discharge: Discharge,
    by: User | None,
    received_at: datetime,
    caller_role: str,
    outcome: str,
    caller_name: str = "",
    caller_organisation: str = "",
    reason: str = "",
    note: str = "",
    request: HttpRequest | None = None,
) -> Call:
    """Record a call; ``within_window`` is computed from when it was received. A 112 call
    inside an open period suspends it (``suspension.suspend_for_emergency``)."""
    errors = {}
    if timezone.is_naive(received_at):
        errors["received_at"] = _("Tidspunktet skal have en tidszone.")
    elif (received_at - timezone.now()).total_seconds() > CLOCK_SKEW_SECONDS:
        errors["received_at"] = _("Opkaldet kan ikke ligge i fremtiden.")
    if caller_role not in CallerRole.values:
        errors["caller_role"] = _("Ukendt opkalder.")
    if outcome not in CallOutcome.values:
        errors["outcome"] = _("Ukendt udfald.")
    if errors:
        raise ValidationError(errors)
    call = Call(
        discharge=discharge,
        received_at=received_at,
        caller_role=caller_role,
        caller_name=caller_name,
        caller_organisation=caller_organisation,
        reason=reason,
        outcome=outcome,
        note=note,
        within_window=within_window(discharge, received_at),
        logged_by=by,
    )
    if call.within_window and outcome in RED_FLAG_OUTCOMES:
        call.suggested_incident = suggested_incident(discharge, call)
    call.save()
    suspend_for_emergency(call=call)
    log_access(
        user=by, action=AccessAction.LOG_CALL, request=request, obj=call, patient=discharge.patient
    )
    return call
