"""The weekly learning digest of a ward: closed cases' learning actions, anonymised, beside the
ward's documentation KPI of the weeks before."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from contacts.models import Municipality
from handover.services.documents import confirm_documents
from incidents import digest, stats
from incidents.services import Place, report_incident, transition
from tests.factories import HospitalFactory, WardFactory, record_discharge

pytestmark = pytest.mark.django_db

# Wednesday of ISO week 2026-W45 (2–8 November).
WEDNESDAY = datetime(2026, 11, 4, 12, 0, tzinfo=UTC)
WEEK = digest.Week(2026, 45)


@pytest.fixture
def manager(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.RISK_MANAGER, region_id=1084)


@pytest.fixture
def reporter(make_user):  # type: ignore[no-untyped-def]
    return make_user(
        Role.MUNICIPAL_NURSE, municipality_id="163", first_name="Susanne", last_name="Berg"
    )


def closed_case(
    *,
    manager,
    reporter,
    place,
    at=WEDNESDAY,
    discharge=None,
    involved=(),
    text="Tjekliste ved udskrivelse",
):  # type: ignore[no-untyped-def]
    with time_machine.travel(at, tick=False):
        incident = report_incident(
            by=reporter,
            occurred_at=at - timedelta(days=1),
            occurred_at_precision="exact",
            title="Ole Hansen blev henvist til egen læge",
            description="Susanne Berg ringede om Ole Hansen, 010145-1234.",
            category="referred_elsewhere",
            actual_consequence="minor",
            possible_consequence="serious_risk",
            place=place,
            involved=involved,
            discharge=discharge,
        )
        transition(incident=incident, by=manager, to="in_review")
        transition(
            incident=incident,
            by=manager,
            to="closed",
            severity="minor",
            learning=[{"text": text, "owner": "Afdelingsledelsen", "due_date": "2026-12-01"}],
        )
    return incident


def test_a_case_closed_in_the_week_at_the_ward_is_a_lesson(herlev_ward, manager, reporter) -> None:  # type: ignore[no-untyped-def]
    closed_case(manager=manager, reporter=reporter, place=Place("ward", ward=herlev_ward))
    [lesson] = digest.lessons(herlev_ward, WEEK)
    assert (lesson.category, lesson.severity) == (
        "Henvist til egen læge/lægevagt",
        "Lettere konsekvens",
    )
    assert [action.text for action in lesson.actions] == ["Tjekliste ved udskrivelse"]


def test_a_case_closed_in_another_week_is_not(herlev_ward, manager, reporter) -> None:  # type: ignore[no-untyped-def]
    place = Place("ward", ward=herlev_ward)
    closed_case(manager=manager, reporter=reporter, place=place, at=WEDNESDAY + timedelta(days=7))
    assert digest.lessons(herlev_ward, WEEK) == []


def test_another_wards_case_is_not(herlev_ward, manager, reporter) -> None:  # type: ignore[no-untyped-def]
    other = WardFactory(hospital=herlev_ward.hospital)
    closed_case(manager=manager, reporter=reporter, place=Place("ward", ward=other))
    assert digest.lessons(herlev_ward, WEEK) == []


def test_a_case_about_the_wards_discharge_is_a_lesson(herlev_ward, manager, reporter) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(WEDNESDAY - timedelta(days=2), tick=False):
        discharge = record_discharge(ward=herlev_ward)
    town = Place("municipality", municipality=Municipality.objects.get(code="163"))
    closed_case(manager=manager, reporter=reporter, place=town, discharge=discharge)
    assert len(digest.lessons(herlev_ward, WEEK)) == 1


def test_a_case_naming_the_ward_as_involved_is_a_lesson(herlev_ward, manager, reporter) -> None:  # type: ignore[no-untyped-def]
    town = Place("municipality", municipality=Municipality.objects.get(code="163"))
    involved = [(Place("ward", ward=herlev_ward), "ansvarlig")]
    closed_case(manager=manager, reporter=reporter, place=town, involved=involved)
    assert len(digest.lessons(herlev_ward, WEEK)) == 1


def test_a_lesson_names_neither_patient_nor_reporter(herlev_ward, manager, reporter) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(WEDNESDAY - timedelta(days=2), tick=False):
        discharge = record_discharge(ward=herlev_ward, name="Ole Hansen")
    closed_case(
        manager=manager,
        reporter=reporter,
        place=Place("ward", ward=herlev_ward),
        discharge=discharge,
        text="Susanne Berg og Ole Hansen (0101451234) viste, at nummeret manglede.",
    )
    [lesson] = digest.lessons(herlev_ward, WEEK)
    assert lesson.actions[0].text == "[navn] og [navn] ([CPR]) viste, at nummeret manglede."


def test_the_kpi_trend_is_the_dashboards_kpi_week_by_week(herlev_ward, manager) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(WEDNESDAY, tick=False):
        # both papers confirmed in time (seed 003's KPI) for one discharge, none for the other
        documented = record_discharge(
            ward=herlev_ward, discharged_at=WEDNESDAY - timedelta(hours=1)
        )
        confirm_documents(
            discharge=documented,
            by=manager,
            documents=["epikrise", "discharge_report"],
        )
        record_discharge(
            ward=herlev_ward,
            cpr="0202451234",
            discharged_at=WEDNESDAY - timedelta(hours=1),
            treatment_plan="",
        )
    trend = digest.kpi_trend(user=manager, ward=herlev_ward, week=WEEK)
    assert [str(row.week) for row in trend][-2:] == ["2026-W44", "2026-W45"]
    assert len(trend) == digest.TREND_WEEKS
    assert (trend[-1].covered, trend[-1].documented, trend[-1].rate) == (2, 1, 0.5)
    dashboard = stats.compliance(
        manager, stats.Filters(WEEK.monday, WEEK.sunday, ward=herlev_ward.pk)
    )
    assert trend[-1].rate == dashboard["rate"]
    assert trend[-2].rate is None


@pytest.mark.parametrize(
    ("text", "monday"), [("2026-W45", date(2026, 11, 2)), ("2026-W01", date(2025, 12, 29))]
)
def test_a_week_is_read_as_iso_writes_it(text, monday) -> None:  # type: ignore[no-untyped-def]
    assert digest.Week.parse(text).monday == monday


@pytest.mark.parametrize("text", ["2025-W53", "2026-W00", "2026-45", "2026-W4", "٢٠٢٦-W45"])
def test_a_week_that_is_not_one_is_refused(text) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(digest.NotAWeek):
        digest.Week.parse(text)


def test_ward_staff_read_their_hospitals_wards_digests(make_user, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    colleague = WardFactory(hospital=herlev_ward.hospital)
    WardFactory(hospital=HospitalFactory(region_id=1084))
    nurse = make_user(Role.WARD_NURSE, ward=herlev_ward)
    assert set(digest.digest_wards(nurse)) == {herlev_ward, colleague}


def test_a_risk_manager_reads_her_regions_wards_digests(make_user, herlev_ward) -> None:  # type: ignore[no-untyped-def]
    WardFactory(hospital=HospitalFactory(region_id=1082))
    assert list(digest.digest_wards(make_user(Role.RISK_MANAGER, region_id=1084))) == [herlev_ward]


def test_the_digest_page_shows_the_lesson_without_names(
    client, herlev_ward, manager, reporter
) -> None:  # type: ignore[no-untyped-def]
    closed_case(manager=manager, reporter=reporter, place=Place("ward", ward=herlev_ward))
    client.force_login(manager)
    page = client.get(reverse("incidents:ward_digest", args=[herlev_ward.pk]), {"week": "2026-W45"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "Tjekliste ved udskrivelse" in body
    assert "Læring fra utilsigtede hændelser, uge 45 2026" in body
    for secret in ("Ole Hansen", "010145", "Susanne", "Berg"):
        assert secret not in body


def test_ward_staff_open_their_wards_digest(client, herlev_ward, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.WARD_NURSE, ward=herlev_ward))
    assert client.get(reverse("incidents:ward_digest", args=[herlev_ward.pk])).status_code == 200


def test_another_hospitals_digest_is_not_found(client, herlev_ward, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.WARD_NURSE))
    assert client.get(reverse("incidents:ward_digest", args=[herlev_ward.pk])).status_code == 404


def test_municipal_nurses_have_no_digest(client, herlev_ward, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.MUNICIPAL_NURSE, municipality_id="163"))
    assert client.get(reverse("incidents:ward_digest", args=[herlev_ward.pk])).status_code == 403
    assert client.get(reverse("incidents:digest_index")).status_code == 403


def test_a_week_that_is_not_one_is_a_400(client, herlev_ward, manager) -> None:  # type: ignore[no-untyped-def]
    client.force_login(manager)
    url = reverse("incidents:ward_digest", args=[herlev_ward.pk])
    assert client.get(url, {"week": "2025-W53"}).status_code == 400


def test_the_index_lists_the_nurses_own_ward_first(client, herlev_ward, make_user) -> None:  # type: ignore[no-untyped-def]
    WardFactory(hospital=herlev_ward.hospital, name="Akut Afsnit")
    client.force_login(make_user(Role.WARD_NURSE, ward=herlev_ward))
    wards = client.get(reverse("incidents:digest_index")).context["wards"]
    assert wards[0] == herlev_ward
    assert len(wards) == 2


def test_the_digest_prints_on_a_page_of_its_own() -> None:
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "print.css").read_text()
    assert "@page digest { size: A4;" in css
    assert ".digest { page: digest; }" in css
