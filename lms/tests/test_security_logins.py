"""Logins: lockout per account and per address, admin unlock, password rules,
sessions ended by a password change, and the request budget of the login form."""

import json

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import Client, RequestFactory
from wagtail.models import ModelLogEntry

from lms import audit
from lms.ratelimits import client_ip, rate_limited
from lms.settings import base as base_settings
from lms.tests.factories import PASSWORD, UserFactory
from lms.tests.requirements import missing

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "100/m"}


def attempt(client, username, password="salah-sekali", ip="127.0.0.1", path=LOGIN):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=ip)


ATTACKER, OWNER = "127.0.0.66", "127.0.0.8"
LOGIN_PAGES = [LOGIN, "/admin/login/"]


class TestLockout:
    @pytest.mark.parametrize("path", LOGIN_PAGES)
    def test_a_stranger_locks_only_themselves_out_and_the_owner_still_logs_in(self, path):
        """Five wrong passwords from one address used to lock the account everywhere:
        anyone could keep an admin or HR out of their own account."""
        UserFactory(username="admin-a", is_superuser=True, is_staff=True)
        attacker = Client()
        for _ in range(2):
            response = attempt(attacker, "admin-a", ip=ATTACKER, path=path)
            assert response.status_code == 200
        response = attempt(attacker, "admin-a", ip=ATTACKER, path=path)  # the third failure locks
        assert response.status_code == 429
        page = response.content.decode()
        assert "Akun dikunci sementara" in page and "Coba lagi setelah 15 menit" in page
        assert 'href="/accounts/sandi/lupa/"' in page
        # even the right password does not get the attacker's address in now
        assert attempt(attacker, "admin-a", password=PASSWORD, ip=ATTACKER, path=path).status_code == 429
        assert "_auth_user_id" not in attacker.session

        owner = Client()
        response = attempt(owner, "admin-a", password=PASSWORD, ip=OWNER, path=path)
        assert response.status_code == 302
        assert owner.session["_auth_user_id"]
        # the owner's login clears their own failures, not the attacker's lockout
        assert attempt(Client(), "admin-a", password=PASSWORD, ip=ATTACKER, path=path).status_code == 429

    def test_the_owner_mistyping_from_their_own_address_is_still_locked_there(self, client):
        UserFactory(username="petugas-a")
        statuses = [attempt(client, "petugas-a", ip=OWNER).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        assert "Nama pengguna atau kata sandi salah" in attempt(Client(), "petugas-a", ip="127.0.0.9").content.decode()

    @pytest.mark.parametrize("path", LOGIN_PAGES)
    def test_an_address_trying_many_accounts_is_locked_for_all_of_them(self, path):
        UserFactory(username="petugas-b", is_superuser=True, is_staff=True)
        client = Client()
        # six accounts, two tries each: no account reaches its limit, the address does
        statuses = [attempt(client, f"x{n // 2}", ip=ATTACKER, path=path).status_code for n in range(6)]
        assert statuses == [200, 200, 200, 200, 200, 429]
        response = attempt(client, "petugas-b", password=PASSWORD, ip=ATTACKER, path=path)
        assert response.status_code == 429
        assert "Alamat jaringan dikunci sementara" in response.content.decode()
        assert "_auth_user_id" not in client.session
        # the same account from another address still logs in
        assert attempt(Client(), "petugas-b", password=PASSWORD, ip=OWNER, path=path).status_code == 302

    def test_the_defaults_lock_the_pair_and_give_an_address_a_higher_limit(self):
        assert base_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
        assert base_settings.AXES_FAILURE_LIMIT < base_settings.AXES_ADDRESS_FAILURE_LIMIT

    def test_an_admin_unlocks_an_account_in_the_wagtail_admin(self, client):
        UserFactory(username="petugas-c")
        for _ in range(3):
            attempt(client, "petugas-c")
        admin = Client()
        admin.force_login(UserFactory(username="admin-c", is_superuser=True, is_staff=True))
        listing = admin.get("/admin/login-terkunci/")
        assert listing.status_code == 200
        assert "petugas-c" in listing.content.decode()

        response = admin.post("/admin/login-terkunci/", {"username": "petugas-c"})
        assert response.status_code == 302
        assert not AccessAttempt.objects.filter(username="petugas-c").exists()
        assert ModelLogEntry.objects.filter(action=audit.LOCKOUT_RESET, data__target="petugas-c").exists()
        assert attempt(Client(), "petugas-c", password=PASSWORD).status_code == 302  # from the locked address

    def test_an_admin_unlocks_one_account_for_one_address_or_a_whole_address(self):
        UserFactory(username="petugas-h")
        for _ in range(3):
            attempt(Client(), "petugas-h", ip=ATTACKER)
        for n in range(6):
            attempt(Client(), f"y{n}", ip="127.0.0.77")
        admin = Client()
        admin.force_login(UserFactory(username="admin-h", is_superuser=True, is_staff=True))
        listing = admin.get("/admin/login-terkunci/")
        assert [(row["username"], row["ip_address"]) for row in listing.context["accounts"]] == [
            ("petugas-h", ATTACKER)
        ]
        assert [row["ip_address"] for row in listing.context["addresses"]] == ["127.0.0.77"]

        admin.post("/admin/login-terkunci/", {"username": "petugas-h", "ip_address": ATTACKER})
        admin.post("/admin/login-terkunci/", {"ip_address": "127.0.0.77"})
        assert not AccessAttempt.objects.exists()
        assert attempt(Client(), "petugas-h", password=PASSWORD, ip=ATTACKER).status_code == 302

    def test_only_admins_see_the_unlock_page(self, client):
        from lms import roles

        client.force_login(UserFactory(groups=[roles.REVIEWER]))
        assert client.get("/admin/login-terkunci/").status_code == 302
        assert client.post("/admin/login-terkunci/", {"username": "x"}).status_code == 302

    def test_a_successful_login_clears_the_failures(self, client):
        UserFactory(username="petugas-d")
        attempt(client, "petugas-d")
        attempt(client, "petugas-d")
        assert attempt(client, "petugas-d", password=PASSWORD).status_code == 302
        client.logout()
        attempt(client, "petugas-d")
        attempt(client, "petugas-d")
        assert attempt(client, "petugas-d", password=PASSWORD).status_code == 302


class TestLoginRateLimit:
    def test_too_many_login_posts_from_one_address_get_429(self, client, settings):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "4/m"}
        settings.AXES_FAILURE_LIMIT = settings.AXES_ADDRESS_FAILURE_LIMIT = 100
        statuses = [attempt(client, f"tebak{n}", ip="127.1.1.1").status_code for n in range(6)]
        assert statuses == [200, 200, 200, 200, 429, 429]
        response = attempt(client, "tebak9", ip="127.1.1.1")
        assert "Terlalu banyak permintaan" in response.content.decode()
        assert int(response["Retry-After"]) >= 1
        # showing the form is not counted; another address has its own budget
        assert client.get(LOGIN, REMOTE_ADDR="127.1.1.1").status_code == 200
        assert attempt(client, "tebak10", ip="127.1.1.2").status_code == 200


class TestRateLimitDecorator:
    """The helper the certificate verification pages and API use."""

    @pytest.fixture
    def view(self, settings):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verify": "2/m"}
        return rate_limited("verify")(lambda request, code: HttpResponse(f"ok {code}"))

    def test_html_paths_get_a_page(self, view):
        factory = RequestFactory()
        answers = [view(factory.get("/verify/ABC/"), code="ABC") for _ in range(3)]
        assert [a.status_code for a in answers] == [200, 200, 429]
        assert answers[2]["Content-Type"].startswith("text/html")
        assert "Terlalu banyak permintaan" in answers[2].content.decode()

    def test_api_paths_get_json(self, view):
        factory = RequestFactory()
        for _ in range(2):
            view(factory.get("/api/v1/verify/ABC/"), code="ABC")
        response = view(factory.get("/api/v1/verify/ABC/"), code="ABC")
        assert response.status_code == 429
        body = json.loads(response.content)
        assert body["status"] == "rate_limited"
        assert body["retry_after"] >= 1
        assert "Terlalu banyak permintaan" in body["detail"]

    def test_the_budget_is_shared_through_redis(self, view):
        """Production keeps the counters in Redis; two app servers share one budget."""
        import uuid

        import redis
        from django.core.cache import caches
        from django.test import override_settings

        url = "redis://127.0.0.1:6379/15"
        try:
            redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        except redis.exceptions.ConnectionError:
            missing("Redis at 127.0.0.1:6379")
        # A prefix of our own, and no cache.clear() (it would FLUSHDB a shared server): the keys expire in a minute.
        redis_cache = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"pimpasa-test-{uuid.uuid4().hex}",
        }
        factory = RequestFactory()
        with override_settings(CACHES={"default": redis_cache}):
            first_server = [view(factory.get("/verify/ABC/"), code="ABC").status_code for _ in range(2)]
            caches.close_all()  # a fresh connection, as another process would have
            del caches["default"]
            second_server = view(factory.get("/verify/ABC/"), code="ABC").status_code
        assert first_server + [second_server] == [200, 200, 429]

    def test_an_unknown_group_is_a_programming_error(self):
        with pytest.raises(KeyError):
            rate_limited("tidak-ada")

    def test_the_client_address_behind_trusted_proxies(self, settings):
        request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.6.6.6, 127.203.0.9")
        assert client_ip(request) == "127.0.0.1"  # no proxy configured: X-Forwarded-For is ignored
        settings.TRUSTED_PROXY_COUNT = 1
        assert client_ip(request) == "127.203.0.9"  # the spoofable left-most entry is never used

    def test_a_forwarded_entry_that_is_no_address_is_not_used(self, client, settings):
        """A miscounted chain may hand over what the client wrote: it must not reach the lockout records."""
        settings.TRUSTED_PROXY_COUNT = 1
        request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="bukan-alamat")
        assert client_ip(request) == "127.0.0.1"
        response = client.post(
            LOGIN, {"username": "siapa", "password": "salah"}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="bukan-alamat"
        )
        assert response.status_code == 200
        assert AccessAttempt.objects.get(username="siapa").ip_address == "127.0.0.1"


class TestPasswords:
    def test_weak_passwords_are_refused(self, client):
        user = UserFactory(username="petugas-e")
        client.force_login(user)
        for weak in ("12345678901", "password123", "petugas-e1"):
            response = client.post(
                "/accounts/kata-sandi/",
                {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
            )
            assert response.status_code == 200
            assert response.context["form"].errors["new_password2"]
        user.refresh_from_db()
        assert user.check_password(PASSWORD)

    def test_changing_the_password_ends_the_other_sessions(self):
        user = UserFactory(username="petugas-f")
        phone, laptop = Client(), Client()
        for device in (phone, laptop):
            assert device.post(LOGIN, {"username": "petugas-f", "password": PASSWORD}).status_code == 302
        new = "Sandi-Baru-Yang-Kuat-2026"
        response = laptop.post(
            "/accounts/kata-sandi/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
        )
        assert response.status_code == 302
        assert laptop.get("/my/learning/").status_code == 200  # this session goes on
        response = phone.get("/my/learning/")
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)

    def test_an_admin_resetting_a_password_ends_the_users_sessions(self):
        user = UserFactory(username="petugas-g")
        phone = Client()
        phone.post(LOGIN, {"username": "petugas-g", "password": PASSWORD})
        assert phone.get("/my/learning/").status_code == 200
        user = get_user_model().objects.get(pk=user.pk)
        user.set_password("Sandi-Dari-Admin-2026")
        user.save()
        assert phone.get("/my/learning/").status_code == 302

    def test_password_change_needs_a_login(self, client):
        response = client.get("/accounts/kata-sandi/")
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
