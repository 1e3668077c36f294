"""The dashboard's endings, its red flag and its municipality filter, on a small October."""

import importlib
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse

from accounts.models import Role
from handover import services
from incidents import stats, summaries
from incidents.models import DischargeMonth
from tests.factories import record_discharge

pytestmark = pytest.mark.django_db

OCT = datetime(2026, 10, 6, 10, 0, tzinfo=UTC)
RANGE = {"from": "2026-10-01", "to": "2026-10-31"}


@pytest.fixture
def october(herlev_ward):  # type: ignore[no-untyped-def]
    """Three covered Herlev discharges: one cancelled, one extended; two red-flag calls inside
    the period of responsibility (a referral, no answer) and one advice."""
    with time_machine.travel(OCT + timedelta(minutes=5), tick=False):
        cancelled = record_discharge(ward=herlev_ward, discharged_at=OCT)
        extended = record_discharge(ward=herlev_ward, cpr="0202451234", discharged_at=OCT)
        called = record_discharge(ward=herlev_ward, cpr="0303451234", discharged_at=OCT)
        services.end_responsibility(discharge=cancelled, by=None, reason="cancelled")
        services.extend_responsibility(discharge=extended, by=None, hours=24, reason="Ustabil")
    with time_machine.travel(OCT + timedelta(hours=21), tick=False):
        for hours, outcome in ((18, "referred_to_gp"), (19, "no_answer"), (20, "advice")):
            services.log_call(
                discharge=called,
                by=None,
                received_at=OCT + timedelta(hours=hours),
                caller_role="municipal_nurse",
                outcome=outcome,
            )
    summaries.refresh(date(2026, 10, 1), date(2026, 10, 1))


@pytest.fixture
def manager(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.RISK_MANAGER, region_id=1084)


def filters() -> stats.Filters:
    return stats.Filters(date(2026, 10, 1), date(2026, 10, 31))


def dashboard(client, manager, **params) -> str:  # type: ignore[no-untyped-def]
    client.force_login(manager)
    return client.get(reverse("incidents:dashboard"), {**RANGE, **params}).content.decode()


def test_a_cancelled_discharge_is_counted_among_the_endings(october, manager) -> None:  # type: ignore[no-untyped-def]
    assert stats.windows(manager, filters())["cancelled"] == 1


def test_the_dashboard_lists_cancelled_and_not_extended_as_an_ending(
    client, october, manager
) -> None:  # type: ignore[no-untyped-def]
    page = dashboard(client, manager)
    endings = re.search(r'<dl class="facts endings">(.*?)</dl>', page, re.S).group(1)  # type: ignore[union-attr]
    assert re.findall(r"<dt>(.*?)</dt>", endings) == [
        "Udløbet",
        "Genindlagt",
        "Død",
        "Annulleret (fejlregistrering)",
    ]
    assert "Forlænget undervejs (en forlængelse er ikke en afslutning)" in page


def test_the_cancelled_figure_opens_its_rows(client, october, manager) -> None:  # type: ignore[no-untyped-def]
    client.force_login(manager)
    page = client.get(
        reverse("incidents:dashboard_rows"), {**RANGE, "chart": "windows", "key": "cancelled"}
    ).content.decode()
    assert "1 række." in page


def test_the_migration_counts_the_cancellations_of_months_already_summarised(october) -> None:  # type: ignore[no-untyped-def]
    DischargeMonth.objects.update(cancelled=0)
    migration = importlib.import_module("incidents.migrations.0004_discharge_month_cancelled")
    migration.count_cancelled(apps, None)
    assert sum(DischargeMonth.objects.values_list("cancelled", flat=True)) == 1


def test_no_answer_inside_the_period_is_a_red_flag(october, manager) -> None:  # type: ignore[no-untyped-def]
    figures = stats.calls(manager, filters())
    assert (figures["red_flags_within_window"], figures["referred_to_gp_within_window"]) == (2, 1)


def test_the_red_flag_sentence_counts_both_outcomes_and_names_them(
    client, october, manager
) -> None:  # type: ignore[no-untyped-def]
    page = dashboard(client, manager)
    assert (
        "Henvist til egen læge eller intet svar, mens hospitalet havde behandlingsansvaret: 2"
        in page
    )


def test_the_red_flag_figure_opens_its_calls(client, october, manager) -> None:  # type: ignore[no-untyped-def]
    client.force_login(manager)
    page = client.get(
        reverse("incidents:dashboard_rows"), {**RANGE, "chart": "red_flags"}
    ).content.decode()
    assert "2 rækker." in page
    assert "Råd og vejledning" not in page


def test_the_calls_api_reports_the_red_flags(api_client, october, manager) -> None:  # type: ignore[no-untyped-def]
    api_client.force_authenticate(manager)
    body = api_client.get("/api/v1/stats/calls/", RANGE).json()
    assert body["red_flags_within_window"] == 2


def test_the_municipality_filter_lists_the_regions_municipalities(client, manager) -> None:  # type: ignore[no-untyped-def]
    page = dashboard(client, manager)
    select = re.search(r'<select id="municipality" name="municipality">(.*?)</select>', page, re.S)
    assert select is not None
    assert '<option value="163">Herlev</option>' in select.group(1)
    assert 'value="751"' not in select.group(1)  # Aarhus, Region Midtjylland


def test_the_chosen_municipality_stays_selected(client, manager) -> None:  # type: ignore[no-untyped-def]
    assert '<option value="163" selected>Herlev</option>' in dashboard(
        client, manager, municipality="163"
    )


def test_a_hospital_risk_manager_chooses_among_its_regions_municipalities(
    client, make_user, herlev_ward
) -> None:  # type: ignore[no-untyped-def]
    manager = make_user(Role.RISK_MANAGER, hospital=herlev_ward.hospital)
    page = dashboard(client, manager)
    assert '<option value="101">København</option>' in page
    assert 'value="751"' not in page


def test_the_charts_are_drawn_to_be_read_on_a_phone(client, october, manager) -> None:  # type: ignore[no-untyped-def]
    page = dashboard(client, manager)
    assert (
        re.findall(r'<svg class="chart" viewBox="0 0 (\d+) \d+"[^>]*font-size="(\d+)"', page)
        == [("360", "14")] * 4  # the two KPIs, calls, incidents
    )
