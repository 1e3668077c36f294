"""A MedCom HospitalNotification (advis om sygehusophold, HospitalNotification 3.x) read into the
facts the product acts on.

The event is the activity of the Provenance that targets this message's MessageHeader; a death
(MORS) has no activity of its own: it is ``Patient.deceased`` with the current activity, and a
death on arrival is written with ``Encounter.period.start == end``. Messages of one stay share
the episode-of-care identifier (forløbsid); ``Encounter.id`` changes from message to message.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from handover import rules
from handover.medcom.bundle import (
    CPR_SYSTEM,
    BadMessage,
    Message,
    Org,
    Resource,
    episode_id,
    identifier,
    load,
    moment,
)

EVENT = "hospital-notification-message"
PROFILE = (
    "http://medcomfhir.dk/ig/hospitalnotification/StructureDefinition/"
    "medcom-hospitalNotification-message"
)
LPR3_SYSTEM = "https://www.esundhed.dk/Registre/Landspatientregisteret"

ADMIT = frozenset({"admit-inpatient", "admit-emergency"})
LEAVE_START = frozenset({"start-leave-inpatient"})
LEAVE_END = frozenset({"end-leave-inpatient"})
DISCHARGE = frozenset({"discharge-inpatient-home", "discharge-emergency-home"})
BASE = ADMIT | LEAVE_START | LEAVE_END | DISCHARGE
# Every activity of the guide (MedCom's medcom-hospitalNotification-messageActivities).
ACTIVITIES = BASE | {f"{kind}-{code}" for kind in ("revise", "cancel") for code in BASE}

INPATIENT, EMERGENCY = "IMP", "EMER"  # v3-ActCode: admitted, acute ambulant


@dataclass(frozen=True)
class HospitalNotification:
    message_id: str
    activity: str  # the Provenance activity (ACTIVITIES)
    deceased: bool  # Patient.deceased: the event is a death (MORS) with the current activity
    episode_ids: tuple[str, ...]  # forløbsid, normalised; the stay's local one first
    encounter_class: str  # INPATIENT or EMERGENCY
    encounter_status: str
    cpr: str
    patient_name: str
    sender: Org
    receiver: Org
    provider: Org  # Encounter.serviceProvider: the department of the stay
    admitted_at: datetime
    ended_at: datetime | None  # Encounter.period.end: discharge, or the moment of death

    @property
    def base_activity(self) -> str:
        """The activity without its revise-/cancel- prefix."""
        return self.activity.removeprefix("revise-").removeprefix("cancel-")

    @property
    def is_revision(self) -> bool:
        return self.activity.startswith("revise-")

    @property
    def is_cancellation(self) -> bool:
        return self.activity.startswith("cancel-")

    @property
    def death_on_arrival(self) -> bool:
        return self.deceased and self.ended_at == self.admitted_at


def _episode_ids(encounter: Resource) -> tuple[str, ...]:
    """The stay's episode-of-care identifiers, the sender's local one before LPR3's: a follow-up
    returns the local one when the first message carried both."""
    found = [(item.get("identifier") or {}) for item in encounter.get("episodeOfCare") or []]
    local = [i for i in found if i.get("value") and i.get("system") != LPR3_SYSTEM]
    lpr3 = [i for i in found if i.get("value") and i.get("system") == LPR3_SYSTEM]
    ids = tuple(dict.fromkeys(episode_id(str(i["value"])) for i in [*local, *lpr3]))
    if not ids:
        raise BadMessage("the Encounter has no episode-of-care identifier (forløbsid)")
    return ids


def _deceased(patient: Resource) -> bool:
    return bool(patient.get("deceasedBoolean")) or bool(patient.get("deceasedDateTime"))


def _name(patient: Resource) -> str:
    names = [n for n in patient.get("name") or [] if isinstance(n, dict)]
    official = next((n for n in names if n.get("use") == "official"), names[0] if names else {})
    given = [str(part) for part in official.get("given") or []]
    return " ".join([*given, str(official.get("family", ""))]).strip()


def read(message: Message) -> HospitalNotification:
    """The facts of a validated message Bundle; ``BadMessage`` when it is not a
    HospitalNotification this product can act on."""
    if message.event_code != EVENT:
        named = message.event_code or "(none)"
        raise BadMessage(f"not a HospitalNotification: the event is {named}")
    other = [p for p in message.profiles if p.split("|")[0] != PROFILE]
    if message.profiles and other == message.profiles:
        raise BadMessage(f"not a HospitalNotification: the profile is {other[0]}")
    activity = message.current_activity()
    if activity not in ACTIVITIES:
        raise BadMessage(f"not a HospitalNotification event: {activity}")
    patients = message.of_type("Patient")
    if len(patients) != 1:
        raise BadMessage(f"a notification carries exactly one Patient, not {len(patients)}")
    header = message.header
    encounter = message.resolve((header.get("focus") or [None])[0], "Encounter")
    patient = message.resolve(encounter.get("subject"), "Patient")
    cpr_text = identifier(patient, CPR_SYSTEM)
    if not cpr_text:
        raise BadMessage("the Patient has no CPR identifier")
    try:
        cpr = rules.parse_cpr(cpr_text).number
    except rules.InvalidCPR as error:
        raise BadMessage(f"invalid CPR: {error}") from error
    period: dict[str, Any] = encounter.get("period") or {}
    admitted_at = moment(period.get("start"), "Encounter.period.start")
    ended_at = moment(period["end"], "Encounter.period.end") if period.get("end") else None
    if ended_at is not None and ended_at < admitted_at:
        raise BadMessage("Encounter.period.end is before its start")
    encounter_class = str((encounter.get("class") or {}).get("code", ""))
    if encounter_class not in (INPATIENT, EMERGENCY):
        raise BadMessage(f"the Encounter's class is {encounter_class or '(none)'}, not IMP or EMER")
    destination = (header.get("destination") or [{}])[0]
    return HospitalNotification(
        message_id=message.header_id,
        activity=activity,
        deceased=_deceased(patient),
        episode_ids=_episode_ids(encounter),
        encounter_class=encounter_class,
        encounter_status=str(encounter.get("status", "")),
        cpr=cpr,
        patient_name=_name(patient),
        sender=message.org(header.get("sender"), "sender"),
        receiver=message.org(destination.get("receiver"), "receiver"),
        provider=message.org(encounter.get("serviceProvider"), "serviceProvider"),
        admitted_at=admitted_at,
        ended_at=ended_at,
    )


def parse(payload: bytes) -> tuple[Message, HospitalNotification]:
    message = Message(load(payload))
    return message, read(message)
