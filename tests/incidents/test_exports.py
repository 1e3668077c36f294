"""The dashboard's CSV exports neutralise formula injection (OWASP "CSV Injection")."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from incidents import summaries
from tests.factories import WardFactory, record_discharge

pytestmark = pytest.mark.django_db

NOV = datetime(2026, 11, 10, 10, 0, tzinfo=UTC)
RANGE = {"from": "2026-10-01", "to": "2026-11-30"}


@pytest.mark.parametrize(
    "formula", ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(1)", "\tX", "\rY"]
)
def test_dashboard_ward_table_neutralises_ward_names(client, make_user, formula) -> None:  # type: ignore[no-untyped-def]
    ward = WardFactory(hospital__region_id=1084, name=formula)
    with time_machine.travel(NOV + timedelta(minutes=10), tick=False):
        record_discharge(ward=ward, discharged_at=NOV)
    summaries.refresh(date(2026, 10, 1), date(2026, 11, 1))  # what beat does every five minutes
    client.force_login(make_user(Role.RISK_MANAGER, region_id=1084))
    response = client.get(reverse("incidents:dashboard"), {**RANGE, "export": "kpi_ward"})
    rows = list(csv.reader(io.StringIO(response.content.decode(), newline=""), delimiter=";"))
    assert [row[0] for row in rows] == [f"'{formula}"]
