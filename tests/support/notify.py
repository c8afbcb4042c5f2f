"""Helpers for the notification tests and the benchmark: signed notifications sent over real HTTP, the receiver
and engine running in the test's process on a loopback port, and a record of what the engine did."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone

import requests

from wp_seo_bridge.notify.signature import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign

SECRET = "test-notify-secret-0123456789abcdef"


def body_for(site: str, post_id: object, modified: str | None = None) -> bytes:
    """A notification's body as the companion plugin sends it (compact JSON)."""
    modified = modified or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    data = {"site": site, "post_id": post_id, "event": "saved", "modified_gmt": modified}
    return json.dumps(data, separators=(",", ":")).encode("utf-8")


def send(
    url: str, body: bytes, *, secret: str = SECRET, timestamp: int | None = None, signature: str | None = None,
    headers: dict[str, str | None] | None = None, session: requests.Session | None = None,
) -> requests.Response:
    """POST ``body`` to ``url`` signed with ``secret`` (or the ``signature`` given); a header set to None in
    ``headers`` is left out."""
    stamp = int(time.time()) if timestamp is None else timestamp
    sent: dict[str, str | None] = {
        "Content-Type": "application/json", TIMESTAMP_HEADER: str(stamp),
        SIGNATURE_HEADER: signature if signature is not None else sign(secret, stamp, body),
    }
    sent.update(headers or {})
    return (session or requests).post(url, data=body, headers={k: v for k, v in sent.items() if v is not None},
                                      timeout=10)


class Recorder:
    """A :class:`~wp_seo_bridge.sync.results.SyncEvents` keeping every post result and run result, thread-safe."""

    def __init__(self) -> None:
        self.posts: list[tuple[float, str, object]] = []
        self.runs: list[object] = []
        self.started: list[tuple[float, int]] = []
        self._lock = threading.Lock()

    def run_started(self, site, run_id, selected, skipped, dry_run) -> None:
        pass

    def post_started(self, site, post_id, title) -> None:
        with self._lock:
            self.started.append((time.monotonic(), post_id))

    def post_finished(self, site, result) -> None:
        with self._lock:
            self.posts.append((time.monotonic(), site, result))

    def run_finished(self, result) -> None:
        with self._lock:
            self.runs.append(result)

    def results_for(self, post_id: int) -> list:
        with self._lock:
            return [result for _, _, result in self.posts if result.id == post_id]


def wait_for(condition: Callable[[], object], timeout: float = 30.0, step: float = 0.05) -> object:
    """Poll ``condition`` until it is true (returned) or ``timeout`` seconds pass (AssertionError)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"still false after {timeout} s: {condition}")


@contextlib.contextmanager
def running_service(settings, options=None, *, interval: float = 3600.0, events=None, notices=None) -> Iterator:
    """The receiver and the engine of ``watch --listen`` in this process, on a free loopback port; yields the
    :class:`~wp_seo_bridge.notify.service.Service` (its URL in ``service.url``)."""
    from wp_seo_bridge.notify.service import Listen, Service, bind
    from wp_seo_bridge.sync.options import SyncOptions

    sock = bind(Listen("127.0.0.1", 0))
    port = sock.getsockname()[1]
    stop = threading.Event()
    service = Service(settings, options or SyncOptions(), sock, interval=interval, events=events or Recorder(),
                      stop=stop, on_notice=(notices.append if notices is not None else None))
    service.url = f"http://127.0.0.1:{port}/notify"
    service.start()
    try:
        yield service
    finally:
        service.stop()
