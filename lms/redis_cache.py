"""Django's Redis cache backend, keeping one client per connection pool and failing open.

One client: Django's `RedisCacheClient.get_client()` builds a new `redis.Redis`
for every cache call; constructing one registers ~170 response callbacks,
which cost about as much CPU as the round trip itself. A page makes several
cache calls (session, content version, outlines, cards), so the client is kept
instead. `redis.Redis` is safe to share: each command borrows a connection
from the pool. Django keeps one cache object per thread, so this is per thread.

Failing open: the cache only ever saves work, so when Redis cannot be reached
every call answers as a cache that holds nothing (a read misses, a write is
dropped, `add` refuses, `incr` raises ValueError as for a missing key) and the
page is built from the database. Sessions (`cached_db`) are read from and
written to PostgreSQL; rate limits count nothing (RATELIMIT_FAIL_OPEN, see
settings); django-axes keeps its lockouts in the database anyway.

- The outage is logged once when it starts and once when it ends, not per request.
- After a failure the process leaves Redis alone for RETRY_SECONDS (a top-level
  key of the CACHES entry, default 5), so a dead Redis host costs one connect
  timeout per process every few seconds instead of several per request.
- Writes and deletes dropped during the outage would leave Redis holding what
  the database no longer says (a revoked certificate's verification answer, a
  session that logged out, an old content version). Their keys are remembered
  (up to MISSED_KEYS_MAX) and deleted as soon as Redis answers again, before
  anything else is read from it by this process.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from django.utils.functional import cached_property
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

MISSED_KEYS_MAX = 10_000
_MISSING = object()


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class Outage:
    """Whether one Redis location is unreachable, shared by every thread of the process."""

    def __init__(self, location: str, retry_seconds: float):
        self.location = location
        self.retry_seconds = retry_seconds
        self.lock = threading.Lock()
        self.down_since: float | None = None
        self.next_try = 0.0
        self.missed: set[str] = set()
        self.missed_overflow = False

    def skip(self) -> bool:
        """True while Redis is known to be down and the next try is not due."""
        return self.down_since is not None and time.monotonic() < self.next_try

    def failed(self, error: Exception) -> None:
        with self.lock:
            now = time.monotonic()
            self.next_try = now + self.retry_seconds
            if self.down_since is not None:
                return
            self.down_since = now
        logger.warning(
            "Cache unreachable at %s (%s): serving from the database, sessions from the database only, "
            "rate limits not enforced, until it answers again; next try in %s s",
            self.location, error, self.retry_seconds,
        )

    def remember(self, keys) -> None:
        with self.lock:
            if self.missed_overflow:
                return
            self.missed.update(keys)
            if len(self.missed) > MISSED_KEYS_MAX:
                self.missed.clear()
                self.missed_overflow = True

    def missed_keys(self) -> list[str]:
        with self.lock:
            return list(self.missed)

    def recovered(self, replayed: list[str]) -> None:
        """Redis answered and `replayed` are deleted: the outage is over (once the last missed key is gone)."""
        with self.lock:
            if self.down_since is None:
                return
            self.missed.difference_update(replayed)
            if self.missed:  # dropped by another thread meanwhile: replayed by the next call
                return
            seconds, overflow = time.monotonic() - self.down_since, self.missed_overflow
            self.down_since, self.missed_overflow = None, False
        logger.warning(
            "Cache at %s answers again after %.0f s; deleted %s entries written or deleted meanwhile",
            self.location, seconds, len(replayed),
        )
        if overflow:
            logger.error(
                "More than %s cache writes were dropped during the outage: some cached pages, verification "
                "answers or sessions may be stale until they expire (CACHE_TIMEOUT, CERTIFICATE_VERIFY_CACHE_SECONDS)",
                MISSED_KEYS_MAX,
            )


_outages: dict[str, Outage] = {}
_outages_lock = threading.Lock()


def outage_for(location: str, retry_seconds: float) -> Outage:
    with _outages_lock:
        if location not in _outages:
            _outages[location] = Outage(location, retry_seconds)
        return _outages[location]


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        location = ",".join(self._servers)
        self._outage = outage_for(location, float(params.get("RETRY_SECONDS", 5)))

    @cached_property
    def _cache(self):
        return RedisCacheClient(self._servers, **self._options)

    def _fail_open(self, operation, fallback, *, writes=()):
        """Run `operation()` against Redis; on failure (or during a known outage) return `fallback`."""
        outage = self._outage
        if outage.skip():
            outage.remember(writes)
            return fallback
        try:
            if outage.down_since is None:
                return operation()
            # The first call after an outage: forget what was dropped meanwhile, before reading anything.
            replayed = outage.missed_keys()
            for start in range(0, len(replayed), 500):
                self._cache.delete_many(replayed[start : start + 500])
            result = operation()
        except RedisError as error:
            outage.failed(error)
            outage.remember(writes)
            return fallback
        outage.recovered(replayed)
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._fail_open(lambda: super(RedisCache, self).add(key, value, timeout, version), False)

    def get(self, key, default=None, version=None):
        return self._fail_open(lambda: super(RedisCache, self).get(key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        made = self.make_and_validate_key(key, version=version)
        self._fail_open(lambda: super(RedisCache, self).set(key, value, timeout, version), None, writes=[made])

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._fail_open(lambda: super(RedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        made = self.make_and_validate_key(key, version=version)
        return self._fail_open(lambda: super(RedisCache, self).delete(key, version), False, writes=[made])

    def get_many(self, keys, version=None):
        return self._fail_open(lambda: super(RedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._fail_open(lambda: super(RedisCache, self).has_key(key, version), False)

    def incr(self, key, delta=1, version=None):
        value = self._fail_open(lambda: super(RedisCache, self).incr(key, delta, version), _MISSING)
        if value is _MISSING:
            raise ValueError(f"Key '{key}' not found (cache unreachable)")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        made = [self.make_and_validate_key(key, version=version) for key in data]
        return self._fail_open(lambda: super(RedisCache, self).set_many(data, timeout, version), list(data), writes=made)

    def delete_many(self, keys, version=None):
        keys = list(keys)
        made = [self.make_and_validate_key(key, version=version) for key in keys]
        self._fail_open(lambda: super(RedisCache, self).delete_many(keys, version), None, writes=made)

    def clear(self):
        # Never replayed: Redis may hold the task queue too, which a later FLUSHDB would lose.
        return self._fail_open(lambda: super(RedisCache, self).clear(), False)
