"""Querysets compiled once (config.prepared): the same rows as the queryset built anew, whatever
the values, and a clear error for a queryset that would freeze a value into its SQL."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext, override_settings

from accounts.models import Role, Scope
from config.prepared import Prepared
from handover.models import Discharge
from tests.factories import record_discharge

pytestmark = pytest.mark.django_db

# Sunday 29 March 2026, 00:30 UTC: half an hour before the change to summer time.
SPRING = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)


def open_windows(scope: Scope, *, cpr: str, at: datetime) -> QuerySet[Discharge, dict]:  # type: ignore[type-arg]
    return (
        Discharge.objects.visible_to(scope, at=at)
        .active_at(at)
        .filter(patient__cpr=cpr)
        .order_by("id")
        .values("id", "responsibility_ends_at", "patient__name")
    )


OPEN_WINDOWS = Prepared(open_windows)


@pytest.fixture
def windows(herlev_ward, make_user):  # type: ignore[no-untyped-def]
    nurse = make_user(Role.MUNICIPAL_NURSE, municipality_id="163")
    for cpr, discharged in [
        ("0303453456", SPRING - timedelta(days=12)),  # ended 8 days before SPRING
        ("0202452345", SPRING - timedelta(days=3, hours=12)),  # a 96-hour window ends soon
        ("0101451234", SPRING - timedelta(hours=1)),
    ]:
        with time_machine.travel(discharged + timedelta(minutes=5), tick=False):
            record_discharge(ward=herlev_ward, cpr=cpr, discharged_at=discharged)
    return nurse


@pytest.mark.parametrize("cpr", ["0101451234", "0202452345", "0303453456", "0404454567"])
@pytest.mark.parametrize(
    "at",
    [
        SPRING,
        SPRING + timedelta(minutes=45),  # after the change to summer time
        SPRING + timedelta(hours=11, minutes=59),
        SPRING + timedelta(days=3),
    ],
)
def test_rows_are_those_of_the_queryset_built_anew(windows, cpr, at) -> None:  # type: ignore[no-untyped-def]
    scope = windows.scope
    assert OPEN_WINDOWS.rows(scope, cpr=cpr, at=at) == list(open_windows(scope, cpr=cpr, at=at))


def test_on_postgresql_the_queryset_is_built_once_per_key(  # type: ignore[no-untyped-def]
    require_postgres, windows, monkeypatch
) -> None:
    built = []
    counting = Prepared(lambda scope, **values: built.append(1) or open_windows(scope, **values))
    for hours in range(3):
        counting.rows(windows.scope, cpr="0101451234", at=SPRING + timedelta(hours=hours))
    assert len(built) == 1
    with CaptureQueriesContext(connection) as captured:
        [row] = counting.rows(windows.scope, cpr="0101451234", at=SPRING)
    assert len(captured) == 1
    assert row["patient__name"] == "Ole Hansen"


def recent(scope: Scope, *, at: datetime) -> QuerySet[Discharge, dict]:  # type: ignore[type-arg]
    return Discharge.objects.visible_to(scope, at=at).values("patient__cpr")


RECENT = Prepared(recent)


def test_a_moment_derived_from_the_given_one_follows_it(windows) -> None:  # type: ignore[no-untyped-def]
    """visible_to lets a municipal nurse see a window until 7 days after its end: ``at`` minus
    seven days, which must move with ``at``."""
    seen = {row["patient__cpr"] for row in RECENT.rows(windows.scope, at=SPRING)}
    assert seen == {"0101451234", "0202452345"}
    later = {
        row["patient__cpr"] for row in RECENT.rows(windows.scope, at=SPRING + timedelta(days=9))
    }
    assert later == {"0101451234"}


def test_a_changed_setting_is_compiled_anew(windows) -> None:  # type: ignore[no-untyped-def]
    assert len(RECENT.rows(windows.scope, at=SPRING)) == 2
    with override_settings(MUNICIPAL_RECENT_DAYS=30):
        assert len(RECENT.rows(windows.scope, at=SPRING)) == 3
    assert len(RECENT.rows(windows.scope, at=SPRING)) == 2


def test_a_moment_not_made_from_the_given_one_is_refused(require_postgres, windows) -> None:  # type: ignore[no-untyped-def]
    frozen = Prepared(
        lambda scope, *, at: (
            Discharge.objects.visible_to(scope)  # now(), not ``at``
            .active_at(at)
            .values("id")
        )
    )
    with pytest.raises(ImproperlyConfigured, match="follow its moment"):
        frozen.rows(windows.scope, at=SPRING)


def test_a_text_changed_on_its_way_is_refused(require_postgres, windows) -> None:  # type: ignore[no-untyped-def]
    stripped = Prepared(
        lambda scope, *, cpr: Discharge.objects.filter(patient__cpr=cpr.strip()).values("id")
    )
    with pytest.raises(ImproperlyConfigured, match="not found among the parameters"):
        stripped.rows(windows.scope, cpr="0101451234")


def test_two_moments_are_refused(require_postgres, windows) -> None:  # type: ignore[no-untyped-def]
    two = Prepared(
        lambda scope, *, start, end: Discharge.objects.filter(
            discharged_at__gte=start, discharged_at__lt=end
        ).values("id")
    )
    with pytest.raises(ImproperlyConfigured, match="one moment"):
        two.rows(windows.scope, start=SPRING, end=SPRING + timedelta(days=1))


def named(scope: Scope, *, cpr: str, at: datetime) -> QuerySet[Discharge, dict]:  # type: ignore[type-arg]
    """Texts and a number the SQL names, a quote and percent signs among them."""
    return (
        open_windows(scope, cpr=cpr, at=at)
        .exclude(treatment_plan__in=["it's 100% clear", "50%s"])
        .filter(window_hours__gte=1)
    )


def test_the_constants_are_written_into_the_sql_and_give_the_same_rows(  # type: ignore[no-untyped-def]
    require_postgres, windows
) -> None:
    scope = windows.scope
    values = {"cpr": "0101451234", "at": SPRING}
    prepared, kept = Prepared(named), Prepared(named, write_constants=False)
    rows = prepared.rows(scope, **values)
    assert rows == list(named(scope, **values)) == kept.rows(scope, **values)
    assert [row["patient__name"] for row in rows] == ["Ole Hansen"]
    compiled = prepared._compiled_for((scope,), values)
    assert compiled is not None
    for constant in ("'it''s 100%% clear'", "'50%%s'", "'active'", ">= 1"):
        assert constant in compiled.sql
    # What is left are the values given: the CPR number and the moment, twice.
    assert {name for _index, name, _offset in compiled.slots} == {"cpr", "at"}
    assert len(compiled.params) == len(compiled.slots)
    compiled_kept = kept._compiled_for((scope,), values)
    assert compiled_kept is not None
    assert "'active'" not in compiled_kept.sql
