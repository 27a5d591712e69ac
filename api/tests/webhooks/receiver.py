"""A real webhook receiver for the tests: an HTTP server on 127.0.0.1 in a thread.

It checks every message as an integrator's system would, with the `standardwebhooks`
library and the endpoint's secret, answers 400 to a message the library refuses, and
otherwise answers the next status it was told to (204 when told nothing).
"""

import dataclasses
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@dataclasses.dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    verified: bool
    error: str
    status: int

    @property
    def event_id(self) -> str:
        return self.headers["webhook-id"]

    @property
    def payload(self) -> dict:
        return json.loads(self.body)


class Receiver:
    def __init__(self):
        self.received: list[Received] = []
        self.secrets: dict[str, str] = {}
        self.statuses: dict[str, list[int]] = {}
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                headers = {name.lower(): value for name, value in self.headers.items()}
                status = receiver.answer(self.path, headers, body)
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.strip('/')}"

    def listen(self, path: str, secret: str, statuses=()) -> None:
        """Verify messages to /path with `secret`; answer `statuses` to the first ones."""
        self.secrets["/" + path.strip("/")] = secret
        self.statuses["/" + path.strip("/")] = list(statuses)

    def answer(self, path, headers, body) -> int:
        with self._lock:
            try:
                Webhook(self.secrets[path]).verify(body, headers)
            except (KeyError, WebhookVerificationError) as refusal:
                verified, error, status = False, f"{type(refusal).__name__}: {refusal}", 400
            else:
                queue = self.statuses.get(path) or []
                verified, error, status = True, "", queue.pop(0) if queue else 204
            self.received.append(Received(path, headers, body, verified, error, status))
            return status

    def to(self, path: str) -> list[Received]:
        return [message for message in self.received if message.path == "/" + path.strip("/")]

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
