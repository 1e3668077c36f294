"""The statistics' summary tables: which days come from them, and that they count exactly what the
rows count, across month, week and DST boundaries."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from accounts.models import Role
from handover import services
from incidents import stats, summaries
from incidents.models import CallWeek, DischargeMonth, SummaryRefresh
from tests.factories import confirm, record_discharge

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("date_from", "date_to", "periods", "edges"),
    [
        # Whole months; the current one counts as whole when the range reaches today.
        ("2025-12-01", "2026-11-22", ("2025-12-01", "2026-11-01"), []),
        ("2026-10-01", "2026-11-30", ("2026-10-01", "2026-11-01"), []),
        # Partial months at either end are counted from the rows.
        (
            "2026-09-15",
            "2026-11-10",
            ("2026-10-01", "2026-10-01"),
            [("2026-09-15", "2026-09-30"), ("2026-11-01", "2026-11-10")],
        ),
        ("2026-11-10", "2026-11-15", None, [("2026-11-10", "2026-11-15")]),
        ("2026-11-10", "2026-11-25", None, [("2026-11-10", "2026-11-25")]),
        (
            "2026-10-31",
            "2026-11-01",
            None,
            [("2026-10-31", "2026-10-31"), ("2026-11-01", "2026-11-01")],
        ),
    ],
)
def test_split_into_whole_and_partial_months(date_from, date_to, periods, edges) -> None:  # type: ignore[no-untyped-def]
    parts = summaries.split(
        date.fromisoformat(date_from), date.fromisoformat(date_to), TODAY, summaries.MONTH
    )
    expected = tuple(map(date.fromisoformat, periods)) if periods else None
    assert parts.periods == expected
    assert parts.edges == [(date.fromisoformat(a), date.fromisoformat(b)) for a, b in edges]


def test_split_into_weeks_starting_monday() -> None:
    # Wednesday 4 November to Sunday 22 November 2026 (today).
    parts = summaries.split(date(2026, 11, 4), TODAY, TODAY, summaries.WEEK)
    assert parts.periods == (date(2026, 11, 9), date(2026, 11, 16))
    assert parts.edges == [(date(2026, 11, 4), date(2026, 11, 8))]


@pytest.fixture
def boundary_data(herlev_ward, make_user):  # type: ignore[no-untyped-def]
    """Discharges either side of local midnight on 31 October / 1 November 2026 (winter time
    since Sunday 25 October), one documented and confirmed late, one extended and readmitted;
    calls either side of local midnight between Sunday 1 and Monday 2 November."""
    nurse = make_user(Role.WARD_NURSE, ward=herlev_ward)
    october = datetime(2026, 10, 31, 22, 30, tzinfo=UTC)  # 23:30 in Copenhagen, 31 October
    november = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)  # 00:30 in Copenhagen, 1 November
    with time_machine.travel(october + timedelta(minutes=5), tick=False):
        first = confirm(record_discharge(ward=herlev_ward, discharged_at=october), nurse)
    with time_machine.travel(november + timedelta(minutes=5), tick=False):
        second = record_discharge(ward=herlev_ward, cpr="0202451234", discharged_at=november)
        confirm(second, nurse)
        late = record_discharge(
            ward=herlev_ward, cpr="0303451234", discharged_at=november, treatment_plan=""
        )
    with time_machine.travel(november + timedelta(hours=3), tick=False):
        services.document_discharge(discharge=late, by=nurse, treatment_plan="For sent")
        confirm(late, nurse)
        services.extend_responsibility(discharge=second, by=nurse, hours=24, reason="Ustabil")
    with time_machine.travel(datetime(2026, 11, 2, 12, tzinfo=UTC), tick=False):
        services.end_responsibility(discharge=second, by=nurse, reason="readmitted")
        for received in (
            datetime(2026, 11, 1, 22, 59, tzinfo=UTC),  # Sunday 23:59 local
            datetime(2026, 11, 1, 23, 1, tzinfo=UTC),  # Monday 00:01 local
        ):
            services.log_call(
                discharge=first,
                by=None,
                received_at=received,
                caller_role="gp",
                outcome="referred_to_gp",
            )
    return make_user(Role.RISK_MANAGER, ward=None, region_id=1084)


def figures(manager, date_from: str, date_to: str):  # type: ignore[no-untyped-def]
    filters = stats.Filters(date.fromisoformat(date_from), date.fromisoformat(date_to))
    return (
        stats.compliance(manager, filters),
        stats.windows(manager, filters),
        stats.calls(manager, filters),
    )


def test_summary_counts_what_the_rows_count(boundary_data) -> None:  # type: ignore[no-untyped-def]
    manager = boundary_data
    with time_machine.travel(datetime(2026, 12, 15, 12, tzinfo=UTC), tick=False):
        # Partial months and weeks are counted from the rows, no summary needed.
        live_days = figures(manager, "2026-10-02", "2026-11-29")[:2]
        live_calls = figures(manager, "2026-11-01", "2026-11-03")[2]
        summaries.refresh(date(2026, 10, 1), date(2026, 11, 1))
        whole = figures(manager, "2026-10-01", "2026-11-30")
    assert (*live_days, live_calls) == whole
    compliance, windows, calls = whole
    assert [(m["month"], m["covered"], m["documented"]) for m in compliance["by_month"]] == [
        ("2026-10", 1, 1),
        ("2026-11", 2, 1),
    ]
    assert (windows["extended"], windows["readmitted"]) == (1, 1)
    assert calls["by_week"] == [
        {"week": "2026-W44", "calls": 1},
        {"week": "2026-W45", "calls": 1},
    ]
    assert calls["referred_to_gp_within_window"] == 2


def test_refresh_is_repeatable_and_recorded(boundary_data) -> None:  # type: ignore[no-untyped-def]
    first = summaries.refresh(date(2026, 10, 1), date(2026, 11, 1))
    rows = sorted(DischargeMonth.objects.values_list("period", "discharges", "documented"))
    assert summaries.refresh(date(2026, 10, 1), date(2026, 11, 1)) == first
    assert sorted(DischargeMonth.objects.values_list("period", "discharges", "documented")) == rows
    assert rows == [(date(2026, 10, 1), 1, 1), (date(2026, 11, 1), 2, 1)]
    assert sorted(CallWeek.objects.values_list("period", "calls")) == [
        (date(2026, 10, 26), 1),
        (date(2026, 11, 2), 1),
    ]
    assert SummaryRefresh.objects.get().rows == first


def test_summaries_respect_the_risk_managers_region(boundary_data, make_user) -> None:  # type: ignore[no-untyped-def]
    summaries.refresh(date(2026, 10, 1), date(2026, 11, 1))
    midtjylland = make_user(Role.RISK_MANAGER, ward=None, region_id=1082)
    compliance, _windows, calls = figures(midtjylland, "2026-10-01", "2026-11-30")
    assert (compliance["covered"], calls["total"]) == (0, 0)


def test_refresh_command_reports_progress(boundary_data, capsys) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime(2026, 11, 22, 12, tzinfo=UTC), tick=False):
        call_command("refresh_statistics", "--all")
    output = capsys.readouterr().out
    assert "2026-10" in output
    assert "Færdig: 5 rækker skrevet." in output
