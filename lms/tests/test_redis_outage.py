"""Redis unreachable: the cache fails open (pages and sessions from the database), logged once per outage.

Unit tests of lms/redis_cache.py against a closed port on 127.0.0.1, and of its recovery
against the real Redis (DB 3). The production server under an outage is in
tests/test_redis_outage_server.py."""

import logging
import uuid

import pytest
import redis
from django.core.cache import cache

from lms import redis_cache
from lms.redis_cache import RedisCache, RedisCacheClient
from lms.tests.servers import empty_redis, free_ports

pytestmark = pytest.mark.django_db

UNREACHABLE = "Cache unreachable"
BACK = "answers again after"


def closed_port_url() -> str:
    return f"redis://127.0.0.1:{free_ports(1, 6390)[0]}/3"  # nothing listens there: connection refused


def log_lines(caplog, text: str) -> int:
    return sum(1 for record in caplog.records if record.name == "lms.redis_cache" and text in record.getMessage())


@pytest.fixture(autouse=True)
def _fresh_outages():
    redis_cache._outages.clear()
    yield
    redis_cache._outages.clear()


def unreachable_cache(**params) -> RedisCache:
    return RedisCache(closed_port_url(), {"KEY_PREFIX": "pimpasa-test", "OPTIONS": {"socket_connect_timeout": 1}, **params})


def test_every_operation_answers_as_an_empty_cache_and_the_outage_is_logged_once(caplog):
    caplog.set_level(logging.INFO, logger="lms.redis_cache")
    down = unreachable_cache(RETRY_SECONDS=0)  # try Redis on every call: each one fails
    for _request in range(20):
        assert down.get("page", "default") == "default"
        down.set("page", "html")
        assert down.add("version", "v1") is False
        assert down.get_many(["a", "b"]) == {}
        assert down.set_many({"a": 1}) == ["a"]
        assert down.has_key("a") is False
        assert down.delete("a") is False
        down.delete_many(["a", "b"])
        assert down.touch("a") is False
        with pytest.raises(ValueError):
            down.incr("ratelimit")  # what django-ratelimit reads as "cannot count" (RATELIMIT_FAIL_OPEN)
        assert down.get_or_set("built", lambda: "from the database") == "from the database"
    assert log_lines(caplog, UNREACHABLE) == 1
    assert log_lines(caplog, BACK) == 0


def test_during_an_outage_redis_is_left_alone_until_the_retry_is_due(monkeypatch):
    down = unreachable_cache(RETRY_SECONDS=60)
    tries = []
    real = RedisCacheClient.get

    def counted(self, *args, **kwargs):
        tries.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(RedisCacheClient, "get", counted)
    for _ in range(50):
        down.get("page")
    assert len(tries) == 1  # one connection attempt, then 60 s of answering from memory


@pytest.fixture
def redis_db3():
    with empty_redis("redis://127.0.0.1:6379/3") as url:
        yield url


def test_writes_dropped_during_an_outage_are_deleted_when_redis_answers_again(redis_db3, caplog, monkeypatch):
    """A certificate revoked (its cached answer deleted) or a session ended while Redis was away must
    not come back from Redis afterwards: the keys are deleted before anything is read again."""
    caplog.set_level(logging.INFO, logger="lms.redis_cache")
    cache_ = RedisCache(redis_db3, {"KEY_PREFIX": f"pimpasa-test-{uuid.uuid4().hex}", "RETRY_SECONDS": 0})
    cache_.set("verify:ABC", {"status": "valid"})
    cache_.set("session:1", {"user": 1})
    cache_.set("untouched", "kept")

    dead = redis.Redis.from_url(closed_port_url(), socket_connect_timeout=1)
    with monkeypatch.context() as outage:
        outage.setattr(RedisCacheClient, "get_client", lambda self, key=None, *, write=False: dead)
        cache_.delete("verify:ABC")  # revoked meanwhile
        cache_.set("session:1", {"user": 1, "logged_out": True})  # written to the database only
        assert cache_.get("untouched") is None
    assert cache_._outage.down_since is not None

    assert cache_.get("verify:ABC") is None  # not the stale "valid"
    assert cache_.get("session:1") is None  # read from the database next
    assert cache_.get("untouched") == "kept"
    assert log_lines(caplog, UNREACHABLE) == 1
    assert log_lines(caplog, BACK) == 1


def test_pages_and_sessions_are_served_from_the_database_during_an_outage(client, settings, catalog, officer, caplog):
    caplog.set_level(logging.INFO, logger="lms.redis_cache")
    settings.CACHES = {"default": {"BACKEND": "lms.redis_cache.RedisCache", "LOCATION": closed_port_url(),
                                   "RETRY_SECONDS": 0, "OPTIONS": {"socket_connect_timeout": 1}}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    officer.set_password("Sandi-Uji-Redis-Mati-1")
    officer.save()
    for _ in range(3):
        home = client.get("/")
        assert home.status_code == 200 and "X-Cache" not in home  # built, not stored
        assert client.get(catalog.url).status_code == 200
        assert client.get("/verify/TIDAKADA/").status_code in (200, 404)
    response = client.post("/accounts/login/", {"username": officer.username, "password": "Sandi-Uji-Redis-Mati-1"})
    assert response.status_code == 302
    assert client.get("/my/learning/").status_code == 200  # the session, read back from the database
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/my/learning/").status_code == 302  # logged out for good
    assert log_lines(caplog, UNREACHABLE) == 1
    assert cache is not None
