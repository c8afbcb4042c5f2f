"""The XML-RPC transport: ``wp.getPosts``, ``wp.getPost``, ``wp.editPost`` on ``/xmlrpc.php``.

Calls are marshalled with the standard library's :mod:`xmlrpc.client` and sent over the same
pooled ``requests`` session as REST, so timeouts, TLS settings and errors behave the same.
Application Passwords work here too (WordPress 5.6+).
"""

from __future__ import annotations

import html
import logging
import re
import xmlrpc.client
from collections.abc import Iterator, Sequence
from typing import Any
from xml.parsers.expat import ExpatError

import requests

from ..config import WordPressSettings
from ..errors import (
    ApiUnavailable,
    AuthenticationFailed,
    EditConflict,
    NotWordPress,
    PermissionDenied,
    PostNotFound,
    SiteBusy,
    UnexpectedResponse,
    WordPressError,
    WriteRefused,
)
from .models import CompanionStatus, CurrentUser, DraftQuery, Post, PostUpdate, SiteInfo
from .rest import _old_companion, companion_status_from
from .transport import (
    RETRYABLE_STATUSES,
    Transport,
    bridge_fields,
    parse_gmt,
    retry_after_seconds,
    with_retries,
)

log = logging.getLogger(__name__)

PAGE_SIZE = 100
_POST_FIELDS = ["post", "terms", "custom_fields"]
_READ_METHODS = {"system.listMethods", "wp.getPosts", "wp.getPost", "wp.getProfile", "wp.getTerms", "wp.getTerm",
                 "wp.getPostTypes", "wpSeoBridge.getStatus", "wpSeoBridge.takenSlugs"}


class XmlRpcTransport(Transport):
    name = "xmlrpc"

    def __init__(self, settings: WordPressSettings, session: requests.Session | None = None) -> None:
        self._open(settings, session)
        self.endpoint = settings.url + "/xmlrpc.php"
        self._password = settings.app_password.get_secret_value() if settings.app_password else ""
        self._methods: frozenset[str] | None = None

    # -- plumbing -----------------------------------------------------------------------------

    def _call(self, method: str, *params: Any, authenticated: bool = True) -> Any:
        """One XML-RPC call. Authenticated calls get ``blog_id, username, password`` first."""
        if authenticated:
            params = (1, self.settings.username, self._password, *params)
        body = xmlrpc.client.dumps(params, method, allow_none=False, encoding="utf-8").encode("utf-8")

        def attempt() -> Any:
            response = self._send(
                "POST", self.endpoint, data=body, headers={"Content-Type": "text/xml; charset=utf-8"}
            )
            return self._decode(response, method)

        return with_retries(self.settings.max_attempts, attempt, idempotent=method in _READ_METHODS)

    def _decode(self, response: requests.Response, method: str) -> Any:
        if response.status_code in RETRYABLE_STATUSES:
            raise SiteBusy(
                f"{method}: the site answered {response.status_code} (busy or rate-limited).",
                status_code=response.status_code,
                retry_after=retry_after_seconds(response),
            )
        content_type = response.headers.get("Content-Type", "unknown type").split(";")[0]
        if response.status_code == 404:
            raise NotWordPress(
                f"{self.endpoint} does not exist (404): this is not WordPress, or XML-RPC was removed.",
                hint="Check `wordpress.url`, or use `wordpress.transport = \"rest\"`.",
                status_code=404,
            )
        try:
            (result,), _ = _loads(response.content)
        except xmlrpc.client.Fault as fault:
            raise self._fault(fault, method) from None
        except Exception:
            snippet = " ".join(response.text[:160].split())
            raise UnexpectedResponse(
                f"{method}: expected an XML-RPC answer but {self.endpoint} answered "
                f"{response.status_code} with {content_type}: {snippet!r}",
                status_code=response.status_code,
            ) from None
        return result

    def _fault(self, fault: xmlrpc.client.Fault, method: str) -> WordPressError:
        code, text = fault.faultCode, f"{method}: {fault.faultString} (fault {fault.faultCode})"
        if code == 403 and "password" in fault.faultString.lower():
            return AuthenticationFailed(text, hint=AuthenticationFailed.hint_for(self.settings.password_variable),
                                        status_code=code)
        if code == 405:
            return ApiUnavailable(
                text,
                hint="XML-RPC is turned off on this site (a security plugin or the host). "
                "Allow it, or use `wordpress.transport = \"rest\"`.",
                status_code=code,
            )
        if code == 404 and "post" in fault.faultString.lower():
            return PostNotFound(text, status_code=code)
        if code == 409:
            return EditConflict(text, status_code=code)
        if code in (401, 403):
            return PermissionDenied(text, status_code=code)
        if code == -32601:
            return ApiUnavailable(text, hint="That XML-RPC method is not offered by this site.", status_code=code)
        return WordPressError(text, status_code=code)

    def methods(self) -> frozenset[str]:
        if self._methods is None:
            with self._cache_lock:
                if self._methods is None:
                    self._methods = frozenset(self._call("system.listMethods", authenticated=False))
        return self._methods

    # -- Transport ----------------------------------------------------------------------------

    def site_info(self) -> SiteInfo:
        if "wp.getPosts" not in self.methods():
            raise NotWordPress(f"{self.endpoint} speaks XML-RPC, but not WordPress's API (no wp.getPosts).")
        return SiteInfo(home_url=self.settings.url, api_url=self.endpoint)

    def current_user(self) -> CurrentUser:
        # wp.getProfile requires the edit_posts capability: success means the user may edit posts.
        data = self._call("wp.getProfile", ["basic"])
        return CurrentUser(
            id=int(data.get("user_id", 0)),
            name=data.get("display_name") or data.get("username", ""),
            roles=tuple(data.get("roles") or ()),
            can_edit_posts=True,
        )

    def companion_status(self) -> CompanionStatus | None:
        if "wpSeoBridge.getStatus" not in self.methods():
            return None
        return companion_status_from(self._call("wpSeoBridge.getStatus"))

    def writable_meta_keys(self, post_type: str) -> frozenset[str]:
        status = self.cached_companion_status()
        if status is None:
            return frozenset()
        return frozenset(status.registered.get(post_type, ()))

    def _term_ids_by_slug(self, taxonomy: str, slugs: Sequence[str]) -> dict[str, int]:
        terms = self._call("wp.getTerms", taxonomy, {"hide_empty": False})
        return {t["slug"]: int(t["term_id"]) for t in terms if t["slug"] in slugs}

    def iter_drafts(self, query: DraftQuery) -> Iterator[Post]:
        # wp.getPosts filters by type and status only; the rest is filtered here.
        for post_type in query.post_types:
            offset = 0
            while True:
                batch = self._call(
                    "wp.getPosts",
                    {"post_type": post_type, "post_status": list(query.statuses), "number": PAGE_SIZE, "offset": offset,
                     "orderby": "ID", "order": "ASC"},
                    _POST_FIELDS,
                )
                for item in batch:
                    post = self._post(item)
                    if post.status in query.statuses and _matches(post, query):
                        yield post
                if len(batch) < PAGE_SIZE:
                    break
                offset += len(batch)

    def get_post(self, post_id: int, post_types: Sequence[str]) -> Post:
        try:
            item = self._call("wp.getPost", int(post_id), _POST_FIELDS)
        except PostNotFound:
            item = None
        if not item or item.get("post_type") not in post_types:
            raise PostNotFound(f"No post with ID {post_id} among post types: {', '.join(post_types)}.")
        return self._post(item)

    def _post(self, item: dict[str, Any]) -> Post:
        """The post, its tags' names kept: XML-RPC sends them along."""
        self._remember_tag_names({
            int(term["term_id"]): html.unescape(str(term.get("name", "")))
            for term in item.get("terms") or () if term.get("taxonomy") == "post_tag" and term.get("name")
        })
        return post_from_xmlrpc(item)

    def write_post(self, post: Post, update: PostUpdate) -> Post:
        content: dict[str, Any] = {
            # The server refuses (fault 409) if the post changed after the version we read.
            "if_not_modified_since": xmlrpc.client.DateTime(post.modified_gmt.strftime("%Y%m%dT%H:%M:%S")),
        }
        for name, field in (("title", "post_title"), ("content", "post_content"), ("excerpt", "post_excerpt"),
                            ("slug", "post_name"), ("status", "post_status")):
            value = getattr(update, name)
            if value is not None:
                content[field] = value
        if update.meta:
            content["custom_fields"] = self._custom_field_changes(post, update.meta)
        self._call("wp.editPost", post.id, content)
        return self.get_post(post.id, (post.type,))

    def _custom_field_changes(self, post: Post, meta: dict[str, str]) -> list[dict[str, Any]]:
        """Update existing rows by ID (no duplicate meta rows); add missing keys; drop duplicates.

        The row IDs are those of ``post``, just re-read; a post without them is read again."""
        if post.meta_ids or not post.meta:
            rows = {key: list(ids) for key, ids in post.meta_ids.items()}
        else:
            current = self._call("wp.getPost", post.id, ["custom_fields"]).get("custom_fields") or []
            rows = {}
            for row in current:
                rows.setdefault(row["key"], []).append(str(row["id"]))
        changes: list[dict[str, Any]] = []
        for key, value in meta.items():
            ids = rows.get(key, [])
            if ids:
                changes.append({"id": ids[0], "key": key, "value": value})
                changes.extend({"id": extra} for extra in ids[1:])
            else:
                changes.append({"key": key, "value": value})
        return changes

    def write_record(self, post_id: int, record: str) -> str:
        if "wpSeoBridge.setRecord" not in self.methods():
            raise _old_companion()
        try:
            result = self._call("wpSeoBridge.setRecord", int(post_id), record)
        except EditConflict:
            raise WriteRefused(f"Post {post_id} is no longer a draft or pending; its record was not written.") from None
        return str(result.get("record", ""))

    def _fetch_tag_names(self, ids: Sequence[int]) -> dict[int, str]:
        # Posts read over XML-RPC carry their tags' names; this serves tags seen nowhere yet.
        names = {}
        for term_id in ids:
            term = self._call("wp.getTerm", "post_tag", int(term_id))
            names[int(term_id)] = html.unescape(term["name"])
        return names

    def taken_slugs(self, post_type: str, slugs: Sequence[str], exclude_id: int) -> set[str]:
        wanted = list(dict.fromkeys(slug for slug in slugs if slug))
        if not wanted or "wpSeoBridge.takenSlugs" not in self.methods():
            return set()  # an older companion plugin: WordPress makes a published slug unique itself
        taken = self._call("wpSeoBridge.takenSlugs", post_type, int(exclude_id), wanted)
        return {str(slug) for slug in taken} & set(wanted)

    def close(self) -> None:
        self.session.close()


def _matches(post: Post, query: DraftQuery) -> bool:
    if query.author is not None and post.author != query.author:
        return False
    if query.categories and not set(query.categories) & set(post.categories):
        return False
    if query.tags and not set(query.tags) & set(post.tags):
        return False
    if query.modified_after is not None and post.modified_gmt <= query.modified_after:
        return False
    return True


def post_from_xmlrpc(item: dict[str, Any]) -> Post:
    terms = item.get("terms") or []
    meta: dict[str, str] = {}
    meta_ids: dict[str, tuple[str, ...]] = {}
    for row in item.get("custom_fields") or []:
        meta.setdefault(row["key"], str(row["value"]))
        meta_ids[row["key"]] = (*meta_ids.get(row["key"], ()), str(row["id"]))
    fields: dict[str, Any] = {"status": item.get("post_status", ""), **bridge_fields(item.get("wp_seo_bridge"))}
    return Post(
        id=int(item["post_id"]),
        type=item.get("post_type", "post"),
        title=item.get("post_title", ""),
        content=item.get("post_content", ""),
        excerpt=item.get("post_excerpt", ""),
        slug=item.get("post_name", ""),
        modified_gmt=parse_gmt(str(item["post_modified_gmt"])),
        author=int(item["post_author"]) if item.get("post_author") else None,
        link=item.get("link", ""),
        categories=tuple(int(t["term_id"]) for t in terms if t.get("taxonomy") == "category"),
        tags=tuple(int(t["term_id"]) for t in terms if t.get("taxonomy") == "post_tag"),
        meta=meta,
        meta_ids=meta_ids,
        **fields,
    )


#: Control characters XML 1.0 forbids, which WordPress sends raw when a text (a title) holds them.
_FORBIDDEN_IN_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _loads(content: bytes) -> Any:
    """``xmlrpc.client.loads``; an answer that is invalid only for its raw control characters is read
    without them (they would never be written back anyway: see :mod:`wp_seo_bridge.safe_text`)."""
    try:
        return xmlrpc.client.loads(content, use_builtin_types=False)
    except ExpatError:
        if not _FORBIDDEN_IN_XML.search(content):
            raise
        return xmlrpc.client.loads(_FORBIDDEN_IN_XML.sub(b"", content), use_builtin_types=False)
