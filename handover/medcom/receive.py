"""Receiving a HospitalNotification: trust, repeats, the effect, the log and the answer.

The trust boundary comes first: a message may only touch the stays and discharges of its
sender's own hospital, and its sender (by SOR code or EAN) must belong to the hospital of the
account that posts it. Anything else is refused (403) before anything but its log row is
written. A MessageHeader.id the same hospital sent before is a repeat: with the same content it
is answered as the first time, with other content it is a conflict (409). Every message is
logged with what became of it and answered with a MedCom Acknowledgement.
"""

import hashlib
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from contacts import sor
from contacts.models import Hospital
from handover.medcom import acknowledgement as ack
from handover.medcom.bundle import BadMessage, Org
from handover.medcom.hospital_notification import HospitalNotification, parse
from handover.models import AccessAction, AccessOutcome, InboundMessage, MessageResult
from handover.models.messages import PROCESSED
from handover.services import Conflict
from handover.services.access import log_access
from handover.services.stays import Effect, receive_notification

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reply:
    """The HTTP answer to a posted message: status and JSON body (with the acknowledgement)."""

    status: int
    body: dict[str, Any] = field(default_factory=dict)


class Refused(Exception):
    """The message is refused: the HTTP status, the MessageResult and the acknowledgement's
    problem."""

    def __init__(self, status: int, result: str, problem: ack.Problem) -> None:
        super().__init__(problem.text)
        self.status, self.result, self.problem = status, result, problem


def content_hash(payload: bytes) -> str:
    """The message's content: its JSON written canonically (a re-sent message may be spaced
    differently), or its bytes when it is no JSON."""
    try:
        canonical = json.dumps(json.loads(payload), sort_keys=True, separators=(",", ":"))
    except (ValueError, RecursionError):
        return hashlib.sha256(payload).hexdigest()
    return hashlib.sha256(canonical.encode()).hexdigest()


def _text(value: bytes) -> str:
    """What PostgreSQL can keep of a received body: undecodable bytes and NUL become U+FFFD."""
    return value.decode(errors="replace").replace("\x00", "\ufffd")


def _party(org: Org) -> sor.Party | None:
    return sor.find(sor=org.sor, ean=org.ean) if org.sor or org.ean else None


def _senders_hospital(message: HospitalNotification, user: User) -> tuple[Hospital, sor.Party]:
    """The sender's hospital, which must be the account's (an administrator's: any)."""
    sender = _party(message.sender)
    if sender is None or sender.hospital is None:
        raise Refused(
            403,
            MessageResult.FORBIDDEN,
            ack.problem_for(
                f"the sender {message.sender.label} is no hospital unit known here",
                "MSG_NO_MATCH",
                issue="security",
            ),
        )
    if not user.is_admin_role and sender.hospital.pk != user.hospital_id_in_scope:
        raise Refused(
            403,
            MessageResult.FORBIDDEN,
            ack.problem_for(
                f"the sender {message.sender.label} does not belong to your hospital",
                "MSG_NO_MATCH",
                issue="security",
            ),
        )
    return sender.hospital, sender


class Receiver:
    """One message's way through: parse, trust, repeats, effect, log and answer."""

    def __init__(self, *, payload: bytes, user: User, request: HttpRequest | None) -> None:
        self.payload, self.user, self.request = payload, user, request
        self.at = timezone.now()
        self.hash = content_hash(payload)
        self.hospital: Hospital | None = None
        self.message: HospitalNotification | None = None
        self.raw: Any = None

    def receive(self) -> Reply:
        try:
            return self._receive()
        except Refused as refusal:
            return self._refuse(refusal)

    def _receive(self) -> Reply:
        try:
            self.raw = json.loads(self.payload)
        except (ValueError, RecursionError):
            self.raw = None
        try:
            _message, self.message = parse(self.payload)
        except BadMessage as error:
            raise Refused(
                400, MessageResult.REJECTED, ack.problem_for(str(error), error.code)
            ) from error
        self.hospital, sender = _senders_hospital(self.message, self.user)
        earlier = self._earlier()
        if earlier is not None:
            return self._repeat(earlier)
        receiver = _party(self.message.receiver)
        if receiver is None or receiver.municipality is None:
            raise Refused(
                400,
                MessageResult.REJECTED,
                ack.problem_for(
                    f"the receiver {self.message.receiver.label} is no municipal unit known here",
                    "MSG_Receiver_Identifier_UNKNOWN",
                ),
            )
        provider = _party(self.message.provider)
        if provider is not None and provider.hospital not in (None, self.hospital):
            raise Refused(
                403,
                MessageResult.FORBIDDEN,
                ack.problem_for(
                    f"the stay's department {self.message.provider.label} belongs to another "
                    "hospital",
                    "MSG_NO_MATCH",
                    issue="security",
                ),
            )
        ward = (provider.ward if provider else None) or sender.ward
        try:
            with transaction.atomic():
                effect = receive_notification(
                    message=self.message,
                    hospital=self.hospital,
                    ward=ward,
                    receiver=receiver,
                    by=self.user,
                    request=self.request,
                )
                answer = self._log(effect.result, effect=effect)
        except IntegrityError as error:
            earlier = self._earlier()  # the same message, acted on by a concurrent request
            if earlier is None:
                # The database's own text may quote a CPR number: only the fact is told.
                raise Refused(
                    400,
                    MessageResult.REJECTED,
                    ack.problem_for("the message conflicts with stored data", issue="processing"),
                ) from error
            return self._repeat(earlier)
        except (ValidationError, Conflict) as error:
            raise Refused(
                400, MessageResult.REJECTED, ack.problem_for(_reason(error), issue="processing")
            ) from error
        body: dict[str, Any] = {"result": effect.result, "acknowledgement": answer}
        if effect.discharge is not None:
            body["discharge"] = effect.discharge.pk
        return Reply(201 if effect.result == MessageResult.CREATED else 200, body)

    def _earlier(self) -> InboundMessage | None:
        assert self.message is not None  # noqa: S101 - parsed before
        return (
            InboundMessage.objects.filter(
                hospital=self.hospital, message_id=self.message.message_id, result__in=PROCESSED
            )
            .order_by("received_at")
            .first()
        )

    def _repeat(self, earlier: InboundMessage) -> Reply:
        if earlier.content_hash != self.hash:
            raise Refused(
                409,
                MessageResult.CONFLICT,
                ack.problem_for(
                    "this MessageHeader.id was received before with other content",
                    "MSG_DUPLICATE_ID",
                    issue="duplicate",
                ),
            )
        self._log(
            MessageResult.DUPLICATE, answer=earlier.acknowledgement, discharge=earlier.discharge
        )
        return Reply(200, {"result": "duplicate", "acknowledgement": earlier.acknowledgement})

    def _refuse(self, refusal: Refused) -> Reply:
        answer = self._log(refusal.result, problem=refusal.problem)
        body: dict[str, Any] = {
            "detail": refusal.problem.text,
            "errors": {"bundle": [refusal.problem.text]},
        }
        if answer is not None:
            body["acknowledgement"] = answer
        return Reply(refusal.status, body)

    def _log(
        self,
        result: str,
        *,
        effect: Effect | None = None,
        problem: ack.Problem | None = None,
        answer: Any = None,
        discharge: Any = None,
    ) -> Any:
        """The message's row in the message log and in the access log; the acknowledgement
        (``answer``, or a new one) it was answered with."""
        if answer is None:
            parties = ack.parties_of(self.raw)
            answer = ack.acknowledgement(parties, self.at, problem) if parties else None
        message = self.message
        discharge = effect.discharge if effect else discharge
        InboundMessage.objects.create(
            hospital=self.hospital or _account_hospital(self.user),
            received_by=self.user,
            message_type="hospital-notification-message",
            sender=(message.sender.sor or message.sender.ean) if message else "",
            event=("deceased" if message.deceased else message.activity) if message else "",
            message_id=message.message_id if message else "",
            content_hash=self.hash,
            payload=_text(self.payload),
            result=result,
            error=problem.text if problem else "",
            stay=effect.stay if effect else None,
            discharge=discharge,
            acknowledgement=answer,
        )
        log_access(
            user=self.user,
            action=AccessAction.IMPORT,
            request=self.request,
            obj=discharge,
            patient=discharge.patient if discharge else None,
            outcome=AccessOutcome.DENIED if problem else AccessOutcome.OK,
        )
        return answer


def _account_hospital(user: User) -> Hospital | None:
    hospital_id = user.hospital_id_in_scope
    return Hospital.objects.filter(pk=hospital_id).first() if hospital_id else None


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(f"{name}: {' '.join(texts)}" for name, texts in error.message_dict.items())
    return str(error)


def receive(*, payload: bytes, user: User, request: HttpRequest | None = None) -> Reply:
    return Receiver(payload=payload, user=user, request=request).receive()
