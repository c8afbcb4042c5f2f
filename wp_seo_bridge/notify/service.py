"""``watch --listen``: the HTTP server (Uvicorn in a thread of its own) and the engine thread, started and stopped
together. What the command line checks first: the address to listen on (:func:`parse_listen`), each site's
secret (:func:`notify_sites`) and the port being free (:func:`bind`), each refused with a clear error.
"""

from __future__ import annotations

import errno
import ipaddress
import logging
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import BridgeError, ConfigError, InputError
from .app import Notice, Receiver, SiteEntry, make_app
from .engine import Engine
from .queue import NotifyQueue
from .signature import MIN_SECRET_LENGTH

if TYPE_CHECKING:
    from ..config import Settings
    from ..sync.options import SyncOptions
    from ..sync.results import SyncEvents

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
#: The longest a client may keep a connection to the receiver open. A notification is one small request answered
#: at once, and WordPress waits 3 s at most; Uvicorn itself would wait for ever for the rest of a request's headers
#: or body, so that slow or silent clients could hold connections (and file descriptors) without end.
CONNECTION_SECONDS = 30.0
_LISTEN = re.compile(r"^(?:(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):)?([0-9]{1,5})$")


@dataclass(frozen=True)
class Listen:
    host: str
    port: int

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


def parse_listen(value: str) -> Listen:
    """``[HOST:]PORT`` (HOST default 127.0.0.1; an IPv6 address in brackets); raises :class:`InputError`."""
    match = _LISTEN.match(value.strip())
    port = int(match.group(2)) if match else 0
    if match is None or not 0 < port < 65536:
        raise InputError(
            f"--listen must be [HOST:]PORT with a port from 1 to 65535 (got {value!r}).",
            hint="`--listen 8787` listens on 127.0.0.1:8787; `--listen 0.0.0.0:8787` on every address (put a reverse "
            "proxy with TLS in front of it); an IPv6 address goes in brackets, `--listen [::1]:8787`.",
        )
    host = (match.group(1) or DEFAULT_HOST).strip("[]")
    return Listen(host, port)


def notify_sites(settings: Settings, only: str | None = None) -> list[SiteEntry]:
    """Each site with its address and notification secret; raises :class:`ConfigError` for a site without a
    secret, or with one shorter than :data:`MIN_SECRET_LENGTH` characters (never showing it)."""
    from ..config import NOTIFY_SECRET_ENV, site_settings

    entries = []
    for name, site in site_settings(settings, only):
        wordpress = site.wordpress
        secret = wordpress.notify_secret.get_secret_value() if wordpress.notify_secret else ""
        variable = wordpress.notify_secret_variable
        if not secret:
            own = "" if variable == NOTIFY_SECRET_ENV and name == "default" else \
                f" (or {_own_variable(name)} for this site alone)"
            raise ConfigError(
                f"--listen needs the secret WordPress signs its notifications with, and site {name} has none.",
                hint=f"Set {NOTIFY_SECRET_ENV}{own} to a random secret of at least {MIN_SECRET_LENGTH} characters "
                "(`openssl rand -hex 32` makes one), and the same value as WP_SEO_BRIDGE_NOTIFY_SECRET in the site's "
                "wp-config.php.",
            )
        if len(secret) < MIN_SECRET_LENGTH:
            raise ConfigError(
                f"The notification secret of site {name} ({variable}) is {len(secret)} characters long; at least "
                f"{MIN_SECRET_LENGTH} are needed, or signatures could be forged.",
                hint=f"Set {variable} to a longer random secret (`openssl rand -hex 32` makes one), and the same value "
                "in the site's wp-config.php.",
            )
        entries.append(SiteEntry(name, wordpress.url, secret))
    return entries


def _own_variable(name: str) -> str:
    from ..config import notify_secret_variable

    return notify_secret_variable(name)


def bind(listen: Listen) -> socket.socket:
    """A listening socket on ``listen``; raises :class:`ConfigError` when the port is taken or the address is
    not one of this machine's."""
    try:
        infos = socket.getaddrinfo(listen.host, listen.port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        raise ConfigError(f"--listen: {listen.host!r} is not an address of this machine.",
                          hint="Give an IP address (e.g. 127.0.0.1) or a host name that resolves to one.") from None
    family, _, _, _, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(f"--listen: port {listen.port} on {listen.host} is already in use.",
                              hint="Stop what listens there (`ss -ltnp` shows it), or choose another port with "
                              "--listen, and the same in the site's WP_SEO_BRIDGE_NOTIFY_URL.") from None
        raise ConfigError(f"--listen: cannot listen on {listen.host}:{listen.port} ({exc.strerror}).",
                          hint="Give an address of this machine and a port above 1023 (lower ones need root).") from None
    return sock


class NotifyServer:
    """Uvicorn serving the receiver on an open socket, in a thread; :meth:`stop` ends it."""

    def __init__(self, receiver: Receiver, sock: socket.socket, *, connection_seconds: float = CONNECTION_SECONDS) -> None:
        import uvicorn

        config = uvicorn.Config(make_app(receiver), log_config=None, log_level="error", access_log=False,
                                lifespan="off", http=_time_limited_h11(connection_seconds), loop="asyncio",
                                timeout_graceful_shutdown=5)
        self.server = uvicorn.Server(config)
        self.socket = sock
        self.thread = threading.Thread(target=self._serve, name="notify-http", daemon=True)
        self.failed: BaseException | None = None

    def _serve(self) -> None:
        try:
            self.server.run(sockets=[self.socket])
        except BaseException as exc:  # SystemExit from a failed start-up included
            self.failed = exc

    def start(self, timeout: float = 10.0) -> None:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started and self.thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        if not self.server.started:
            self.stop()
            raise ConfigError("The notification server did not start.", hint="Run again; if it persists, report it.")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()


def _time_limited_h11(seconds: float) -> type:
    """Uvicorn's h11 protocol, each connection closed ``seconds`` after it was made (a request in the middle of
    its body then ends as a client that hung up)."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class TimeLimitedH11Protocol(H11Protocol):
        def connection_made(self, transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._time_limit = self.loop.call_later(seconds, transport.close)

        def connection_lost(self, exc: Exception | None) -> None:
            limit = getattr(self, "_time_limit", None)
            if limit is not None:
                limit.cancel()
            super().connection_lost(exc)

    return TimeLimitedH11Protocol


class Service:
    """The receiver and the engine, for ``watch --listen`` (and the tests): :meth:`start`, :meth:`run_until_stopped`
    or :meth:`stop`."""

    def __init__(
        self, settings: Settings, options: SyncOptions, sock: socket.socket, *, interval: float, events: SyncEvents,
        stop: threading.Event, on_notice: Callable[[Notice], None] | None = None, on_error=None,
        sites: list[SiteEntry] | None = None, on_skipped=None,
    ) -> None:
        self.stop_event = stop
        self.queue = NotifyQueue(settings.sync.min_age_minutes * 60)
        self.receiver = Receiver(sites if sites is not None else notify_sites(settings, options.site), self.queue,
                                 on_notice=on_notice)
        self.engine = Engine(settings, options, self.queue, interval=interval, events=events, stop=stop,
                             on_error=on_error, on_skipped=on_skipped)
        self.server = NotifyServer(self.receiver, sock)
        self.engine_thread = threading.Thread(target=self.engine.run, name="notify-engine", daemon=True)

    def start(self) -> None:
        self.server.start()
        self.engine_thread.start()
        # The model's SDK takes a second or more to import: loaded now, the first notified draft does not wait.
        threading.Thread(target=_import_pipeline, name="notify-warm-up", daemon=True).start()

    def run_until_stopped(self) -> None:
        """Wait (interruptibly, for the signal handlers) until ``stop`` is set or the engine ends; then stop both.
        Raises the engine's configuration error, if any."""
        while self.engine_thread.is_alive() and self.server.thread.is_alive():
            self.engine_thread.join(0.2)
        server_ended = not self.stop_event.is_set() and not self.server.thread.is_alive()
        self.stop()
        if self.engine.error is not None:
            raise self.engine.error
        if self.engine.failure is not None:
            raise self.engine.failure
        if server_ended:
            raise BridgeError("The notification server stopped unexpectedly; the bridge stopped too.",
                              hint="Start it again; the periodic sync catches the drafts saved meanwhile.")

    def stop(self) -> None:
        self.stop_event.set()
        self.queue.wake()
        self.server.stop()
        if self.engine_thread.ident is not None:
            self.engine_thread.join()


def _import_pipeline() -> None:
    try:
        import openai  # noqa: F401

        from .. import bridge  # noqa: F401
    except Exception:  # the first post imports them again, and says what is wrong
        log.debug("Could not import the rewrite pipeline ahead of time", exc_info=True)
