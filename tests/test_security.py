"""Production security settings and headers."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_csp_header_forbids_inline_scripts(client: Client) -> None:
    policy = client.get("/konto/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_pages_carry_no_inline_script(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user())
    page = client.get("/telefonliste/").content.decode()
    assert "<script>" not in page
    assert all("src=" in tag for tag in page.split("<script")[1:])


def test_check_deploy_is_clean_with_production_settings() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "SECRET_KEY": "a-production-like-secret-key-with-more-than-fifty-characters-0123456789",
            "ALLOWED_HOSTS": "behandlingsansvar.example.dk",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
