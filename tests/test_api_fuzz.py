"""schemathesis over every operation of the committed OpenAPI schema, as each role.

Each operation × role gets a bounded number of generated requests (valid and invalid) against the
WSGI application: no 5xx, every status, content type and body conforms to the schema, invalid
input is refused, and no discharge outside the caller's scope ever comes back. Schema-valid input
may still be refused (a CPR with an impossible date, an unknown municipality), so schemathesis'
"positive data acceptance" check is the one left out. Generated ids and well-formed CPR numbers
are steered onto the caller's own and a foreign object a third of the time each, so the scope
check meets real data.
"""

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis.specs.openapi.checks import positive_data_acceptance

from handover.models import Discharge
from tests.world import ROLES, build_world

CPR = re.compile(r"[0-9]{6}-?[0-9]{4}")
# A few generated requests per operation and role in `make test`, many in `make fuzz`.
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
pytestmark = [pytest.mark.django_db, pytest.mark.services, pytest.mark.fuzz]

schema = schemathesis.openapi.from_path(Path(__file__).resolve().parent.parent / "openapi.yaml")
schema.app = get_wsgi_application()


def _discharge_ids(data: Any) -> set[int]:
    """Ids of every discharge in a JSON body (a discharge carries an id and `discharged_at`)."""
    if isinstance(data, list):
        return set().union(*map(_discharge_ids, data)) if data else set()
    if not isinstance(data, dict):
        return set()
    found = {data["id"]} if "id" in data and "discharged_at" in data else set()
    return found.union(*map(_discharge_ids, data.values()))


def _steer(case: Any, world: dict[str, Any]) -> None:
    own, foreign = world["discharge"]
    if "id" in (case.path_parameters or {}) and isinstance(case.path_parameters["id"], int):
        kind = "incident" if "/incidents/" in case.path else "discharge"
        choice = case.path_parameters["id"] % 3
        if choice < 2:
            case.path_parameters["id"] = world[kind][choice].pk
    cpr = case.body.get("cpr") if isinstance(case.body, dict) else None
    if case.path == "/api/v1/lookup/" and isinstance(cpr, str) and CPR.fullmatch(cpr):
        choice = int(cpr[-1]) % 3
        if choice < 2:
            case.body["cpr"] = (own, foreign)[choice].patient.cpr


@pytest.fixture(autouse=True)
def keep_connection():  # type: ignore[no-untyped-def]
    """The WSGI handler closes the database connection after each request; the test's transaction
    lives on it (Django's test client disconnects the same signal)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return build_world()


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_holds_under_generated_requests(case, role, world) -> None:  # type: ignore[no-untyped-def]
    user = world["users"][role]
    # A token of its own: the example may be the logout that revokes it.
    token = AuthToken.objects.create(user=user)[1]
    foreign = world["discharge"][1]

    def within_scope(ctx, response, case):  # type: ignore[no-untyped-def]
        if role == "admin" or response.status_code >= 300:
            return None
        body = response.content.decode("utf-8", "replace")
        assert foreign.patient.name not in body, "a foreign patient in the response"
        if "json" in response.headers.get("Content-Type", [""])[0]:
            ids = _discharge_ids(json.loads(body))
            visible = set(
                Discharge.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
            )
            assert ids <= visible, f"discharges outside the caller's scope: {ids - visible}"
        return None

    _steer(case, world)
    case.call_and_validate(
        headers={"Authorization": f"Token {token}"},
        additional_checks=[within_scope],
        excluded_checks=[positive_data_acceptance],
    )
