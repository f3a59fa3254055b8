"""hack365.core.cache.RedisCache: Django's Redis backend reusing its client."""

from __future__ import annotations

import os
import socket
import threading

import pytest

from tests.conftest import need

REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_cache():
    need(_redis_answers(), "Redis does not answer on 127.0.0.1:6379")
    from hack365.core.cache import RedisCache

    cache = RedisCache(REDIS, {"KEY_PREFIX": "hack365-test-cache"})
    cache.clear()
    yield cache
    cache.clear()
    cache.close()


def test_one_client_serves_every_call_and_thread(redis_cache) -> None:
    first = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is first
    seen = []
    threads = [
        threading.Thread(target=lambda: seen.append(redis_cache._cache.get_client()))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(client is first for client in seen)


def test_it_behaves_as_django_s_backend(redis_cache) -> None:
    assert redis_cache.add("k", {"a": [1, 2]}, 30) is True
    assert redis_cache.add("k", "other", 30) is False
    assert redis_cache.get("k") == {"a": [1, 2]}
    redis_cache.set_many({"x": 1, "y": "två"}, 30)
    assert redis_cache.get_many(["x", "y", "z"]) == {"x": 1, "y": "två"}
    assert redis_cache.incr("x") == 2
    redis_cache.delete("k")
    assert redis_cache.get("k") is None
    results = []

    def work(i: int) -> None:
        redis_cache.set(f"t{i}", i, 30)
        results.append(redis_cache.get(f"t{i}"))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == list(range(16))
