"""The notification's signature: HMAC-SHA256 over ``"<timestamp>.<raw body>"`` with a secret shared with the site.

Headers: ``X-WP-SEO-Bridge-Timestamp: <unix seconds>`` and ``X-WP-SEO-Bridge-Signature: sha256=<hex>``.
A notification is accepted when one configured secret verifies it (compared in constant time), its timestamp
is within :data:`WINDOW_SECONDS` of the bridge's clock, and the same (timestamp, signature) was not accepted
before (a replay, or the same save notified twice: refused with 409). The replay cache is bounded: entries leave it once their timestamp is out of the window (a
replay of one is then stale anyway), and it never holds more than ``max_entries``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

TIMESTAMP_HEADER = "X-WP-SEO-Bridge-Timestamp"
SIGNATURE_HEADER = "X-WP-SEO-Bridge-Signature"
#: How far a notification's timestamp may be from the bridge's clock, either way.
WINDOW_SECONDS = 300
#: The shortest secret accepted (a shorter one could be guessed from signed notifications).
MIN_SECRET_LENGTH = 16

_SIGNATURE = re.compile(r"^sha256=([0-9a-f]{64})$")
_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")


class Refused(Exception):
    """A notification refused: ``status`` is the HTTP status to answer, ``message`` says why (no secret in it)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def sign(secret: str | bytes, timestamp: int | str, body: bytes) -> str:
    """The signature header's value for ``body`` sent at ``timestamp``: ``sha256=<lowercase hex>``."""
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    return "sha256=" + hmac.new(key, f"{timestamp}.".encode("ascii") + body, hashlib.sha256).hexdigest()


class ReplayCache:
    """The (timestamp, signature) pairs accepted within the window; thread-safe, bounded in size and time."""

    def __init__(self, *, window: float = WINDOW_SECONDS, max_entries: int = 10_000) -> None:
        self.window = window
        self.max_entries = max_entries
        self._seen: OrderedDict[tuple[int, str], int] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._seen)

    def add(self, timestamp: int, signature: str, now: float) -> None:
        """Remember an accepted notification; raises :class:`Refused` (409) if it was accepted before, (429)
        when the cache is full of notifications still in the window (a flood: they are caught by the poll).

        A second acceptance is refused as a duplicate, not as an attack: WordPress itself sends the same bytes
        twice when a post is saved twice within a second (the block editor's save, then its meta boxes' save),
        and the first one already queued the post. Either way nothing is queued again."""
        key = (timestamp, signature)
        with self._lock:
            self._forget_old(now)
            if key in self._seen:
                raise Refused(409, "duplicate of a notification already accepted (same timestamp and signature; a replay, or a second save within the same second); nothing queued again")
            if len(self._seen) >= self.max_entries:
                raise Refused(429, "too many notifications at once; try again later")
            self._seen[key] = timestamp

    def _forget_old(self, now: float) -> None:
        # Oldest accepted first: stop at the first one still in the window (timestamps are not sorted, so a
        # few expired entries may wait behind a fresher one; the size bound holds regardless).
        while self._seen:
            key, timestamp = next(iter(self._seen.items()))
            if abs(now - timestamp) <= self.window:
                break
            del self._seen[key]


class Verifier:
    """Checks notifications against the configured secrets: ``secrets`` maps each secret to the names of the
    sites it belongs to (several sites may share one)."""

    def __init__(
        self, secrets: dict[str, Iterable[str]], *, window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.time, replays: ReplayCache | None = None,
    ) -> None:
        self._secrets = [(secret.encode("utf-8"), tuple(sites)) for secret, sites in secrets.items()]
        self.window = window
        self.clock = clock
        self.replays = replays or ReplayCache(window=window)

    def verify(self, timestamp_header: str | None, signature_header: str | None, body: bytes) -> tuple[int, str, set[str]]:
        """The notification's timestamp, signature and the sites whose secret signed it; raises :class:`Refused`
        (401) for a missing or malformed header, a stale timestamp or a signature no secret makes."""
        if timestamp_header is None or not _TIMESTAMP.match(timestamp_header.strip()):
            raise Refused(401, f"missing or malformed {TIMESTAMP_HEADER} header (unix seconds expected)")
        timestamp = int(timestamp_header.strip())
        if abs(self.clock() - timestamp) > self.window:
            raise Refused(401, f"stale timestamp (more than {self.window:g} s from the bridge's clock)")
        match = _SIGNATURE.match((signature_header or "").strip())
        if match is None:
            raise Refused(401, f"missing or malformed {SIGNATURE_HEADER} header (sha256=<hex> expected)")
        given = match.group(0)
        sites: set[str] = set()
        for secret, names in self._secrets:  # every secret is tried: the time taken does not tell which matched
            if hmac.compare_digest(sign(secret, timestamp, body), given):
                sites.update(names)
        if not sites:
            raise Refused(401, "bad signature (no configured secret signs this body)")
        return timestamp, given, sites

    def accept(self, timestamp: int, signature: str) -> None:
        """Record an accepted notification (see :meth:`ReplayCache.add`)."""
        self.replays.add(timestamp, signature, self.clock())
