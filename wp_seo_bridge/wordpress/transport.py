"""The one interface both WordPress transports (REST and XML-RPC) implement, and what they share.

A transport moves posts and meta; it does not decide anything. The safety rules (only drafts,
no overwriting of an edit made meanwhile, meta verified after writing) live in
:class:`~wp_seo_bridge.wordpress.site.WordPressSite`, once for both transports.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timezone
from typing import Any, TypeVar

import requests
from requests.adapters import HTTPAdapter
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from .. import __version__
from ..config import WordPressSettings
from ..errors import ConfigError, SiteBusy, SiteUnreachable, TLSFailure, WordPressTimeout
from ..urls import redacted_endpoint, redacted_text
from .models import CompanionStatus, CurrentUser, DraftQuery, EditLock, Post, PostUpdate, SiteInfo

log = logging.getLogger(__name__)

T = TypeVar("T")

USER_AGENT = f"wp-seo-bridge/{__version__} (+https://github.com/wp-seo-bridge)"

#: Sent on every request to the site (REST and XML-RPC): the companion plugin sends no notification
#: for a save made in a request that carries it, so the bridge's own writes do not notify the bridge.
BRIDGE_HEADER = "X-WP-SEO-Bridge"

#: ``[wordpress] max_connections`` when the settings have no such key.
DEFAULT_MAX_CONNECTIONS = 4

#: Tags asked for in one request (the API's largest page).
TAGS_PER_REQUEST = 100


def max_connections(settings: WordPressSettings) -> int:
    """The per-site cap on requests in flight (``[wordpress] max_connections``), at least 1."""
    value = getattr(settings, "max_connections", None)
    return max(1, int(value)) if value else DEFAULT_MAX_CONNECTIONS


class Transport(ABC):
    """Reads and writes posts on one WordPress site.

    One transport may be shared by several threads: every request goes through :meth:`_send`,
    which holds one of ``[wordpress] max_connections`` slots while it is in flight and counts
    it (:attr:`requests_sent`); what a transport caches (discovery, meta keys, the companion
    plugin's status, tag names) is filled under a lock, best all at once by :meth:`prepare`
    before the workers start.
    """

    name: str
    settings: WordPressSettings
    session: requests.Session

    def _open(self, settings: WordPressSettings, session: requests.Session | None) -> None:
        """Set up the connection pool, the request slots and the caches (called by ``__init__``)."""
        self.settings = settings
        self.max_connections = max_connections(settings)
        self.session = session or new_session(settings, pool_size=self.max_connections)
        self._slots = threading.BoundedSemaphore(self.max_connections)
        self._counter_lock = threading.Lock()
        self._sent = 0
        #: Held while a per-run cache is filled (re-entrant: filling one may need another).
        self._cache_lock = threading.RLock()
        self._companion: tuple[CompanionStatus | None] | None = None
        self._tag_names: dict[int, str] = {}

    @property
    def requests_sent(self) -> int:
        """How many HTTP requests this transport has sent (retries included)."""
        with self._counter_lock:
            return self._sent

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """One HTTP request within the site's cap on requests in flight."""
        with self._slots:
            with self._counter_lock:
                self._sent += 1
            return send(self.session, method, url, timeout=self.settings.timeout, **kwargs)

    def prepare(self, post_types: Sequence[str]) -> None:
        """Fill every per-run cache for ``post_types`` (discovery, meta keys, companion status)."""
        self.site_info()
        self.cached_companion_status()
        for post_type in post_types:
            self.writable_meta_keys(post_type)

    def cached_companion_status(self) -> CompanionStatus | None:
        """:meth:`companion_status`, asked once per transport."""
        with self._cache_lock:
            if self._companion is None:
                self._companion = (self.companion_status(),)
            return self._companion[0]

    def tag_names(self, ids: Sequence[int]) -> tuple[str, ...]:
        """The names of these tags, in the same order (those that exist); each tag is asked for once."""
        ids = [int(i) for i in ids]
        self.prefetch_tag_names(ids)
        with self._cache_lock:
            return tuple(self._tag_names[i] for i in ids if i in self._tag_names)

    def prefetch_tag_names(self, ids: Iterable[int]) -> None:
        """Ask for the names of the tags not known yet, as few requests as possible."""
        with self._cache_lock:
            missing = list(dict.fromkeys(int(i) for i in ids if int(i) not in self._tag_names))
        for start in range(0, len(missing), TAGS_PER_REQUEST):
            found = self._fetch_tag_names(missing[start : start + TAGS_PER_REQUEST])
            self._remember_tag_names(found)

    def _remember_tag_names(self, names: dict[int, str]) -> None:
        with self._cache_lock:
            self._tag_names.update(names)

    @abstractmethod
    def _fetch_tag_names(self, ids: Sequence[int]) -> dict[int, str]:
        """The names of these tags (at most :data:`TAGS_PER_REQUEST`), by ID."""

    @abstractmethod
    def site_info(self) -> SiteInfo:
        """What the site says about itself; needs no credentials."""

    @abstractmethod
    def current_user(self) -> CurrentUser:
        """The user the credentials belong to (raises AuthenticationFailed if refused)."""

    @abstractmethod
    def companion_status(self) -> CompanionStatus | None:
        """The companion plugin's report, or None when it is not installed."""

    @abstractmethod
    def writable_meta_keys(self, post_type: str) -> frozenset[str]:
        """The meta keys this transport can write on posts of that type."""

    def resolve_terms(self, taxonomy: str, terms: Sequence[int | str]) -> tuple[int, ...]:
        """Term IDs for IDs or slugs of ``taxonomy`` (``category`` or ``post_tag``)."""
        is_id = [isinstance(t, int) or str(t).isdigit() for t in terms]
        slugs = [str(t) for t, numeric in zip(terms, is_id, strict=True) if not numeric]
        found = self._term_ids_by_slug(taxonomy, slugs) if slugs else {}
        missing = [s for s in slugs if s not in found]
        if missing:
            raise ConfigError(
                f"No {'tag' if taxonomy == 'post_tag' else taxonomy} with slug {', '.join(map(repr, missing))} on the site.",
                hint="Check `drafts.categories` / `drafts.tags` (term IDs or slugs).",
            )
        ids = [int(t) if numeric else found[str(t)] for t, numeric in zip(terms, is_id, strict=True)]
        return tuple(dict.fromkeys(ids))

    @abstractmethod
    def _term_ids_by_slug(self, taxonomy: str, slugs: Sequence[str]) -> dict[str, int]:
        """The IDs of the terms of ``taxonomy`` with these slugs (those that exist)."""

    @abstractmethod
    def iter_drafts(self, query: DraftQuery) -> Iterator[Post]:
        """Every post of ``query.statuses`` matching ``query``, across as many pages as there are."""

    @abstractmethod
    def get_post(self, post_id: int, post_types: Sequence[str]) -> Post:
        """One post of one of ``post_types`` (raises PostNotFound)."""

    @abstractmethod
    def write_post(self, post: Post, update: PostUpdate) -> Post:
        """Send ``update`` (meta already in ``update.meta``) for ``post``; return the post as stored.

        ``post`` is the version just re-read by the caller; a transport that can make the
        server check that it is still current (XML-RPC's ``if_not_modified_since``) does so.
        """

    @abstractmethod
    def write_record(self, post_id: int, record: str) -> str:
        """Set only the bridge's record meta of a draft or pending post (companion plugin 1.1+);
        returns the stored value. Nothing else of the post changes, not even its dates."""

    def taken_slugs(self, post_type: str, slugs: Sequence[str], exclude_id: int) -> set[str]:
        """Which of ``slugs`` another post of ``post_type`` already uses, in one request (none where
        it cannot tell)."""
        return set()

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""


def new_session(settings: WordPressSettings, *, pool_size: int | None = None) -> requests.Session:
    """One pooled HTTP session per site, with TLS settings, our User-Agent and :data:`BRIDGE_HEADER`.

    ``pool_size``: the connections kept open (default: ``[wordpress] max_connections``).
    """
    session = requests.Session()
    size = pool_size or max_connections(settings)
    adapter = HTTPAdapter(pool_connections=size, pool_maxsize=size)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    session.headers[BRIDGE_HEADER] = "1"
    session.verify = str(settings.ca_bundle) if settings.ca_bundle else settings.verify_tls
    return session


def send(session: requests.Session, method: str, url: str, *, timeout: float, **kwargs) -> requests.Response:
    """One HTTP request, with network failures turned into our errors (no credentials in messages)."""
    shown = redacted_endpoint(url)
    started = time.monotonic()
    # Per request: requests lets REQUESTS_CA_BUNDLE override a session's `verify` (psf/requests#3829).
    kwargs.setdefault("verify", session.verify)
    try:
        response = session.request(method, url, timeout=timeout, **kwargs)
    except requests.exceptions.SSLError as exc:
        raise TLSFailure(f"HTTPS certificate check failed for {shown}: {_reason(exc)}") from None
    except requests.exceptions.Timeout:
        raise WordPressTimeout(f"{shown} did not answer within {timeout:g} s.") from None
    except requests.exceptions.ConnectionError as exc:
        raise SiteUnreachable(f"Cannot connect to {shown}: {_reason(exc)}") from None
    except requests.exceptions.InvalidURL as exc:
        raise SiteUnreachable(f"Invalid site address {shown}: {redacted_text(str(exc))}") from None
    log.debug("%s %s -> %s in %.0f ms", method, shown, response.status_code, (time.monotonic() - started) * 1000)
    return response


def _reason(exc: Exception) -> str:
    """The innermost cause of a requests/urllib3 error, short."""
    text = str(exc)
    for marker in ("Caused by ", "Failed to establish a new connection: "):
        if marker in text:
            text = text.split(marker, 1)[1]
    return redacted_text(text.strip(" ()'\""))[:200] or exc.__class__.__name__


RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})


def retry_after_seconds(response: requests.Response) -> float | None:
    """The ``Retry-After`` header in seconds (number or HTTP date), if any."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        return max(0.0, (parsed - datetime.now(timezone.utc)).total_seconds()) if parsed else None


def with_retries(attempts: int, call: Callable[[], T], *, idempotent: bool, max_wait: float = 30.0) -> T:
    """Run ``call``, retrying where that is safe.

    Idempotent calls (reads) are retried on timeouts, failed connections and 429/502/503/504.
    Writes are retried only when the server surely did not act: 429 (rate limited). A TLS
    failure, a refusal or a client error is never retried.
    """

    def should_retry(exc: BaseException) -> bool:
        if isinstance(exc, SiteBusy):
            return idempotent or exc.status_code == 429
        if isinstance(exc, TLSFailure):
            return False
        return idempotent and isinstance(exc, SiteUnreachable)

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, SiteBusy) and exc.retry_after is not None:
            return min(exc.retry_after, max_wait)
        return min(0.5 * 2 ** (state.attempt_number - 1), max_wait)

    def before_sleep(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        log.info("Retrying after: %s", getattr(exc, "message", exc))

    retrying = Retrying(
        stop=stop_after_attempt(max(1, attempts)),
        wait=wait,
        retry=retry_if_exception(should_retry),
        before_sleep=before_sleep,
        reraise=True,
    )
    return retrying(call)


def parse_gmt(value: str | datetime) -> datetime:
    """A WordPress GMT timestamp (``2024-05-01T10:00:00`` or an XML-RPC date) as aware UTC."""
    if isinstance(value, datetime):
        parsed = value
    else:
        text = str(value).strip()
        parsed = datetime.strptime(text, "%Y%m%dT%H:%M:%S") if "-" not in text else datetime.fromisoformat(text)
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed.astimezone(timezone.utc)


def bridge_fields(value: Any) -> dict[str, Any]:
    """:class:`Post` keyword arguments from the companion plugin's ``wp_seo_bridge`` field (REST and
    XML-RPC alike); empty when the site did not send it, or sent something unreadable."""
    if not isinstance(value, dict):
        return {}
    try:
        lock = value.get("edit_lock")
        edit_lock = None
        if isinstance(lock, dict) and int(lock.get("user") or 0) > 0 and int(lock.get("time") or 0) > 0:
            edit_lock = EditLock(user=int(lock["user"]), at=datetime.fromtimestamp(int(lock["time"]), timezone.utc))
        now = value.get("now")
        current = value.get("revision_current")
        fields: dict[str, Any] = {
            "bridge_fields": True,
            "edit_lock": edit_lock,
            "server_now": datetime.fromtimestamp(int(now), timezone.utc) if now else None,
            "revision_current": current if isinstance(current, bool) else None,
        }
    except (TypeError, ValueError, OverflowError, OSError):
        return {}
    status = value.get("status")
    if isinstance(status, str) and status:
        # As stored after every hook of the save that this answers: the truth where the rest is older.
        fields["status"] = status
    return fields
