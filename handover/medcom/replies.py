"""What municipalities send back: a CareCommunication about a citizen's extended responsibility
(attached to the discharge's thread, the ward told) and the Acknowledgements of the ward's own
CareCommunications.

The sender must be a unit of the posting account's municipality, and a reply reaches only a
discharge that municipality may see: anything else is refused (403) or, for a citizen it cannot
see, answered exactly as for a citizen nobody knows.
"""

import json
import uuid
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from contacts import sor
from handover.medcom import acknowledgement as ack
from handover.medcom import care_communication
from handover.medcom.bundle import BadMessage, Message, Org, load
from handover.medcom.export import NAMESPACE
from handover.medcom.receive import Reply, content_hash
from handover.models import (
    AccessAction,
    AccessOutcome,
    Channel,
    Discharge,
    InboundMessage,
    MessageResult,
    Notification,
)
from handover.models.messages import PROCESSED
from handover.services import notifications
from handover.services.access import log_access


def _own_unit(org: Org, user: User) -> bool:
    party = sor.find(sor=org.sor, ean=org.ean) if org.sor or org.ean else None
    return (
        party is not None
        and party.municipality is not None
        and (user.is_admin_role or party.municipality.pk == user.municipality_id)
    )


def _log(
    payload: bytes,
    *,
    user: User,
    message_type: str,
    result: str,
    message_id: str = "",
    sender: str = "",
    error: str = "",
    discharge: Discharge | None = None,
    answer: Any = None,
) -> None:
    InboundMessage.objects.create(
        received_by=user,
        message_type=message_type,
        sender=sender,
        message_id=message_id,
        content_hash=content_hash(payload),
        payload=payload.decode(errors="replace").replace("\x00", "\ufffd"),
        result=result,
        error=error,
        discharge=discharge,
        acknowledgement=answer,
    )


def _refused(
    payload: bytes, user: User, message_type: str, status: int, result: str, text: str
) -> Reply:
    problem = ack.problem_for(text, issue="security" if status == 403 else "structure")
    try:
        parties = ack.parties_of(json.loads(payload))
    except (ValueError, RecursionError):
        parties = None
    answer = ack.acknowledgement(parties, timezone.now(), problem) if parties else None
    _log(payload, user=user, message_type=message_type, result=result, error=text, answer=answer)
    log_access(user=user, action=AccessAction.IMPORT, outcome=AccessOutcome.DENIED)
    body: dict[str, Any] = {"detail": text, "errors": {"bundle": [text]}}
    if answer is not None:
        body["acknowledgement"] = answer
    return Reply(status, body)


def _discharge_for(incoming: care_communication.Incoming, user: User) -> Discharge | None:
    """The discharge the reply is about, among those the municipality may see: the citizen's,
    of the stay the reply names by its forløbsid."""
    candidates = (
        Discharge.objects.visible_to(user)
        .filter(patient__cpr=incoming.cpr)
        .select_related("stay", "ward__hospital", "municipality", "patient")
        .order_by("-discharged_at")
    )
    for discharge in candidates:
        own = (
            discharge.stay.episode_of_care
            if discharge.stay is not None
            else str(uuid.uuid5(NAMESPACE, f"episode-{discharge.pk}"))
        )
        if own in incoming.episode_ids:
            return discharge
    return None


def receive_care_communication(
    *, payload: bytes, user: User, request: HttpRequest | None = None
) -> Reply:
    kind = care_communication.EVENT
    try:
        message = Message(load(payload))
        incoming = care_communication.read(message)
    except BadMessage as error:
        return _refused(payload, user, kind, 400, MessageResult.REJECTED, str(error))
    if not _own_unit(incoming.sender, user):
        return _refused(
            payload,
            user,
            kind,
            403,
            MessageResult.FORBIDDEN,
            f"the sender {incoming.sender.label} is no unit of your municipality",
        )
    earlier = InboundMessage.objects.filter(
        message_type=kind,
        message_id=incoming.message_id,
        sender=incoming.sender.sor or incoming.sender.ean,
        result__in=PROCESSED,
    ).first()
    if earlier is not None:
        return Reply(200, {"result": "duplicate", "acknowledgement": earlier.acknowledgement})
    parties = ack.parties_of(message.data)
    answer = ack.acknowledgement(parties, timezone.now()) if parties else None
    with transaction.atomic():
        discharge = _discharge_for(incoming, user)
        result = MessageResult.RECORDED if discharge else MessageResult.IGNORED
        _log(
            payload,
            user=user,
            message_type=kind,
            result=result,
            message_id=incoming.message_id,
            sender=incoming.sender.sor or incoming.sender.ean,
            discharge=discharge,
            answer=answer,
        )
        if discharge is not None:
            notifications.queue(
                discharge=discharge,
                to_ward=True,
                subject=_("Svar fra kommunen om udvidet behandlingsansvar"),
                body=_(
                    "%(sender)s har sendt en korrespondancemeddelelse om en patient "
                    "udskrevet fra %(ward)s. Læs den på udskrivelsens side i systemet."
                )
                % {"sender": incoming.sender.label, "ward": discharge.ward.name},
            )
        log_access(
            user=user,
            action=AccessAction.IMPORT,
            request=request,
            obj=discharge,
            patient=discharge.patient if discharge else None,
        )
    return Reply(200, {"result": "recorded", "acknowledgement": answer})


def receive_acknowledgement(
    *, payload: bytes, user: User, request: HttpRequest | None = None
) -> Reply:
    """An Acknowledgement of one of the ward's CareCommunications; it is not acknowledged in
    turn (MedCom: an acknowledgement is never acknowledged)."""
    kind = ack.EVENT
    try:
        message = Message(load(payload))
        answer = ack.read_answer(message)
        sender = message.org(message.header.get("sender"), "sender")
    except BadMessage as error:
        _log(payload, user=user, message_type=kind, result=MessageResult.REJECTED, error=str(error))
        return Reply(400, {"detail": str(error), "errors": {"bundle": [str(error)]}})
    if not _own_unit(sender, user):
        text = f"the sender {sender.label} is no unit of your municipality"
        _log(payload, user=user, message_type=kind, result=MessageResult.FORBIDDEN, error=text)
        return Reply(403, {"detail": text, "errors": {"bundle": [text]}})
    sent = Notification.objects.filter(channel=Channel.MEDCOM, message_id=answer.acknowledged_id)
    if not user.is_admin_role:
        sent = sent.filter(municipality_id=user.municipality_id)
    with transaction.atomic():
        updated = sent.update(
            ack_code=answer.code, ack_text=answer.text[:2000], acknowledged_at=timezone.now()
        )
        result = MessageResult.RECORDED if updated else MessageResult.IGNORED
        _log(
            payload,
            user=user,
            message_type=kind,
            result=result,
            message_id=message.header_id,
            sender=sender.sor or sender.ean,
        )
    return Reply(200, {"result": "recorded"})
