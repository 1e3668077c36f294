"""The period of responsibility after it is decided: extended by the ward, ended early
(readmission, death, a registration made in error), and opened again when what ended it is
withdrawn. One transaction each, access log included."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from handover import rules
from handover.models import (
    AccessAction,
    Alert,
    AlertKind,
    Discharge,
    EndReason,
    Extension,
    Status,
    Stay,
)
from handover.models.discharges import OPEN_STATUSES
from handover.services import medcom_out, notifications
from handover.services.access import log_access
from handover.services.discharges import (
    Conflict,
    extension_hours,
    lock,
    require_aware,
)


@transaction.atomic
def extend_responsibility(
    *,
    discharge: Discharge,
    by: User | None,
    hours: int,
    reason: str,
    request: HttpRequest | None = None,
) -> Discharge:
    """Extend an open window because the patient is not clinically stable."""
    errors = {}
    if not 1 <= hours <= settings.HANDOVER_EXTENSION_MAX_HOURS:
        errors["hours"] = _("Forlængelsen skal være mellem 1 og %(max)d timer.") % {
            "max": settings.HANDOVER_EXTENSION_MAX_HOURS
        }
    if not reason.strip():
        errors["reason"] = _("Angiv en begrundelse for forlængelsen.")
    if errors:
        raise ValidationError(errors)
    discharge = lock(discharge)
    now = timezone.now()
    if discharge.status not in OPEN_STATUSES or not rules.window_open_at(
        discharge.responsibility_ends_at, now
    ):
        raise Conflict(_("Kun et aktivt eller forlænget ansvar kan forlænges."))
    Extension.objects.create(discharge=discharge, hours=hours, reason=reason, created_by=by)
    discharge.responsibility_ends_at = rules.window_end(
        discharge.discharged_at, discharge.window_hours or 0, extension_hours(discharge)
    )
    discharge.status = Status.EXTENDED
    discharge.save(update_fields=["responsibility_ends_at", "status", "updated_at"])
    # The nearing-expiry warning was about the old end; the new end is further away.
    Alert.objects.filter(
        discharge=discharge, kind=AlertKind.NEARING_EXPIRY, resolved_at__isnull=True
    ).update(resolved_at=now)
    notifications.notify_extended(discharge)
    medcom_out.queue(
        discharge=discharge,
        by=by,
        event=ngettext(
            "Behandlingsansvaret er forlænget med %(hours)d time: %(reason)s",
            "Behandlingsansvaret er forlænget med %(hours)d timer: %(reason)s",
            hours,
        )
        % {"hours": hours, "reason": reason},
    )
    log_access(
        user=by,
        action=AccessAction.EXTEND,
        request=request,
        obj=discharge,
        patient=discharge.patient,
    )
    return discharge


@transaction.atomic
def end_responsibility(
    *,
    discharge: Discharge,
    by: User | None,
    reason: str,
    note: str = "",
    at: datetime | None = None,
    stay: Stay | None = None,
    request: HttpRequest | None = None,
) -> Discharge:
    """End a window early: readmission, death, or a registration made in error (cancelled).

    A cancellation may end any discharge that has not ended; readmission and death end open
    windows only. ``stay`` is the stay (of any hospital) whose admission or death ends the
    window: the ward is told as well as the municipality, and cancelling that stay's message
    opens the window again (``reopen_responsibility``).
    """
    if reason not in EndReason.values:
        raise ValidationError({"reason": _("Ukendt afslutningsårsag.")})
    require_aware(at=at)
    discharge = lock(discharge)
    allowed: Iterable[str] = (
        [*OPEN_STATUSES, Status.NOT_COVERED] if reason == EndReason.CANCELLED else OPEN_STATUSES
    )
    if discharge.status not in allowed:
        raise Conflict(_("Udskrivelsen har ikke et aktivt ansvar, der kan afsluttes."))
    now = timezone.now()
    discharge.status = Status.ENDED
    discharge.end_reason = reason
    discharge.end_note = note
    discharge.ended_at = at or now
    discharge.ended_by = by
    discharge.ended_by_stay = stay
    discharge.save(
        update_fields=[
            "status",
            "end_reason",
            "end_note",
            "ended_at",
            "ended_by",
            "ended_by_stay",
            "updated_at",
        ]
    )
    Alert.objects.filter(discharge=discharge, resolved_at__isnull=True).update(resolved_at=now)
    notifications.notify_ended(discharge, to_ward=stay is not None)
    if stay is None:  # ended by the ward itself, not by another stay's message
        medcom_out.queue(
            discharge=discharge,
            by=by,
            event=_("Behandlingsansvaret er afsluttet før tid: %(reason)s.")
            % {"reason": discharge.get_end_reason_display()},
        )
    log_access(
        user=by, action=AccessAction.END, request=request, obj=discharge, patient=discharge.patient
    )
    return discharge


@transaction.atomic
def reopen_responsibility(*, discharge: Discharge, note: str) -> Discharge:
    """Undo an early end whose cause was withdrawn (the admission or death a hospital cancelled
    or corrected): the window is open again until its end, or expired if that has passed."""
    discharge = lock(discharge)
    if discharge.status != Status.ENDED:
        raise Conflict(_("Udskrivelsen er ikke afsluttet før tid."))
    now = timezone.now()
    open_status = Status.EXTENDED if discharge.extensions.exists() else Status.ACTIVE
    ends = discharge.responsibility_ends_at
    discharge.status = open_status if ends is not None and ends > now else Status.EXPIRED
    discharge.end_reason = ""
    discharge.end_note = note
    discharge.ended_at = None
    discharge.ended_by = None
    discharge.ended_by_stay = None
    discharge.save()
    notifications.notify_reopened(discharge)
    log_access(
        user=None, action=AccessAction.UPDATE_DISCHARGE, obj=discharge, patient=discharge.patient
    )
    return discharge
