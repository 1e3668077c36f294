"""Every endpoint that shows patient data × every role × own and foreign object.

Expected: 200 for what the role may see in its scope, 403 for a role that may not use the page
at all, 404 for an object outside the scope (never revealing that it exists). Lists never carry a
foreign id. A resolver sweep fails when a new URL is not classified here.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.world import ROLES, build_world

pytestmark = pytest.mark.django_db

# URL name → (kind of object, {role: status for the own object}); foreign objects are 404 for
# every role that may use the URL, and the same 403 for roles that may not.
# GPs and the acute line look citizens up by CPR number only (ARCHITECTURE.md, access model):
# every read by id or list of discharges, calls or alerts refuses them.
READERS = {**dict.fromkeys(ROLES, 200), "gp": 403, "acute_line": 403}

OBJECT_URLS: dict[str, tuple[str, dict[str, int]]] = {
    "v1:discharge-detail": ("discharge", READERS),
    "v1:discharge-calls": ("discharge", READERS),
    "v1:discharge-fhir": ("discharge", READERS),
    "handover:discharge_detail": (
        "discharge",
        {
            "ward_nurse": 200,
            "ward_doctor": 200,
            "coordinator": 200,
            "municipal_nurse": 403,
            "gp": 403,
            "acute_line": 403,
            "risk_manager": 403,
            "admin": 403,
        },
    ),
    "handover:patient_card": (
        "discharge",
        {
            "ward_nurse": 200,
            "ward_doctor": 200,
            "coordinator": 200,
            "municipal_nurse": 403,
            "gp": 403,
            "acute_line": 403,
            "risk_manager": 403,
            "admin": 403,
        },
    ),
    "handover:call_new": (
        "discharge",
        {
            "ward_nurse": 200,
            "ward_doctor": 200,
            "coordinator": 403,
            "municipal_nurse": 200,
            "gp": 403,
            "acute_line": 403,
            "risk_manager": 403,
            "admin": 403,
        },
    ),
    "handover:call_done": (
        "call",
        {
            "ward_nurse": 200,
            "ward_doctor": 200,
            "coordinator": 403,
            "municipal_nurse": 200,
            "gp": 403,
            "acute_line": 403,
            "risk_manager": 403,
            "admin": 403,
        },
    ),
    "v1:incident-detail": (
        "incident",
        {
            "ward_nurse": 404,
            "ward_doctor": 404,
            "coordinator": 404,
            "municipal_nurse": 200,
            "gp": 404,
            "acute_line": 404,
            "risk_manager": 200,
            "admin": 200,
        },
    ),
    "incidents:ward_digest": (
        "ward",
        {
            "ward_nurse": 200,
            "ward_doctor": 200,
            "coordinator": 200,
            "municipal_nurse": 403,
            "gp": 403,
            "acute_line": 403,
            "risk_manager": 200,
            "admin": 200,
        },
    ),
    "incidents:report_detail": (
        "incident",
        {
            "ward_nurse": 404,
            "ward_doctor": 404,
            "coordinator": 404,
            "municipal_nurse": 200,
            "gp": 404,
            "acute_line": 404,
            "risk_manager": 200,
            "admin": 200,
        },
    ),
}

# List pages and endpoints: {role: status}; 200 responses must not contain the foreign ids.
LIST_URLS: dict[str, dict[str, int]] = {
    "v1:discharge-list": READERS,
    "v1:alert-list": READERS,
    "v1:incident-list": dict.fromkeys(ROLES, 200),
    "handover:worklist": {
        "ward_nurse": 200,
        "ward_doctor": 200,
        "coordinator": 200,
        "municipal_nurse": 403,
        "gp": 403,
        "acute_line": 403,
        "risk_manager": 403,
        "admin": 403,
    },
    "handover:history": {
        "ward_nurse": 200,
        "ward_doctor": 200,
        "coordinator": 200,
        "municipal_nurse": 403,
        "gp": 403,
        "acute_line": 403,
        "risk_manager": 403,
        "admin": 403,
    },
    "handover:board": {
        "ward_nurse": 403,
        "ward_doctor": 403,
        "coordinator": 403,
        "municipal_nurse": 200,
        "gp": 403,
        "acute_line": 200,
        "risk_manager": 403,
        "admin": 403,
    },
    "handover:board_csv": {
        "ward_nurse": 403,
        "ward_doctor": 403,
        "coordinator": 403,
        "municipal_nurse": 200,
        "gp": 403,
        "acute_line": 403,
        "risk_manager": 403,
        "admin": 403,
    },
    "handover:board_print": {
        "ward_nurse": 403,
        "ward_doctor": 403,
        "coordinator": 403,
        "municipal_nurse": 200,
        "gp": 403,
        "acute_line": 403,
        "risk_manager": 403,
        "admin": 403,
    },
    "incidents:inbox": {
        "ward_nurse": 403,
        "ward_doctor": 403,
        "coordinator": 403,
        "municipal_nurse": 403,
        "gp": 403,
        "acute_line": 403,
        "risk_manager": 200,
        "admin": 200,
    },
    "incidents:my_reports": dict.fromkeys(ROLES, 200),
    "incidents:digest_index": {
        "ward_nurse": 200,
        "ward_doctor": 200,
        "coordinator": 200,
        "municipal_nurse": 403,
        "gp": 403,
        "acute_line": 403,
        "risk_manager": 200,
        "admin": 200,
    },
    "incidents:dashboard": {
        "ward_nurse": 403,
        "ward_doctor": 403,
        "coordinator": 403,
        "municipal_nurse": 403,
        "gp": 403,
        "acute_line": 403,
        "risk_manager": 200,
        "admin": 200,
    },
    "incidents:dashboard_rows": {
        "ward_nurse": 403,
        "ward_doctor": 403,
        "coordinator": 403,
        "municipal_nurse": 403,
        "gp": 403,
        "acute_line": 403,
        "risk_manager": 200,
        "admin": 200,
    },
    "v1:stats-compliance": {
        "ward_nurse": 403,
        "ward_doctor": 403,
        "coordinator": 403,
        "municipal_nurse": 403,
        "gp": 403,
        "acute_line": 403,
        "risk_manager": 200,
        "admin": 200,
    },
    "v1:stats-incidents": {
        "ward_nurse": 403,
        "ward_doctor": 403,
        "coordinator": 403,
        "municipal_nurse": 403,
        "gp": 403,
        "acute_line": 403,
        "risk_manager": 200,
        "admin": 200,
    },
    "v1:stats-calls": {
        "ward_nurse": 403,
        "ward_doctor": 403,
        "coordinator": 403,
        "municipal_nurse": 403,
        "gp": 403,
        "acute_line": 403,
        "risk_manager": 200,
        "admin": 200,
    },
}

# Writes, POST-only look-ups and pages without patient data; each is tested in its own module.
OTHER_URLS = {
    "home",
    "healthz",
    "readyz",
    "set_language",
    "accounts:login",
    "accounts:logout",
    "contacts:ward_list",
    "contacts:ward_detail",
    "contacts:pocket_card",
    "contacts:municipality_list",
    "contacts:municipal_pocket_card",
    "handover:discharge_new",
    "handover:coverage_preview",
    "handover:discharge_document",
    "handover:discharge_confirm",  # tests/handover/test_documents.py
    "handover:discharge_extend",
    "handover:discharge_end",
    "handover:discharge_resume",
    "handover:lookup",
    "handover:access_report",
    "incidents:report_new",
    "incidents:report_transition",
    "v1:token",
    "v1:logout",
    "v1:logout-all",
    "v1:municipality-list",
    "v1:ward-list",
    "v1:discharge-extend",
    "v1:discharge-end",
    "v1:lookup",
    "v1:hospital-notification",
    "v1:acknowledgement",  # scoped to the sender: tests/handover/test_medcom_messages.py
    "v1:care-communication",  # tests/handover/test_medcom_correspondence.py
    "v1:acknowledgement-received",  # tests/handover/test_medcom_correspondence.py
    "v1:incident-transition",
    "schema",
    "swagger-ui",
}


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return build_world()


def get(client, user, url):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.get(url, HTTP_ACCEPT="application/json")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(OBJECT_URLS))
def test_object_urls(client, world, name, role) -> None:  # type: ignore[no-untyped-def]
    kind, expected = OBJECT_URLS[name]
    own, foreign = world[kind]
    user = world["users"][role]
    assert get(client, user, reverse(name, args=[own.pk])).status_code == expected[role]
    foreign_status = get(client, user, reverse(name, args=[foreign.pk])).status_code
    if role == "admin" and expected[role] == 200:
        assert foreign_status == 200
    else:
        assert foreign_status == (403 if expected[role] == 403 else 404)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(LIST_URLS))
def test_list_urls_never_show_foreign_ids(client, world, name, role) -> None:  # type: ignore[no-untyped-def]
    user = world["users"][role]
    response = get(client, user, reverse(name))
    assert response.status_code == LIST_URLS[name][role]
    if response.status_code == 200 and role != "admin":
        foreign_discharge, foreign_incident = world["discharge"][1], world["incident"][1]
        body = response.content.decode()
        for marker in (foreign_discharge.patient.name, foreign_discharge.patient.cpr_masked):
            assert marker not in body
        if name.startswith("v1:"):
            ids = (
                {row.get("id") for row in response.json().get("results", [])}
                if isinstance(response.json(), dict)
                else set()
            )
            assert foreign_discharge.pk not in ids or "discharge" not in name
            assert foreign_incident.pk not in ids or "incident" not in name


def _names(patterns, prefix=""):  # type: ignore[no-untyped-def]
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            if pattern.namespace == "admin":
                continue
            yield from _names(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name


def test_every_url_is_in_the_matrix() -> None:
    routes = set(_names(get_resolver().url_patterns))
    classified = set(OBJECT_URLS) | set(LIST_URLS) | OTHER_URLS
    assert routes - classified == set(), "classify the new URL in tests/test_scoping_matrix.py"
    assert classified - routes == set()
