"""What a valid configuration value is, and how an invalid one is told to the person who wrote it.

The settings models in :mod:`wp_seo_bridge.config` hold the keys, their types and their bounds; the
checks that need more than a type live here: site and endpoint addresses, host names, post types,
language codes, the statuses the bridge may save, files that must exist. Each raises
:class:`ValueError` with a message naming the value, which pydantic reports under the key.

:func:`describe_validation_error` turns pydantic's errors into one message for the whole configuration,
the strict types' errors included (``verify_tls = "yes"``: written in quotes), naming the environment
variable a value came from when it did.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import ValidationError

from .config_env import APP_PASSWORD_ENV, Origins
from .urls import redacted_endpoint, redacted_text

#: Post types the bridge can never rewrite: WordPress's own records, media and templates, not posts with text.
NOT_REWRITABLE_POST_TYPES = frozenset({
    "attachment", "revision", "nav_menu_item", "custom_css", "customize_changeset", "oembed_cache", "user_request",
    "wp_block", "wp_template", "wp_template_part", "wp_global_styles", "wp_navigation", "wp_font_family",
    "wp_font_face",
})
_POST_TYPE_NAME = re.compile(r"^[a-z0-9_-]{1,20}$")
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def host_names(values: list[str]) -> list[str]:
    """Full host names (``platform.twitter.com``, ``example.org``; each covers its subdomains), in lower case.

    A top-level domain alone (``com``), a wildcard, a scheme, a path or a port would trust far more than meant,
    or nothing at all: refused, naming the value.
    """
    hosts = []
    for value in values:
        text = str(value).strip().lower().rstrip(".")
        shown = repr(str(value))
        if text.startswith("*.") and _is_host(text[2:]):
            raise ValueError(f"{shown}: write the host name without '*.' ({text[2:]!r}); its subdomains are "
                             f"included")
        if "://" in text or ":" in text or "/" in text or "*" in text or "@" in text or " " in text:
            raise ValueError(f"{shown} is not a host name: give the host alone, e.g. 'platform.twitter.com' "
                             f"(no scheme, port, path or wildcard)")
        if not _is_host(text):
            raise ValueError(f"{shown} is not a full host name: it needs at least two labels, e.g. 'example.com' "
                             f"(a top-level domain alone would cover every site under it)")
        hosts.append(text)
    return hosts


def _is_host(text: str) -> bool:
    try:
        ascii_text = text.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_text.split(".")
    return len(labels) >= 2 and all(_HOST_LABEL.match(label) for label in labels) and not labels[-1].isdigit() \
        or _is_ipv4(text)


def _is_ipv4(text: str) -> bool:
    parts = text.split(".")
    return len(parts) == 4 and all(part.isdigit() and int(part) < 256 for part in parts)


def site_address(value: str) -> str:
    """The site's home address: http(s), without credentials, query or fragment, and no trailing slash."""
    value = value.strip()
    shown = redacted_endpoint(value)
    try:
        parts = urlsplit(value)
    except ValueError:
        raise ValueError(f"is not a valid address (got {shown!r})") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"must be the site's address starting with https:// or http:// (got {shown!r})")
    if "@" in parts.netloc:
        raise ValueError(
            f"must not contain a user name or password (got an address with credentials); the application "
            f"password goes in the {APP_PASSWORD_ENV} environment variable"
        )
    if parts.query or parts.fragment:
        raise ValueError(f"must be the site's home address without '?' or '#' (got {shown!r})")
    return value.rstrip("/")


def endpoint_address(value: str | None) -> str | None:
    """The model endpoint's http(s) address (None when empty), never shown or stored whole. Its query string
    (``?api-version=...``) is sent with every request; a user name and password in it are sent as HTTP Basic
    authentication, in place of the API key (so both at once are refused, in :func:`~.config.load_config`)."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    parts = urlsplit(redacted_endpoint(value))
    if "#" in value:
        raise ValueError(f"must not contain '#' (got {redacted_endpoint(value)!r})")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(
            f"must be the endpoint's address starting with https:// or http://, e.g. http://localhost:11434/v1 "
            f"(got {redacted_endpoint(value)!r})"
        )
    return value


def existing_file(value: Path | None) -> Path | None:
    """A file that must exist (``~`` expanded), or None."""
    if value is not None and not value.expanduser().is_file():
        raise ValueError(f"file {str(value)!r} does not exist")
    return value.expanduser() if value is not None else None


def rewritable_post_types(value: list[str]) -> list[str]:
    """Post type names the bridge may rewrite: never WordPress's media, revisions, menus or templates."""
    for name in value:
        if name in NOT_REWRITABLE_POST_TYPES:
            raise ValueError(
                f"{name!r} is not a post type the bridge can rewrite (WordPress keeps media, revisions, menus "
                "and templates under their own types); list types of posts with text, e.g. ['post', 'page']"
            )
        if not _POST_TYPE_NAME.match(name):
            raise ValueError(f"{name!r} is not a post type name: lower-case letters, digits, '_' and '-', at "
                             "most 20 characters, e.g. 'post', 'page' or 'recipe'")
    return value


def as_utc(value: datetime | None) -> datetime | None:
    """A moment without an offset is taken as UTC."""
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value


def refuse_publishing_status(value: object) -> object:
    """Refuse, with the reason, a status that would publish, schedule or hide a post (checked before the type)."""
    if isinstance(value, str) and value.strip().lower() in ("publish", "future", "private"):
        raise ValueError(
            f"must be 'keep', 'draft' or 'pending' (got {value!r}): the bridge never publishes, schedules or "
            "makes private; that is left to an editor in WordPress"
        )
    return value


def sync_statuses(value: object) -> object:
    """Refuse, with the reason, a status ``sync`` must never pick: published, scheduled and private posts are
    never touched (checked before the type); repeated statuses are kept once."""
    if isinstance(value, list):
        for item in value:
            if isinstance(item, str) and item.strip().lower() in ("publish", "future", "private"):
                raise ValueError(
                    f"a sync picks drafts only: 'draft', and 'pending' if wanted (got {item!r}); published, "
                    "scheduled and private posts are never touched"
                )
        return list(dict.fromkeys(value)) if all(isinstance(item, str) for item in value) else value
    return value


def known_language(value: str) -> str:
    """A language code CLDR knows (Babel's locale data, imported only when a language is checked)."""
    from babel import localedata

    if not localedata.exists(value.replace("-", "_")):
        raise ValueError(
            f"{value!r} is not a language code known to CLDR (Babel's locale data): give an ISO 639-1 code "
            "such as 'fr', 'en' or 'de', with a region if needed, e.g. 'fr-CA'"
        )
    return value


#: Pydantic's type errors, said the way a configuration's reader needs them.
_TYPE_PROBLEMS = {
    "bool_type": "is not a boolean (true or false)",
    "bool_parsing": "is not a boolean (true or false)",
    "int_type": "is not a whole number",
    "int_parsing": "is not a whole number",
    "int_from_float": "is not a whole number",
    "float_type": "is not a number",
    "float_parsing": "is not a number",
    "finite_number": "is not a finite number",
}


def describe_validation_error(
    exc: ValidationError, source: Path | None, from_env: Origins | None = None
) -> str:
    """One message for all that is wrong in a configuration: each key, what is wrong with it, and where it was
    set (the file, or the environment variable, named)."""
    from_env = from_env or {}
    in_file = in_env = False
    lines = []
    for error in exc.errors():
        path = tuple(str(part) for part in error["loc"] if not isinstance(part, int))
        location = ".".join(path)
        variable, raw = from_env.get(path[:2], (None, "")) if len(path) >= 2 else (None, "")
        in_env, in_file = in_env or variable is not None, in_file or variable is None
        got = error.get("input")
        shown = redacted_text(repr(got)) if isinstance(got, (str, int, float, bool)) else ""
        problem = _TYPE_PROBLEMS.get(error["type"])
        if isinstance(got, float) and got != got:  # NaN
            problem = "is not a number"
        message = redacted_text(error["msg"].removeprefix("Value error, "))
        if variable is not None:
            lines.append(f"  - {variable} = {redacted_text(repr(raw))}: {problem or message} (it sets `{location}`)")
        elif error["type"] == "extra_forbidden" and len(path) == 3 and path[0] == "sites":
            lines.append(f"  - `{location}`: unknown key (a site's table takes the [wordpress] keys, and "
                         f"[{'.'.join(path[:2])}.drafts], .rewrite and .quality tables of keys that differ for it)")
        elif error["type"] == "extra_forbidden":
            lines.append(f"  - `{location}`: unknown key (check its spelling)")
        elif error["type"] in ("model_type", "dict_type"):
            example = f"[{location}]" if path[0] != "sites" or len(path) > 1 else "[sites.NAME]"
            lines.append(f"  - `{location}` must be a table of keys, {example}" + (f" (got {shown})" if shown else "")
                         + ("; each site is its own [sites.NAME] table with its url and username"
                            if path[0] == "sites" and len(path) <= 2 else ""))
        elif error["type"] == "missing":
            lines.append(f"  - `{location}`: required, but not set")
        elif problem:
            quoted = " (written in quotes: remove them)" if isinstance(got, str) else ""
            lines.append(f"  - `{location}` = {shown} {problem}{quoted}")
        else:
            lines.append(f"  - `{location}`: {message}" + (f" (got {shown})" if shown and "got" not in message else ""))
    file_part = f"in {str(source)!r}" if source else "in the configuration"
    where = (f"{file_part} and in the environment" if in_file and in_env
             else "in the environment" if in_env else file_part if source else "in the environment settings")
    return "\n".join([f"Invalid configuration {where}:", *lines])


def validation_hint(exc: ValidationError, from_env: Origins) -> str:
    """The fix: the environment variables to correct when a wrong value came from one, else the example file."""
    variables = sorted({
        from_env[path[:2]][0] for error in exc.errors()
        if len(path := tuple(str(p) for p in error["loc"] if not isinstance(p, int))) >= 2 and path[:2] in from_env
    })
    if variables:
        return f"Correct or unset the environment variable(s) {', '.join(variables)}; config.example.toml documents every key."
    return "See config.example.toml for every key."
