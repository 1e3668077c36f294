"""The Redis cache backend (config.cache): one client per pool, and a counter that expires."""

import pytest
from django.core.cache import caches

from config.cache import RedisCache, count


def test_a_counter_counts_and_lives_its_timeout() -> None:
    assert [count("test-counter", timeout=120) for _ in range(3)] == [1, 2, 3]
    assert caches["default"].get("test-counter") == 3


def test_on_redis_the_first_count_sets_the_expiry_and_the_client_is_kept(require_redis) -> None:  # type: ignore[no-untyped-def]
    backend = caches["default"]
    assert isinstance(backend, RedisCache)
    assert [count("test-counter-redis", timeout=120) for _ in range(2)] == [1, 2]
    key = backend.make_and_validate_key("test-counter-redis")
    client = backend._cache.get_client(key)
    assert 0 < client.ttl(key) <= 120
    assert backend._cache.get_client(key) is client
    assert backend.get("test-counter-redis") == 2  # Django reads the raw integer back


@pytest.fixture(autouse=True)
def _clean() -> None:
    caches["default"].delete_many(["test-counter", "test-counter-redis"])
