"""Which number is right at a given moment (contacts.rules.phone_at)."""

from datetime import datetime

import pytest

from contacts.rules import DEFAULT_DAY_HOURS, LOCAL_TZ, Override, format_phone, phone_at

DAY, ON_CALL = "+4544884401", "+4544884402"


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


def kind_at(at: datetime, overrides: list[Override] | None = None) -> str:
    return phone_at(
        at=at,
        day_phone=DAY,
        on_call_phone=ON_CALL,
        day_hours=DEFAULT_DAY_HOURS,
        overrides=overrides or [],
    ).kind


def test_friday_1529_is_day_line() -> None:
    assert kind_at(local(2026, 11, 20, 15, 29)) == "day"


def test_friday_1530_is_on_call_line() -> None:
    assert kind_at(local(2026, 11, 20, 15, 30)) == "on_call"


def test_weekday_0800_starts_day_line_and_0759_is_on_call() -> None:
    assert kind_at(local(2026, 11, 23, 8, 0)) == "day"
    assert kind_at(local(2026, 11, 23, 7, 59)) == "on_call"


def test_saturday_noon_is_on_call_line() -> None:
    choice = phone_at(
        at=local(2026, 11, 21, 12, 0),
        day_phone=DAY,
        on_call_phone=ON_CALL,
        day_hours=DEFAULT_DAY_HOURS,
    )
    assert (choice.phone, choice.kind) == (ON_CALL, "on_call")


def test_christmas_day_on_a_weekday_is_on_call() -> None:
    # 25 December 2026 is a Friday.
    assert kind_at(local(2026, 12, 25, 10, 0)) == "on_call"


def test_easter_monday_is_on_call() -> None:
    # Easter Monday 2027 is 29 March.
    assert kind_at(local(2027, 3, 29, 10, 0)) == "on_call"
    assert kind_at(local(2027, 3, 30, 10, 0)) == "day"


@pytest.mark.parametrize(
    ("utc_hour", "expected"),
    [
        # Monday 29 March 2027 is Easter Monday, so the spring DST week is checked on Tuesday:
        # the Sunday before (28 March) switched to CEST (UTC+2).
        ((2027, 3, 30, 5, 59), "on_call"),  # 07:59 CEST
        ((2027, 3, 30, 6, 0), "day"),  # 08:00 CEST
        ((2027, 3, 30, 13, 29), "day"),  # 15:29 CEST
        ((2027, 3, 30, 13, 30), "on_call"),  # 15:30 CEST
        # Sunday 31 October 2027 went back to CET (UTC+1); Monday 1 November:
        ((2027, 11, 1, 6, 59), "on_call"),  # 07:59 CET
        ((2027, 11, 1, 7, 0), "day"),  # 08:00 CET
        ((2027, 11, 1, 14, 29), "day"),  # 15:29 CET
        ((2027, 11, 1, 14, 30), "on_call"),  # 15:30 CET
    ],
)
def test_day_hours_follow_local_time_across_dst(
    utc_hour: tuple[int, int, int, int, int], expected: str
) -> None:
    from datetime import UTC

    assert kind_at(datetime(*utc_hour, tzinfo=UTC)) == expected


def test_dst_sundays_themselves_are_on_call() -> None:
    assert kind_at(local(2027, 3, 28, 12, 0)) == "on_call"
    assert kind_at(local(2027, 10, 31, 12, 0)) == "on_call"


def test_override_wins_during_its_period_only() -> None:
    override = Override(
        local(2026, 11, 20, 10, 0), local(2026, 11, 20, 12, 0), "+4570707070", "Linjen er nede"
    )
    during = phone_at(
        at=local(2026, 11, 20, 11, 0),
        day_phone=DAY,
        on_call_phone=ON_CALL,
        day_hours=DEFAULT_DAY_HOURS,
        overrides=[override],
    )
    assert (during.phone, during.kind, during.reason) == (
        "+4570707070",
        "override",
        "Linjen er nede",
    )
    assert kind_at(local(2026, 11, 20, 12, 0), [override]) == "day"
    assert kind_at(local(2026, 11, 21, 11, 0), [override]) == "on_call"


def test_override_wins_on_a_holiday() -> None:
    override = Override(local(2026, 12, 24), local(2026, 12, 27), "+4570707070", "Juleberedskab")
    assert kind_at(local(2026, 12, 25, 10, 0), [override]) == "override"


def test_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        kind_at(datetime(2026, 11, 20, 10, 0))  # noqa: DTZ001


def test_phone_is_shown_in_pairs() -> None:
    assert format_phone("+4544884488") == "44 88 44 88"
    assert format_phone("1813") == "1813"
