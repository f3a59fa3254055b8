"""Django's Redis cache backend, without a new client object per call.

``django.core.cache.backends.redis.RedisCacheClient.get_client`` builds a new
``redis.Redis`` for every cache operation, and redis-py fills some 170
response callbacks into each new client: about 0.4 ms of CPU per call, and a
page served from the page cache makes three or four calls (session, role
flag, page). A ``redis.Redis`` is safe to share between threads (each command
takes a connection from the pool), so one per connection pool is enough.
Everything else — pools, serializer, options — is Django's."""

from __future__ import annotations

import threading
from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}
        self._lock = threading.Lock()

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            with self._lock:
                made = self._client(connection_pool=pool)  # type: ignore[attr-defined]
                client = self._clients.setdefault(id(pool), made)
        return client


class RedisCache(DjangoRedisCache):
    """``BACKEND: "hack365.core.cache.RedisCache"`` — Django's, reusing clients."""

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
