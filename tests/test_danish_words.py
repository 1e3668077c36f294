"""The words the seeds use, as issue 26 §7 found them: "intet aktivt behandlingsansvar", "1 time"
not "1 timer", "periode" not the anglicism "vindue", "højst 24 timer" for a stay of exactly 24
hours, and "overskredet" explained in the inbox."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from handover import services
from tests.factories import record_discharge

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]


def test_no_page_or_message_says_vindue() -> None:
    """Every translatable text of the templates and the code (comments aside)."""
    found = []
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/**/*.py")]:
        if ".venv" in path.parts or "migrations" in path.parts or "tests" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            code = line.split("#")[0] if path.suffix == ".py" else line
            if re.search(r"\bvindue", code, re.IGNORECASE):
                found.append(f"{path.relative_to(ROOT)}:{number}")
    assert found == []


def test_one_hour_left_is_one_time(client: Client, herlev_ward, make_user) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(
        ward=herlev_ward, discharged_at=timezone.now() - timedelta(hours=95, minutes=10)
    )
    client.force_login(make_user(Role.WARD_NURSE, ward=herlev_ward))
    page = client.get(reverse("handover:discharge_detail", args=[discharge.pk])).content.decode()
    assert "(1 time tilbage)" in page
    assert "1 timer" not in page


def test_an_extension_of_one_hour_is_one_time(client: Client, herlev_ward, make_user) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward)
    services.extend_responsibility(discharge=discharge, by=None, hours=1, reason="Ustabil")
    client.force_login(make_user(Role.WARD_NURSE, ward=herlev_ward))
    page = client.get(reverse("handover:discharge_detail", args=[discharge.pk])).content.decode()
    assert "Forlænget 1 time: Ustabil" in page


def test_a_stay_of_exactly_24_hours_is_at_most_24_hours(herlev_ward) -> None:  # type: ignore[no-untyped-def]
    discharge = record_discharge(ward=herlev_ward, stay=timedelta(hours=24))
    assert discharge.get_not_covered_reason_display() == "Indlagt højst 24 timer"


def test_the_no_period_advice_says_intet(api_client, make_user) -> None:  # type: ignore[no-untyped-def]
    api_client.force_authenticate(make_user(Role.MUNICIPAL_NURSE, municipality_id="163"))
    answer = api_client.post("/api/v1/lookup/", {"cpr": "0101451234"}, format="json").json()
    assert answer["advice"].startswith("Intet aktivt behandlingsansvar")


def test_the_inbox_explains_overskredet(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.RISK_MANAGER, region_id=1084))
    page = client.get(reverse("incidents:inbox")).content.decode()
    assert "„Overskredet“: sagen har været åben i" in page
