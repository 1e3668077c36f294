"""The demo data: seeded twice it stays the same, and it speaks MedCom."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for app in ("accounts", "contacts", "handover", "incidents")
        for model in apps.get_app_config(app).get_models()
    }


def test_seed_demo_twice_leaves_the_same_row_counts(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    first = row_counts()
    call_command("seed_demo", verbosity=0)
    assert row_counts() == first
    assert first["accounts.User"] == 10
    assert first["handover.Discharge"] > 0


def test_seed_demo_refuses_without_debug(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", verbosity=0)


def test_the_demos_documented_discharges_send_valid_care_communications(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import io
    import json

    from fhir.resources.R4B.bundle import Bundle

    from handover.services import notifications

    settings.DEBUG = True
    settings.MEDCOM_OUTBOX_DIR = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    notifications.deliver_pending()
    files = sorted(tmp_path.glob("*.json"))
    assert files
    for file in files:
        bundle = json.loads(file.read_text())
        Bundle.model_validate(bundle)
        communication = next(
            e["resource"]
            for e in bundle["entry"]
            if e["resource"]["resourceType"] == "Communication"
        )
        assert communication["category"][0]["coding"][0]["code"] == "extended-care-responsibility"


def test_no_demo_incident_is_dated_before_the_discharge_it_names(settings) -> None:  # type: ignore[no-untyped-def]
    from incidents.models import Incident

    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    linked = Incident.objects.filter(discharge__isnull=False).select_related("discharge")
    assert linked.exists()
    assert [
        incident.title
        for incident in linked
        if incident.occurred_at < incident.discharge.discharged_at  # type: ignore[union-attr]
    ] == []
