from handover.models.access import AccessAction, AccessLog, AccessOutcome
from handover.models.calls import Call, CallerRole, CallOutcome
from handover.models.choices import (
    ConfirmedBy,
    DischargeDocument,
    DocumentationItem,
    EncounterClass,
    EndReason,
    NotCoveredReason,
    PhoneLine,
    Source,
    Status,
)
from handover.models.coverage import Destination, ResponsibilityRule
from handover.models.discharges import Discharge, Extension
from handover.models.idempotency import IdempotencyKey
from handover.models.jobs import Alert, AlertKind, Channel, Notification
from handover.models.messages import InboundMessage, MessageResult
from handover.models.patients import Patient
from handover.models.stays import Stay, StayStatus

__all__ = [
    "AccessAction",
    "AccessLog",
    "AccessOutcome",
    "Alert",
    "AlertKind",
    "Call",
    "CallOutcome",
    "CallerRole",
    "Channel",
    "ConfirmedBy",
    "Destination",
    "Discharge",
    "DischargeDocument",
    "DocumentationItem",
    "EncounterClass",
    "EndReason",
    "Extension",
    "IdempotencyKey",
    "InboundMessage",
    "MessageResult",
    "NotCoveredReason",
    "Notification",
    "Patient",
    "PhoneLine",
    "ResponsibilityRule",
    "Source",
    "Status",
    "Stay",
    "StayStatus",
]
