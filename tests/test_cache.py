"""The Redis cache backend (config.cache): one client per connection pool."""

from django.core.cache import caches

from config.cache import RedisCache


def test_on_redis_the_client_is_kept_and_reads_what_it_wrote(require_redis) -> None:  # type: ignore[no-untyped-def]
    backend = caches["default"]
    assert isinstance(backend, RedisCache)
    backend.set("test-kept-client", 2, timeout=120)
    key = backend.make_and_validate_key("test-kept-client")
    client = backend._cache.get_client(key)
    assert backend._cache.get_client(key) is client
    assert 0 < client.ttl(key) <= 120
    assert backend.get("test-kept-client") == 2
    backend.delete("test-kept-client")
