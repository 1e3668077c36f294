"""Every dashboard figure links to the rows behind it, and those rows are as many as the figure
says, within the caller's scope."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from accounts.models import Role
from handover.models import AccessAction, AccessLog
from tests.incidents.test_stats import RANGE, dataset, report  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
ROWS_LINK = re.compile(r'href="(/haendelser/overblik/raekker/\?[^"]+)"')


def counted(page: str) -> int:
    return int(re.search(r"(\d+) række", page).group(1))  # type: ignore[union-attr]


def test_every_chart_links_to_as_many_rows_as_it_counts(client, dataset, make_user) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    client.force_login(make_user(Role.RISK_MANAGER, region_id=1084))
    page = client.get(reverse("incidents:dashboard"), RANGE).content.decode()
    links = sorted({unescape(link) for link in ROWS_LINK.findall(page)})
    answers = {}
    for link in links:
        rows = client.get(link)
        assert rows.status_code == 200
        query = parse_qs(urlsplit(link).query)
        key = (query["chart"][0], query.get("key", [""])[0])
        answers[key] = counted(rows.content.decode())
    assert answers == {
        ("kpi", ""): 3,
        ("kpi", "2026-11"): 3,
        ("kpi_ward", str(dataset.ward_id)): 3,
        ("kpi_cluster", "midt-hovedstaden"): 3,  # Herlev Kommune's sundhedsklynge
        ("kpi_other", ""): 0,
        ("calls", "advice"): 1,
        ("calls", "referred_to_gp"): 1,
        ("windows", "expired"): 0,
        ("windows", "extended"): 0,
        ("windows", "readmitted"): 0,
        ("windows", "deceased"): 0,
        ("windows", "cancelled"): 0,
        ("red_flags", ""): 1,
    }


def test_kpi_rows_show_which_documents_were_confirmed_in_time(client, dataset, make_user) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    manager = make_user(Role.RISK_MANAGER, region_id=1084)
    client.force_login(manager)
    url = reverse("incidents:dashboard_rows")
    page = client.get(url, {**RANGE, "chart": "kpi", "key": "2026-11"}).content.decode()
    # The late one: neither epikrise nor udskrivningsrapport in time.
    assert page.count('<span class="badge badge-alert">nej</span>') == 2
    assert "030345-****" in page
    assert "050545" not in page  # Region Midtjylland's discharge
    assert "0303451234" not in page  # lists show masked CPR numbers only
    assert AccessLog.objects.filter(user=manager, action=AccessAction.LIST_DISCHARGES).exists()


def test_rows_stay_within_the_callers_region(client, dataset, make_user) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    client.force_login(make_user(Role.RISK_MANAGER, region_id=1082))
    url = reverse("incidents:dashboard_rows")
    page = client.get(url, {**RANGE, "chart": "kpi", "key": ""}).content.decode()
    assert counted(page) == 1
    assert "050545-****" in page
    calls = client.get(url, {**RANGE, "chart": "calls", "key": "advice"}).content.decode()
    assert counted(calls) == 0


@pytest.mark.parametrize(
    ("chart", "key"),
    [
        ("kpi", "2026-13"),
        ("kpi_ward", "0"),
        ("kpi_ward", "١٢"),  # Arabic-Indic digits: not an id
        ("kpi_cluster", "Midt Hovedstaden"),
        ("windows", "lost"),
        ("calls", "shouted"),
        ("nothing", ""),
        ("", ""),
    ],
)
def test_unknown_chart_or_bar_returns_to_the_dashboard_with_a_message(
    client, make_user, chart, key
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.RISK_MANAGER, region_id=1084))
    response = client.get(
        reverse("incidents:dashboard_rows"), {**RANGE, "chart": chart, "key": key}, follow=True
    )
    assert response.redirect_chain[0][0].startswith(reverse("incidents:dashboard"))
    assert "Ukendt" in response.content.decode()


def test_rows_are_for_risk_managers(client, herlev_ward, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.WARD_NURSE, ward=herlev_ward))
    response = client.get(reverse("incidents:dashboard_rows"), {"chart": "kpi"})
    assert response.status_code == 403


def test_incident_bars_link_to_the_reports(api_client, client, make_user) -> None:  # type: ignore[no-untyped-def]
    api_client.force_authenticate(make_user(Role.MUNICIPAL_NURSE, municipality_id="163"))
    for category, title in [("referred_elsewhere", "Henvist"), ("medication", "Medicin")]:
        report(api_client, category, title=title, description="Beskrivelse")
    client.force_login(make_user(Role.RISK_MANAGER, region_id=1084))
    page = client.get(reverse("incidents:dashboard")).content.decode()
    link = next(
        unescape(link) for link in ROWS_LINK.findall(page) if "key=medication" in unescape(link)
    )
    rows = client.get(link).content.decode()
    assert counted(rows) == 1
    assert "Medicin" in rows
    assert "Henvist</a>" not in rows
