"""Building MedCom resources: ids, narratives, organisations, MessageHeaders and Provenances, as
MedCom's profiles write them (every resource has an ``id`` and a generated narrative)."""

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.template.loader import render_to_string

from contacts.sor import SOR_SYSTEM
from handover.medcom.bundle import ACTIVITY_SYSTEM, EVENT_SYSTEM, Org, Resource

EAN_SYSTEM = "https://www.gs1.org/gln"
SOR_ENDPOINT = "https://sor2.sum.dsdn.dk/#id={}"
MESSAGING = "http://medcomfhir.dk/ig/messaging/StructureDefinition/"
DESTINATION_USE = {
    "url": MESSAGING + "medcom-messaging-destinationUseExtension",
    "valueCoding": {
        "system": "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-destinationUse",
        "code": "primary",
    },
}


def new_id() -> str:
    return str(uuid.uuid4())


def instant(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def narrative(title: str, facts: Iterable[tuple[str, Any]] = ()) -> dict[str, str]:
    """The resource's human-readable text (MedCom: every resource but the Bundle has one)."""
    shown = [(label, value) for label, value in facts if value not in (None, "")]
    div = render_to_string("medcom/narrative.xhtml", {"title": title, "facts": shown}).strip()
    return {"status": "generated", "div": div}


def organisation(
    org: Org, resource_id: str, profile: str = "medcom-messaging-organization"
) -> Resource:
    identifiers = []
    if org.ean:
        identifiers.append({"system": EAN_SYSTEM, "value": org.ean})
    if org.sor:
        identifiers.append({"system": SOR_SYSTEM, "value": org.sor})
    return {
        "resourceType": "Organization",
        "id": resource_id,
        "meta": {"profile": [MESSAGING + profile]},
        "text": narrative(org.name, [("SOR", org.sor), ("EAN", org.ean)]),
        "identifier": identifiers,
        "name": org.name,
    }


def message_header(
    *,
    header_id: str,
    profile: str,
    event: str,
    sender: Org,
    sender_id: str,
    receiver: Org,
    receiver_id: str,
    **extra: Any,
) -> Resource:
    return {
        "resourceType": "MessageHeader",
        "id": header_id,
        "meta": {"profile": [profile]},
        "text": narrative(
            f"MessageHeader {header_id}",
            [("Hændelse", event), ("Afsender", sender.label), ("Modtager", receiver.label)],
        ),
        "eventCoding": {"system": EVENT_SYSTEM, "code": event},
        "destination": [
            {
                "extension": [DESTINATION_USE],
                "endpoint": SOR_ENDPOINT.format(receiver.sor),
                "receiver": {"reference": f"Organization/{receiver_id}"},
            }
        ],
        "sender": {"reference": f"Organization/{sender_id}"},
        "source": {"endpoint": SOR_ENDPOINT.format(sender.sor)},
        **extra,
    }


def provenance(
    *,
    header_id: str,
    activity: str,
    at: datetime,
    agent_id: str,
    entity: list[Resource] | None = None,
    profile: str = MESSAGING + "medcom-messaging-provenance",
) -> Resource:
    resource_id = new_id()
    found: Resource = {
        "resourceType": "Provenance",
        "id": resource_id,
        "meta": {"profile": [profile]},
        "text": narrative(f"Provenance {resource_id}", [("Aktivitet", activity)]),
        "target": [{"reference": f"MessageHeader/{header_id}"}],
        "occurredDateTime": instant(at),
        "recorded": instant(at),
        "activity": {"coding": [{"system": ACTIVITY_SYSTEM, "code": activity}]},
        "agent": [{"who": {"reference": f"Organization/{agent_id}"}}],
    }
    if entity:
        found["entity"] = entity
    return found


def bundle(profile: str, resources: list[Resource], at: datetime) -> Resource:
    """A message Bundle; each entry's fullUrl is the resource's relative reference made
    absolute, so that references by ``Type/id`` resolve."""
    return {
        "resourceType": "Bundle",
        "id": new_id(),
        "meta": {"profile": [profile]},
        "type": "message",
        "timestamp": instant(at),
        "entry": [
            {
                "fullUrl": f"https://medcomfhir.dk/{r['resourceType']}/{r['id']}",
                "resource": r,
            }
            for r in resources
        ],
    }
