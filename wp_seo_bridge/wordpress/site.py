"""One WordPress site: a transport, the SEO plugin adapter, and the rules every write obeys.

The rules, checked here for both transports:

- only a post that is still ``draft`` or ``pending`` is written, and only as ``draft`` or
  ``pending`` (never published);
- a post that changed since it was read is not written (:class:`EditConflict`);
- meta keys the site would silently drop are refused before anything is sent, and checked
  again after writing (:class:`MetaNotWritable`); :meth:`WordPressSite.check_writable` tells
  before any money is spent on the model.

Requests are few: :meth:`WordPressSite.prepare` fills the per-run caches once; a rewrite's write
costs the re-read, the unchanged save only when WordPress has no revision of the post as it is
(``Post.revision_current``), and the write, whose answer is its own verification when the
companion plugin tells the status as stored (``Post.bridge_fields``). A site may be shared by
several threads.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from ..config import Settings
from ..errors import (
    BridgeError,
    EditConflict,
    MetaNotWritable,
    PostOpenInEditor,
    StatusChangedOnSave,
    WriteRefused,
)
from ..safe_text import text_for_wordpress
from .models import RECORD_META_KEY, WRITABLE_STATUSES, CompanionStatus, DraftQuery, Post, PostUpdate, SeoFields
from .rest import RestTransport
from .seo import ADAPTERS, SeoAdapter, adapter_for, detect
from .transport import Transport
from .xmlrpc import XmlRpcTransport

log = logging.getLogger(__name__)

#: Sites already told that no SEO plugin was found: that is said once per run, not at each post.
_told_no_seo_plugin: set[str] = set()

#: How long a post just re-read (or just saved) by :meth:`WordPressSite.keep_revision` serves as the
#: re-read of the :meth:`WordPressSite.update_post` that follows, instead of reading it once more.
FRESH_SECONDS = 5.0


def make_transport(settings: Settings) -> Transport:
    wordpress = settings.wordpress
    return XmlRpcTransport(wordpress) if wordpress.transport == "xmlrpc" else RestTransport(wordpress)


class WordPressSite:
    """The bridge's view of one site. Use :func:`connect` to make one from the configuration."""

    def __init__(self, settings: Settings, transport: Transport | None = None) -> None:
        self.settings = settings
        self.transport = transport or make_transport(settings)
        self._seo: SeoAdapter | None = None
        #: True when ``seo_plugin = "auto"`` found no SEO plugin and Yoast SEO's fields are used.
        self.seo_plugin_assumed = False
        self._lock = threading.RLock()
        #: Post ID -> (the post as just re-read or saved by keep_revision, when).
        self._fresh: dict[int, tuple[Post, float]] = {}
        #: True once a save on this site kept the status it was given (no plugin changes it on every save).
        self._status_kept_on_save = False
        #: What happened when the site changed a post's status on a save: then nothing more is saved.
        self._status_changed_on_save: str | None = None
        self._first_save = threading.Lock()

    def __enter__(self) -> WordPressSite:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.transport.close()

    def prepare(self) -> None:
        """Fill every per-run cache (REST discovery and bases, the writable meta keys of the configured
        post types, the companion plugin's status, the SEO plugin) so that workers only read them."""
        self.transport.prepare(tuple(self.settings.drafts.post_types))
        self.seo  # noqa: B018 - detects the SEO plugin now

    @property
    def requests_sent(self) -> int:
        """How many HTTP requests this site has sent so far (thread-safe)."""
        return self.transport.requests_sent

    def companion(self) -> CompanionStatus | None:
        """The companion plugin's report (asked once), or None when it is not installed."""
        return self.transport.cached_companion_status()

    # -- SEO plugin ---------------------------------------------------------------------------

    @property
    def seo(self) -> SeoAdapter:
        """The configured SEO plugin's adapter; with ``auto``, the detected one (Yoast if none)."""
        if self._seo is None:
            with self._lock:
                if self._seo is None:
                    configured = self.settings.wordpress.seo_plugin
                    if configured != "auto":
                        self._seo = adapter_for(configured)
                    else:
                        detected = self.detect_seo_plugin()
                        self.seo_plugin_assumed = detected is None
                        self._seo = detected or ADAPTERS["yoast"]
        return self._seo

    def detect_seo_plugin(self) -> SeoAdapter | None:
        info = self.transport.site_info()
        return detect(info.namespaces, self.transport.cached_companion_status())

    # -- reading ------------------------------------------------------------------------------

    def draft_query(self, statuses: Iterable[str] | None = None) -> DraftQuery:
        """The configured draft filters, with category and tag slugs resolved to IDs.

        ``statuses``: ``draft``, ``pending`` or both (the default: every post the bridge may rewrite).
        """
        drafts = self.settings.drafts
        return DraftQuery(
            post_types=tuple(drafts.post_types),
            statuses=tuple(statuses) if statuses is not None else DraftQuery.statuses,
            categories=self.transport.resolve_terms("category", drafts.categories) if drafts.categories else (),
            tags=self.transport.resolve_terms("post_tag", drafts.tags) if drafts.tags else (),
            author=drafts.author,
            modified_after=drafts.modified_after,
        )

    def list_drafts(self, query: DraftQuery | None = None) -> Iterator[Post]:
        """Every draft or pending post matching ``query`` (default: the configured filters), oldest ID first."""
        for post in self.transport.iter_drafts(query or self.draft_query()):
            yield self._with_seo(post)

    def get_post(self, post_id: int) -> Post:
        """One post of the configured post types, whatever its status."""
        return self._with_seo(self.transport.get_post(post_id, tuple(self.settings.drafts.post_types)))

    def tag_names(self, post: Post) -> tuple[str, ...]:
        """The names of the post's tags; each tag is asked for once per run."""
        return self.transport.tag_names(post.tags) if post.tags else ()

    def prefetch_tag_names(self, posts: Iterable[Post]) -> None:
        """Learn the names of the tags of all these posts at once (one request per 100 tags not known yet)."""
        self.transport.prefetch_tag_names(tag for post in posts for tag in post.tags)

    def _with_seo(self, post: Post) -> Post:
        return replace(post, seo=self.seo.read(post.meta))

    # -- writing ------------------------------------------------------------------------------

    def _tell_once_if_no_seo_plugin(self) -> None:
        """Say, once per run and site, that Yoast SEO's fields are written for want of a detected plugin."""
        url = self.settings.wordpress.url
        if self.seo_plugin_assumed and url not in _told_no_seo_plugin:
            _told_no_seo_plugin.add(url)
            log.info("No SEO plugin detected on %s; writing Yoast SEO's fields (`wp-seo-bridge doctor` says more).", url)

    def keep_revision(self, post: Post) -> Post:
        """Make sure WordPress holds a revision of ``post`` as it is now; return the post after that.

        The post is read again first, with the same checks as a write (:class:`WriteRefused`,
        :class:`EditConflict`). WordPress saves a revision of a post's *new* state on each update,
        so a draft never updated since it was created has no revision of its text: unless the site
        says it already holds one (``revision_current``), the post is saved unchanged once, which
        makes WordPress store one. The post returned serves as the re-read of an
        :meth:`update_post` called with it right after (within :data:`FRESH_SECONDS`).

        The unchanged save also tells whether a plugin changes the status of posts saved through
        the API (publishes them, say) before anything of a rewrite is written: it is made on the
        site's first post even when a revision exists, and once the site changed a status on a save,
        nothing more is saved on it (:class:`WriteRefused`), so that a run never publishes draft
        after draft. Threads sharing the site make that first save one at a time.
        """
        if self._status_kept_on_save:
            return self._keep_revision(post)
        with self._first_save:
            return self._keep_revision(post)

    def _keep_revision(self, post: Post) -> Post:
        current = self.reread(post)
        if current.revision_current is True and self._status_kept_on_save:
            self._remember_fresh(current)
            return current
        try:
            stored = self._write(current, _unchanged(current))
        except StatusChangedOnSave as exc:
            raise StatusChangedOnSave(
                f"Post {post.id} was {exc.before!r}. The bridge saved it unchanged first, so that WordPress keeps a "
                f"revision of the original, and the site changed its status to {exc.after!r} on that save: a plugin "
                "or theme changes the status of posts saved through the API. The bridge stopped there: the rewrite "
                f"was not written, and the post's text, title and SEO fields are as they were, but it is now "
                f"{exc.after!r}.",
                post_id=post.id, before=exc.before, after=exc.after, written=False,
            ) from None
        self._remember_fresh(stored)
        return stored

    def _remember_fresh(self, post: Post) -> None:
        now = time.monotonic()
        with self._lock:
            # Handoffs never taken (the write did not follow) are dropped: memory stays flat over a run.
            for post_id in [key for key, (_, at) in self._fresh.items() if now - at > FRESH_SECONDS]:
                del self._fresh[post_id]
            self._fresh[post.id] = (post, now)

    def _take_fresh(self, post: Post) -> Post | None:
        """``post`` if it is the very post :meth:`keep_revision` just returned; forgotten once taken."""
        with self._lock:
            fresh = self._fresh.pop(post.id, None)
        if fresh is not None and fresh[0] is post and time.monotonic() - fresh[1] <= FRESH_SECONDS:
            return post
        return None

    def write_record(self, post: Post, record: str) -> None:
        """Set only the bridge's record on ``post`` (a draft or pending post); nothing else changes."""
        record = text_for_wordpress(record)
        stored = self.transport.write_record(post.id, record)
        if stored != record:
            raise MetaNotWritable(f"Post {post.id}: the site did not store the bridge's record as sent.")

    def check_writable(self, post: Post) -> None:
        """Raise :class:`MetaNotWritable`, with its fix, unless the site accepts every meta field that a
        rewrite of ``post`` writes (the SEO fields and the bridge's record). Only reads: call it before
        spending anything on the model."""
        self._require_writable_meta(post.type, (*self.seo.meta_keys, RECORD_META_KEY))

    def _require_writable_meta(self, post_type: str, keys: Iterable[str]) -> None:
        writable = self.transport.writable_meta_keys(post_type)
        missing = sorted(set(keys) - writable)
        if missing:
            raise MetaNotWritable(
                f"The site does not accept the meta field(s) {', '.join(missing)} on {post_type!r} posts over "
                f"{self.transport.name.upper()}, so they would be silently dropped. Nothing was changed.",
                hint=self._meta_hint(post_type, missing),
            )

    def _meta_hint(self, post_type: str, missing: list[str]) -> str:
        """Why the companion plugin's report says these keys are not writable, and what to do."""
        try:
            companion = self.transport.cached_companion_status()
        except BridgeError:
            companion = None
        if companion is None:
            return MetaNotWritable.hint
        if set(missing) & set(companion.skipped.get(post_type, ())):
            return (
                "These keys are registered by the SEO plugin itself without REST access; ask its support, "
                "or register them with show_in_rest."
            )
        if post_type not in companion.registered:
            return (
                f"The companion plugin can only register SEO fields on post types that show in REST and support "
                f"custom fields, and {post_type!r} does not: add 'custom-fields' to its 'supports' (or call "
                f"add_post_type_support('{post_type}', 'custom-fields')), or remove it from `drafts.post_types`."
            )
        return (
            f"The companion plugin (version {companion.version}) does not register them: write it again with "
            "`wp-seo-bridge companion-plugin --output wp-seo-bridge-companion.php` and replace the file in the "
            "site's wp-content/mu-plugins/ folder."
        )

    def taken_slugs(self, post: Post, candidates: Sequence[str]) -> set[str]:
        """Which of ``candidates`` another post of the same type already uses, in one request
        (over XML-RPC, with companion plugin 1.2.0+; none with an older one)."""
        return self.transport.taken_slugs(post.type, list(candidates), post.id)

    def reread(self, post: Post) -> Post:
        """The post as it is on the site now, provided it is still the version ``post`` and a draft or
        pending post: else :class:`WriteRefused` or :class:`EditConflict`, and nothing is changed."""
        current = self.transport.get_post(post.id, (post.type,))
        if current.status not in WRITABLE_STATUSES:
            raise WriteRefused(
                f"Post {post.id} is now {current.status!r}; the bridge only writes drafts and pending posts. "
                "Nothing was changed.",
                hint="Switch it back to draft in WordPress if it should be rewritten.",
            )
        lock = current.edit_lock
        if lock is not None and current.server_now is not None and lock.held(current.server_now):
            seconds = max(0, int((current.server_now - lock.at).total_seconds()))
            raise PostOpenInEditor(
                f"Post {post.id} is open in the editor (user {lock.user}, active {seconds} s ago); nothing was "
                "changed, so that neither the bridge's write nor the editor's unsaved work is lost."
            )
        changed = _changed_fields(post, current)
        if changed:
            raise EditConflict(
                f"Post {post.id} changed on the site since it was read ({', '.join(changed)}; last modified "
                f"{current.modified_gmt:%Y-%m-%d %H:%M:%S} UTC). Nothing was changed."
            )
        return self._with_seo(current)

    def update_post(self, post: Post, update: PostUpdate) -> Post:
        """Write ``update`` to ``post``, which must be the version the change was based on.

        Raises :class:`WriteRefused` if the post is no longer a draft or pending,
        :class:`EditConflict` if it changed since ``post`` was read, and
        :class:`MetaNotWritable` if the site would drop or dropped a meta field.

        No escape sequence or control character is ever written (see :mod:`wp_seo_bridge.safe_text`).
        """
        update = _without_control_characters(update)
        meta = dict(update.meta)
        if update.seo is not None:
            meta.update(self.seo.to_meta(update.seo, post.meta))
            self._tell_once_if_no_seo_plugin()
        update = replace(update, meta=meta, seo=None)
        current = self._take_fresh(post) or self.reread(post)
        return self._write(current, update)

    def _write(self, current: Post, update: PostUpdate) -> Post:
        """Write ``update`` (SEO fields already in its meta) to ``current``, just re-read; verify the result."""
        if self._status_changed_on_save:
            raise WriteRefused(
                f"Post {current.id} was not saved: {self._status_changed_on_save} A plugin or theme changes the status "
                "of posts saved through the API, so the bridge saves nothing more on this site. Nothing was changed.",
                hint="Find the plugin that publishes (or otherwise changes) posts saved through the API and turn it "
                "off for drafts, then run the bridge again.",
            )
        meta = update.meta
        if meta:
            self._require_writable_meta(current.type, meta)

        stored = self.transport.write_post(current, update)
        expected = update.status or current.status
        if stored.bridge_fields:
            # The companion plugin reads the status as stored after every hook of the save.
            after = stored.status
        else:
            # A plugin may change the status after the save (on rest_after_insert_post, say), where the site's
            # answer to the write does not show it: the post is read again.
            after = self.transport.get_post(current.id, (current.type,)).status if stored.status == expected else stored.status
        if after != expected:
            with self._lock:
                self._status_changed_on_save = (
                    f"on a save of post {current.id} as {expected!r}, the site changed its status to {after!r}."
                )
            raise StatusChangedOnSave(
                f"Post {current.id} was saved as {expected!r}, but the site changed its status to {after!r} on "
                "that save: a plugin or theme changes the status of posts saved through the API. The bridge's "
                f"changes were written, and the post is now {after!r}.",
                post_id=current.id, before=expected, after=after, written=True,
            )
        self._status_kept_on_save = True
        dropped = sorted(key for key, value in meta.items() if stored.meta.get(key, "") != value)
        if dropped:
            raise MetaNotWritable(
                f"Post {current.id} was saved, but the site dropped or altered the meta field(s) {', '.join(dropped)}."
            )
        return self._with_seo(stored)


def _without_control_characters(update: PostUpdate) -> PostUpdate:
    """Every text of ``update`` as it may be written: the content and excerpt keep tabs and line feeds."""

    def clean(value: str | None, multiline: bool = False) -> str | None:
        return None if value is None else text_for_wordpress(value, multiline=multiline)

    seo = update.seo
    if seo is not None:
        seo = SeoFields(clean(seo.title), clean(seo.description), clean(seo.focus_keyphrase))
    return replace(
        update,
        title=clean(update.title),
        content=clean(update.content, multiline=True),
        excerpt=clean(update.excerpt, multiline=True),
        slug=clean(update.slug),
        meta={key: text_for_wordpress(value) for key, value in update.meta.items()},
        seo=seo,
    )


def _unchanged(post: Post) -> PostUpdate:
    return PostUpdate(title=post.title)


def _changed_fields(read: Post, current: Post) -> list[str]:
    """What differs between the version a change was based on and the one on the site now.

    The modification time alone is not enough: it has a resolution of one second.
    """
    names = ("modified_gmt", "title", "content", "excerpt", "slug", "status", "meta")
    return [name for name in names if getattr(read, name) != getattr(current, name)]


def connect(settings: Settings) -> WordPressSite:
    """The site named in ``settings``; nothing is sent until it is used."""
    return WordPressSite(settings)
