"""The sync runner: every post of a site that needs the bridge, processed once, by a pool of workers.

For each configured site in turn (or the one asked for): take the site's lock (a second run of
the same site does nothing), close what a crashed run left open in the journal, stream the
listing page by page, decide for each post (:mod:`.selection`), and hand the selected ones to
``concurrency`` workers that run the one-post pipeline (:func:`wp_seo_bridge.bridge.process_post`)
with one shared model client and one shared WordPress session. Faults are per post: one post
failing never stops the others. The run stops starting posts once its budget is spent, or when
``stop`` is set (SIGTERM, SIGINT), and always finishes the posts in flight.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from ..config import ConfigError, Settings
from ..errors import BridgeError, CompanionOutdated, PostNotFound, StatusChangedOnSave
from ..journal import Journal, default_journal_path
from ..keyphrase import usable_keyphrase
from ..record import read_record
from ..wordpress.models import REQUEST_META_KEY, Post
from ..wordpress.site import WordPressSite
from .limits import AdaptiveLimit, Budget
from .filters import outside_filters
from .lock import SiteLock
from .options import SyncOptions
from .reporting import lights_of, post_result, totals_of
from .results import NoEvents, PostResult, RunResult, SyncEvents
from .selection import decide
from .shared_model import SharedModel

if TYPE_CHECKING:
    from ..costs import Prices

log = logging.getLogger(__name__)


def run_sync(
    settings: Settings,
    options: SyncOptions,
    *,
    events: SyncEvents | None = None,
    stop: threading.Event | None = None,
    now: Callable[[], datetime] | None = None,
) -> list[RunResult]:
    """Sync every configured site in turn (or ``options.site``); one :class:`RunResult` per site.

    Raises :class:`ConfigError` for a configuration that names no usable site. A problem with one
    site (unreachable, refused credentials, outdated companion plugin) is reported in its result and
    the next site is still synced.
    """
    from ..config import site_settings

    events = events or NoEvents()
    sites = site_settings(settings, options.site)
    budget = Budget(_budget_limit(settings, options))
    results: list[RunResult] = []
    with Journal(settings.journal.path or default_journal_path()) as journal:
        shared = SharedModel(settings)
        try:
            for name, site_config in sites:
                if stop is not None and stop.is_set():
                    break
                result = run_site(
                    name, site_config, options, journal=journal, events=events, stop=stop, model=shared,
                    budget=budget, now=now,
                )
                events.run_finished(result)
                results.append(result)
        finally:
            shared.close()
    return results


def _budget_limit(settings: Settings, options: SyncOptions) -> float | None:
    from ..costs import Prices

    limit = options.max_cost if options.max_cost is not None else settings.sync.max_cost_per_run
    if limit is not None and not options.dry_run and not Prices.from_settings(settings.model).known:
        raise ConfigError(
            "A budget is set (--max-cost or `sync.max_cost_per_run`), but the model's prices are not, so the "
            "cost of a call cannot be known. Nothing was done.",
            hint="Set `model.input_price_per_million` and `model.output_price_per_million` (the endpoint's prices "
            "per million tokens, in the budget's currency), or run without a budget.",
        )
    return limit


@dataclass
class _Tally:
    """The run's results so far, shared by the workers."""

    posts: list[PostResult] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, result: PostResult) -> None:
        with self.lock:
            self.posts.append(result)


def run_site(
    name: str,
    settings: Settings,
    options: SyncOptions,
    *,
    journal: Journal,
    events: SyncEvents,
    stop: threading.Event | None = None,
    model: SharedModel | None = None,
    budget: Budget | None = None,
    now: Callable[[], datetime] | None = None,
) -> RunResult:
    """Sync one site (see the module's documentation). Never raises a :class:`BridgeError`."""
    url = settings.wordpress.url
    folder = (settings.journal.path or default_journal_path()).parent
    lock = SiteLock(folder, url)
    if not options.dry_run and not lock.acquire():
        log.info("Another sync of %s is running; nothing done.", name)
        return RunResult(site=name, run_id=None, dry_run=False, already_running=True)
    own_model = model is None
    model = model or SharedModel(settings)
    try:
        blocked = None if options.dry_run else lock.blocked()
        if blocked is not None:
            return RunResult(
                site=name, run_id=None, dry_run=False,
                error=f"Sync writes nothing more to site {name}: {blocked}",
                hint="Find the plugin or theme that changes the status of posts saved through the API and turn it off "
                f"for drafts; then delete {lock.block_path} to let sync write again.",
            )
        run = _Run(name, settings, options, journal, events, stop, model, budget or Budget(None), now)
        result = run.go()
        if run.status_changed is not None:
            lock.block(run.status_changed)
        return result
    finally:
        lock.release()
        if own_model:
            model.close()


class _Run:
    def __init__(self, name, settings, options, journal, events, stop, model, budget, now) -> None:
        self.name = name
        self.settings: Settings = settings
        self.options: SyncOptions = options
        self.journal: Journal = journal
        self.events: SyncEvents = events
        #: Set by a signal (shared by every site of the run); ``halt`` stops this site's run alone.
        self.halt = threading.Event()
        self.stop = _Either(stop or threading.Event(), self.halt)
        self.model: SharedModel = model
        self.budget: Budget = budget
        self.now = now or (lambda: datetime.now(timezone.utc))
        self.tally = _Tally()
        self.run_id: int | None = None
        self.budget_reached = False
        #: What the site did when a save changed a post's status (published it, say): the run stops there.
        self.status_changed: str | None = None

    def go(self) -> RunResult:
        from ..costs import Prices

        self.prices: Prices = Prices.from_settings(self.settings.model)
        concurrency = self.options.concurrency or self.settings.sync.concurrency
        limit = AdaptiveLimit(concurrency)
        self.model.limit = limit
        error: BridgeError | None = None
        with WordPressSite(self.settings) as site:
            try:
                self.journal.close_interrupted_runs(self.name)
                self.run_id = self.journal.start_run(self.name, _options_dict(self.options, concurrency))
                site.prepare()
                _require_requests(site, self.settings, self.name)
                self.events.run_started(self.name, self.run_id, 0, 0, self.options.dry_run)
                with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix=f"sync-{self.name}") as pool:
                    try:
                        self._dispatch(site, pool, limit)
                    finally:
                        pool.shutdown(wait=True)
            except BridgeError as exc:
                error = exc
                log.info("Site %s: %s", self.name, exc.message)
        result = self._result(error)
        if self.run_id is not None:
            status = "finished" if not result.stopped else "stopped"
            self.journal.end_run(self.run_id, asdict(result.totals), status=status)
        return result

    def _posts(self, site: WordPressSite) -> Iterator[Post | PostResult]:
        """The posts to decide on: those named with --post (each read alone), else the listing, page by page."""
        if self.options.posts:
            query = site.draft_query(self.settings.sync.statuses) if self.options.filtered else None
            for post_id in self.options.posts:
                try:
                    post = site.get_post(post_id)
                except PostNotFound as exc:
                    yield PostResult(post_id, "", "skipped" if query else "failed", exc.message)
                    continue
                outside = outside_filters(post, query) if query else ""
                yield PostResult(post.id, post.title, "skipped", outside) if outside else post
            return
        yield from site.list_drafts(site.draft_query(self.settings.sync.statuses))

    def _dispatch(self, site: WordPressSite, pool: ThreadPoolExecutor, limit: AdaptiveLimit) -> None:
        """Decide on the posts a few at a time (their tag names asked for at once), and hand the selected ones
        to the workers; stop starting posts on ``stop``, at the budget or at ``--limit``."""
        futures: list[Future] = []
        self._selected = 0
        for chunk in _chunks(self._posts(site), DECISION_CHUNK):
            chosen = self._decide(chunk)
            if chosen and not self.options.dry_run:
                site.prefetch_tag_names(post for post in chosen if not usable_keyphrase(post.seo.focus_keyphrase))
            for post in chosen:
                if self.stop.is_set():
                    break
                if not limit.acquire(self.stop):
                    break
                if self.stop.is_set() or self.budget.reached:  # while this post waited for a slot
                    limit.release()
                    self.budget_reached = self.budget_reached or self.budget.reached
                    break
                self.events.post_started(self.name, post.id, post.title)
                futures = [f for f in futures if not f.done()]
                futures.append(pool.submit(self._work, site, post, limit))
            if self.stop.is_set() or self.budget_reached or self._limit_reached:
                break
        for future in futures:
            future.result()

    @property
    def _limit_reached(self) -> bool:
        return self.options.limit is not None and self._selected >= self.options.limit

    def _decide(self, chunk: list[Post | PostResult]) -> list[Post]:
        """The posts of ``chunk`` to process; the others are reported as skipped (or, in a dry run, as what
        would be done)."""
        chosen: list[Post] = []
        min_age = timedelta(minutes=self.settings.sync.min_age_minutes)
        for item in chunk:
            if isinstance(item, PostResult):
                self._finish(item)
                continue
            post = item
            _require_bridge_fields(post, self.name)
            if self.stop.is_set() or self._limit_reached:
                break
            if self.budget.reached:
                self.budget_reached = True
                break
            decision = decide(
                post, statuses=self.settings.sync.statuses, min_age=min_age, now=self.now(),
                force=self.options.force and bool(self.options.posts), mode=self.settings.sync.mode,
            )
            if not decision.selected:
                self._settle_kept_answers(post)
                wait = decision.wait.total_seconds() if decision.wait is not None else None
                self._finish(PostResult(post.id, post.title, "skipped", decision.reason, wait=wait))
                continue
            self._selected += 1
            if self.options.dry_run:
                self._finish(PostResult(post.id, post.title, "would_rewrite", decision.reason,
                                        before=lights_of(post, self.settings)))
            else:
                chosen.append(post)
        return chosen

    def _work(self, site: WordPressSite, post: Post, limit: AdaptiveLimit) -> None:
        from ..bridge import process_post

        try:
            try:
                outcome = process_post(
                    site, post, journal=self.journal, client=self.model.client(), record_failures=True,
                    run_id=self.run_id, prices=self.prices,
                )
                result = post_result(outcome, self.prices)
                if isinstance(outcome.error, StatusChangedOnSave):
                    self.status_changed = outcome.error.message
                    self.halt.set()  # no more post on this site: each save could publish another draft
            except BridgeError as exc:  # the model client could not be made: a configuration problem
                result = PostResult(post.id, post.title, "failed", exc.message)
            except Exception as exc:  # a bug must not stop the other posts; it is logged with its traceback
                log.exception("Post %d: unexpected error", post.id)
                result = PostResult(post.id, post.title, "failed", f"unexpected error: {type(exc).__name__}")
            self.budget.add(result.cost)
            self._finish(result)
        finally:
            limit.release()

    def _status_error(self) -> str:
        if self.status_changed is None:
            return ""
        return f"{self.status_changed} Sync stopped and writes nothing more to this site until that is fixed."

    def _settle_kept_answers(self, post: Post) -> None:
        """A run killed while WordPress saved a post leaves its kept answer pending, though written: the post's
        record (saved with the rewrite) says it was, so the journal says so too."""
        record = read_record(post.meta)
        if record is None or record.action != "rewrite" or record.status != "done":
            return
        for answer in self.journal.answers(self.settings.wordpress.url, post.id):
            if answer["state"] == "pending" and answer["source_hash"] == record.source_hash:
                self.journal.settle_answer(answer["id"], "written")

    def _finish(self, result: PostResult) -> None:
        self.tally.add(result)
        if self.run_id is not None:
            self.journal.record_run_post(self.run_id, self.name, result)
        self.events.post_finished(self.name, result)

    def _result(self, error: BridgeError | None) -> RunResult:
        with self.tally.lock:
            posts = tuple(self.tally.posts)
        return RunResult(
            site=self.name,
            run_id=self.run_id,
            dry_run=self.options.dry_run,
            budget_reached=self.budget_reached,
            posts=posts,
            totals=totals_of(posts, self.prices),
            stopped=self.stop.is_set() and not self.halt.is_set(),
            error=error.message if error else self._status_error(),
            hint=(error.hint or "") if error else ("Find the plugin or theme that changes the status of posts saved "
                                                   "through the API and turn it off for drafts." if self.status_changed else ""),
        )


class _Either:
    """Set when either event is (what the workers' slots wait on)."""

    def __init__(self, first: threading.Event, second: threading.Event) -> None:
        self.events = (first, second)

    def is_set(self) -> bool:
        return any(event.is_set() for event in self.events)


#: Posts decided on together (their tag names fetched in one request): small, so a run's memory stays flat.
DECISION_CHUNK = 20


def _chunks(items: Iterator[Post | PostResult], size: int) -> Iterator[list[Post | PostResult]]:
    chunk: list[Post | PostResult] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _require_bridge_fields(post: Post, name: str) -> None:
    """Sync must see edit locks: the companion plugin gives them (the REST API does not)."""
    if not post.bridge_fields:
        raise CompanionOutdated(
            f"Site {name}: the companion plugin is missing or older than 1.2, so the bridge cannot see which drafts "
            "are open in an editor; sync never rewrites a draft someone may be editing. Nothing was done."
        )


def _require_requests(site: WordPressSite, settings: Settings, name: str) -> None:
    """An opt-in sync takes only the drafts editors asked for: the site must tell their requests (companion 1.3)."""
    if settings.sync.mode != "opt-in":
        return
    for post_type in settings.drafts.post_types:
        if REQUEST_META_KEY not in site.transport.writable_meta_keys(post_type):
            raise CompanionOutdated(
                f"Site {name}: `sync.mode` is \"opt-in\", but the site does not tell which {post_type!r} posts editors "
                "asked the bridge to rewrite (the companion plugin is missing or older than 1.3), so no draft would "
                "ever be taken. Nothing was done. Update the plugin, or set `sync.mode = \"opt-out\"`."
            )


def _options_dict(options: SyncOptions, concurrency: int) -> dict:
    return {**asdict(options), "posts": list(options.posts), "concurrency": concurrency}
