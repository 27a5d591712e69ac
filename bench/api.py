"""API benchmark: the certificate list (100 per page) against the public verification JSON, same server, same run.

    python bench/api.py                         # 16 clients, 15 s per endpoint after 3 s warm-up
    python bench/api.py --seconds 5 --users 4   # a quick look

Starts one gunicorn (production settings, 2 workers × 4 threads) on 127.0.0.1 against the load
database and a Redis database of its own (emptied first and after), registers a central API
client with a token (in this process, through api.services), then for each endpoint runs
`--users` concurrent clients for `--seconds` and prints requests/s and p50/p95/p99 latency:

- `GET /api/v1/verify/<code>/`: the public verification JSON (the reference; cached per code);
- `GET /api/v1/certificates/?limit=100`, the first page again and again (after the first request
  it comes from the shared cache until a certificate changes: the figure of a list being polled, as
  a synchronisation by `updated_since` does between changes);
- the same list walked page by page through `next_cursor` by every client at once (HR systems of one
  agency synchronising together), starting over at the end: a page one client built is in the
  shared cache for the others;
- the list walked cold: each client walks its own part of the list (starting `pages/users` pages
  apart) while this process renews the certificates' cache version every 0.5 s, as if certificates
  were being issued, so nearly every page is built afresh from the database (a first full
  synchronisation of one client);
- `GET /api/v1/certificates/<id>` with the ETag of the previous answer (304s).

The aim (issue 17) is the list at 0.5× the verification JSON's requests/s or better. Per-address
and per-client rate limits are switched off in the benchmarked server (RATELIMIT_ENABLE=0).
Beside requests/s, each row shows the server's CPU per request (its processes' CPU time during the
timed window over the requests answered): on this 2-core machine the load client, PostgreSQL and
Redis take CPU from the server, so requests/s swing from run to run; CPU per request moves less.

The load database must have been filled first (see bench/load.py), and migrated to this branch:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pimpasa_scale_load python manage.py migrate
The server is bench/_server.py's. Only 127.0.0.1 is ever contacted. Everything started is stopped at the end.
"""

import argparse
import asyncio
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._server import add_server_arguments, production_server, server_cpu_seconds  # noqa: E402
from lms.tests.servers import FORWARDED  # noqa: E402

RENEW_EVERY = 0.5  # seconds between renewals of the certificates' cache version in the cold walk


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
    server_cpu: float = 0.0  # seconds of the server's CPU during the timed window

    @property
    def cpu_ms(self) -> float:
        """The server's CPU per request (its processes' time over the requests answered)."""
        return self.server_cpu * 1000 / max(len(self.times), 1)

    @property
    def rps(self) -> float:
        return len(self.times) / self.seconds

    def pct(self, p: float) -> float:
        if len(self.times) < 2:
            return float("nan")
        return statistics.quantiles(self.times, n=100, method="inclusive")[int(p) - 1] * 1000

    def row(self, reference: "Result") -> str:
        return (f"| {self.name} | {self.rps:.1f} | {self.pct(50):.0f} | {self.pct(95):.0f} | {self.pct(99):.0f} | "
                f"{len(self.times)} | {self.errors} | {self.rps / reference.rps:.2f} | {self.cpu_ms:.2f} | "
                f"{reference.cpu_ms / self.cpu_ms:.2f} |")


async def run(name, base, headers, users, seconds, warmup, step, *, session, first_state=lambda index: None):
    """`users` loops calling `step(session, state) -> (status_ok, state)`, timed after the warm-up;
    loop `index` starts from `first_state(index)`."""
    result = Result(name, seconds)
    start = time.monotonic()
    measure_from, stop_at = start + warmup, start + warmup + seconds

    async def loop(index):
        state = first_state(index)
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

    async def server_cpu():
        await asyncio.sleep(max(measure_from - time.monotonic(), 0))
        before = server_cpu_seconds(session)
        await asyncio.sleep(max(stop_at - time.monotonic(), 0))
        result.server_cpu = server_cpu_seconds(session) - before

    await asyncio.gather(server_cpu(), *(loop(index) for index in range(users)))
    return result


async def bench(base, data, *, users, seconds, warmup, session):
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

    async def cursors():
        """The cursor of every page of the list, in order (None for the first)."""
        found, cursor = [None], None
        async with aiohttp.ClientSession(base_url=base, headers=auth) as session:
            while True:
                ok, cursor = await certificate_pages(session, cursor)
                if not ok:
                    raise SystemExit("The certificate list did not answer; see the server log.")
                if cursor is None:
                    return found
                found.append(cursor)

    async def renewing(stop: asyncio.Event):
        """Renew the certificates' cache version (as an issued certificate does) until `stop`."""
        from lms import cache as lms_cache

        while not stop.is_set():
            await asyncio.to_thread(lms_cache.invalidate, lms_cache.CERTIFICATES)
            try:
                await asyncio.wait_for(stop.wait(), RENEW_EVERY)
            except TimeoutError:
                pass

    async def cold_walk():
        starts = await cursors()
        stop = asyncio.Event()
        renewer = asyncio.create_task(renewing(stop))
        try:
            return await run(
                "certificate list, 100 per page (cold walk, pages built afresh)", base, auth, users, seconds, warmup,
                certificate_pages, session=session, first_state=lambda index: starts[index * len(starts) // users],
            )
        finally:
            stop.set()
            await renewer

    async def detail_etag(session, etag):
        async with session.get(data["detail"], headers={"If-None-Match": etag} if etag else {}) as response:
            await response.read()
            return response.status in (200, 304), response.headers.get("ETag")

    return [
        await run("verification JSON (public)", base, FORWARDED, users, seconds, warmup, verify, session=session),
        await run("certificate list, 100 per page (first page, polled)", base, auth, users, seconds, warmup, first_page, session=session),
        await run("certificate list, 100 per page (cursor walk, shared)", base, auth, users, seconds, warmup, certificate_pages, session=session),
        await cold_walk(),
        await run("certificate detail, If-None-Match (304)", base, auth, users, seconds, warmup, detail_etag, session=session),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_server_arguments(parser, users=16, seconds=15, warmup=3)
    args = parser.parse_args()
    with production_server(args, prefix="pimpasa-bench-api-", prepare=prepare) as (base, data, _work, session):
        results = asyncio.run(
            bench(base, data, users=args.users, seconds=args.seconds, warmup=args.warmup, session=session)
        )
    reference = results[0]
    print(f"\n{data['total']} certificates; gunicorn {args.workers} workers × {args.threads} threads, {args.users} "
          f"concurrent clients, {args.seconds:g} s per endpoint after {args.warmup:g} s warm-up\n")
    print("| endpoint | req/s | p50 ms | p95 ms | p99 ms | requests | errors | × verification | server CPU ms/req "
          "| × verification (CPU) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for result in results:
        print(result.row(reference))
    for listing in results[1:4]:
        print(f"\n{listing.name} / verification JSON: {listing.rps / reference.rps:.2f}× "
              f"the requests/s (aim ≥ 0.5), p95 {listing.pct(95):.0f} ms vs {reference.pct(95):.0f} ms; server CPU "
              f"{listing.cpu_ms:.2f} vs {reference.cpu_ms:.2f} ms per request ({reference.cpu_ms / listing.cpu_ms:.2f}×)")


if __name__ == "__main__":
    main()
