"""What one request costs inside Django: queries, CPU time and Python function calls per page.

    python bench/pages.py                      # every page, 40 requests each
    python bench/pages.py catalog module -n 100
    python bench/pages.py registry --sql       # also list each query with its time

Runs the pages in this process through Django's test client, under the
production settings, against the load database filled by generate_load_data
(see bench/load.py), with its own Redis database for the cache. No server and
no network client are involved, so the figures are what the page itself costs:
the part of bench/load.py's time that the code decides. CPU time and wall time
move with whatever else runs on the machine; the query and function-call counts
do not, so those are the figures to compare between two versions of the code.
The quiz submission scenario adds attempts to a bench officer outside
bench/load.py's sixteen (beban01_00099) on the bench quiz course.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = ["home", "catalog", "module", "registry", "submit"]


def setup(database_url: str, redis_url: str) -> None:
    static_root = Path(tempfile.gettempdir()) / "pimpasa-bench-static"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        SECRET_KEY="bench-pages-secret-key-not-for-production-0123456789abcdef",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        STATIC_ROOT=str(static_root),
        ALLOWED_HOSTS="*",
        PUBLIC_BASE_URL="https://localhost",
        RATELIMIT_ENABLE="0",
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.core.management import call_command

    if not (static_root / "staticfiles.json").exists():
        call_command("collectstatic", "--noinput", "-v0", "-i", "wagtail*", "-i", "admin", "-i", "django_rq")


def scenarios() -> dict:
    """name -> (client, request function); each call performs one measured request."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench.load import prepare_quiz_course
    from courses.models import CourseIndexPage
    from lms.models import Agency

    User = get_user_model()
    officer = User.objects.get(username="beban01_00001")
    hr = User.objects.get(username="sdm")
    clients = {}
    for name, user in (("officer", officer), ("hr", hr), ("anonymous", None)):
        clients[name] = Client(HTTP_X_FORWARDED_PROTO="https")
        if user is not None:
            clients[name].force_login(user)
    enrollment = officer.enrollments.select_related("course").order_by("enrolled_at", "pk").first()
    module_url = enrollment.course.get_modules().first().url
    catalog_url = CourseIndexPage.objects.live().first().url
    agency = Agency.objects.order_by("pk").first()
    registry_url = f"/hr/sertifikat/?status=valid&instansi={agency.pk}&urutan=-terbit"

    quiz_officer = User.objects.get(username="beban01_00099")
    quiz_client = Client(HTTP_X_FORWARDED_PROTO="https")
    quiz_client.force_login(quiz_officer)
    quiz_module = prepare_quiz_course([quiz_officer])
    answers = {f"q{k}": "1" for k in range(1, 11)}

    def submit():
        started = quiz_client.post(quiz_module.url + "kuis/")  # not measured: see measure()
        return started["Location"]

    def get(client, url):
        return lambda: client.get(url)

    return {
        "home": get(clients["anonymous"], "/"),
        "catalog": get(clients["officer"], catalog_url),
        "module": get(clients["officer"], module_url),
        "registry": get(clients["hr"], registry_url),
        "submit": (submit, lambda location: quiz_client.post(location, answers)),
    }


def measure(name, scenario, n: int, show_sql: bool) -> None:
    from django.db import connection

    # A two-step scenario prepares each measured request with an untimed one (a quiz start).
    prepare, request = scenario if isinstance(scenario, tuple) else (lambda: None, lambda _: scenario())
    request(prepare())  # warm the caches
    queries = []

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((1000 * (time.perf_counter() - started), sql))

    argument = prepare()
    with connection.execute_wrapper(record):
        response = request(argument)
    assert response.status_code in (200, 302), (name, response.status_code)
    walls, cpus = [], []
    for _ in range(n):
        argument = prepare()
        wall, cpu = time.perf_counter(), time.process_time()
        request(argument)
        walls.append(1000 * (time.perf_counter() - wall))
        cpus.append(1000 * (time.process_time() - cpu))
    profile = cProfile.Profile()
    calls = []
    for _ in range(10):
        argument = prepare()
        profile.enable()
        request(argument)
        profile.disable()
        calls.append(pstats.Stats(profile).total_calls)
        profile = cProfile.Profile()
    print(
        f"| {name} | {len(queries)} | {statistics.median(walls):.1f} | {statistics.median(cpus):.1f} "
        f"| {statistics.median(calls):,.0f} | {len(response.content):,} |"
    )
    if show_sql:
        for milliseconds, sql in queries:
            print(f"    {milliseconds:6.2f} ms  {sql[:160]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", help=f"any of {', '.join(PAGES)} (default: all)")
    parser.add_argument("-n", type=int, default=40, help="measured requests per page")
    parser.add_argument("--sql", action="store_true", help="list each query of one request with its time")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pimpasa_scale_load"))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"))
    args = parser.parse_args()
    for url in (args.database_url, args.redis_url):
        if "127.0.0.1" not in url and "localhost" not in url:
            raise SystemExit("The benchmark only talks to services on 127.0.0.1.")
    unknown = set(args.pages) - set(PAGES)
    if unknown:
        parser.error(f"unknown page(s): {', '.join(sorted(unknown))}; choose from {', '.join(PAGES)}")
    setup(args.database_url, args.redis_url)
    available = scenarios()
    print(f"{args.n} requests per page after one warm-up; medians\n")
    print("| page | queries | wall ms | CPU ms | Python function calls | bytes |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in args.pages or PAGES:
        measure(name, available[name], args.n, args.sql)


if __name__ == "__main__":
    main()
