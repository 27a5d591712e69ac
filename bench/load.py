"""Load benchmark: gunicorn (production settings) on PostgreSQL filled by generate_load_data.

    python bench/load.py                       # defaults below; about 4 minutes
    python bench/load.py --seconds 5 --users 4 # a quick look

Starts one gunicorn (2 workers) on 127.0.0.1 against the load database and a
Redis database of its own (emptied first), logs in `--users` officers and the
demo HR account, then for each endpoint runs `--users` concurrent clients for
`--seconds` and prints requests/s and p50/p95/p99 latency as a Markdown table.
A bare Wagtail page (the home page) served by the same server is the reference.
Per-address rate limits are switched off in the benchmarked server
(RATELIMIT_ENABLE=0): every virtual user comes from 127.0.0.1.
The same run measures the anonymous course page served from the shared cache
against the same page rendered every time (a fresh query string per request).

The load database must have been filled first:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pimpasa_scale_load \\
        python manage.py generate_load_data --officers 10000 --courses 100 --attempts-per-officer 20
Only 127.0.0.1 is ever contacted. Everything started is stopped at the end.
"""

import argparse
import asyncio
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._server import add_server_arguments, production_server  # noqa: E402

DEMO_PASSWORD = "Pimpasa-Demo-2026"
_LOCATION_ATTEMPT = re.compile(r"/kuis/(\d+)/$")


# --- Data the scenarios need, prepared through Django in this process ----------------------------


def prepare_quiz_course(officers):
    """The bench quiz (created once): 10 questions, unlimited attempts, the officers enrolled.

    Submissions are answered wrongly on purpose so every officer can go on submitting
    (grading costs the same either way). Returns the quiz module.
    """
    from courses import services
    from courses.models import CourseIndexPage, CoursePage, ModulePage
    from lms.models import Agency

    bench_course = CoursePage.objects.filter(slug="bench-kuis").first()
    if bench_course is None:
        from courses.tests.builders import make_course, make_module, quiz_questions

        bench_course = make_course(
            catalog=CourseIndexPage.objects.live().first(), agency=Agency.objects.order_by("pk").first(),
            title="Kursus Bench Kuis", slug="bench-kuis",
        )
        make_module(course=bench_course, title="Kuis bench", slug="kuis", questions=quiz_questions(10, choices=4), quiz_max_attempts=0)
    for officer in officers:
        services.enrollment_create(user=officer, course=bench_course)
    return ModulePage.objects.child_of(bench_course).first()


def prepare(users: int) -> dict:
    """Find (or create once) what each scenario requests; returns plain URLs and credentials."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from certificates.models import Certificate
    from courses.models import CourseIndexPage, CoursePage
    from demo.load_data import PASSWORD
    from lms.models import Agency

    User = get_user_model()
    officers = list(User.objects.filter(username__startswith="beban01_").order_by("username")[:users])
    if len(officers) < users:
        raise SystemExit("No load data: run `manage.py generate_load_data` on this database first (see the docstring).")
    catalog = CourseIndexPage.objects.live().first()
    generated = list(CoursePage.objects.live().filter(slug__startswith="beban01-").order_by("path"))

    # Each officer reads module 1 of the first course they are enrolled in (their history is on it).
    module_urls = []
    for officer in officers:
        enrollment = officer.enrollments.select_related("course").order_by("enrolled_at", "pk").first()
        module_urls.append(enrollment.course.get_modules().first().url)

    quiz_module = prepare_quiz_course(officers)

    certificate = Certificate.objects.valid().order_by("pk").first()
    if certificate is None:
        raise SystemExit("No valid certificate in the load data.")
    agency = Agency.objects.order_by("pk").first()
    return {
        "officers": [(officer.username, PASSWORD) for officer in officers],
        "hr": ("sdm", DEMO_PASSWORD),
        "home": "/",
        "catalog": catalog.url,
        "course": generated[len(generated) // 2].url if generated else bench_course.url,
        "modules": module_urls,
        "quiz_start": quiz_module.url + "kuis/",
        "verify": f"/verify/{certificate.code}/",
        "verify_json": f"/api/v1/verify/{certificate.code}/",
        "hr_registry": f"/hr/sertifikat/?status=valid&instansi={agency.pk}&urutan=-terbit",
    }


# --- An HTTP client that behaves like a browser behind a TLS load balancer -------------------------


@dataclass
class Response:
    status_code: int
    headers: dict


class Visitor:
    """One browser: its own cookies, requests through the shared aiohttp session (keep-alive)."""

    def __init__(self, session: aiohttp.ClientSession, base: str):
        self.session, self.base = session, base
        self.host = base.split("://", 1)[1]
        self.cookies: dict[str, str] = {}

    def headers(self, path: str) -> dict:
        headers = {"X-Forwarded-Proto": "https", "Referer": f"https://{self.host}{path}", "Origin": f"https://{self.host}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    async def _send(self, method, path, data=None) -> Response:
        async with self.session.request(
            method, self.base + path, data=data, headers=self.headers(path), allow_redirects=False
        ) as response:
            await response.read()
            for header in response.headers.getall("Set-Cookie", []):
                for key, morsel in SimpleCookie(header).items():
                    self.cookies[key] = morsel.value
            return Response(response.status, {"location": response.headers.get("Location", "")})

    async def get(self, path):
        return await self._send("GET", path)

    async def post(self, path, data):
        return await self._send("POST", path, {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})

    async def login(self, username, password):
        await self.get("/accounts/login/")
        response = await self.post("/accounts/login/", {"username": username, "password": password})
        if response.status_code != 302:
            raise SystemExit(f"login failed for {username}: {response.status_code}")


# --- Scenarios ----------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    server: list[float] = field(default_factory=list)  # seconds inside gunicorn, from its access log

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds

    def pct(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    def server_pct(self, p: float) -> float:
        if not self.server:
            return float("nan")
        ordered = sorted(self.server)
        return 1000 * ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    def row(self, reference: "Result | None") -> str:
        ratio = f"{self.rps / reference.rps:.2f}" if reference and reference.rps else ""
        return (
            f"| {self.name} | {self.rps:.1f} | {self.pct(50):.0f} | {self.pct(95):.0f} | {self.pct(99):.0f} "
            f"| {self.server_pct(50):.1f} | {self.server_pct(95):.1f} | {len(self.latencies)} | {self.errors} | {ratio} |"
        )


_ACCESS_TIME = re.compile(r'"(GET|POST) ([^ ]+) HTTP/[0-9.]+" (\d+) \S+ (\d+)us')


def server_times(access_log: Path, offset: int, path_pattern: str, method: str) -> tuple[list[float], int]:
    """Seconds gunicorn spent on the matching requests logged after `offset`; returns (times, new offset)."""
    with open(access_log, "rb") as handle:
        handle.seek(offset)
        text = handle.read().decode(errors="replace")
        end = handle.tell()
    wanted = re.compile(path_pattern)
    times = [
        int(m.group(4)) / 1e6
        for m in _ACCESS_TIME.finditer(text)
        if m.group(1) == method and wanted.search(m.group(2))
    ]
    return times, end


async def run_scenario(name, visitors, action, *, seconds, warmup, expect=(200,), access_log=None, server_path=None, method="GET"):
    """`action(visitor, index, n)` performs one timed request and returns its response."""
    result = Result(name, seconds)
    offset = access_log.stat().st_size if access_log and access_log.exists() else 0
    stop_warm = time.monotonic() + warmup
    stop = stop_warm + seconds

    async def loop(index, visitor):
        n = 0
        while True:
            started = time.monotonic()
            if started >= stop:
                return
            response, elapsed = await action(visitor, index, n)
            n += 1
            if started < stop_warm:
                continue
            if response.status_code in expect:
                result.latencies.append(elapsed)
            else:
                result.errors += 1

    await asyncio.gather(*(loop(i, v) for i, v in enumerate(visitors)))
    if access_log and server_path:
        await asyncio.sleep(0.5)  # let gunicorn flush its log
        result.server, _ = server_times(access_log, offset, server_path, method)
    return result


def timed(request_coro_factory):
    async def action(visitor, index, n):
        started = time.perf_counter()
        response = await request_coro_factory(visitor, index, n)
        return response, time.perf_counter() - started

    return action


async def submit_quiz(visitor, index, n, *, start_path, questions=10):
    """Start (untimed) and submit (timed) one attempt, every answer wrong so the next can start."""
    started = await visitor.post(start_path, {})
    location = started.headers.get("location", "")
    path = location.split("://", 1)[-1]
    path = path[path.index("/"):] if "://" in location else location
    if not _LOCATION_ATTEMPT.search(path):
        return started, 0.0
    answers = {f"q{k}": "1" for k in range(1, questions + 1)}
    t0 = time.perf_counter()
    response = await visitor.post(path, answers)
    return response, time.perf_counter() - t0


async def bench(base: str, data: dict, *, users: int, seconds: float, warmup: float, access_log: Path) -> list[Result]:
    connector = aiohttp.TCPConnector(limit=users * 3)
    # Cookies are each visitor's own (Visitor.cookies), not the session's.
    async with aiohttp.ClientSession(
        connector=connector, timeout=aiohttp.ClientTimeout(total=30), cookie_jar=aiohttp.DummyCookieJar()
    ) as client:
        officers = [Visitor(client, base) for _ in range(users)]
        await asyncio.gather(*(v.login(*data["officers"][i]) for i, v in enumerate(officers)))
        hr = [Visitor(client, base) for _ in range(users)]
        await asyncio.gather(*(v.login(*data["hr"]) for v in hr))
        anonymous = [Visitor(client, base) for _ in range(users)]

        def run(name, visitors, action, server_path, **kwargs):
            return run_scenario(
                name, visitors, action, seconds=seconds, warmup=warmup, access_log=access_log,
                server_path=server_path, **kwargs,
            )

        def exact(path):
            return "^" + re.escape(path) + "$"

        modules = "^(" + "|".join(re.escape(p) for p in data["modules"]) + ")$"
        results = [
            await run("bare Wagtail page (home, anonymous) — reference", anonymous, timed(lambda v, i, n: v.get(data["home"])), exact(data["home"])),
            await run("catalog (logged in)", officers, timed(lambda v, i, n: v.get(data["catalog"])), exact(data["catalog"])),
            await run("module page (logged in)", officers, timed(lambda v, i, n: v.get(data["modules"][i])), modules),
            await run(
                "quiz submission (10 questions)", officers,
                lambda v, i, n: submit_quiz(v, i, n, start_path=data["quiz_start"]), r"/kuis/\d+/$", expect=(302,), method="POST",
            ),
            await run("verification page", anonymous, timed(lambda v, i, n: v.get(data["verify"])), exact(data["verify"])),
            await run("verification JSON", anonymous, timed(lambda v, i, n: v.get(data["verify_json"])), exact(data["verify_json"])),
            await run("HR registry (filtered, HR user)", hr, timed(lambda v, i, n: v.get(data["hr_registry"])), r"^/hr/sertifikat/\?"),
            await run("course page, anonymous, cached", anonymous, timed(lambda v, i, n: v.get(data["course"])), exact(data["course"])),
            await run(
                "course page, anonymous, uncached", anonymous,
                timed(lambda v, i, n: v.get(f"{data['course']}?bench={i}-{n}-{time.monotonic_ns()}")),
                "^" + re.escape(data["course"]) + r"\?bench=",
            ),
        ]
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_server_arguments(parser, users=16, seconds=20, warmup=3)
    args = parser.parse_args()
    started = time.monotonic()
    with production_server(args, prefix="pimpasa-bench-", prepare=lambda: prepare(args.users), access_log=True) as (
        base, data, work, _session,
    ):
        results = asyncio.run(
            bench(base, data, users=args.users, seconds=args.seconds, warmup=args.warmup, access_log=work / "access.log")
        )
    reference = results[0]
    print(f"\ngunicorn {args.workers} workers × {args.threads} threads, {args.users} concurrent users, "
          f"{args.seconds:g} s per endpoint after {args.warmup:g} s warm-up; total {time.monotonic() - started:.0f} s\n")
    print("| endpoint | req/s | p50 ms | p95 ms | p99 ms | server p50 ms | server p95 ms | requests | errors | × bare page |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for result in results:
        print(result.row(reference))
    cached, uncached = results[-2], results[-1]
    print(f"\nanonymous course page: cached/uncached throughput {cached.rps / uncached.rps:.1f}×, "
          f"p50 {uncached.pct(50):.0f} ms → {cached.pct(50):.0f} ms; time inside the server p50 "
          f"{uncached.server_pct(50):.1f} ms → {cached.server_pct(50):.1f} ms "
          f"({uncached.server_pct(50) / cached.server_pct(50):.0f}×)")
    print(f"logs: {work}")


if __name__ == "__main__":
    main()
