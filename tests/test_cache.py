"""Pages that are the same for everyone are served from the shared cache; nothing per-user is."""

import pytest

from courses.tests.builders import make_course
from lms.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(catalog):
    return make_course(catalog=catalog, title="Migrasi Aman", modules=2)


def test_a_repeated_anonymous_course_page_is_served_without_a_query(client, course, django_assert_num_queries):
    first = client.get(course.url)
    assert first.status_code == 200
    assert first["X-Cache"] == "miss"

    with django_assert_num_queries(0):
        second = client.get(course.url)
    assert second.status_code == 200
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert "Modul 1" in second.content.decode()


def test_a_repeated_anonymous_catalog_is_served_without_a_query(client, course, django_assert_num_queries):
    client.get(course.get_parent().url)
    with django_assert_num_queries(0):
        response = client.get(course.get_parent().url)
    assert "Migrasi Aman" in response.content.decode()
    # Another filter is another page.
    assert client.get(course.get_parent().url, {"q": "tidak ada"})["X-Cache"] == "miss"


def test_a_published_change_shows_at_once(client, course, django_capture_on_commit_callbacks):
    catalog_url = course.get_parent().url
    client.get(course.url)
    client.get(catalog_url)

    course.title = "Migrasi Aman Edisi Baru"
    with django_capture_on_commit_callbacks(execute=True):
        course.save_revision().publish()

    assert "Migrasi Aman Edisi Baru" in client.get(course.url).content.decode()
    assert "Migrasi Aman Edisi Baru" in client.get(catalog_url).content.decode()


def test_an_unpublished_course_leaves_the_cached_catalog_at_once(client, course, django_capture_on_commit_callbacks):
    catalog_url = course.get_parent().url
    assert "Migrasi Aman" in client.get(catalog_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        course.unpublish()
    assert "Migrasi Aman" not in client.get(catalog_url).content.decode()
    assert client.get(course.url).status_code == 404


def test_a_new_module_shows_in_the_cached_outline_at_once(client, course, django_capture_on_commit_callbacks):
    from courses.tests.builders import make_module

    client.get(course.url)
    with django_capture_on_commit_callbacks(execute=True):
        module = make_module(course=course, title="Modul Tambahan")
        module.save_revision().publish()
    assert "Modul Tambahan" in client.get(course.url).content.decode()


def test_renaming_an_agency_refreshes_cached_pages(client, catalog, django_capture_on_commit_callbacks):
    agency = AgencyFactory(name="Direktorat Lama")
    course = make_course(catalog=catalog, agency=agency, modules=1)
    assert "Direktorat Lama" in client.get(course.url).content.decode()
    agency.name = "Direktorat Baru"
    with django_capture_on_commit_callbacks(execute=True):
        agency.save()
    assert "Direktorat Baru" in client.get(course.url).content.decode()


def test_a_scoped_value_is_built_once_until_its_scope_is_invalidated():
    from lms import cache

    built = []

    def build():
        built.append(len(built))
        return {"lists": built[-1]}

    assert cache.scoped_value(cache.CHOICES, "daftar", build) == {"lists": 0}
    assert cache.scoped_value(cache.CHOICES, "daftar", build) == {"lists": 0}
    cache.invalidate(cache.CONTENT)  # another scope: no effect
    assert cache.scoped_value(cache.CHOICES, "daftar", build) == {"lists": 0}
    cache.invalidate(cache.CHOICES)
    assert cache.scoped_value(cache.CHOICES, "daftar", build) == {"lists": 1}


def test_a_logged_in_officers_page_is_never_cached_or_served_to_others(client, course, officer, other_officer):
    from courses import services

    services.enrollment_create(user=officer, course=course)
    # An anonymous visit first fills the shared cache.
    assert "Masuk untuk mendaftar" in client.get(course.url).content.decode()

    client.force_login(officer)
    mine = client.get(course.url)
    assert "X-Cache" not in mine
    assert "Masuk untuk mendaftar" not in mine.content.decode()
    assert "Lanjutkan" in mine.content.decode()

    client.force_login(other_officer)
    theirs = client.get(course.url).content.decode()
    assert "Lanjutkan" not in theirs
    assert "Daftar kursus ini" in theirs

    client.logout()
    anonymous = client.get(course.url).content.decode()
    assert "Lanjutkan" not in anonymous and "Daftar kursus ini" not in anonymous
    assert "Masuk untuk mendaftar" in anonymous


def test_an_anonymous_visitor_with_a_flash_message_is_not_served_from_the_cache(client, course):
    client.get(course.url)
    client.cookies["messages"] = "something"
    assert "X-Cache" not in client.get(course.url)


def test_module_pages_are_never_shared(client, course, officer):
    from courses import services

    services.enrollment_create(user=officer, course=course)
    client.force_login(officer)
    module = course.get_children().first()
    assert "X-Cache" not in client.get(module.url)
    client.logout()
    assert client.get(module.url).status_code == 302


def test_a_logged_in_officer_reuses_the_shared_course_description_but_sees_own_progress(
    client, course, officer, other_officer, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from courses import services

    services.enrollment_create(user=officer, course=course)
    client.force_login(officer)
    with CaptureQueriesContext(connection) as first:
        client.get(course.url)
    with django_assert_max_num_queries(len(first.captured_queries) - 1):
        mine = client.get(course.url).content.decode()
    assert "Lanjutkan" in mine and "Migrasi Aman" in mine

    client.force_login(other_officer)
    theirs = client.get(course.url).content.decode()
    assert "Daftar kursus ini" in theirs and "Lanjutkan" not in theirs

    course.summary = "Ringkasan yang diperbarui pelatih."
    with django_capture_on_commit_callbacks(execute=True):
        course.save_revision().publish()
    assert "Ringkasan yang diperbarui pelatih." in client.get(course.url).content.decode()


def test_a_preview_of_a_draft_never_shows_the_cached_live_description(client, course, catalog):
    from lms.tests.factories import UserFactory

    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    client.get(course.url)  # caches the live description
    course.summary = "Draf ringkasan belum terbit."
    revision = course.save_revision()
    preview = client.get(f"/admin/pages/{course.pk}/revisions/{revision.pk}/view/")
    assert preview.status_code == 200
    assert "Draf ringkasan belum terbit." in preview.content.decode()


# --- Logged-in pages: shared parts from the cache, the officer's own parts never ------------------


def catalog_titles(response) -> list[str]:
    from bs4 import BeautifulSoup

    return [a.get_text(strip=True) for a in BeautifulSoup(response.content, "html.parser").select(".card-title a")]


def test_a_logged_in_catalog_reuses_the_shared_listing_but_shows_each_officer_own_progress(
    client, course, officer, other_officer, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from courses import services

    catalog_url = course.get_parent().url
    services.enrollment_create(user=officer, course=course)
    client.force_login(officer)
    with CaptureQueriesContext(connection) as first:
        client.get(catalog_url)
    # The listing, the cards, the outlines and the filter form come from the shared cache.
    with django_assert_max_num_queries(len(first.captured_queries) - 4):
        mine = client.get(catalog_url)
    assert catalog_titles(mine) == ["Migrasi Aman"]
    assert "<progress" in mine.content.decode()

    client.force_login(other_officer)
    theirs = client.get(catalog_url)
    assert catalog_titles(theirs) == ["Migrasi Aman"]
    assert "<progress" not in theirs.content.decode()


def test_a_logged_in_catalog_shows_a_new_course_a_renamed_agency_and_a_restriction_at_once(
    client, course, officer, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    catalog_url = course.get_parent().url
    client.force_login(officer)
    assert catalog_titles(client.get(catalog_url)) == ["Migrasi Aman"]

    with django_capture_on_commit_callbacks(execute=True):
        make_course(catalog=course.get_parent(), title="Kursus Baru", modules=1)
    assert catalog_titles(client.get(catalog_url)) == ["Kursus Baru", "Migrasi Aman"]

    agency = course.agency
    agency.short_name = "DITJENIM"
    with django_capture_on_commit_callbacks(execute=True):
        agency.save()
    assert "DITJENIM ·" in client.get(catalog_url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    assert catalog_titles(client.get(catalog_url)) == ["Kursus Baru"]


def test_each_filter_and_page_of_the_catalog_is_its_own_cached_answer(client, catalog, officer):
    other_agency = AgencyFactory(code="BP2MI", short_name="BP2MI")
    make_course(catalog=catalog, title="Kursus Imigrasi", modules=1)
    make_course(catalog=catalog, title="Kursus BP2MI", agency=other_agency, modules=1)
    client.force_login(officer)
    url = catalog.url
    for _ in range(2):  # the second round is answered from the cache
        assert catalog_titles(client.get(url)) == ["Kursus BP2MI", "Kursus Imigrasi"]
        assert catalog_titles(client.get(url, {"instansi": "BP2MI"})) == ["Kursus BP2MI"]
        assert catalog_titles(client.get(url, {"q": "imigrasi"})) == ["Kursus Imigrasi"]
        # An invalid value is reported at its field and filters nothing.
        invalid = client.get(url, {"instansi": "TIDAK-ADA"})
        assert catalog_titles(invalid) == ["Kursus BP2MI", "Kursus Imigrasi"]
        assert 'class="field field-error"' in invalid.content.decode()
    # The filter form keeps each visitor's own query in its fields.
    assert 'value="imigrasi"' in client.get(url, {"q": "imigrasi"}).content.decode()


def test_the_redis_backend_keeps_one_client_and_behaves_like_django_s():
    import uuid

    import redis

    from lms.redis_cache import RedisCache
    from lms.tests.requirements import missing

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        missing("Redis at 127.0.0.1:6379")
    params = {"KEY_PREFIX": f"pimpasa-test-{uuid.uuid4().hex}", "TIMEOUT": 60}
    first, second = RedisCache(url, params), RedisCache(url, params)
    first.set("a", {"outline": [1, 2]})
    first.set_many({"b": 2, "c": 3})
    assert second.get("a") == {"outline": [1, 2]}  # another server sees it
    assert second.get_many(["a", "b", "c", "d"]) == {"a": {"outline": [1, 2]}, "b": 2, "c": 3}
    assert first.add("a", "other") is False
    first.delete_many(["a", "b", "c"])
    assert second.get("a") is None
    assert first._cache.get_client() is first._cache.get_client(write=True)  # one client, not one per call


def test_a_lesson_is_rendered_once_for_everyone_and_a_published_edit_shows_at_once(
    client, course, officer, other_officer, django_capture_on_commit_callbacks
):
    from wagtail.rich_text import RichText

    from courses import services

    module = course.get_modules().first().specific
    module.body = [("paragraph", RichText("<p>Versi pertama pelajaran.</p>"))]
    with django_capture_on_commit_callbacks(execute=True):
        module.save_revision().publish()
    for user in (officer, other_officer):
        services.enrollment_create(user=user, course=course)
        client.force_login(user)
        assert "Versi pertama pelajaran." in client.get(module.url).content.decode()

    module.body = [("paragraph", RichText("<p>Versi kedua pelajaran.</p>"))]
    revision = module.save_revision()
    client.force_login(officer)
    assert "Versi pertama pelajaran." in client.get(module.url).content.decode()  # a draft is not live
    with django_capture_on_commit_callbacks(execute=True):
        revision.publish()
    page = client.get(module.url).content.decode()
    assert "Versi kedua pelajaran." in page and "Versi pertama pelajaran." not in page


def test_parameters_the_catalog_does_not_read_make_no_cache_entries(client, course, officer):
    from django.core.cache import cache

    client.force_login(officer)
    url = course.get_parent().url
    client.get(url)
    client.get(url, {"utm_source": "a"})  # the form's "clear filters" link shows for any parameter
    keys = set(cache._cache)  # the test settings' local-memory cache
    for junk in ("b", "c", "d"):
        assert catalog_titles(client.get(url, {"utm_source": junk})) == ["Migrasi Aman"]
    assert catalog_titles(client.get(url, {"halaman": "99999999"})) == ["Migrasi Aman"]
    assert {key for key in set(cache._cache) - keys if "catalog" in key} == set()


def test_a_request_with_credentials_is_never_answered_from_the_anonymous_cache(client, course):
    """RFC 9111 3.5: a shared cache does not answer a request carrying Authorization from a stored page."""
    assert client.get(course.url)["X-Cache"] == "miss"
    assert client.get(course.url)["X-Cache"] == "hit"
    with_credentials = client.get(course.url, HTTP_AUTHORIZATION="Bearer something")
    assert with_credentials.status_code == 200
    assert "X-Cache" not in with_credentials
