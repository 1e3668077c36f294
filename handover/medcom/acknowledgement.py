"""MedCom Acknowledgement (kvittering): the answer to every message received, and reading the
answers a municipality sends to the messages the product sends.

The acknowledgement goes back to the message's sender from its receiver; it names the message
by its MessageHeader.id (``response.identifier``) and answers ``ok`` or ``fatal-error`` with an
OperationOutcome that says why (MedCom's error codes where one fits).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from handover.medcom import resources
from handover.medcom.bundle import BadMessage, Message, Org, Resource

ACK = "http://medcomfhir.dk/ig/acknowledgement/StructureDefinition/"
PROFILE = ACK + "medcom-messaging-acknowledgement"
HEADER_PROFILE = ACK + "medcom-messaging-acknowledgementHeader"
OUTCOME_PROFILE = ACK + "medcom-acknowledgement-operationoutcome"
EVENT = "acknowledgement-message"
MEDCOM_CODES = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-acknowledgement-error-codes"
HL7_CODES = "http://terminology.hl7.org/CodeSystem/operation-outcome"
OK, FATAL = "ok", "fatal-error"


@dataclass(frozen=True)
class Problem:
    """Why a message is refused: FHIR issue type, an error code and its system, the reason."""

    issue: str  # FHIR issue-type: structure, value, security, duplicate, not-found, processing
    code: str
    system: str
    text: str


def problem_for(text: str, code: str = "", issue: str = "structure") -> Problem:
    """A refusal's problem: MedCom's own error code where the reason has one, else HL7's."""
    if code in MEDCOM:
        return Problem(MEDCOM[code], code, MEDCOM_CODES, text)
    return Problem(issue, code or "MSG_BAD_FORMAT", HL7_CODES, text)


# MedCom's acknowledgement error codes this product answers with, and their FHIR issue types.
MEDCOM = {
    "MSG_Receiver_Identifier_UNKNOWN": "not-found",
    "MSG_Receiver_Identifier_MISSING": "required",
    "MSG_RECEIVER_UNABLE_TO_RECEIVE_MSG_TYPE": "not-supported",
    "MSG_VALUESET_VALUE_UNKNOWN": "code-invalid",
}


@dataclass(frozen=True)
class Parties:
    """What an answer needs of the message it answers: its id, its sender and receiver."""

    header_id: str
    sender: Org
    receiver: Org
    provenance: Resource | None = None


def parties_of(data: Any) -> Parties | None:
    """The answered message's id and organisations, read from the raw Bundle as far as it can
    be read: a message refused as invalid FHIR is answered all the same. None when not even
    its MessageHeader.id can be read."""
    try:
        message = Message(data if isinstance(data, dict) else {})
    except BadMessage:
        return None
    header = message.header
    try:
        sender = message.org(header.get("sender"), "sender")
    except BadMessage:
        sender = Org("", "", "")
    try:
        receiver = message.org(((header.get("destination") or [{}])[0]).get("receiver"), "receiver")
    except BadMessage:
        receiver = Org("", "", "")
    mine = f"MessageHeader/{message.header_id}"
    current = next(
        (
            p
            for p in message.of_type("Provenance")
            if mine in {t.get("reference") for t in p.get("target") or []}
        ),
        None,
    )
    return Parties(message.header_id, sender, receiver, current)


def acknowledgement(parties: Parties, at: datetime, problem: Problem | None = None) -> Resource:
    """The Acknowledgement Bundle answering the message: ``ok``, or ``fatal-error`` naming the
    problem. It is sent by the message's receiver to its sender."""
    header_id = resources.new_id()
    ours, theirs = resources.new_id(), resources.new_id()
    response: dict[str, Any] = {
        "identifier": parties.header_id,
        "code": OK if problem is None else FATAL,
    }
    found: list[Resource] = []
    if problem is not None:
        outcome_id = resources.new_id()
        response["details"] = {"reference": f"OperationOutcome/{outcome_id}"}
        found.append(
            {
                "resourceType": "OperationOutcome",
                "id": outcome_id,
                "meta": {"profile": [OUTCOME_PROFILE]},
                "text": resources.narrative(
                    f"OperationOutcome {outcome_id}", [(problem.code, problem.text)]
                ),
                "issue": [
                    {
                        "severity": "error",
                        "code": problem.issue,
                        "details": {
                            "coding": [{"system": problem.system, "code": problem.code}],
                            "text": problem.text,
                        },
                    }
                ],
            }
        )
    header = resources.message_header(
        header_id=header_id,
        profile=HEADER_PROFILE,
        event=EVENT,
        sender=parties.receiver,
        sender_id=ours,
        receiver=parties.sender,
        receiver_id=theirs,
        response=response,
    )
    answer = resources.provenance(
        header_id=header_id,
        activity="acknowledgement",
        at=at,
        agent_id=ours,
        entity=[{"role": "revision", "what": {"reference": f"MessageHeader/{parties.header_id}"}}],
    )
    entries = [header, answer]
    if parties.provenance is not None:
        entries.append(parties.provenance)  # the acknowledged message's own, as MedCom asks
    entries += [
        resources.organisation(parties.receiver, ours),
        resources.organisation(parties.sender, theirs),
        *found,
    ]
    return resources.bundle(PROFILE, entries, at)


@dataclass(frozen=True)
class Answer:
    """An acknowledgement received for a message the product sent."""

    acknowledged_id: str  # the MessageHeader.id it answers
    code: str  # ok, transient-error, fatal-error
    text: str


def read_answer(message: Message) -> Answer:
    if message.event_code != EVENT:
        raise BadMessage(f"not an Acknowledgement: the event is {message.event_code or '(none)'}")
    response = message.header.get("response") or {}
    code = str(response.get("code", ""))
    if not response.get("identifier") or code not in (OK, "transient-error", FATAL):
        raise BadMessage("the Acknowledgement names no message or no response code")
    texts = []
    for outcome in message.of_type("OperationOutcome"):
        for issue in outcome.get("issue") or []:
            details = issue.get("details") or {}
            codes = [c.get("code", "") for c in details.get("coding") or []]
            texts.append(" ".join(filter(None, [*codes, details.get("text", "")])))
    return Answer(str(response["identifier"]), code, "; ".join(texts))
