"""URLs: compared as a reader sees them, and shown or stored without the secrets they may carry.

:func:`normalize_url` is how the link guard and the link attributes match addresses.
:func:`redacted_endpoint` is the one way an endpoint is shown or stored (post record, journal,
logs, ``doctor``, error messages): an endpoint such as ``https://user:password@host/v1?api-key=...``
keeps its scheme, host, port and path only.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": "80", "https": "443"}


def normalize_url(url: str) -> str:
    """A URL for comparison: scheme and host in lower case, no default port, no trailing slash."""
    url = url.strip()
    if url.lower().startswith("www."):
        url = "https://" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    netloc = host
    if parts.port is not None and _DEFAULT_PORTS.get(scheme) != str(parts.port):
        netloc = f"{host}:{parts.port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, netloc, path, parts.query, parts.fragment))


#: A URL written in free text (a log line, an error message): a scheme, then no space or quote.
_URL_IN_TEXT = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"<>]+")


def redacted_endpoint(url: str) -> str:
    """``url`` without user name, password, query string or fragment: safe to show, log or store.

    Never raises, whatever the text: it works on the characters, not on a parsed URL.
    """
    text = str(url).strip().split("#", 1)[0].split("?", 1)[0]
    scheme, separator, rest = text.partition("://")
    if not separator:
        scheme, rest = "", text
    authority, slash, path = rest.partition("/")
    host = authority.rpartition("@")[2]
    return f"{scheme}{separator}{host}{slash}{path}"


def redacted_text(text: str) -> str:
    """``text`` with every URL in it replaced by its :func:`redacted_endpoint`."""
    return _URL_IN_TEXT.sub(lambda match: redacted_endpoint(match.group(0)), str(text))


class RedactedUrlsFilter(logging.Filter):
    """A logging filter that passes every URL of a record's message through :func:`redacted_endpoint`.

    Put it on a handler: libraries (the HTTP clients under the ``openai`` SDK) log request URLs whole.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redacted_text(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
