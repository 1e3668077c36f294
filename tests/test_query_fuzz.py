"""Generated query parameters on every GET of the API schema and every page, as each role.

The schema fuzzing (``test_api_fuzz``) sends what the schema describes; people and scripts type
anything into an address bar. Here each operation and page gets its known parameters and some
unknown ones filled with hypothesis values that have broken it before or could: Unicode digits
("²" passes ``str.isdigit()``, "٣" passes ``int()``), NUL (PostgreSQL refuses it in text),
numbers past every database integer, negative numbers, very long and empty strings. Whatever
comes back, it is not a 5xx, and it names no patient outside the caller's scope.

The pages are enumerated from the URLconf, so a new page fails ``test_every_page_is_fuzzed``
until its parameters are listed here.
"""

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.world import ROLES, build_world

# A few generated requests per operation or page and role in `make test`, many in `make fuzz`.
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

SCHEMA = yaml.safe_load((Path(__file__).resolve().parents[1] / "openapi.yaml").read_text())

# Every named page of the URLconf: the object its path names (if any) and the query parameters
# it reads. The API (namespace v1) is read from the schema instead.
PAGES: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "home": (None, ()),
    "healthz": (None, ()),
    "readyz": (None, ()),
    "set_language": (None, ("next", "language")),
    "schema": (None, ("format", "lang")),
    "swagger-ui": (None, ()),
    "accounts:login": (None, ("next",)),
    "contacts:ward_list": (None, ("q",)),
    "contacts:ward_detail": ("ward", ()),
    "contacts:pocket_card": ("hospital", ()),
    "contacts:municipality_list": (None, ()),
    "contacts:municipal_pocket_card": ("municipality", ()),
    "handover:worklist": (None, ("status", "ward", "page")),
    "handover:discharge_new": (None, ()),
    "handover:history": (None, ("status", "page")),
    "handover:coverage_preview": (None, ()),
    "handover:discharge_detail": ("discharge", ()),
    "handover:discharge_document": ("discharge", ()),
    "handover:discharge_confirm": ("discharge", ()),
    "handover:discharge_extend": ("discharge", ()),
    "handover:discharge_end": ("discharge", ()),
    "handover:discharge_resume": ("discharge", ()),
    "handover:patient_card": ("discharge", ()),
    "handover:lookup": (None, ()),
    "handover:board": (None, ("page",)),
    "handover:board_print": (None, ()),
    "handover:board_csv": (None, ()),
    "handover:call_new": ("discharge", ()),
    "handover:call_done": ("call", ()),
    "handover:access_report": (None, ()),
    "incidents:report_new": (None, ("call", "discharge")),
    "incidents:my_reports": (None, ("page",)),
    "incidents:report_detail": ("incident", ()),
    "incidents:report_transition": ("incident", ()),
    "incidents:inbox": (None, ()),
    "incidents:digest_index": (None, ()),
    "incidents:ward_digest": ("ward", ("week",)),
    "incidents:dashboard": (None, ("from", "to", "hospital", "ward", "municipality", "export")),
    "incidents:dashboard_rows": (
        None,
        ("from", "to", "hospital", "ward", "municipality", "chart", "key"),
    ),
}
# Not fuzzed: the admin (Django's own), signing out (it would end the session under test).
SKIPPED = {"accounts:logout"}
SKIPPED_NAMESPACES = {"admin", "v1"}

UNKNOWN = ("id", "pk", "q", "format", "search", "ordering", "x\x00", "²")
HOSTILE = [
    "",
    " ",
    "²",
    "٣",
    "５",
    "𝟗",
    "\x00",
    "1\x00",
    "\x00\x00\x00",
    "-1",
    "0",
    "-0",
    "+1",
    "1.5",
    "1e400",
    "NaN",
    "Infinity",
    "0x10",
    "1_000",
    str(2**63),
    str(2**64),
    str(10**30),
    str(-(10**30)),
    "9" * 5000,
    "a" * 20_000,
    "2026-13-01",
    "0001-01-01",
    "9999-12-31",
    "٢٠٢٦-٠١-٠١",
    "2026-W47",
    "%00",
    "../../etc/passwd",
    "<script>",
    "'; --",
    "null",
    "true",
    "[]",
    "{}",
]
VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=30),
    st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1, max_size=12),
)


def named_routes(patterns: list[Any], namespace: str = "") -> list[str]:
    names = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace not in SKIPPED_NAMESPACES:
                names += named_routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(f"{namespace}{pattern.name}")
    return names


def query_names(operation: dict[str, Any]) -> tuple[str, ...]:
    return tuple(p["name"] for p in operation.get("parameters", []) if p["in"] == "query")


# The lists and figures of the API: every GET of the schema that reads query parameters or
# names no object.
API_LISTS = sorted(
    (path, query_names(operations["get"]))
    for path, operations in SCHEMA["paths"].items()
    if "get" in operations and (query_names(operations["get"]) or "{" not in path)
)
# The pages that read query parameters.
PAGE_LISTS = sorted(name for name, (_kind, known) in PAGES.items() if known)


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return build_world()


def parameters(known: tuple[str, ...]) -> st.SearchStrategy[dict[str, str]]:
    """Known names half the time (they are where values are read), unknown the other half."""
    names: st.SearchStrategy[str] = st.sampled_from(UNKNOWN)
    if known:
        names = st.one_of(st.sampled_from(known), names)
    return st.dictionaries(names, VALUES, min_size=1, max_size=4)


def assert_holds(response: Any, role: str, world: dict[str, Any], sent: dict[str, str]) -> None:
    assert response.status_code < 500, f"{response.status_code} for {sent!r}"
    if role == "admin":
        return
    foreign = world["discharge"][1].patient.name
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert foreign.encode() not in body or any(foreign in value for value in sent.values())


def client_for(world: dict[str, Any], role: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world["users"][role])
    return client


def path_of(name: str, world: dict[str, Any]) -> str:
    kind = PAGES[name][0]
    if kind is None:
        return reverse(name)
    own = {
        "ward": world["discharge"][0].ward,
        "hospital": world["discharge"][0].ward.hospital,
        "municipality": world["discharge"][0].municipality,
        "discharge": world["discharge"][0],
        "call": world["call"][0],
        "incident": world["incident"][0],
    }[kind]
    return reverse(name, kwargs={"pk": own.pk})


def test_every_page_is_fuzzed() -> None:
    routes = set(named_routes(get_resolver().url_patterns)) - SKIPPED
    assert routes == set(PAGES)


FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PAGE_LISTS)
@FUZZ
@given(data=st.data())
def test_pages_hold_under_generated_query_parameters(name, role, world, data) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world, role)
    sent = data.draw(parameters(PAGES[name][1]), label="query")
    headers = {"HTTP_HX_REQUEST": "true"} if data.draw(st.booleans(), label="htmx") else {}
    response = client.get(path_of(name, world), sent, **headers)
    assert_holds(response, role, world, sent)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "known"), API_LISTS, ids=[path for path, _known in API_LISTS])
@FUZZ
@given(data=st.data())
def test_api_holds_under_generated_query_parameters(path, known, role, world, data) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world, role)
    own = {"incident": world["incident"][0].pk, "discharge": world["discharge"][0].pk}
    url = path.replace("{id}", str(own["incident" if "/incidents/" in path else "discharge"]))
    sent = data.draw(parameters(known), label="query")
    response = client.get(url, sent)
    assert_holds(response, role, world, sent)
