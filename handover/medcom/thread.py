"""A discharge's correspondence with the municipality: the ward's CareCommunications (sent when,
acknowledged how) and the municipality's replies, in order."""

import json
from dataclasses import dataclass
from datetime import datetime

from handover.medcom import care_communication
from handover.medcom.bundle import BadMessage, Message
from handover.models import Channel, Discharge, InboundMessage, MessageResult


@dataclass(frozen=True)
class Letter:
    at: datetime
    outgoing: bool
    text: str
    author: str = ""
    sent_at: datetime | None = None  # outgoing: when the transport took it
    ack_code: str = ""  # outgoing: ok, transient-error, fatal-error; "" while none came
    ack_text: str = ""
    error: str = ""  # outgoing: why the latest attempt failed


def thread(discharge: Discharge) -> list[Letter]:
    letters = [
        Letter(
            at=row.created_at,
            outgoing=True,
            text=row.body,
            sent_at=row.sent_at,
            ack_code=row.ack_code,
            ack_text=row.ack_text,
            error=row.last_error,
        )
        for row in discharge.notifications.filter(channel=Channel.MEDCOM)
    ]
    for received in InboundMessage.objects.filter(
        discharge=discharge,
        message_type=care_communication.EVENT,
        result=MessageResult.RECORDED,
    ):
        try:
            reply = care_communication.read(Message(json.loads(received.payload)))
        except (BadMessage, ValueError):
            continue
        letters.append(
            Letter(at=received.received_at, outgoing=False, text=reply.text, author=reply.author)
        )
    return sorted(letters, key=lambda letter: letter.at)
