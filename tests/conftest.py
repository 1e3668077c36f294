"""Fixtures every test may use. Test bodies create what they need with the factories."""

import importlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import translation
from rest_framework.test import APIClient

from accounts.models import Role, User
from tests.factories import HospitalFactory, UserFactory, WardFactory

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def pytest_configure(config: pytest.Config) -> None:
    # Tests render templates without a collected static manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The test client speaks plain HTTP; production redirects to HTTPS.
    settings.SECURE_SSL_REDIRECT = False
    # Tasks enqueued on commit go to an in-memory broker unless a test asks for Redis.
    from config.celery import app

    app.conf.broker_url = "memory://"
    # MedCom messages written by the folder transport go to a folder of the test run's own.
    settings.MEDCOM_OUTBOX_DIR = Path(tempfile.mkdtemp(prefix="medcom-outbox-"))
    # Hashing cost is not what the tests are about.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Parallel workers each get a Redis database of their own: one worker's cache.clear()
    # must not reset the counters another worker's test is counting.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if settings.REDIS_URL and worker.startswith("gw"):
        url = urlsplit(settings.REDIS_URL)._replace(path=f"/{10 + int(worker[2:])}")
        settings.CACHES["default"]["LOCATION"] = urlunsplit(url)


def _redis_available() -> bool:
    if not settings.REDIS_URL:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Cached values (the kept facts' versions) must not leak from one test into the next."""
    cache.clear()


@pytest.fixture(autouse=True)
def danish() -> None:
    """A request in English leaves English active in the thread; each test starts in Danish."""
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    """Regions, municipalities and rules for transactional tests.

    Their data migrations ran once, but a transactional test's teardown empties every table;
    this puts the reference data back, exactly as the migrations write it.
    """
    from django.apps import apps

    for module in (
        "contacts.migrations.0002_regions_and_municipalities",
        "contacts.migrations.0008_health_clusters_data",
        "handover.migrations.0002_responsibility_rules",
        "handover.migrations.0015_rules_as_the_seeds_write_them",
    ):
        importlib.import_module(module).load(apps, None)


@pytest.fixture
def require_postgres(db: None) -> None:
    """Skip (or, in CI with REQUIRE_SERVICES=1, fail) when the database is not PostgreSQL."""
    if connection.vendor != "postgresql":
        if REQUIRE_SERVICES:
            pytest.fail("REQUIRE_SERVICES=1 but the test database is not PostgreSQL")
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def require_redis() -> None:
    """Skip (or, in CI with REQUIRE_SERVICES=1, fail) when Redis is not reachable."""
    if not _redis_available():
        if REQUIRE_SERVICES:
            pytest.fail("REQUIRE_SERVICES=1 but Redis is not reachable at REDIS_URL")
        pytest.skip("needs Redis (set REDIS_URL)")


@pytest.fixture
def herlev_ward(db: None):  # type: ignore[no-untyped-def]
    """A somatic ward of a Region Hovedstaden hospital, the kind the story of Ole starts at."""
    hospital = HospitalFactory(name="Herlev Hospital", region_id=1084)
    return WardFactory(hospital=hospital, name="Kardiologisk Afsnit")


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(role: str = Role.WARD_NURSE, **membership: object) -> User:
        return UserFactory(role=role, **membership)

    return make


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()
