"""The rules of the scheme as pure functions (handover.rules)."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest

from handover.rules import (
    LOCAL_TZ,
    InvalidCPR,
    decide_coverage,
    epr_sentence,
    missing_documentation,
    parse_cpr,
    rule_in_force,
    window_end,
    window_open_at,
)

ALL = ["temporary_bed", "nursing_home", "home_nursing", "residential_facility"]


@dataclass
class Rule:
    effective_from: date = date(2026, 1, 1)
    hours: int = 96
    min_admission_hours: int = 24
    covered_destinations: list[str] = field(default_factory=lambda: list(ALL))
    psychiatry_allowed: bool = False
    adults_only: bool = True


DISCHARGED = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)


def coverage(**overrides):  # type: ignore[no-untyped-def]
    facts = {
        "rule": Rule(),
        "admitted_at": DISCHARGED - timedelta(hours=72),
        "discharged_at": DISCHARGED,
        "destination": "home_nursing",
        "psychiatric_ward": False,
        "birth_date": date(1945, 1, 1),
        "finished": True,
    } | overrides
    return decide_coverage(**facts)


@pytest.mark.parametrize("text", ["0101451234", "010145-1234", " 010145-1234 "])
def test_cpr_with_and_without_hyphen(text: str) -> None:
    cpr = parse_cpr(text)
    assert (cpr.number, cpr.birth_date, cpr.masked) == (
        "0101451234",
        date(1945, 1, 1),
        "010145-****",
    )


def test_cpr_that_fails_modulus_11_is_still_valid() -> None:
    # 010145-1235 fails the old modulus-11 check; numbers like it are issued since 2007.
    assert parse_cpr("0101451235").sex == "M"
    assert parse_cpr("0101451234").sex == "F"


@pytest.mark.parametrize(
    "text", ["3102451234", "2902231234", "0013451234", "01014512", "abcdefghij", "01-01-45-1234"]
)
def test_impossible_or_malformed_cpr_is_refused(text: str) -> None:
    with pytest.raises(InvalidCPR):
        parse_cpr(text)


def test_leap_day_exists_in_a_leap_year_only() -> None:
    assert parse_cpr("2902244234").birth_date == date(2024, 2, 29)
    with pytest.raises(InvalidCPR):
        parse_cpr("2902234234")


@pytest.mark.parametrize(
    ("text", "born"),
    [
        ("0101451234", date(1945, 1, 1)),  # 7th digit 0-3: 1900s
        ("0101104234", date(2010, 1, 1)),  # 4, year <= 36: 2000s
        ("0101504234", date(1950, 1, 1)),  # 4, year > 36: 1900s
        ("0101109234", date(2010, 1, 1)),  # 9 like 4
        ("0101575234", date(2057, 1, 1)),  # 5-8, year <= 57: 2000s
        ("0101585234", date(1858, 1, 1)),  # 5-8, year > 57: 1800s
    ],
)
def test_century_comes_from_the_seventh_digit(text: str, born: date) -> None:
    assert parse_cpr(text).birth_date == born


def test_newest_rule_in_force_on_the_date_decides() -> None:
    old, new = (
        Rule(effective_from=date(2023, 11, 1), hours=72),
        Rule(effective_from=date(2026, 1, 1)),
    )
    assert rule_in_force([old, new], date(2025, 12, 31)) is old
    assert rule_in_force([old, new], date(2026, 1, 1)) is new
    assert rule_in_force([old, new], date(2023, 10, 31)) is None


def test_covered_discharge_gets_the_rules_hours() -> None:
    result = coverage()
    assert (result.covered, result.reason, result.window_hours) == (True, None, 96)


def test_exactly_24_hours_is_a_short_admission() -> None:
    result = coverage(admitted_at=DISCHARGED - timedelta(hours=24))
    assert (result.covered, result.reason) == (False, "short_admission")


def test_24_hours_and_one_second_is_covered() -> None:
    assert coverage(admitted_at=DISCHARGED - timedelta(hours=24, seconds=1)).covered


def test_psychiatric_ward_is_excluded_unless_the_rule_allows_it() -> None:
    assert coverage(psychiatric_ward=True).reason == "psychiatric"
    assert coverage(psychiatric_ward=True, rule=Rule(psychiatry_allowed=True)).covered


def test_under_18_on_the_discharge_day_is_excluded() -> None:
    # Born 21 Nov 2008: 17 on 20 Nov 2026, 18 the day after.
    assert coverage(birth_date=date(2008, 11, 21)).reason == "not_adult"
    assert coverage(birth_date=date(2008, 11, 20)).covered


def test_destination_outside_the_rule_is_not_covered() -> None:
    assert coverage(destination="other").reason == "destination_not_covered"
    assert (
        coverage(rule=Rule(covered_destinations=["temporary_bed"])).reason
        == "destination_not_covered"
    )


def test_unknown_destination_is_provisionally_covered() -> None:
    assert coverage(destination="").covered


def test_no_rule_and_not_finished() -> None:
    assert coverage(rule=None).reason == "no_rule_in_force"
    assert coverage(finished=False).reason == "not_finished"


def test_window_ends_exactly_72_and_96_hours_after_discharge() -> None:
    assert window_end(DISCHARGED, 72, []) == DISCHARGED + timedelta(hours=72)
    assert window_end(DISCHARGED, 96, []) == datetime(2026, 11, 24, 11, 0, tzinfo=UTC)


def test_spring_dst_96_hours_from_saturday_noon_ends_wednesday_1300_local() -> None:
    start = datetime(2027, 3, 27, 12, 0, tzinfo=LOCAL_TZ)
    end = window_end(start, 96, []).astimezone(LOCAL_TZ)
    assert (end.date(), end.hour, end.minute) == (date(2027, 3, 31), 13, 0)


def test_autumn_dst_96_hours_from_saturday_noon_ends_wednesday_1100_local() -> None:
    start = datetime(2027, 10, 30, 12, 0, tzinfo=LOCAL_TZ)
    end = window_end(start, 96, []).astimezone(LOCAL_TZ)
    assert (end.date(), end.hour, end.minute) == (date(2027, 11, 3), 11, 0)


def test_extensions_stack() -> None:
    assert window_end(DISCHARGED, 96, [24, 12]) == DISCHARGED + timedelta(hours=132)


def test_window_is_open_until_one_second_before_its_end() -> None:
    end = DISCHARGED + timedelta(hours=96)
    assert window_open_at(end, end - timedelta(seconds=1))
    assert not window_open_at(end, end)
    assert not window_open_at(None, end)


def test_naive_discharge_time_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        window_end(datetime(2026, 11, 20, 12, 0), 96, [])  # noqa: DTZ001


def test_missing_documentation_names_each_gap() -> None:
    assert missing_documentation(
        treatment_plan=" ",
        has_contact_phone=False,
        patient_informed=None,
        destination="home_nursing",
    ) == ["treatment_plan", "contact_phone", "patient_informed"]
    assert not missing_documentation(
        treatment_plan="Plan",
        has_contact_phone=True,
        patient_informed=True,
        destination="home_nursing",
    )


def test_epr_sentence_in_local_time() -> None:
    assert epr_sentence(datetime(2026, 11, 24, 11, 0, tzinfo=UTC), "44 88 44 88") == (
        "Hospitalet har behandlingsansvar for patienten indtil 24-11-2026 kl. 12:00, "
        "tlf. 44 88 44 88."
    )
