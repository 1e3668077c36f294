"""Every change to handover data goes through a function in this package (STYLE.md: one write
path). Modules by concept: discharges, calls, sweeps, notifications, FHIR import."""

from handover.services.calls import log_call
from handover.services.discharges import (
    Conflict,
    document_discharge,
    end_responsibility,
    extend_responsibility,
    lock,
    record_discharge,
    revise_discharge,
    rule_for,
)

__all__ = [
    "Conflict",
    "document_discharge",
    "end_responsibility",
    "extend_responsibility",
    "lock",
    "log_call",
    "record_discharge",
    "revise_discharge",
    "rule_for",
]
