"""openapi.yaml is a contract generated clients can use: a client generated from it by
openapi-python-client signs in, reads the directory, registers and exports a discharge, imports
MedCom's own HospitalNotification, looks up a citizen and lists alerts, against the running
product."""

import importlib
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import Role
from tests.factories import UserFactory
from tests.medcom import build, example, fresh, shifted, weeks_to

SCHEMA = Path(__file__).resolve().parents[1] / "openapi.yaml"
PACKAGE = "handover_client"
PASSWORD = "handover-test"  # tests.factories.UserFactory's

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    where = tmp_path_factory.mktemp("generated")
    config = where / "config.yaml"
    config.write_text(f"post_hooks: []\npackage_name_override: {PACKAGE}\n")
    tool = Path(sys.executable).with_name("openapi-python-client")
    run = subprocess.run(  # noqa: S603  # our own tool on our own schema
        [
            str(tool),
            "generate",
            "--path",
            str(SCHEMA),
            "--config",
            str(config),
            "--meta",
            "none",
            "--output-path",
            str(where / PACKAGE),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "WARNING" not in run.stdout, run.stdout  # every operation and model was generated
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(where))
        for name in [name for name in sys.modules if name.startswith(PACKAGE)]:
            del sys.modules[name]


def operation(name: str) -> Any:
    """An operation module of the generated client, e.g. ``v1.v1_lookup_create``."""
    return importlib.import_module(f"{PACKAGE}.api.{name}")


def signed_in(client: ModuleType, base: str, username: str) -> Any:
    models = importlib.import_module(f"{PACKAGE}.models")
    answer = operation("v1.v1_auth_token_create").sync(
        client=client.Client(base_url=base),
        body=models.TokenInputRequest(username=username, password=PASSWORD),
    )
    assert isinstance(answer, models.TokenOutput), answer
    return client.AuthenticatedClient(base_url=base, token=answer.token, prefix="Token")


def test_a_generated_client_does_a_days_work(generated, live_server, reference_data) -> None:  # type: ignore[no-untyped-def]
    models = importlib.import_module(f"{PACKAGE}.models")
    world = build()
    nurse = UserFactory(role=Role.WARD_NURSE, ward=world.herlev_ward)
    town_nurse = UserFactory(role=Role.MUNICIPAL_NURSE, ward=None, municipality_id="163")
    base = live_server.url

    ward_client = signed_in(generated, base, nurse.username)
    wards = operation("directory.v1_wards_list").sync(client=ward_client, q="Kardiologisk")
    assert world.herlev_ward.pk in [ward.id for ward in wards]

    now = timezone.now()
    created = operation("v1.v1_discharges_create").sync(
        client=ward_client,
        body=models.DischargeCreateInputRequest(
            patient=models.PatientInputRequest(cpr="010145-1234", name="Ole Hansen"),
            ward=world.herlev_ward.pk,
            admitted_at=now - timedelta(days=3),
            discharged_at=now - timedelta(hours=1),
            destination=models.DestinationEnum.HOME_NURSING,
            municipality="163",
            treatment_plan="Observer vægt og åndenød.",
            contact_phone="+4544881234",
        ),
    )
    assert isinstance(created, models.DischargeOutput), created
    assert (created.status, created.window_hours, created.contact_phone) == (
        models.StatusEnum.ACTIVE,
        96,
        "+4544881234",
    )
    bundle = operation("v1.v1_discharges_fhir_retrieve").sync(client=ward_client, id=created.id)
    assert bundle["resourceType"] == "Bundle"

    hospital_client = signed_in(generated, base, world.herlev.username)
    message = example("discharge-inpatient-home")
    message = fresh(shifted(message, weeks_to(message, now)))
    imported = operation("v1.v1_fhir_hospital_notification_create").sync(
        client=hospital_client, body=models.MessageBundleRequest.from_dict(message)
    )
    assert isinstance(imported, models.HospitalNotificationResult), imported
    assert imported.result == "created"

    town_client = signed_in(generated, base, town_nurse.username)
    found = operation("v1.v1_lookup_create").sync(
        client=town_client, body=models.LookupInputRequest(cpr="0101451234")
    )
    assert isinstance(found, models.LookupOutput), found
    assert found.covered
    assert (found.discharge.phone_now, found.discharge.contact_phone) == (
        "+4544881234",
        "+4544881234",
    )
    alerts = operation("v1.v1_alerts_list").sync(client=ward_client)
    assert isinstance(alerts, models.PaginatedAlertOutputList), alerts
