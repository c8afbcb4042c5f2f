"""What the WordPress side hands to the rest of the bridge, whatever the transport."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Literal

#: The only statuses the bridge ever writes. Publishing is a human's decision.
WritableStatus = Literal["draft", "pending"]
WRITABLE_STATUSES: frozenset[str] = frozenset({"draft", "pending"})

#: The bridge's own record on each post it touched (JSON: what was done, when, from which source hash).
RECORD_META_KEY = "_wp_seo_bridge_record"

#: The editors' request about a post, set in WordPress's "wp-seo-bridge" box (companion plugin 1.3.0+):
#: "" (the site's default), "rewrite", "skip", or "again:<unix time>" (rewrite a post the bridge rewrote).
REQUEST_META_KEY = "_wp_seo_bridge_request"

#: The companion plugin version that tells a post's edit lock, the site's clock, whether a revision of the
#: post as it is now exists and its status as stored after every hook of a save (the ``wp_seo_bridge`` field),
#: and which slugs are taken over XML-RPC. With an older one, ``Post.bridge_fields`` is False.
COMPANION_BRIDGE_FIELDS_VERSION = "1.2.0"

#: The companion plugin shipped with this bridge (``wp-seo-bridge companion-plugin``). From 1.3.0 on it tells
#: the editors' requests (:data:`REQUEST_META_KEY`) and shows editors what the bridge did.
COMPANION_VERSION = "1.3.0"

#: How long WordPress considers an edit lock held (``wp_check_post_lock_window``): someone has the post open.
EDIT_LOCK_WINDOW = timedelta(seconds=150)


@dataclass(frozen=True)
class EditLock:
    """Who last had a post open in the editor, and when (WordPress's ``_edit_lock``)."""

    user: int
    #: Timezone-aware UTC.
    at: datetime

    def held(self, now: datetime, window: timedelta = EDIT_LOCK_WINDOW) -> bool:
        """Whether the lock is still fresh at ``now`` (the site's clock: :attr:`Post.server_now`)."""
        return now - self.at < window


#: The first Unix time that ``datetime`` cannot hold.
_YEAR_10000 = 253_402_300_800


@dataclass(frozen=True)
class EditorRequest:
    """What an editor asked of the bridge for one post, in WordPress (see :data:`REQUEST_META_KEY`).

    ``kind`` is "rewrite" ("Rewrite this draft"), "skip" ("Do not rewrite") or "again" ("Rewrite
    again", with ``at`` the time it was asked, timezone-aware UTC). ``raw`` is the meta value as read.
    """

    kind: Literal["rewrite", "skip", "again"]
    raw: str
    at: datetime | None = None

    @classmethod
    def parse(cls, value: object) -> EditorRequest | None:
        """The request in a meta value, or None for the site's default (empty, or anything not understood:
        the value is data typed by whoever may edit the post, never trusted further than this)."""
        if not isinstance(value, str):
            return None
        raw = value.strip()
        if raw in ("rewrite", "skip"):
            return cls(raw, raw)  # type: ignore[arg-type]
        kind, _, stamp = raw.partition(":")
        if kind == "again" and stamp.isascii() and stamp.isdigit() and len(stamp) <= 12 and 0 < int(stamp) < _YEAR_10000:
            return cls("again", raw, datetime.fromtimestamp(int(stamp), timezone.utc))
        return None


@dataclass(frozen=True)
class SeoFields:
    """The SEO plugin's fields for one post; None means "not set"."""

    title: str | None = None
    description: str | None = None
    focus_keyphrase: str | None = None


@dataclass(frozen=True)
class Post:
    """A post as read from WordPress, with raw (unrendered) title, content and excerpt."""

    id: int
    type: str
    status: str
    title: str
    content: str
    excerpt: str
    slug: str
    #: Last modification, timezone-aware UTC. Used to detect edits made meanwhile.
    modified_gmt: datetime
    author: int | None = None
    link: str = ""
    categories: tuple[int, ...] = ()
    tags: tuple[int, ...] = ()
    #: The post's meta values that the API exposes (those registered by the companion plugin).
    meta: dict[str, str] = field(default_factory=dict)
    #: The SEO plugin's fields, filled in by :class:`~wp_seo_bridge.wordpress.site.WordPressSite`.
    seo: SeoFields = field(default_factory=SeoFields)
    #: The following come from the companion plugin (1.2.0+), to users who may edit the post only.
    #: ``bridge_fields`` is False when the site did not tell them (older or no companion plugin): then
    #: ``edit_lock`` and ``server_now`` are None whatever the truth, and ``revision_current`` is None.
    bridge_fields: bool = False
    #: The post's edit lock (someone opened it in the editor), fresh or not; None if there is none.
    edit_lock: EditLock | None = None
    #: The site's clock when it answered (compare edit locks with it, not with the local clock).
    server_now: datetime | None = field(default=None, compare=False)
    #: Whether WordPress already keeps a revision of the post as it is now (title, content, excerpt).
    revision_current: bool | None = None
    #: XML-RPC only: the IDs of the custom-field rows of each meta key, to update them in place.
    meta_ids: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def request(self) -> EditorRequest | None:
        """The editors' request in WordPress (``_wp_seo_bridge_request``), or None: the site's default."""
        return EditorRequest.parse(self.meta.get(REQUEST_META_KEY))


@dataclass(frozen=True)
class PostUpdate:
    """The changes to make to a post; fields left at None are not touched.

    ``status`` can only be ``draft`` or ``pending``: the type refuses anything else, and the
    transports check it again before sending.
    """

    title: str | None = None
    content: str | None = None
    excerpt: str | None = None
    slug: str | None = None
    status: WritableStatus | None = None
    meta: dict[str, str] = field(default_factory=dict)
    seo: SeoFields | None = None

    def __post_init__(self) -> None:
        if self.status is not None and self.status not in WRITABLE_STATUSES:
            from ..errors import WriteRefused

            raise WriteRefused(
                f"Refusing to set status {self.status!r}: the bridge only saves drafts for review.",
                hint="Use status 'draft' or 'pending'; publishing is left to an editor in WordPress.",
            )


@dataclass(frozen=True)
class DraftQuery:
    """Which drafts to list. Filters combine with AND; lists match any of their items."""

    post_types: tuple[str, ...] = ("post",)
    #: ``draft``, ``pending`` or both: the statuses the bridge may rewrite.
    statuses: tuple[str, ...] = ("draft", "pending")
    #: Term IDs; slugs are resolved to IDs by the site before querying.
    categories: tuple[int, ...] = ()
    tags: tuple[int, ...] = ()
    author: int | None = None
    modified_after: datetime | None = None

    def __post_init__(self) -> None:
        unknown = [status for status in self.statuses if status not in WRITABLE_STATUSES]
        if unknown or not self.statuses:
            from ..errors import ConfigError

            raise ConfigError(
                f"Cannot list posts with status {', '.join(map(repr, unknown)) or '(none)'}: the bridge works on "
                "drafts and pending posts only.",
                hint="Ask for 'draft', 'pending' or both.",
            )


@dataclass(frozen=True)
class SiteInfo:
    """What the site says about itself, gathered without changing anything."""

    home_url: str
    api_url: str
    name: str = ""
    #: REST namespaces (``wp/v2``, ``yoast/v1``...); empty over XML-RPC.
    namespaces: tuple[str, ...] = ()
    application_passwords: bool | None = None


@dataclass(frozen=True)
class NotifyStatus:
    """Whether the site notifies the bridge when a draft is saved (companion plugin's ``notify``)."""

    #: Both ``WP_SEO_BRIDGE_NOTIFY_URL`` and ``WP_SEO_BRIDGE_NOTIFY_SECRET`` are set in wp-config.php.
    enabled: bool
    #: Where it sends them ("" when the URL is not set); the secret is never told.
    url: str = ""
    #: The post types it notifies for.
    post_types: tuple[str, ...] = ("post",)

    @classmethod
    def from_data(cls, data: object) -> NotifyStatus | None:
        """From the status report's ``notify`` value; None when the site did not tell (older plugin)."""
        if not isinstance(data, dict):
            return None
        types = data.get("post_types")
        return cls(
            enabled=data.get("enabled") is True,
            url=str(data.get("url") or ""),
            post_types=tuple(str(t) for t in types) if isinstance(types, list) and types else ("post",),
        )


@dataclass(frozen=True)
class CompanionStatus:
    """What the companion plugin reports about itself (see ``companion-plugin``)."""

    version: str
    #: The SEO plugin it found active on the site, or None.
    seo_plugin: str | None
    #: For each post type, the meta keys it registered.
    registered: dict[str, tuple[str, ...]]
    #: For each post type, keys it left alone because the SEO plugin registered them itself.
    skipped: dict[str, tuple[str, ...]]
    #: Notifications to the bridge when a draft is saved; None when the plugin does not tell (older than 1.3.0).
    notify: NotifyStatus | None = None


@dataclass(frozen=True)
class CurrentUser:
    id: int
    name: str
    roles: tuple[str, ...] = ()
    can_edit_posts: bool = False
