"""The HTTP endpoint WordPress notifies: ``POST /notify`` (a draft was saved) and ``GET /health`` (for proxies).

Checks, in order, each refusal answered with a JSON ``{"error": "..."}`` and nothing queued: a body over
:data:`MAX_BODY` bytes (413); the timestamp and signature headers, the signature against every configured secret,
the timestamp's age (401, :mod:`.signature`); a body that is not ``{"site", "post_id", "event", "modified_gmt"}``
or a post ID that is not a positive whole number (400); a ``site`` that is not the address of a configured site
whose secret signed the notification (400); a notification already accepted (409: a replay, or two saves of
a post within one second, which WordPress sends as the same bytes). Accepted: 202, and the post is queued
(:mod:`.queue`). Only the post ID is trusted: the engine reads the post again and the
sync's selection decides. No error ever answers with a traceback.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .queue import NotifyQueue, QueueFull
from .signature import SIGNATURE_HEADER, TIMESTAMP_HEADER, Refused, Verifier

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request

log = logging.getLogger(__name__)

#: The largest notification body accepted (a real one is about 120 bytes).
MAX_BODY = 8 * 1024
_FIELDS = {"site", "post_id", "event", "modified_gmt"}
_MODIFIED = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def site_key(url: str) -> str:
    """A site address as compared: scheme and host lower-cased, the default port and a trailing slash dropped."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port is None or _DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    return f"{scheme}://{netloc}{parts.path.rstrip('/')}"


@dataclass(frozen=True)
class Notice:
    """One notification, accepted or refused, for whoever shows them (no secret in it)."""

    accepted: bool
    status: int
    message: str
    client: str = ""
    #: The configured sites queued for (accepted only), and the post.
    sites: tuple[str, ...] = ()
    post_id: int | None = None
    #: Seconds until the post is due (accepted only).
    due_in: float | None = None


@dataclass(frozen=True)
class SiteEntry:
    name: str
    url: str
    secret: str


class Receiver:
    """What ``POST /notify`` does, HTTP aside: verify, parse, queue."""

    def __init__(
        self, sites: Iterable[SiteEntry], queue: NotifyQueue, *, verifier: Verifier | None = None,
        on_notice: Callable[[Notice], None] | None = None,
    ) -> None:
        self.sites = tuple(sites)
        secrets: dict[str, list[str]] = {}
        for site in self.sites:
            secrets.setdefault(site.secret, []).append(site.name)
        self.verifier = verifier or Verifier(secrets)
        self.queue = queue
        self.on_notice = on_notice or (lambda notice: None)
        self._keys = {site.name: site_key(site.url) for site in self.sites}

    def handle(self, timestamp: str | None, signature: str | None, body: bytes, client: str = "") -> Notice:
        """The notice for one notification (accepted: the post is queued)."""
        try:
            stamp, given, signed_by = self.verifier.verify(timestamp, signature, body)
            site_url, post_id = _parse(body)
            key = site_key(site_url)
            names = tuple(name for name in self._keys if self._keys[name] == key and name in signed_by)
            if not names:
                raise Refused(400, "unknown site (not the address of a configured site whose secret signed this)")
            self.verifier.accept(stamp, given)
            due_in = None
            for name in names:
                due_in = self.queue.notified(name, post_id)
        except Refused as exc:
            return Notice(False, exc.status, exc.message, client)
        except QueueFull as exc:
            return Notice(False, 429, f"too many posts queued ({exc}); the periodic sync will find them", client)
        return Notice(True, 202, "queued", client, names, post_id, due_in)


def client_address(host: str) -> str:
    """The client's address as shown: Uvicorn takes it from ``X-Forwarded-For`` for a client on 127.0.0.1 (a
    reverse proxy) without checking it, so anything else than an IP address is cut short and marked."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        shown = host if len(host) <= 40 else host[:40] + "..."
        return f"{shown!r} (not an IP address; X-Forwarded-For?)" if host else ""


def _parse(body: bytes) -> tuple[str, int]:
    """The site's address and the post ID of a notification's body; raises :class:`Refused` (400)."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Refused(400, "malformed body (not UTF-8 JSON)") from None
    if not isinstance(data, dict) or set(data) != _FIELDS:
        raise Refused(400, "malformed body (a JSON object with site, post_id, event and modified_gmt expected)")
    site, post_id, event, modified = data["site"], data["post_id"], data["event"], data["modified_gmt"]
    if not isinstance(post_id, int) or isinstance(post_id, bool) or not 0 < post_id < 2**63:
        raise Refused(400, "malformed body (post_id must be a positive whole number)")
    if not isinstance(site, str) or not site.startswith(("http://", "https://")) or len(site) > 2000:
        raise Refused(400, "malformed body (site must be the site's http(s) address)")
    if event != "saved":
        raise Refused(400, "malformed body (event must be \"saved\")")
    if not isinstance(modified, str) or not _MODIFIED.match(modified):
        raise Refused(400, "malformed body (modified_gmt must be YYYY-MM-DDTHH:MM:SS)")
    return site, post_id


def make_app(receiver: Receiver) -> Starlette:
    """The Starlette application; every answer is JSON, every error a short message."""
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.requests import ClientDisconnect
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def notify(request: Request) -> JSONResponse:
        client = client_address(request.client.host if request.client else "")
        try:
            body = await _body(request)
            notice = receiver.handle(request.headers.get(TIMESTAMP_HEADER), request.headers.get(SIGNATURE_HEADER),
                                     body, client)
        except Refused as exc:
            notice = Notice(False, exc.status, exc.message, client)
        except ClientDisconnect:  # nobody is left to answer; not a bug of the bridge
            notice = Notice(False, 400, "the connection ended before the end of the body (the client hung up, or was too slow)", client)
        except Exception:  # a bug: logged with its traceback, answered without it
            log.exception("Unexpected error while receiving a notification")
            notice = Notice(False, 500, "internal error", client)
        try:
            receiver.on_notice(notice)
        except Exception:
            log.exception("Unexpected error while showing a notification")
        if notice.accepted:
            return JSONResponse({"queued": True, "post_id": notice.post_id}, status_code=202)
        return JSONResponse({"error": notice.message}, status_code=notice.status)

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        message = {404: "not found", 405: "method not allowed"}.get(status, "error")
        return JSONResponse({"error": message}, status_code=status)

    return Starlette(
        routes=[Route("/notify", notify, methods=["POST"]), Route("/health", health, methods=["GET"])],
        exception_handlers={HTTPException: http_error, Exception: http_error},
    )


async def _body(request: Request) -> bytes:
    """The request's body, refused (413) past :data:`MAX_BODY` bytes without reading more than that."""
    length = request.headers.get("content-length")
    if length is not None and length.strip().isdigit() and int(length) > MAX_BODY:
        raise Refused(413, f"body too large (more than {MAX_BODY} bytes)")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise Refused(413, f"body too large (more than {MAX_BODY} bytes)")
    return bytes(body)
