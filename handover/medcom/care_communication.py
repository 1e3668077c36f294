"""MedCom CareCommunication (korrespondancemeddelelse, CareCommunication 5.x) with the category
"Udvidet behandlingsansvar" (``extended-care-responsibility``, statistics code
``MCM:FDIS91#extended-care-responsibility``): the message the discharging ward sends the
municipality about the responsibility it holds, and the municipality's replies.

A message carries the responsibility, its end, the number to call (the one the ward documented)
and the treatment plan as its text; its author is the nurse or doctor who documented, extended
or ended it, with that number as contact.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from accounts.models import Role, User
from handover import rules
from handover.medcom import resources
from handover.medcom.bundle import (
    CPR_SYSTEM,
    BadMessage,
    Message,
    Org,
    Resource,
    episode_id,
    moment,
)
from handover.medcom.export import episode_of_care
from handover.models import Discharge

CC = "http://medcomfhir.dk/ig/carecommunication/StructureDefinition/"
CORE = "http://medcomfhir.dk/ig/core/StructureDefinition/"
PROFILE = CC + "medcom-careCommunication-message"
EVENT = "care-communication-message"
DEFINITION = (
    "http://medcomfhir.dk/ig/messagedefinitions/MessageDefinition/"
    "MedComCareCommunicationMessageDefinition|5.0"
)
CATEGORY_SYSTEM = (
    "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-careCommunication-categoryCodes"
)
CATEGORY = "extended-care-responsibility"
TOPIC = "Udvidet behandlingsansvar"
ROLE_TEXT: dict[str, str] = {Role.WARD_NURSE: "Sygeplejerske", Role.WARD_DOCTOR: "Læge"}


@dataclass(frozen=True)
class Outgoing:
    """A CareCommunication ready for the outbox: its MessageHeader.id and Bundle."""

    message_id: str
    bundle: Resource


def text_of(discharge: Discharge, event: str) -> str:
    """The message's text: what happened, the responsibility with its end and number, the plan."""
    ends = discharge.responsibility_ends_at
    lines = [event]
    if ends is not None and discharge.is_open:
        lines.append(rules.epr_sentence(ends, discharge.papers_phone()))
    elif discharge.ended_at is not None:
        ended = timezone.localtime(discharge.ended_at)
        lines.append(f"Behandlingsansvaret ophørte {ended:%d-%m-%Y} kl. {ended:%H:%M}.")
    if discharge.treatment_plan.strip():
        lines += ["", "Lægefaglig behandlingsplan:", discharge.treatment_plan.strip()]
    return "\n".join(lines)


def care_communication(
    *, discharge: Discharge, by: User, sender: Org, receiver: Org, event: str, at: datetime
) -> Outgoing:
    """The CareCommunication about ``discharge`` from its ward (``sender``) to the
    municipality's unit (``receiver``); ``event`` says what happened, in Danish."""
    header_id = resources.new_id()
    ids = {kind: resources.new_id() for kind in ("patient", "communication", "encounter", "role")}
    ids |= {
        "practitioner": resources.new_id(),
        "sender": resources.new_id(),
        "receiver": resources.new_id(),
    }
    payload_id = f"urn:uuid:{resources.new_id()}"
    patient = discharge.patient
    given, _sep, family = discharge.patient_name.rpartition(" ")
    phone = discharge.phone_at(at).phone  # the author's number at the moment of sending
    text = text_of(discharge, event)
    communication: Resource = {
        "resourceType": "Communication",
        "id": ids["communication"],
        "meta": {"profile": [CC + "medcom-careCommunication-communication"]},
        "text": resources.narrative(TOPIC, [("Tekst", text)]),
        "identifier": [{"value": f"urn:uuid:{resources.new_id()}"}],
        "status": "unknown",
        "category": [{"coding": [{"system": CATEGORY_SYSTEM, "code": CATEGORY}]}],
        "subject": {"reference": f"Patient/{ids['patient']}"},
        "topic": {"text": TOPIC},
        "encounter": {"reference": f"Encounter/{ids['encounter']}"},
        "payload": [
            {
                "extension": [
                    {
                        "url": CORE + "medcom-core-datetime-extension",
                        "valueDateTime": resources.instant(at),
                    },
                    {
                        "url": CORE + "medcom-core-identifier-extension",
                        "valueIdentifier": {
                            "value": payload_id,
                            "assigner": {"reference": f"Organization/{ids['sender']}"},
                        },
                    },
                    {
                        "url": CORE + "medcom-core-practitioner-extension",
                        "valueReference": {"reference": f"PractitionerRole/{ids['role']}"},
                    },
                    {
                        "url": CORE + "medcom-core-contact-extension",
                        "valueContactPoint": {"system": "phone", "value": phone},
                    },
                ],
                "contentString": text,
            }
        ],
    }
    header = resources.message_header(
        header_id=header_id,
        profile=CC + "medcom-careCommunication-messageHeader",
        event=EVENT,
        sender=sender,
        sender_id=ids["sender"],
        receiver=receiver,
        receiver_id=ids["receiver"],
        focus=[{"reference": f"Communication/{ids['communication']}"}],
        definition=DEFINITION,
    )
    author_name = by.get_full_name() or by.username
    first, _sep, last = author_name.rpartition(" ")
    entries = [
        header,
        {
            "resourceType": "Patient",
            "id": ids["patient"],
            "meta": {"profile": [CORE + "medcom-core-patient"]},
            "text": resources.narrative(discharge.patient_name, [("CPR", patient.cpr_display)]),
            "identifier": [{"system": CPR_SYSTEM, "value": patient.cpr}],
            "name": [{"use": "official", "family": family, "given": [given] if given else []}],
        },
        communication,
        {
            "resourceType": "Encounter",
            "id": ids["encounter"],
            "meta": {"profile": [CORE + "medcom-core-encounter"]},
            "text": resources.narrative(discharge.get_encounter_class_display()),
            "status": "finished",
            "class": {
                "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                "code": discharge.encounter_class,
            },
            "subject": {"reference": f"Patient/{ids['patient']}"},
            "episodeOfCare": [{"identifier": episode_of_care(discharge)}],
            "period": {
                "start": resources.instant(discharge.admitted_at),
                "end": resources.instant(discharge.discharged_at),
            },
        },
        {
            "resourceType": "PractitionerRole",
            "id": ids["role"],
            "meta": {"profile": [CORE + "medcom-core-practitionerrole"]},
            "text": resources.narrative(
                author_name, [("Rolle", ROLE_TEXT.get(by.role, "Sundhedsperson"))]
            ),
            "practitioner": {"reference": f"Practitioner/{ids['practitioner']}"},
            "code": [{"text": ROLE_TEXT.get(by.role, "Sundhedsperson")}],
        },
        {
            "resourceType": "Practitioner",
            "id": ids["practitioner"],
            "meta": {"profile": [CORE + "medcom-core-practitioner"]},
            "text": resources.narrative(author_name),
            "name": [{"family": last or first, "given": [first] if last and first else []}],
        },
        resources.organisation(sender, ids["sender"]),
        resources.organisation(receiver, ids["receiver"]),
        resources.provenance(
            header_id=header_id,
            activity="new-message",
            at=at,
            agent_id=ids["sender"],
            entity=[{"role": "source", "what": {"identifier": {"value": payload_id}}}],
            profile=CC + "medcom-careCommunication-provenance",
        ),
    ]
    return Outgoing(header_id, resources.bundle(PROFILE, entries, at))


@dataclass(frozen=True)
class Incoming:
    """A CareCommunication received: whom it is from and to, the stay it names, its text."""

    message_id: str
    sender: Org
    receiver: Org
    cpr: str
    episode_ids: tuple[str, ...]
    category: str
    text: str
    author: str
    written_at: datetime


def read(message: Message) -> Incoming:
    if message.event_code != EVENT:
        raise BadMessage(f"not a CareCommunication: the event is {message.event_code or '(none)'}")
    header = message.header
    communication = message.resolve((header.get("focus") or [None])[0], "Communication")
    patient = message.resolve(communication.get("subject"), "Patient")
    cpr = next(
        (
            str(i.get("value"))
            for i in patient.get("identifier") or []
            if i.get("system") == CPR_SYSTEM
        ),
        "",
    )
    try:
        cpr = rules.parse_cpr(cpr).number
    except rules.InvalidCPR as error:
        raise BadMessage("the Patient has no valid CPR identifier") from error
    episode_ids: tuple[str, ...] = ()
    if communication.get("encounter"):
        encounter = message.resolve(communication["encounter"], "Encounter")
        episode_ids = tuple(
            episode_id(str((item.get("identifier") or {}).get("value", "")))
            for item in encounter.get("episodeOfCare") or []
            if (item.get("identifier") or {}).get("value")
        )
    codings = [
        c for category in communication.get("category") or [] for c in category.get("coding") or []
    ]
    texts, author, written = [], "", None
    for payload in communication.get("payload") or []:
        if payload.get("contentString"):
            texts.append(str(payload["contentString"]))
        for extension in payload.get("extension") or []:
            if extension.get("url", "").endswith("datetime-extension") and written is None:
                written = moment(extension.get("valueDateTime"), "payload date")
            if extension.get("url", "").endswith("practitioner-extension"):
                author = _author(message, extension.get("valueReference"))
    return Incoming(
        message_id=message.header_id,
        sender=message.org(header.get("sender"), "sender"),
        receiver=message.org(((header.get("destination") or [{}])[0]).get("receiver"), "receiver"),
        cpr=cpr,
        episode_ids=episode_ids,
        category=str(codings[0].get("code", "")) if codings else "",
        text="\n\n".join(texts),
        author=author,
        written_at=written or timezone.now(),
    )


def _author(message: Message, reference: Any) -> str:
    try:
        role = message.resolve(reference, "PractitionerRole")
        practitioner = message.resolve(role.get("practitioner"), "Practitioner")
    except BadMessage:
        return ""
    name = (practitioner.get("name") or [{}])[0]
    return " ".join([*name.get("given", []), name.get("family", "")]).strip()
