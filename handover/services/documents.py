"""The discharge papers of seed 003's KPI: the treatment plan with contact details in the
epikrise (the doctor's letter to the GP) and in the udskrivningsrapport (the nursing report to
the municipality, "fremtidige aftaler").

A document counts once the ward confirms it, or, for the udskrivningsrapport, once a
CareCommunication carrying the plan and the number was sent. Seed 003 asks for the plan in the
udskrivningsrapport because "epikriser ikke kan ses i kommuner": the point of that document is
that the municipality has the plan and whom to call, and the CareCommunication "Udvidet
behandlingsansvar" is the hospital's message to the municipality that carries exactly that. It
does not count for the epikrise, which goes to the GP, not to the municipality.

A phone number filled in automatically (the ward's on-call number) is not a confirmation: only a
person's confirmation, or the message actually sent, sets a document's moment. Either is taken
only while the treatment plan and the contact phone are both present, and the first moment
stays: a later confirmation changes nothing. The CareCommunication's part is
``medcom_out.confirm_discharge_reports``, called as the outbox marks a message sent.
"""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from handover.models import AccessAction, ConfirmedBy, Discharge, DischargeDocument, EndReason
from handover.services.access import log_access
from handover.services.discharges import Conflict, lock


@transaction.atomic
def confirm_documents(
    *,
    discharge: Discharge,
    by: User,
    documents: Iterable[str],
    at: datetime | None = None,
    request: HttpRequest | None = None,
) -> Discharge:
    """The ward confirms that the treatment plan with contact details is in ``documents``
    (``DischargeDocument`` values), now, or at ``at`` when a confirmation made earlier is
    recorded afterwards (the demo's history); never in the future. A document already confirmed
    keeps its first moment. The pages and the API always confirm now."""
    wanted = set(documents)
    unknown = wanted - set(DischargeDocument.values)
    if unknown:
        raise ValidationError({"documents": _("Ukendt dokument.")})
    now = timezone.now()
    if at is not None and (timezone.is_naive(at) or at > now):
        raise ValidationError({"at": _("Tidspunktet skal have en tidszone og være passeret.")})
    discharge = lock(discharge)
    if discharge.end_reason == EndReason.CANCELLED:
        raise Conflict(_("Udskrivelsen er annulleret og kan ikke bekræftes."))
    if not discharge.has_plan_and_phone:
        raise ValidationError(
            {
                f"{document}_confirmed": _(
                    "Udfyld behandlingsplan og kontakttelefon, før du bekræfter, at planen med "
                    "kontaktoplysninger står i %(document)s."
                )
                % {"document": DischargeDocument(document).label}
                for document in wanted
            }
        )
    moment = at or now
    changed = []
    if DischargeDocument.EPIKRISE in wanted and discharge.epikrise_confirmed_at is None:
        discharge.epikrise_confirmed_at = moment
        discharge.epikrise_confirmed_by = by
        changed += ["epikrise_confirmed_at", "epikrise_confirmed_by"]
    if (
        DischargeDocument.DISCHARGE_REPORT in wanted
        and discharge.discharge_report_confirmed_at is None
    ):
        discharge.discharge_report_confirmed_at = moment
        discharge.discharge_report_confirmed_by = by
        discharge.discharge_report_confirmed_via = ConfirmedBy.WARD
        changed += [
            "discharge_report_confirmed_at",
            "discharge_report_confirmed_by",
            "discharge_report_confirmed_via",
        ]
    if changed:
        discharge.save(update_fields=[*changed, "updated_at"])
    log_access(
        user=by,
        action=AccessAction.UPDATE_DISCHARGE,
        request=request,
        obj=discharge,
        patient=discharge.patient,
    )
    return discharge
