"""The benchmarked server, shared by bench/load.py and bench/api.py: gunicorn with the production
settings on 127.0.0.1 against a load database and a Redis database of its own (emptied first and after).

    parser = argparse.ArgumentParser(...)
    add_server_arguments(parser, seconds=20, warmup=3)
    args = parser.parse_args()
    with production_server(args, prefix="pimpasa-bench-", prepare=lambda: prepare(args.users)) as (base, data, work, _):
        ...

The server's workers are not recycled during a run (GUNICORN_MAX_REQUESTS=0): a worker restarting
mid-scenario would charge its start-up to whichever endpoint was being measured. `server_cpu_seconds`
reads the CPU time the server's processes have used so far, for CPU per request.

`prepare` runs in this process after the server's environment is in os.environ (so Django talks to the
same database and Redis) and before the server starts. Per-address rate limits are switched off
(RATELIMIT_ENABLE=0): every virtual user comes from 127.0.0.1. Only 127.0.0.1 is ever contacted;
everything started is stopped at the end.
"""

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lms.tests.servers import Processes, collectstatic, free_ports, production_env  # noqa: E402


def add_server_arguments(parser, *, users: int = 16, seconds: float = 15, warmup: float = 3) -> None:
    env = os.environ.get
    parser.add_argument("--database-url", default=env("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pimpasa_scale_load"))
    parser.add_argument("--redis-url", default=env("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6"))
    parser.add_argument("--port", type=int, default=int(env("BENCH_PORT", "8502")))
    parser.add_argument("--users", type=int, default=users)
    parser.add_argument("--seconds", type=float, default=seconds)
    parser.add_argument("--warmup", type=float, default=warmup)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)


_TICKS = os.sysconf("SC_CLK_TCK")


def server_cpu_seconds(session: int) -> float:
    """User and system CPU time used so far by the server's master and workers: the processes of its
    session (/proc)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        # After "pid (comm)": state ppid pgrp session ... utime (12th) stime (13th)
        if int(fields[3]) == session:
            total += int(fields[11]) + int(fields[12])
    return total / _TICKS


@contextmanager
def production_server(args, *, prefix: str, prepare, access_log: bool = False):
    """Yields (base URL, what `prepare()` returned, the run's working folder, the server's session id
    for `server_cpu_seconds`)."""
    for url in (args.database_url, args.redis_url):
        if "127.0.0.1" not in url and "localhost" not in url:
            raise SystemExit("The benchmark only talks to services on 127.0.0.1.")
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    work = Path(tempfile.mkdtemp(prefix=prefix))
    extra = {"GUNICORN_ACCESS_LOG": str(work / "access.log")} if access_log else {}
    extra["GUNICORN_MAX_REQUESTS"] = "0"
    env = production_env(
        database_url=args.database_url, redis_url=args.redis_url, media_root=work / "media",
        static_root=Path(tempfile.gettempdir()) / "pimpasa-bench-static", RATELIMIT_ENABLE="0", **extra,
    )
    os.environ.update(env)
    data = prepare()
    collectstatic(env)  # the production storage's manifest (the server's readiness check is the login page)
    processes = Processes(work / "logs")
    try:
        port = free_ports(1, args.port)[0]
        base = processes.gunicorn("web", port=port, env=env, workers=args.workers, threads=args.threads)
        processes.wait_until_serving(base)
        session = processes.procs[-1][1].pid  # started in a session of its own: its id is the master's pid
        yield base, data, work, session
    finally:
        processes.stop()
        redis.Redis.from_url(args.redis_url).flushdb()
