from handover.models.calls import Call, CallerRole, CallOutcome
from handover.models.discharges import (
    Destination,
    Discharge,
    EndReason,
    Extension,
    NotCoveredReason,
    Patient,
    ResponsibilityRule,
    Source,
    Status,
)
from handover.models.jobs import Alert, AlertKind, Notification
from handover.models.messages import InboundMessage, MessageResult

__all__ = [
    "Alert",
    "AlertKind",
    "Call",
    "CallOutcome",
    "CallerRole",
    "Destination",
    "Discharge",
    "EndReason",
    "Extension",
    "InboundMessage",
    "MessageResult",
    "NotCoveredReason",
    "Notification",
    "Patient",
    "ResponsibilityRule",
    "Source",
    "Status",
]
