"""Forgotten passwords (lms/password_reset.py): officers' own pages, the Wagtail admin's
door sending officers to them, mail from the task worker, one neutral answer, budgets."""

import re

import pytest
from django.core import mail
from django.test import Client
from django_tasks import default_task_backend

from lms import roles
from lms.tasks import password_reset_send
from lms.tests.factories import PASSWORD, UserFactory, make_officer

pytestmark = pytest.mark.django_db

SITE = "/accounts/sandi/lupa/"
ADMIN = "/admin/password_reset/"
NEW_PASSWORD = "Sandi-Baru-Desa-2026"
LINK = re.compile(r"http://testserver(/\S+/)")


@pytest.fixture(autouse=True)
def _fresh_budgets(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset": "10/h", "password_reset_account": "3/h"}


@pytest.fixture
def officer():
    return make_officer(full_name="Siti Aminah", user__username="199001012015032002", user__email="siti@desa.example")


@pytest.fixture
def trainer():
    return UserFactory(username="pelatih-a", email="pelatih@imigrasi.example", groups=[roles.TRAINER_IMIGRASI])


def ask(path, email, ip="127.0.0.1", client=None):
    return (client or Client()).post(path, {"email": email}, REMOTE_ADDR=ip)


def link_in(message) -> str:
    return LINK.search(message.body).group(1)


class TestOfficerReset:
    def test_the_login_page_offers_it(self, client):
        page = client.get("/accounts/login/").content.decode()
        assert f'href="{SITE}"' in page and "Lupa kata sandi?" in page

    def test_an_officer_sets_a_new_password_in_the_sites_pages(self, client, officer):
        form = client.get(SITE)
        assert form.status_code == 200
        assert "Lupa kata sandi" in form.content.decode() and 'class="skip-link"' in form.content.decode()

        response = ask(SITE, "Siti@Desa.example", client=client)
        assert response.status_code == 302 and response["Location"] == "/accounts/sandi/lupa/terkirim/"
        assert "Jika alamat email itu terdaftar" in client.get(response["Location"]).content.decode()
        (message,) = mail.outbox
        assert message.to == ["siti@desa.example"]
        assert "Siti Aminah" in message.body and officer.username in message.body
        link = link_in(message)
        assert link.startswith("/accounts/sandi/lupa/")

        confirm = client.get(link, follow=True)
        assert "Buat kata sandi baru" in confirm.content.decode()
        done = client.post(
            confirm.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
        )
        assert done.redirect_chain[-1][0] == "/accounts/sandi/lupa/selesai/"
        assert "Kata sandi tersimpan" in done.content.decode()
        login = Client().post("/accounts/login/", {"username": officer.username, "password": NEW_PASSWORD})
        assert login.status_code == 302
        # the link works once
        assert "sudah tidak berlaku" in Client().get(link, follow=True).content.decode()

    def test_an_unknown_address_gets_the_same_answer_and_no_mail(self, officer):
        known, unknown = ask(SITE, "siti@desa.example"), ask(SITE, "tidak.ada@desa.example", ip="127.0.0.2")
        assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
        assert len(mail.outbox) == 1

    def test_a_bad_address_is_a_form_error(self, client):
        response = ask(SITE, "bukan-email", client=client)
        assert response.status_code == 200
        assert response.context["form"].errors["email"]
        assert not mail.outbox


class TestAdminReset:
    def test_an_officer_asking_at_the_admin_is_sent_to_the_officer_pages(self, officer):
        response = ask(ADMIN, "siti@desa.example")
        assert response.status_code == 302 and response["Location"] == "/admin/password_reset/done/"
        (message,) = mail.outbox
        assert link_in(message).startswith("/accounts/sandi/lupa/")
        assert "/admin/" not in message.body

    @pytest.mark.parametrize("door", [ADMIN, SITE])
    def test_a_trainer_gets_the_admins_pages_from_either_door(self, trainer, door):
        ask(door, "pelatih@imigrasi.example")
        (message,) = mail.outbox
        assert link_in(message).startswith("/admin/password_reset/confirm/")

    def test_both_doors_answer_with_the_same_neutral_words(self, officer):
        words = "Jika alamat email itu terdaftar, tautan untuk membuat kata sandi baru sedang dikirim ke sana."
        for door in (ADMIN, SITE):
            for email in ("siti@desa.example", "tidak.ada@desa.example"):
                page = Client().post(door, {"email": email}, REMOTE_ADDR="127.0.0.3", follow=True).content.decode()
                assert words in page, (door, email)


class TestMailFromTheWorker:
    @pytest.fixture
    def dummy_tasks(self, settings):
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        default_task_backend.clear()
        return default_task_backend

    @pytest.mark.parametrize("door", [ADMIN, SITE])
    def test_the_request_queues_a_task_and_sends_nothing_itself(self, officer, dummy_tasks, door):
        response = ask(door, "Siti@desa.example")
        assert response.status_code == 302
        assert not mail.outbox
        (queued,) = dummy_tasks.results
        assert queued.task.name == password_reset_send.name
        assert queued.kwargs == {"email": "siti@desa.example", "base_url": "http://testserver", "language": "id"}

    def test_the_task_mails_every_account_in_one_connection(self, officer):
        assert password_reset_send.call(email="siti@desa.example", base_url="https://localhost", language="en") == 1
        assert link_in_https(mail.outbox[0]).startswith("https://localhost/accounts/sandi/lupa/")
        assert password_reset_send.call(email="tidak.ada@desa.example", base_url="https://localhost", language="id") == 0


def link_in_https(message) -> str:
    return re.search(r"https://\S+", message.body).group(0)


class TestBudgets:
    def test_twelve_requests_for_one_account_make_three_mails(self, officer):
        statuses = [ask(SITE, "siti@desa.example", ip=f"127.0.1.{n}").status_code for n in range(12)]
        assert statuses == [302] * 3 + [429] * 9
        assert len(mail.outbox) == 3

    def test_the_two_doors_share_the_accounts_budget(self, officer):
        statuses = [ask(door, "siti@desa.example", ip="127.0.2.1").status_code for door in (SITE, ADMIN, SITE, ADMIN)]
        assert statuses == [302, 302, 302, 429]

    def test_one_address_asking_for_many_accounts_is_limited(self):
        statuses = [ask(SITE if n % 2 else ADMIN, f"orang{n}@desa.example", ip="127.0.3.1").status_code for n in range(12)]
        assert statuses == [302] * 10 + [429] * 2
        assert ask(SITE, "orang99@desa.example", ip="127.0.3.2").status_code == 302  # another address has its own

    def test_the_limit_page_says_what_to_do_in_the_sites_frame(self, officer):
        for _ in range(3):
            ask(SITE, "siti@desa.example")
        response = ask(SITE, "siti@desa.example")
        assert response.status_code == 429
        page = response.content.decode()
        assert "Tautan atur ulang untuk alamat email ini sudah beberapa kali diminta" in page
        assert re.search(r"Coba lagi dalam \d+ menit", page)
        assert 'class="skip-link"' in page
        assert int(response["Retry-After"]) > 60

    def test_showing_the_form_costs_nothing(self, client):
        assert all(client.get(SITE).status_code == 200 for _ in range(15))


class TestResetEndsTheOwnersLockout:
    @pytest.mark.parametrize("door", [SITE, ADMIN])
    def test_an_owner_locked_out_at_their_desk_logs_in_after_resetting(self, settings, officer, trainer, door):
        settings.AXES_FAILURE_LIMIT = 3
        user, login = (officer, "/accounts/login/") if door == SITE else (trainer, "/admin/login/")
        desk = Client()
        statuses = [
            desk.post(login, {"username": user.username, "password": "salah-ketik"}, REMOTE_ADDR="127.0.0.8").status_code
            for _ in range(3)
        ]
        assert statuses == [200, 200, 429]
        ask(door, user.email, ip="127.0.0.8")
        link = link_in(mail.outbox[0])
        confirm = desk.get(link, follow=True)
        desk.post(confirm.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
        response = Client().post(login, {"username": user.username, "password": NEW_PASSWORD}, REMOTE_ADDR="127.0.0.8")
        assert response.status_code == 302


def test_the_task_costs_the_same_queries_for_one_or_three_accounts(officer, django_assert_num_queries):
    """Accounts sharing an address (an office mailbox) are read and sorted in a fixed number of queries."""
    UserFactory(username="admin-z", email="siti@desa.example", is_superuser=True)
    make_officer(user__username="199203042016011004", user__email="SITI@desa.example")
    with django_assert_num_queries(2):
        sent = password_reset_send.call(email="siti@desa.example", base_url="http://localhost", language="id")
    assert sent == 3
    links = sorted(link_in_localhost(message) for message in mail.outbox)
    assert [link.split("/")[1] for link in links] == ["accounts", "accounts", "admin"]


def link_in_localhost(message) -> str:
    return re.search(r"http://localhost(/\S+/)", message.body).group(1)
