"""A 112 call suspends the period while prehospital care takes over (DOMAIN.md), until the ward
lifts the suspension.

The period's end does not move: the clock runs on, the sweeps still warn and expire it, and a
readmission still ends it. What the suspension changes is what everyone sees: the ward's pages
and the look-up answer say that prehospital care has taken over since the call.
"""

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from handover.models import AccessAction, Call, CallOutcome, Discharge
from handover.models.discharges import OPEN_STATUSES
from handover.services.access import log_access
from handover.services.discharges import Conflict, lock


def suspend_for_emergency(*, call: Call) -> bool:
    """Suspend the call's period from the call's time, when the call was a 112 call inside the
    period and the period is open and not suspended already. Returns whether it did.

    Called by ``log_call`` inside its transaction; a conditional UPDATE, so that two 112 calls
    logged at once suspend the period once, from the first that is written.
    """
    if call.outcome != CallOutcome.EMERGENCY_112 or not call.within_window:
        return False
    suspended = Discharge.objects.filter(
        pk=call.discharge_id, status__in=OPEN_STATUSES, suspended_at__isnull=True
    ).update(suspended_at=call.received_at, updated_at=timezone.now())
    return suspended == 1


@transaction.atomic
def resume_responsibility(
    *, discharge: Discharge, by: User | None, request: HttpRequest | None = None
) -> Discharge:
    """Lift a 112 suspension: prehospital care has handed the citizen back (or the ward has
    learnt that it never took over)."""
    discharge = lock(discharge)
    if discharge.suspended_at is None:
        raise Conflict(_("Perioden er ikke suspenderet."))
    discharge.suspended_at = None
    discharge.save(update_fields=["suspended_at", "updated_at"])
    log_access(
        user=by,
        action=AccessAction.UPDATE_DISCHARGE,
        request=request,
        obj=discharge,
        patient=discharge.patient,
    )
    return discharge
