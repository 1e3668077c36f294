"""Every documented filter of the statistics filters each figure, or is refused with a 400 that
says why; an organisation outside the caller's scope gives zero, never another scope's figures.

The data set, in Region Hovedstaden unless said otherwise, with one call per discharge:

| discharge | ward | hospital | municipality | month |
|---|---|---|---|---|
| 1 | 1a | 1 | 163 | November |
| 2 | 1b | 1 | 101 | November |
| 3 | 2 | 2 | 163 | October |
| foreign | f | f (Midtjylland) | 751 | November |

Reports: at ward 1a (November), in municipality 101 (November), at hospital 2 (October), and
one at ward f (Midtjylland, November).
"""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from handover.services import log_call
from incidents import summaries
from incidents.services import Place, report_incident
from tests.factories import HospitalFactory, UserFactory, WardFactory, record_discharge

pytestmark = pytest.mark.django_db

NOV = datetime(2026, 11, 10, 10, 0, tzinfo=UTC)
OCT = datetime(2026, 10, 10, 10, 0, tzinfo=UTC)
RANGE = {"from": "2026-10-01", "to": "2026-11-30"}


@pytest.fixture
def places():  # type: ignore[no-untyped-def]
    own, second, foreign = (
        HospitalFactory(region_id=1084),
        HospitalFactory(region_id=1084),
        HospitalFactory(region_id=1082),
    )
    return {
        "h1": own,
        "h2": second,
        "hf": foreign,
        "w1a": WardFactory(hospital=own),
        "w1b": WardFactory(hospital=own),
        "w2": WardFactory(hospital=second),
        "wf": WardFactory(hospital=foreign),
    }


def discharge_with_call(ward, cpr: str, municipality: str, at: datetime) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(at + timedelta(hours=1), tick=False):
        discharge = record_discharge(
            ward=ward, cpr=cpr, municipality_code=municipality, discharged_at=at
        )
        log_call(
            discharge=discharge,
            by=None,
            received_at=at + timedelta(minutes=30),
            caller_role="gp",
            outcome="advice",
        )


def report(place: Place, at: datetime) -> None:
    with time_machine.travel(at + timedelta(hours=2), tick=False):
        report_incident(
            by=UserFactory(role=Role.MUNICIPAL_NURSE, ward=None, municipality_id="163"),
            occurred_at=at,
            occurred_at_precision="exact",
            title="x",
            description="y",
            category="other",
            actual_consequence="minor",
            possible_consequence="minor",
            place=place,
        )


@pytest.fixture
def dataset(places):  # type: ignore[no-untyped-def]
    from contacts.models import Municipality

    discharge_with_call(places["w1a"], "0101451234", "163", NOV)
    discharge_with_call(places["w1b"], "0202451234", "101", NOV)
    discharge_with_call(places["w2"], "0303451234", "163", OCT)
    discharge_with_call(places["wf"], "0404451234", "751", NOV)
    report(Place("ward", ward=places["w1a"]), NOV)
    report(Place("municipality", municipality=Municipality.objects.get(code="101")), NOV)
    report(Place("hospital", hospital=places["h2"]), OCT)
    report(Place("ward", ward=places["wf"]), NOV)
    summaries.refresh(date(2026, 10, 1), date(2026, 11, 1))  # what the beat job does
    return places


# (filters, expected (covered discharges, calls, reports)); None: the filter is refused.
# Names of places stand for their ids.
FILTERS = [
    ({}, (3, 3, 3)),
    ({"hospital": "h1"}, (2, 2, 1)),
    ({"hospital": "h2"}, (1, 1, 1)),
    ({"ward": "w1a"}, (1, 1, None)),
    ({"municipality": "101"}, (1, 1, 1)),
    ({"municipality": "163"}, (2, 2, 0)),
    ({"from": "2026-11-01"}, (2, 2, 2)),
    ({"to": "2026-10-31"}, (1, 1, 1)),
    ({"from": "2026-11-05", "to": "2026-11-15"}, (2, 2, 2)),  # partial month: counted live
    ({"hospital": "hf"}, (0, 0, 0)),  # outside the caller's scope
    ({"ward": "wf"}, (0, 0, None)),
    ({"municipality": "751"}, (0, 0, 0)),
    ({"hospital": "h1", "municipality": "101"}, (1, 1, 0)),
]
IDS = ["-".join(f"{k}={v}" for k, v in chosen.items()) or "none" for chosen, _counts in FILTERS]


def query(chosen: dict[str, str], places) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return RANGE | {
        name: str(places[value].pk) if value in places else value for name, value in chosen.items()
    }


@pytest.fixture
def risk_manager(api_client, client, make_user):  # type: ignore[no-untyped-def]
    user = make_user(Role.RISK_MANAGER, ward=None, region_id=1084)
    api_client.force_authenticate(user)
    client.force_login(user)
    return user


@pytest.mark.parametrize(("chosen", "counts"), FILTERS, ids=IDS)
def test_compliance_applies_each_filter(api_client, risk_manager, dataset, chosen, counts) -> None:  # type: ignore[no-untyped-def]
    response = api_client.get("/api/v1/stats/compliance/", query(chosen, dataset))
    assert response.status_code == 200
    assert response.json()["covered"] == counts[0]


@pytest.mark.parametrize(("chosen", "counts"), FILTERS, ids=IDS)
def test_call_stats_apply_each_filter(api_client, risk_manager, dataset, chosen, counts) -> None:  # type: ignore[no-untyped-def]
    response = api_client.get("/api/v1/stats/calls/", query(chosen, dataset))
    assert response.status_code == 200
    assert response.json()["total"] == counts[1]


@pytest.mark.parametrize(("chosen", "counts"), FILTERS, ids=IDS)
def test_incident_stats_apply_each_filter_or_refuse_it(
    api_client, risk_manager, dataset, chosen, counts
) -> None:  # type: ignore[no-untyped-def]
    response = api_client.get("/api/v1/stats/incidents/", query(chosen, dataset))
    if counts[2] is None:
        assert response.status_code == 400
        assert "afdeling" in response.json()["errors"]["ward"][0]
    else:
        assert response.status_code == 200
        assert response.json()["total"] == counts[2]


@pytest.mark.parametrize(("chosen", "counts"), FILTERS, ids=IDS)
def test_dashboard_applies_each_filter(client, risk_manager, dataset, chosen, counts) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("incidents:dashboard"), query(chosen, dataset))
    assert response.status_code == 200
    context = response.context
    incidents = context["incidents"]["total"] if context["incidents"] is not None else None
    assert (context["kpi"]["covered"], context["calls"]["total"], incidents) == counts


def test_dashboard_says_why_a_ward_has_no_incident_figures(client, risk_manager, dataset) -> None:  # type: ignore[no-untyped-def]
    page = client.get(
        reverse("incidents:dashboard"), query({"ward": "w1a"}, dataset)
    ).content.decode()
    assert "Hændelser kan ikke tælles pr. afdeling" in page
    assert "rapporter" not in page


def test_dashboard_incident_export_for_a_ward_is_refused(client, risk_manager, dataset) -> None:  # type: ignore[no-untyped-def]
    response = client.get(
        reverse("incidents:dashboard"),
        query({"ward": "w1a"}, dataset) | {"export": "incidents_category"},
    )
    assert response["Content-Type"].startswith("text/html")
    assert "Hændelser kan ikke tælles pr. afdeling" in response.content.decode()


def test_dashboard_incident_rows_for_a_ward_go_back_with_the_reason(
    client, risk_manager, dataset
) -> None:  # type: ignore[no-untyped-def]
    response = client.get(
        reverse("incidents:dashboard_rows"),
        query({"ward": "w1a"}, dataset) | {"chart": "incidents", "key": "other"},
        follow=True,
    )
    assert response.redirect_chain[0][0].startswith(reverse("incidents:dashboard"))
    assert "Hændelser kan ikke tælles pr. afdeling" in response.content.decode()


def test_dashboard_incident_rows_apply_the_hospital_filter(client, risk_manager, dataset) -> None:  # type: ignore[no-untyped-def]
    response = client.get(
        reverse("incidents:dashboard_rows"),
        query({"hospital": "h2"}, dataset) | {"chart": "incidents", "key": "other"},
    )
    assert response.context["total"] == 1
