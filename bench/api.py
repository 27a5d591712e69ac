"""API benchmark: the certificate list (100 per page) against the public verification JSON, same server, same run.

    python bench/api.py                         # 16 clients, 15 s per endpoint after 3 s warm-up
    python bench/api.py --seconds 5 --users 4   # a quick look

Starts one gunicorn (production settings, 2 workers × 4 threads) on 127.0.0.1 against the load
database and a Redis database of its own (emptied first and after), registers a central API
client with a token (in this process, through api.services), then for each endpoint runs
`--users` concurrent clients for `--seconds` and prints requests/s and p50/p95/p99 latency:

- `GET /api/v1/verify/<code>/`: the public verification JSON (the reference; cached per code);
- `GET /api/v1/certificates/?limit=100`, the first page again and again (after the first request
  it comes from the shared cache until a certificate changes: the figure of a list being polled);
- the same list walked page by page through `next_cursor` by each client (as an HR system's first
  full synchronisation does), starting over at the end: mostly pages built afresh;
- `GET /api/v1/certificates/<id>` with the ETag of the previous answer (304s).

The aim (issue 17) is the list at 0.5× the verification JSON's requests/s or better. Per-address
and per-client rate limits are switched off in the benchmarked server (RATELIMIT_ENABLE=0).

The load database must have been filled first (see bench/load.py), and migrated to this branch:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pimpasa_scale_load python manage.py migrate
Only 127.0.0.1 is ever contacted. Everything started is stopped at the end.
"""

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lms.tests.servers import FORWARDED, Processes, collectstatic, free_ports, production_env  # noqa: E402


def prepare() -> dict:
    """A central client with every scope and a fresh token; a certificate to verify and to read."""
    import django

    django.setup()
    import datetime
    import secrets

    from django.utils import timezone
    from oauth2_provider.models import AccessToken

    from api.models import ApiClient
    from api.scopes import SCOPES
    from api.services import api_client_register
    from certificates.models import Certificate

    client = ApiClient.objects.filter(name="Bench SDM Pusat").first()
    if client is None:
        client = api_client_register(
            name="Bench SDM Pusat", scopes=" ".join(SCOPES), rate_limit_per_minute=1_000_000
        ).client
    token = secrets.token_urlsafe(30)
    AccessToken.objects.create(
        application=client.application, token=token, scope=client.scopes,
        expires=timezone.now() + datetime.timedelta(hours=2),
    )
    certificate = Certificate.objects.valid().order_by("pk").first()
    if certificate is None:
        raise SystemExit("No valid certificate in the load data (see the docstring).")
    return {
        "token": token,
        "verify": f"/api/v1/verify/{certificate.code}/",
        "detail": f"/api/v1/certificates/{certificate.pk}",
        "total": Certificate.objects.count(),
    }


@dataclass
class Result:
    name: str
    seconds: float
    times: list[float] = field(default_factory=list)
    errors: int = 0

    @property
    def rps(self) -> float:
        return len(self.times) / self.seconds

    def pct(self, p: float) -> float:
        if len(self.times) < 2:
            return float("nan")
        return statistics.quantiles(self.times, n=100, method="inclusive")[int(p) - 1] * 1000

    def row(self, reference: "Result") -> str:
        return (f"| {self.name} | {self.rps:.1f} | {self.pct(50):.0f} | {self.pct(95):.0f} | {self.pct(99):.0f} | "
                f"{len(self.times)} | {self.errors} | {self.rps / reference.rps:.2f} |")


async def run(name, base, headers, users, seconds, warmup, step):
    """`users` loops calling `step(session, state) -> (status_ok, state)`, timed after the warm-up."""
    result = Result(name, seconds)
    start = time.monotonic()
    measure_from, stop_at = start + warmup, start + warmup + seconds

    async def loop(index):
        state = None
        async with aiohttp.ClientSession(base_url=base, headers=headers) as session:
            while time.monotonic() < stop_at:
                began = time.monotonic()
                ok, state = await step(session, state)
                ended = time.monotonic()
                if began >= measure_from and ended <= stop_at:
                    if ok:
                        result.times.append(ended - began)
                    else:
                        result.errors += 1

    await asyncio.gather(*(loop(index) for index in range(users)))
    return result


async def bench(base, data, *, users, seconds, warmup):
    auth = {**FORWARDED, "Authorization": f"Bearer {data['token']}"}

    async def verify(session, state):
        async with session.get(data["verify"]) as response:
            await response.read()
            return response.status == 200, state

    async def first_page(session, state):
        async with session.get("/api/v1/certificates/?limit=100") as response:
            body = await response.read()
            return response.status == 200 and len(body) > 1000, state

    async def certificate_pages(session, cursor):
        path = "/api/v1/certificates/?limit=100" + (f"&cursor={cursor}" if cursor else "")
        async with session.get(path) as response:
            body = await response.json()
            return response.status == 200 and len(body["items"]) > 0, body.get("next_cursor")

    async def detail_etag(session, etag):
        async with session.get(data["detail"], headers={"If-None-Match": etag} if etag else {}) as response:
            await response.read()
            return response.status in (200, 304), response.headers.get("ETag")

    return [
        await run("verification JSON (public)", base, FORWARDED, users, seconds, warmup, verify),
        await run("certificate list, 100 per page (first page, polled)", base, auth, users, seconds, warmup, first_page),
        await run("certificate list, 100 per page (cursor walk)", base, auth, users, seconds, warmup, certificate_pages),
        await run("certificate detail, If-None-Match (304)", base, auth, users, seconds, warmup, detail_etag),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pimpasa_scale_load"))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8502")))
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    for url in (args.database_url, args.redis_url):
        if "127.0.0.1" not in url and "localhost" not in url:
            raise SystemExit("The benchmark only talks to services on 127.0.0.1.")

    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    work = Path(tempfile.mkdtemp(prefix="pimpasa-bench-api-"))
    env = production_env(
        database_url=args.database_url, redis_url=args.redis_url, media_root=work / "media",
        static_root=Path(tempfile.gettempdir()) / "pimpasa-bench-static", RATELIMIT_ENABLE="0",
    )
    os.environ.update(env)
    data = prepare()
    collectstatic(env)  # the production storage's manifest (the server's readiness check is the login page)
    processes = Processes(work / "logs")
    try:
        port = free_ports(1, args.port)[0]
        base = processes.gunicorn("web", port=port, env=env, workers=args.workers, threads=args.threads)
        processes.wait_until_serving(base)
        results = asyncio.run(bench(base, data, users=args.users, seconds=args.seconds, warmup=args.warmup))
    finally:
        processes.stop()
        redis.Redis.from_url(args.redis_url).flushdb()
    reference = results[0]
    print(f"\n{data['total']} certificates; gunicorn {args.workers} workers × {args.threads} threads, {args.users} "
          f"concurrent clients, {args.seconds:g} s per endpoint after {args.warmup:g} s warm-up\n")
    print("| endpoint | req/s | p50 ms | p95 ms | p99 ms | requests | errors | × verification |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for result in results:
        print(result.row(reference))
    for listing in results[1:3]:
        print(f"\n{listing.name} / verification JSON: {listing.rps / reference.rps:.2f}× "
              f"the requests/s (aim ≥ 0.5), p95 {listing.pct(95):.0f} ms vs {reference.pct(95):.0f} ms")


if __name__ == "__main__":
    main()
