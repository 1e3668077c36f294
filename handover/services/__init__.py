"""Every change to handover data goes through a function in this package (STYLE.md: one write
path). Modules by concept: discharges, their periods, the KPI's documents, calls, sweeps,
notifications, FHIR import."""

from handover.services.calls import log_call
from handover.services.discharges import (
    Conflict,
    document_discharge,
    documented_phone,
    lock,
    record_discharge,
    revise_discharge,
    rule_for,
)
from handover.services.documents import confirm_documents
from handover.services.periods import end_responsibility, extend_responsibility
from handover.services.suspension import resume_responsibility

__all__ = [
    "Conflict",
    "confirm_documents",
    "document_discharge",
    "documented_phone",
    "end_responsibility",
    "extend_responsibility",
    "lock",
    "log_call",
    "record_discharge",
    "resume_responsibility",
    "revise_discharge",
    "rule_for",
]
