"""Real app servers and workers as subprocesses, for the multi-process test and the benchmarks.

Everything started here is stopped by `Processes.stop()` (also registered with
atexit), first with SIGTERM to the process group, then SIGKILL. Servers run
the production settings behind a pretend TLS load balancer: clients send
`X-Forwarded-Proto: https`, and `Browser` keeps the (Secure) cookies itself.
"""

import atexit
import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path

import httpx
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_ports(count: int, start: int) -> list[int]:
    ports, port = [], start
    while len(ports) < count:
        if port_is_free(port):
            ports.append(port)
        port += 1
        if port > start + 200:
            raise RuntimeError(f"no {count} free ports from {start}")
    return ports


def credential_key_file(path: Path) -> Path:
    """An issuer key for the servers a test starts, outside their media (it is a secret); kept if made."""
    subprocess.run(
        [PYTHON, "manage.py", "create_credential_key", "--file", str(path)],
        cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.dev"}, check=True, timeout=120,
        capture_output=True,
    )
    return path


def production_env(*, database_url: str, redis_url: str, media_root: Path, static_root: Path, **extra) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        DJANGO_DEBUG="0",
        SECRET_KEY="multiprocess-test-secret-key-not-for-production-0123456789",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        TASKS_BACKEND="rq",
        MEDIA_ROOT=str(media_root),
        STATIC_ROOT=str(static_root),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PUBLIC_BASE_URL="https://localhost",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        # Production refuses to issue a certificate without an issuer key (README "Portable credentials").
        CREDENTIAL_KEYS_FILE=str(credential_key_file(Path(media_root).parent / "credential-keys.json")),
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


def collectstatic(env: dict, *, only_project: bool = True) -> None:
    """Hashed, compressed static files for the production storage (the project's own only, by default)."""
    ignore = ["-i", "wagtail*", "-i", "admin", "-i", "django_rq"] if only_project else []
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0", *ignore], cwd=ROOT, env=env, check=True, timeout=300
    )


class Processes:
    def __init__(self, log_dir: Path):
        self.log_dir = Path(log_dir)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.procs: list[tuple[str, subprocess.Popen]] = []
        atexit.register(self.stop)

    def start(self, name: str, args: list[str], env: dict) -> subprocess.Popen:
        log = open(self.log_dir / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append((name, proc))
        return proc

    def gunicorn(self, name: str, *, port: int, env: dict, workers: int = 2, threads: int = 2) -> str:
        self.start(
            name,
            [PYTHON, "-m", "gunicorn", "--config", "lms/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--threads", str(threads)],
            env,
        )
        return f"http://127.0.0.1:{port}"

    def rqworker(self, name: str, *, env: dict) -> subprocess.Popen:
        return self.start(
            name,
            [PYTHON, "manage.py", "rqworker", "default", "--job-class", "django_tasks_rq.Job", "--with-scheduler",
             "--name", f"{name}-{os.getpid()}"],
            env,
        )

    def wait_until_serving(self, base_url: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, proc in self.procs:
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with {proc.returncode}:\n{self.log(name)[-3000:]}")
            try:
                if httpx.get(base_url + "/accounts/login/", headers=FORWARDED, timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise TimeoutError(f"{base_url} did not answer within {timeout} s")

    def log(self, name: str) -> str:
        path = self.log_dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        for _name, proc in self.procs:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 15
        for _name, proc in self.procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=5)
        self.procs.clear()


FORWARDED = {"X-Forwarded-Proto": "https"}
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One visitor: keeps its cookies across servers (like one browser behind a load balancer)."""

    def __init__(self, client: httpx.Client | None = None):
        self.client = client or httpx.Client(timeout=60, follow_redirects=False)
        self.cookies: dict[str, str] = {}

    def _headers(self, base_url: str, path: str) -> dict:
        host = base_url.split("://", 1)[1]
        headers = {**FORWARDED, "Referer": f"https://{host}{path}", "Origin": f"https://{host}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def _keep(self, response: httpx.Response) -> httpx.Response:
        for header in response.headers.get_list("set-cookie"):
            for key, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = morsel.value
        return response

    def get(self, base_url: str, path: str) -> httpx.Response:
        return self._keep(self.client.get(base_url + path, headers=self._headers(base_url, path)))

    def post(self, base_url: str, path: str, data: dict) -> httpx.Response:
        data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        return self._keep(self.client.post(base_url + path, data=data, headers=self._headers(base_url, path)))

    def login(self, base_url: str, username: str, password: str) -> None:
        page = self.get(base_url, "/accounts/login/")
        assert page.status_code == 200, page.status_code
        response = self.post(base_url, "/accounts/login/", {"username": username, "password": password})
        assert response.status_code == 302, (response.status_code, response.text[:500])
        assert "sessionid" in self.cookies


@contextmanager
def empty_redis(url: str):
    """A Redis database of the test's own, emptied before and after (missing() when none answers)."""
    import redis

    from lms.tests.requirements import missing

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        missing(f"Redis at {url} ({error})")
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()


def database_url() -> str:
    settings = connection.settings_dict
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgres://{auth}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"


def wait_for_other_sessions_to_close(timeout: float = 15) -> None:
    """PostgreSQL notices closed connections of stopped processes a moment later; the
    test database can only be dropped after that."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.2)
