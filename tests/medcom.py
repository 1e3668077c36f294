"""MedCom's own example messages (../shared/data/medcom/), taken in unchanged but for their
times and ids, and the directory they name: the Herlev cardiology department (SOR
265161000016000), its hospital, Plejecenter Herlev (953741000016009, Herlev municipality) and
another region's hospital to attack from."""

import io
import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.core.management import call_command

from accounts.models import Role, User
from contacts.demo import SOR_DEMO
from contacts.models import Ward
from tests.factories import HospitalFactory, UserFactory, WardFactory

# MedCom's published messages, copied unchanged from ../shared/data/medcom/ (see its README).
MEDCOM = Path(__file__).resolve().parent / "data" / "medcom"
URL = "/api/v1/fhir/hospital-notification/"
HERLEV_WARD_SOR = "265161000016000"
PLEJECENTER_HERLEV = "953741000016009"
EPISODE = "bd481c38-a921-11ed-afa1-0242ac120002"

# The guide's examples by event (see ../shared/data/medcom/README.md).
EXAMPLES = {
    "admit-inpatient": "Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.json",
    "revise-admit-inpatient": "Bundle-bfab3e80-9584-11ec-b909-0242ac120002.json",
    "cancel-admit-inpatient": "Bundle-c83671a4-9584-11ec-b909-0242ac120002.json",
    "start-leave-inpatient": "Bundle-d3128d9b-cede-4c7f-8904-809eab322d7d.json",
    "end-leave-inpatient": "Bundle-e94de8ee-bd94-475e-b454-b8fbbef8a685.json",
    "discharge-inpatient-home": "Bundle-f4aa42a4-86db-4e68-9b38-9dda0dfd5774.json",
    "deceased-inpatient": "Bundle-g099bbf3-3fca-4722-a248-bfe1aa956410.json",
    "admit-emergency": "Bundle-h1c8e4a8-6b45-4669-94ad-2a99ad96bf03.json",
    "discharge-emergency-home": "Bundle-kcab461b-f44e-4d97-a041-ef7e64800587.json",
    "deceased-emergency": "Bundle-ld31e08a-b91f-49c3-841a-ce80e6380517.json",
    "admit-inpatient-other-provider": "Bundle-m908i967-9ie3-9023-b9ec-98108695f01d.json",
    "admit-inpatient-two-episode-ids": "Bundle-n73ccf30-80b9-4bd2-bf50-1ac1914498f0.json",
}
# Times in the examples: admitted 7 December 2022 12:00 +02:00 (inpatient), 1 December 10:00
# (emergency). Shifting by whole weeks keeps every weekday and time of day.
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def example(event: str) -> dict[str, Any]:
    return json.loads((MEDCOM / "hospitalnotification" / EXAMPLES[event]).read_text())


def shifted(data: Any, by: timedelta) -> Any:
    """The message with every date and time moved by ``by`` (offsets kept)."""
    if isinstance(data, dict):
        return {key: shifted(value, by) for key, value in data.items()}
    if isinstance(data, list):
        return [shifted(value, by) for value in data]
    if isinstance(data, str) and _MOMENT.match(data):
        moment = datetime.fromisoformat(data.replace("Z", "+00:00")) + by
        return (
            moment.isoformat().replace("+00:00", "Z") if data.endswith("Z") else moment.isoformat()
        )
    return data


def renamed(data: dict[str, Any], **ids: str) -> dict[str, Any]:
    """The message with ids replaced wherever they occur (``**{old: new}``)."""
    text = json.dumps(data)
    for old, new in ids.items():
        text = text.replace(old, new)
    return json.loads(text)


def header_id(data: dict[str, Any]) -> str:
    return str(data["entry"][0]["resource"]["id"])


def fresh(data: dict[str, Any], *, episode: str | None = None) -> dict[str, Any]:
    """The message with a new MessageHeader.id (and, if given, another forløbsid)."""
    ids = {header_id(data): str(uuid.uuid4())}
    if episode is not None:
        ids[EPISODE] = episode
    return renamed(data, **ids)


def weeks_to(data: dict[str, Any], moment: datetime, field: str = "end") -> timedelta:
    """Whole weeks that bring the Encounter's period ``field`` to just before ``moment``."""
    encounter = next(
        e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Encounter"
    )
    then = datetime.fromisoformat(encounter["period"][field])
    return timedelta(weeks=(moment - then).days // 7)


def post(client: Any, data: Any, content_type: str = "application/fhir+json") -> Any:
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    return client.post(URL, data=body, content_type=content_type)


@dataclass
class World:
    herlev_ward: Ward
    aarhus_ward: Ward
    herlev: User  # the Herlev hospital's integration (a coordinator)
    aarhus: User  # a ward nurse of Aarhus, trying her luck


def build() -> World:
    """The directory MedCom's examples name, and the accounts that send them."""
    herlev_hospital = HospitalFactory(name="Herlev Hospital", region_id=1084, sor_code="108401000")
    herlev_ward = WardFactory(
        hospital=herlev_hospital, name="Kardiologisk Afsnit", sor_code=HERLEV_WARD_SOR
    )
    aarhus_ward = WardFactory(
        hospital=HospitalFactory(name="Aarhus Universitetshospital", region_id=1082),
        name="Hjertesygdomme",
    )
    call_command("import_sor", SOR_DEMO, stdout=io.StringIO())
    return World(
        herlev_ward=herlev_ward,
        aarhus_ward=aarhus_ward,
        herlev=UserFactory(role=Role.COORDINATOR, ward=None, hospital=herlev_hospital),
        aarhus=UserFactory(role=Role.WARD_NURSE, ward=aarhus_ward),
    )
