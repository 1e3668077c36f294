"""Reading a MedCom HospitalNotification (FHIR R4 message Bundle) into the facts we act on.

Structure is validated with ``fhir.resources`` (its R4B models: R4B only adds resources and
fixes to R4, and MedCom's messages validate against it); the MedCom-specific rules — which
Provenance decides the event, CPR and SOR identifier systems, offsets on every time — are
checked here.
"""

import importlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from handover import rules

CPR_SYSTEM = "urn:oid:1.2.208.176.1.2"
SOR_SYSTEM = "urn:oid:1.2.208.176.1.1"
_OFFSET = re.compile(r"(Z|[+-]\d{2}:\d{2})$")


class BadMessage(ValueError):
    """The message cannot be acted on; the text says why (answered 400)."""


@dataclass(frozen=True)
class HospitalNotification:
    message_id: str
    sender: str
    activity: str
    encounter_id: str
    cpr: str
    patient_name: str
    deceased: bool
    ward_sor: str
    receiver_name: str
    admitted_at: datetime
    discharged_at: datetime | None


def _reference_index(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Resources by fullUrl and by "Type/id", so either form of reference resolves."""
    index: dict[str, dict[str, Any]] = {}
    for entry in entries:
        resource = entry.get("resource") or {}
        if entry.get("fullUrl"):
            index[entry["fullUrl"]] = resource
        if resource.get("resourceType") and resource.get("id"):
            index[f"{resource['resourceType']}/{resource['id']}"] = resource
    return index


def _resolve(index: dict[str, dict[str, Any]], reference: Any, kind: str) -> dict[str, Any]:
    target = (reference or {}).get("reference", "") if isinstance(reference, dict) else ""
    resource = index.get(target) or index.get("/".join(target.rsplit("/", 2)[-2:]))
    if resource is None or resource.get("resourceType") != kind:
        raise BadMessage(f"unresolved reference to {kind}: {target or '(none)'}")
    return resource


def _identifier(resource: dict[str, Any], system: str) -> str:
    for identifier in resource.get("identifier") or []:
        if identifier.get("system") == system and identifier.get("value"):
            return str(identifier["value"])
    return ""


def _moment(text: Any, field: str) -> datetime:
    if not isinstance(text, str) or "T" not in text or not _OFFSET.search(text):
        raise BadMessage(f"{field} must be a date and time with an offset")
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise BadMessage(f"{field} is not a valid time: {text}") from error


def _validate(data: dict[str, Any]) -> None:
    try:
        if not _validates_apart(data):
            Bundle.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        raise BadMessage(f"invalid FHIR: {where}: {first.get('msg', '')}") from error


def _validates_apart(data: dict[str, Any]) -> bool:
    """Whether the Bundle's envelope and each entry's resource validate, each by its own model.

    ``Bundle.model_validate`` judges the same, but finds each resource's model by importing it
    by name, entry by entry, which cost more than the validation. Anything that does not
    validate this way (or is not of the shape it expects) is left to ``Bundle.model_validate``,
    which says what is wrong in its own words.
    """
    entries = data.get("entry")
    if not isinstance(entries, list) or not all(
        isinstance(entry, dict) and isinstance(entry.get("resource"), dict) for entry in entries
    ):
        return False
    models = []
    for entry in entries:
        kind = entry["resource"].get("resourceType")
        model = _model(kind)
        if model is None:  # fhir.resources' own Bundle fails on it with a KeyError
            raise BadMessage(f"invalid FHIR: unknown resource type {kind!r}")
        models.append(model)
    bare = [{key: value for key, value in e.items() if key != "resource"} for e in entries]
    try:
        Bundle.model_validate({**data, "entry": bare})
        for model, entry in zip(models, entries, strict=True):
            model.model_validate(entry["resource"])
    except ValidationError:
        return False
    return True


@cache
def _model(kind: Any) -> Any:
    """The fhir.resources (R4B) model of a resource type, or None."""
    if not isinstance(kind, str) or not kind.isalpha():
        return None
    try:
        module = importlib.import_module(f"fhir.resources.R4B.{kind.lower()}")
    except ImportError:
        return None
    return getattr(module, kind, None)


def parse(payload: bytes) -> HospitalNotification:
    try:
        data = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadMessage("not JSON") from error
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise BadMessage("not a FHIR Bundle")
    if data.get("type") != "message":
        raise BadMessage("not a message Bundle (type must be 'message')")
    _validate(data)

    entries = data.get("entry") or []
    resources = [entry.get("resource") or {} for entry in entries]
    index = _reference_index(entries)
    headers = [r for r in resources if r.get("resourceType") == "MessageHeader"]
    if not headers or resources[0].get("resourceType") != "MessageHeader":
        raise BadMessage("the first entry must be the MessageHeader")
    header = headers[0]
    if not header.get("id"):
        raise BadMessage("the MessageHeader has no id")
    patients = [r for r in resources if r.get("resourceType") == "Patient"]
    if len(patients) != 1:
        raise BadMessage(f"a notification must carry exactly one Patient, not {len(patients)}")

    header_refs = {f"MessageHeader/{header.get('id')}"} | {
        entry.get("fullUrl") for entry in entries if entry.get("resource") is header
    }
    activity = ""
    for provenance in (r for r in resources if r.get("resourceType") == "Provenance"):
        targets = {t.get("reference") for t in provenance.get("target") or []}
        if targets & header_refs:
            codings = (provenance.get("activity") or {}).get("coding") or []
            activity = codings[0].get("code", "") if codings else ""
    if not activity:
        raise BadMessage("no Provenance for this MessageHeader names the event")

    focus = (header.get("focus") or [None])[0]
    encounter = _resolve(index, focus, "Encounter")
    patient = _resolve(index, encounter.get("subject"), "Patient")
    provider = _resolve(index, encounter.get("serviceProvider"), "Organization")
    receiver = _resolve(
        index, ((header.get("destination") or [{}])[0]).get("receiver"), "Organization"
    )
    sender = _resolve(index, header.get("sender"), "Organization")

    cpr_text = _identifier(patient, CPR_SYSTEM)
    if not cpr_text:
        raise BadMessage("the Patient has no CPR identifier")
    try:
        cpr = rules.parse_cpr(cpr_text).number
    except rules.InvalidCPR as error:
        raise BadMessage(f"invalid CPR: {error}") from error
    ward_sor = _identifier(provider, SOR_SYSTEM)
    if not ward_sor:
        raise BadMessage("the serviceProvider has no SOR identifier")

    period = encounter.get("period") or {}
    admitted_at = _moment(period.get("start"), "Encounter.period.start")
    discharged_at = _moment(period["end"], "Encounter.period.end") if period.get("end") else None
    if discharged_at is not None and discharged_at <= admitted_at:
        raise BadMessage("Encounter.period.end is before its start")

    name = (patient.get("name") or [{}])[0]
    return HospitalNotification(
        message_id=str(header.get("id", "")),
        sender=_identifier(sender, SOR_SYSTEM) or str(sender.get("name", "")),
        activity=activity,
        encounter_id=str(encounter.get("id", "")),
        cpr=cpr,
        patient_name=" ".join([*name.get("given", []), name.get("family", "")]).strip(),
        deceased=bool(patient.get("deceasedBoolean") or patient.get("deceasedDateTime")),
        ward_sor=ward_sor,
        receiver_name=str(receiver.get("name", "")),
        admitted_at=admitted_at,
        discharged_at=discharged_at,
    )
