"""Reading a MedCom message Bundle: the JSON, its validity as FHIR R4, its resources and their
references, identifiers, and the Provenance that names the message's event."""

import contextlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from contacts.sor import EAN_SYSTEMS, SOR_SYSTEM
from handover import rules

CPR_SYSTEM = "urn:oid:1.2.208.176.1.2"
EVENT_SYSTEM = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-eventCodes"
ACTIVITY_SYSTEM = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-activityCodes"
Resource = dict[str, Any]


class BadMessage(ValueError):
    """The message cannot be acted on; the text says why (answered 400, acknowledged as a
    fatal error). ``code`` is the MedCom acknowledgement error code that fits, if any."""

    def __init__(self, text: str, code: str = "") -> None:
        super().__init__(text)
        self.code = code


@dataclass(frozen=True)
class Org:
    """An Organization as MedCom names it: by SOR code and/or EAN location number."""

    sor: str
    ean: str
    name: str

    @property
    def label(self) -> str:
        return self.name or self.sor or self.ean


def load(payload: bytes) -> Resource:
    """The message as JSON: a Bundle of type ``message`` that validates as FHIR R4."""
    try:
        data = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadMessage("not JSON") from error
    except RecursionError as error:
        raise BadMessage("the JSON is nested too deeply") from error
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise BadMessage("not a FHIR Bundle")
    if data.get("type") != "message":
        raise BadMessage("not a message Bundle (type must be 'message')")
    if _holds_nul(data):
        raise BadMessage("the message holds a NUL character")
    try:
        Bundle.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        raise BadMessage(f"invalid FHIR: {where}: {first.get('msg', '')}") from error
    except KeyError as error:  # fhir.resources looks each resource's model up by its type
        raise BadMessage(f"invalid FHIR: unknown resource type {error}") from error
    return data


def _holds_nul(data: Any) -> bool:
    """Whether any key or text in the JSON holds NUL (PostgreSQL cannot store it in text)."""
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


class Message:
    """A validated message Bundle: its resources by type and its references resolved."""

    def __init__(self, data: Resource) -> None:
        self.data = data
        self.entries: list[Resource] = [e for e in data.get("entry") or [] if isinstance(e, dict)]
        self.resources: list[Resource] = [e.get("resource") or {} for e in self.entries]
        self._index: dict[str, Resource] = {}
        for entry, resource in zip(self.entries, self.resources, strict=True):
            if entry.get("fullUrl"):
                self._index[entry["fullUrl"]] = resource
            if resource.get("resourceType") and resource.get("id"):
                self._index[f"{resource['resourceType']}/{resource['id']}"] = resource
        if not self.resources or self.resources[0].get("resourceType") != "MessageHeader":
            raise BadMessage("the first entry must be the MessageHeader")
        self.header = self.resources[0]
        if not self.header.get("id"):
            raise BadMessage("the MessageHeader has no id")

    @property
    def header_id(self) -> str:
        return str(self.header["id"])

    @property
    def event_code(self) -> str:
        coding = self.header.get("eventCoding") or {}
        return str(coding.get("code", "")) if coding.get("system") == EVENT_SYSTEM else ""

    @property
    def profiles(self) -> list[str]:
        return list((self.data.get("meta") or {}).get("profile") or [])

    def of_type(self, kind: str) -> list[Resource]:
        return [r for r in self.resources if r.get("resourceType") == kind]

    def resolve(self, reference: Any, kind: str) -> Resource:
        target = reference.get("reference", "") if isinstance(reference, dict) else ""
        resource = self._index.get(target) or self._index.get("/".join(target.rsplit("/", 2)[-2:]))
        if resource is None or resource.get("resourceType") != kind:
            raise BadMessage(f"unresolved reference to {kind}: {target or '(none)'}")
        return resource

    def org(self, reference: Any, role: str) -> Org:
        organisation = self.resolve(reference, "Organization")
        found = Org(
            sor=identifier(organisation, SOR_SYSTEM),
            ean=next((v for system in EAN_SYSTEMS if (v := identifier(organisation, system))), ""),
            name=str(organisation.get("name", "")),
        )
        if not found.sor and not found.ean:
            raise BadMessage(f"the {role} has neither a SOR code nor an EAN location number")
        return found

    def current_activity(self) -> str:
        """The event of this message: the activity of the Provenance whose target is its
        MessageHeader (a follow-up repeats the Provenances of the messages before it)."""
        mine = {f"MessageHeader/{self.header_id}"} | {
            e.get("fullUrl") for e in self.entries if e.get("resource") is self.header
        }
        for provenance in self.of_type("Provenance"):
            targets = {t.get("reference") for t in provenance.get("target") or []}
            if targets & mine:
                codings = (provenance.get("activity") or {}).get("coding") or []
                for coding in codings:
                    if coding.get("code"):
                        return str(coding["code"])
        raise BadMessage("no Provenance for this MessageHeader names the event")


def cpr_numbers(payload: str) -> list[str]:
    """Every valid CPR number a payload names under MedCom's CPR system, however malformed the
    rest of it: the message log's reader is logged as reading these citizens' data."""
    try:
        data = json.loads(payload)
    except (ValueError, RecursionError):
        return []
    found: list[str] = []
    pending = [data]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if node.get("system") == CPR_SYSTEM and isinstance(node.get("value"), str):
                with contextlib.suppress(rules.InvalidCPR):
                    found.append(rules.parse_cpr(node["value"]).number)
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return list(dict.fromkeys(found))


def episode_id(value: str) -> str:
    """A forløbsid as the stay's key: MedCom's own examples write the same one with and without
    ``urn:uuid:``."""
    return value.strip().lower().removeprefix("urn:uuid:")


def identifier(resource: Resource, system: str) -> str:
    for found in resource.get("identifier") or []:
        if isinstance(found, dict) and found.get("system") == system and found.get("value"):
            return str(found["value"])
    return ""


def moment(text: Any, field: str) -> datetime:
    """A FHIR dateTime with its offset; a time without one is ambiguous across DST."""
    if not isinstance(text, str) or "T" not in text:
        raise BadMessage(f"{field} must be a date and time with an offset")
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise BadMessage(f"{field} is not a valid time: {text}") from error
    if parsed.tzinfo is None:
        raise BadMessage(f"{field} must be a date and time with an offset")
    return parsed
