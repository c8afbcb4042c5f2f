"""The REST transport: WordPress's REST API with an Application Password, over ``requests``.

Works whether the site serves ``/wp-json/`` or only ``?rest_route=`` (plain permalinks): the API
root is discovered from the ``Link: <...>; rel="https://api.w.org/"`` header of the home page.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import requests

from ..config import WordPressSettings
from ..errors import (
    ApiUnavailable,
    AuthenticationFailed,
    ConfigError,
    NotWordPress,
    PermissionDenied,
    PostNotFound,
    SiteBusy,
    MetaNotWritable,
    UnexpectedResponse,
    WordPressError,
    WriteRefused,
)
from .models import CompanionStatus, CurrentUser, DraftQuery, NotifyStatus, Post, PostUpdate, SiteInfo
from .transport import (
    RETRYABLE_STATUSES,
    Transport,
    bridge_fields,
    parse_gmt,
    retry_after_seconds,
    with_retries,
)

log = logging.getLogger(__name__)

API_LINK_REL = "https://api.w.org/"
PER_PAGE = 100
POST_FIELDS = "id,type,status,title,content,excerpt,slug,modified_gmt,author,link,categories,tags,meta,wp_seo_bridge"
#: The statuses a slug can be taken by (a trashed post's slug is free again).
SLUG_STATUSES = "publish,future,draft,pending,private"

_AUTH_FAILURE_CODES = {"incorrect_password", "invalid_username", "invalid_email", "authentication_failed"}
_API_BLOCKED_CODES = {"rest_disabled", "rest_cannot_access", "rest_login_required", "rest_api_disabled"}
_STRIPPED_AUTH_HINT = (
    "some Apache/CGI hosts strip the Authorization header: add `RewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]` to the site's "
    ".htaccess (or `CGIPassAuth On`), then run `wp-seo-bridge doctor` again."
)


class RestTransport(Transport):
    name = "rest"

    def __init__(self, settings: WordPressSettings, session: requests.Session | None = None) -> None:
        self._open(settings, session)
        self.home = settings.url
        self._authenticated = settings.app_password is not None
        if self._authenticated:
            self.session.auth = (settings.username, settings.app_password.get_secret_value())
        self._api_root: str | None = None
        self._index: dict[str, Any] | None = None
        self._rest_bases: dict[str, str] = {}
        self._meta_keys: dict[str, frozenset[str]] = {}

    # -- plumbing -----------------------------------------------------------------------------

    def _url(self, route: str, params: dict[str, Any] | None = None) -> str:
        root = self.api_root()
        query = dict(params or {})
        if "rest_route=" in root:
            base = root.split("?", 1)[0]
            query = {"rest_route": "/" + route.lstrip("/"), **query}
            return f"{base}?{urlencode(query, doseq=True)}"
        url = root.rstrip("/") + "/" + route.lstrip("/")
        return f"{url}?{urlencode(query, doseq=True)}" if query else url

    def _request(self, method: str, route: str, *, params: dict[str, Any] | None = None, json: Any = None):
        """One API call; returns ``(decoded JSON, response)``; retried where safe."""

        def attempt():
            response = self._send(method, self._url(route, params), json=json)
            return self._decode(response, method, route), response

        return with_retries(self.settings.max_attempts, attempt, idempotent=method in ("GET", "OPTIONS", "HEAD"))

    def _decode(self, response: requests.Response, method: str, route: str) -> Any:
        where = f"{method} {route}"
        try:
            data = response.json()
        except ValueError:
            data = None
        if response.status_code in RETRYABLE_STATUSES:
            raise SiteBusy(
                f"{where}: the site answered {response.status_code} (busy or rate-limited).",
                status_code=response.status_code,
                retry_after=retry_after_seconds(response),
            )
        if data is None:
            raise self._not_json(response, where)
        if response.status_code >= 400:
            raise self._error(response.status_code, data, where)
        return data

    def _not_json(self, response: requests.Response, where: str) -> WordPressError:
        content_type = response.headers.get("Content-Type", "unknown type").split(";")[0]
        snippet = " ".join(response.text[:160].split())
        if response.status_code == 401:
            return AuthenticationFailed(
                f"{where}: the server refused access (401) before WordPress answered: {snippet!r}",
                hint="The site is behind HTTP authentication (a host or server setting); "
                "allow the API for this client or remove that protection.",
                status_code=401,
            )
        return UnexpectedResponse(
            f"{where}: expected JSON but the site answered {response.status_code} with {content_type}: {snippet!r}",
            status_code=response.status_code,
        )

    def _error(self, status: int, data: Any, where: str) -> WordPressError:
        code = data.get("code", "") if isinstance(data, dict) else ""
        message = data.get("message", "") if isinstance(data, dict) else str(data)[:200]
        text = f"{where}: {message or 'error'} ({status} {code})".strip()
        kwargs = {"status_code": status, "code": code or None}
        if code in _AUTH_FAILURE_CODES:
            return AuthenticationFailed(text, hint=AuthenticationFailed.hint_for(self.settings.password_variable),
                                        **kwargs)
        if code in ("application_passwords_disabled", "application_passwords_disabled_for_user"):
            return AuthenticationFailed(
                text,
                hint="Application Passwords are turned off for this site or user (by a plugin, or because "
                "the site is not on HTTPS). Ask the site's administrator to allow them.",
                **kwargs,
            )
        if code in _API_BLOCKED_CODES:
            return ApiUnavailable(
                text,
                hint="A plugin or the host blocks the REST API. Allow it for logged-in users "
                "(or this user), or set `wordpress.transport = \"xmlrpc\"`.",
                **kwargs,
            )
        if status == 401:
            if not self._authenticated:
                return AuthenticationFailed(
                    text, hint=f"Set {self.settings.password_variable} to an application password of "
                    f"{self.settings.username!r}.",
                    **kwargs,
                )
            # WordPress 6.1 answers a refused Application Password as if no credentials were sent.
            return AuthenticationFailed(
                f"{where}: the site treated the request as anonymous ({status} {code}): the Application Password "
                f"of {self.settings.username!r} is wrong or revoked, or the Authorization header does not reach "
                "WordPress.",
                hint=f"Check the user name and {self.settings.password_variable} (create a new Application Password "
                f"in Users > Profile if unsure). If they are right: {_STRIPPED_AUTH_HINT}",
                **kwargs,
            )
        if status == 403:
            return PermissionDenied(text, **kwargs)
        if code in ("rest_post_invalid_id", "rest_invalid_post"):
            return PostNotFound(text, **kwargs)
        if code == "rest_no_route":
            return ApiUnavailable(
                text,
                hint="This WordPress does not offer that route: it is older than 6.1, or a plugin removed it.",
                **kwargs,
            )
        return WordPressError(text, **kwargs)

    # -- discovery ----------------------------------------------------------------------------

    def api_root(self) -> str:
        if self._api_root is None:
            with self._cache_lock:
                if self._api_root is None:
                    self._api_root, self._index = self._discover()
        return self._api_root

    def _fetch_index(self, root: str, *, anonymous: bool) -> Any:
        extra = {"auth": _no_auth} if anonymous else {}
        response = with_retries(
            self.settings.max_attempts,
            lambda: self._send("GET", root, **extra),
            idempotent=True,
        )
        return self._decode(response, "GET", "/")

    def _discover(self) -> tuple[str, dict[str, Any]]:
        """Find the REST root: the home page's Link header, else /wp-json/, else ?rest_route=/."""
        home = with_retries(
            self.settings.max_attempts,
            lambda: self._send("GET", self.home + "/", auth=_no_auth),
            idempotent=True,
        )
        candidates = []
        link = home.links.get(API_LINK_REL, {}).get("url")
        if link:
            candidates.append(link)
        candidates += [self.home + "/wp-json/", self.home + "/?rest_route=/"]
        last_error: WordPressError | None = None
        for root in dict.fromkeys(candidates):
            try:
                data = self._fetch_index(root, anonymous=True)
            except ApiUnavailable:
                # Some sites open the REST API to logged-in users only.
                if not self._authenticated:
                    raise
                data = self._fetch_index(root, anonymous=False)
            except AuthenticationFailed:
                raise
            except UnexpectedResponse as exc:
                # A firewall's page at the advertised API root is the answer; elsewhere, try on.
                if root == link or last_error is None:
                    last_error = exc
                continue
            except WordPressError as exc:
                last_error = last_error or exc
                continue
            if isinstance(data, dict) and "wp/v2" in data.get("namespaces", ()):
                return root, data
        if isinstance(last_error, UnexpectedResponse) and last_error.status_code in (401, 403, 406, 451):
            raise last_error
        if _looks_like_wordpress(home):
            raise ApiUnavailable(
                f"{self.home} looks like WordPress, but its REST API does not answer"
                + (f" ({last_error.message})" if last_error else "")
                + ".",
                hint="A plugin, firewall or the host disables the REST API. Allow it for this client, "
                "or set `wordpress.transport = \"xmlrpc\"`.",
            )
        raise NotWordPress(f"{self.home} answered, but it is not a WordPress site (no REST API found).")

    # -- Transport ----------------------------------------------------------------------------

    def site_info(self) -> SiteInfo:
        root = self.api_root()
        index = self._index or {}
        auth = index.get("authentication") or {}
        return SiteInfo(
            home_url=index.get("home") or self.home,
            api_url=root,
            name=index.get("name", ""),
            namespaces=tuple(index.get("namespaces", ())),
            application_passwords="application-passwords" in auth if isinstance(auth, dict) else False,
        )

    def current_user(self) -> CurrentUser:
        data, _ = self._request(
            "GET", "wp/v2/users/me", params={"context": "edit", "_fields": "id,name,roles,capabilities"}
        )
        capabilities = data.get("capabilities") or {}
        return CurrentUser(
            id=int(data["id"]),
            name=data.get("name", ""),
            roles=tuple(data.get("roles") or ()),
            can_edit_posts=bool(capabilities.get("edit_posts")),
        )

    def companion_status(self) -> CompanionStatus | None:
        try:
            data, _ = self._request("GET", "wp-seo-bridge/v1/status")
        except ApiUnavailable as exc:
            if exc.code == "rest_no_route":
                return None
            raise
        return companion_status_from(data)

    def prepare(self, post_types: Sequence[str]) -> None:
        self.api_root()
        for post_type in post_types:
            self._rest_base(post_type)
        super().prepare(post_types)

    def writable_meta_keys(self, post_type: str) -> frozenset[str]:
        with self._cache_lock:
            if post_type not in self._meta_keys:
                data, _ = self._request("OPTIONS", f"wp/v2/{self._rest_base(post_type)}")
                properties = (data.get("schema") or {}).get("properties") or {}
                meta = (properties.get("meta") or {}).get("properties") or {}
                self._meta_keys[post_type] = frozenset(meta)
            return self._meta_keys[post_type]

    def _term_ids_by_slug(self, taxonomy: str, slugs: Sequence[str]) -> dict[str, int]:
        base = {"category": "categories", "post_tag": "tags"}[taxonomy]
        data, _ = self._request(
            "GET", f"wp/v2/{base}", params={"slug": ",".join(slugs), "_fields": "id,slug", "per_page": 100}
        )
        return {item["slug"]: int(item["id"]) for item in data}

    def iter_drafts(self, query: DraftQuery) -> Iterator[Post]:
        for post_type in query.post_types:
            params: dict[str, Any] = {
                "status": ",".join(query.statuses),
                "context": "edit",
                "per_page": PER_PAGE,
                "orderby": "id",
                "order": "asc",
                "_fields": POST_FIELDS,
            }
            if query.categories:
                params["categories"] = ",".join(map(str, query.categories))
            if query.tags:
                params["tags"] = ",".join(map(str, query.tags))
            if query.author is not None:
                params["author"] = query.author
            if query.modified_after is not None:
                # The server compares local time; narrow generously there, exactly here (GMT).
                params["modified_after"] = (query.modified_after - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S")
            route = f"wp/v2/{self._rest_base(post_type)}"
            page, total_pages = 1, 1
            while page <= total_pages:
                data, response = self._request("GET", route, params={**params, "page": page})
                total_pages = int(response.headers.get("X-WP-TotalPages") or 1)
                for item in data:
                    post = post_from_rest(item)
                    if post.status not in query.statuses:
                        continue
                    if query.modified_after is not None and post.modified_gmt <= query.modified_after:
                        continue
                    yield post
                page += 1

    def get_post(self, post_id: int, post_types: Sequence[str]) -> Post:
        for post_type in post_types:
            try:
                data, _ = self._request(
                    "GET",
                    f"wp/v2/{self._rest_base(post_type)}/{int(post_id)}",
                    params={"context": "edit", "_fields": POST_FIELDS},
                )
            except PostNotFound:
                continue
            return post_from_rest(data)
        raise PostNotFound(f"No post with ID {post_id} among post types: {', '.join(post_types)}.")

    def write_post(self, post: Post, update: PostUpdate) -> Post:
        body: dict[str, Any] = {}
        for name in ("title", "content", "excerpt", "slug", "status"):
            value = getattr(update, name)
            if value is not None:
                body[name] = value
        if update.meta:
            body["meta"] = dict(update.meta)
        data, _ = self._request(
            "POST",
            f"wp/v2/{self._rest_base(post.type)}/{post.id}",
            params={"context": "edit", "_fields": POST_FIELDS},
            json=body,
        )
        return post_from_rest(data)

    def write_record(self, post_id: int, record: str) -> str:
        try:
            data, _ = self._request("POST", f"wp-seo-bridge/v1/record/{int(post_id)}", json={"record": record})
        except ApiUnavailable as exc:
            if exc.code == "rest_no_route":
                raise _old_companion() from None
            raise
        except WordPressError as exc:
            if exc.code == "wp_seo_bridge_not_draft":
                raise WriteRefused(f"Post {post_id} is no longer a draft or pending; its record was not written.") from None
            raise
        return str(data.get("record", ""))

    def _fetch_tag_names(self, ids: Sequence[int]) -> dict[int, str]:
        if not ids:
            return {}
        data, _ = self._request(
            "GET", "wp/v2/tags", params={"include": ",".join(map(str, ids)), "_fields": "id,name", "per_page": 100}
        )
        return {int(item["id"]): html.unescape(item["name"]) for item in data}

    def taken_slugs(self, post_type: str, slugs: Sequence[str], exclude_id: int) -> set[str]:
        wanted = list(dict.fromkeys(slug for slug in slugs if slug))
        if not wanted:
            return set()
        data, _ = self._request(
            "GET",
            f"wp/v2/{self._rest_base(post_type)}",
            params={"slug": ",".join(wanted), "status": SLUG_STATUSES, "context": "edit", "_fields": "id,slug",
                    "per_page": 100},
        )
        return {item["slug"] for item in data if int(item["id"]) != exclude_id and item.get("slug") in wanted}

    def close(self) -> None:
        self.session.close()

    # -- helpers ------------------------------------------------------------------------------

    def _rest_base(self, post_type: str) -> str:
        if not self._rest_bases:
            with self._cache_lock:
                if not self._rest_bases:
                    data, _ = self._request("GET", "wp/v2/types", params={"context": "edit"})
                    self._rest_bases = {name: info.get("rest_base") or name for name, info in data.items()}
        if post_type not in self._rest_bases:
            raise ConfigError(
                f"Post type {post_type!r} is not available over the REST API on this site "
                f"(available: {', '.join(sorted(self._rest_bases))}).",
                hint="Check `drafts.post_types`.",
            )
        return self._rest_bases[post_type]


def _old_companion() -> MetaNotWritable:
    return MetaNotWritable(
        "The site's companion plugin is missing or older than 1.1, which writing the bridge's record needs."
    )


def _no_auth(request: requests.PreparedRequest) -> requests.PreparedRequest:
    """Send a request without the session's credentials (discovery needs none)."""
    return request


def _looks_like_wordpress(response: requests.Response) -> bool:
    text = response.text[:200_000] if "html" in response.headers.get("Content-Type", "") else ""
    return "/wp-content/" in text or "/wp-includes/" in text or "xmlrpc.php" in response.headers.get("Link", "")


def _raw(value: Any) -> str:
    if isinstance(value, dict):
        return value.get("raw") if value.get("raw") is not None else value.get("rendered", "")
    return value or ""


def post_from_rest(item: dict[str, Any]) -> Post:
    meta = item.get("meta") or {}
    fields: dict[str, Any] = {"status": item.get("status", ""), **bridge_fields(item.get("wp_seo_bridge"))}
    return Post(
        id=int(item["id"]),
        type=item.get("type", "post"),
        title=_raw(item.get("title")),
        content=_raw(item.get("content")),
        excerpt=_raw(item.get("excerpt")),
        slug=item.get("slug") or "",
        modified_gmt=parse_gmt(item["modified_gmt"]),
        author=item.get("author"),
        link=item.get("link") or "",
        categories=tuple(item.get("categories") or ()),
        tags=tuple(item.get("tags") or ()),
        meta={k: v for k, v in meta.items() if isinstance(v, str)} if isinstance(meta, dict) else {},
        **fields,
    )


def companion_status_from(data: Any) -> CompanionStatus:
    def keys_by_type(value: Any) -> dict[str, tuple[str, ...]]:
        return {str(t): tuple(keys) for t, keys in value.items()} if isinstance(value, dict) else {}

    return CompanionStatus(
        version=str(data.get("version", "")),
        seo_plugin=data.get("seo_plugin") or None,
        registered=keys_by_type(data.get("registered")),
        skipped=keys_by_type(data.get("skipped")),
        notify=NotifyStatus.from_data(data.get("notify")),
    )
