"""Seed 003's KPI as figures, from the summary counts (``incidents.summaries.counted``).

Seed 003 sets two goals for the end of 2026: 90 % of the patients discharged with 96-hour
responsibility have the treatment plan with contact details in the epikrise, and 90 % in the
udskrivningsrapport. For a set of discharges:

- ``covered``: the covered discharges with a 96-hour window (``HANDOVER_KPI_WINDOW_HOURS``), not
  cancelled as a wrong registration – the denominator of every rate;
- ``epikrise_confirmed`` / ``discharge_report_confirmed``: those of them whose document was
  confirmed (by the ward, or for the udskrivningsrapport by a CareCommunication sent with the plan
  and number) no later than the discharge plus ``KPI_GRACE_MINUTES``; each with its rate;
- ``documented``: both documents in time, and ``rate`` its share (the API's old fields);
- ``other_windows``: the covered discharges with a window of another length (72 hours, before the
  reform), not cancelled – counted apart, in no rate.
"""

from typing import Any

COUNTS = (
    "kpi_discharges",
    "documented",
    "epikrise_in_time",
    "discharge_report_in_time",
    "other_windows",
)


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def figures(counts: dict[str, int]) -> dict[str, Any]:
    """The KPI's figures for one set of discharges, from its summed ``COUNTS``."""
    covered = counts["kpi_discharges"]
    return {
        "covered": covered,
        "documented": counts["documented"],
        "rate": rate(counts["documented"], covered),
        "epikrise_confirmed": counts["epikrise_in_time"],
        "epikrise_rate": rate(counts["epikrise_in_time"], covered),
        "discharge_report_confirmed": counts["discharge_report_in_time"],
        "discharge_report_rate": rate(counts["discharge_report_in_time"], covered),
        "other_windows": counts["other_windows"],
    }


def shown(counts: dict[str, int]) -> bool:
    """A ward, month or cluster is listed when it has a discharge the KPI counts or shows apart
    (one whose only covered discharges were cancelled is not)."""
    return bool(counts["kpi_discharges"] or counts["other_windows"])
