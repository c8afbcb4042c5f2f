"""A capturing HTTP server on loopback standing for the bridge's notification receiver.

It records every request the companion plugin sends (headers and raw body) and answers with
``status`` after ``delay`` seconds. It is not a mock of the bridge's code: the tests use it to see
exactly what WordPress sends, whatever the bridge later does with it.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    #: Header names lowercased.
    headers: dict[str, str]
    body: bytes
    at: float


class Receiver:
    """Set :attr:`status` and :attr:`delay` to change the answer; :attr:`received` lists the requests."""

    def __init__(self) -> None:
        self.status = 202
        self.delay = 0.0
        self.received: list[Received] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with receiver._lock:
                    receiver.received.append(Received(
                        "POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body, time.time(),
                    ))
                    status, delay = receiver.status, receiver.delay
                if delay:
                    time.sleep(delay)
                answer = b'{"queued":true}' if 200 <= status < 300 else b'{"error":"refused"}'
                with contextlib.suppress(OSError):  # the sender may have given up waiting
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/notify"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def clear(self) -> None:
        with self._lock:
            self.received.clear()
        self.status, self.delay = 202, 0.0

    def snapshot(self) -> list[Received]:
        with self._lock:
            return list(self.received)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """The requests received once there are at least ``count`` (or when ``timeout`` has passed)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.snapshot()
            if len(got) >= count:
                return got
            time.sleep(0.05)
        return self.snapshot()

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


@contextlib.contextmanager
def receiving() -> Iterator[Receiver]:
    with Receiver() as receiver:
        yield receiver
