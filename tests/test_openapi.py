"""The OpenAPI schema covers the API without warnings, and Swagger UI needs no CDN."""

from pathlib import Path

import pytest
from django.core.management import call_command

COMMITTED = Path(__file__).resolve().parents[1] / "openapi.yaml"


def test_schema_generates_without_warnings_or_errors(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "openapi.yaml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target))
    schema = target.read_text()
    for path in ("/api/v1/discharges/", "/api/v1/lookup/", "/api/v1/alerts/", "/api/v1/wards/"):
        assert f"  {path}:" in schema


@pytest.mark.django_db
def test_swagger_ui_is_served_without_a_cdn(client, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user())
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower()
    assert "https://" not in page


def test_committed_openapi_yaml_is_current(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "openapi.yaml"
    call_command("spectacular", "--lang", "da", "--file", str(target))
    assert COMMITTED.read_text() == target.read_text(), "run `make openapi` and commit openapi.yaml"


def test_every_operation_has_an_example() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            bodies = [operation.get("requestBody", {}), *operation["responses"].values()]
            if not any(
                "examples" in content
                for body in bodies
                for content in body.get("content", {}).values()
            ):
                missing.append(f"{method.upper()} {path}")
    assert missing == []
