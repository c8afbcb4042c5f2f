"""The one thread that does the work of ``watch --listen``: the posts notified, once due, and the periodic sync.

Each turn: when the interval is up, a sync of every configured site (or ``--site``), as ``watch`` does without
``--listen`` (a notification that never came is caught there); then the notified posts that are due, each
site's together, through :func:`~wp_seo_bridge.sync.runner.run_site` with ``SyncOptions(posts=...,
filtered=True)``: the same lock, journal, budget and selection as a sync, the ``[drafts]`` filters included.
A post the selection leaves for now (still being written, open in the editor) is queued again for when it may
be taken (``PostResult.wait``); the posts of a site whose lock another sync holds are tried again
:data:`LOCK_RETRY_SECONDS` later. A site that fails as a whole (down, refused credentials) is left to the next
periodic sync. ``stop`` (SIGTERM, SIGINT) ends the loop once the posts in flight are finished.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import BridgeError, ConfigError
from .queue import NotifyQueue

if TYPE_CHECKING:
    from ..config import Settings
    from ..sync.options import SyncOptions
    from ..sync.results import PostResult, RunResult, SyncEvents

log = logging.getLogger(__name__)

#: Seconds before the posts of a site whose lock another sync holds are tried again.
LOCK_RETRY_SECONDS = 3.0
#: Added to the wait the selection gives (the site's times are whole seconds).
WAIT_MARGIN_SECONDS = 1.0


class Engine:
    """``Engine(...).run()`` in its own thread; :attr:`error` is the configuration error that ended it, if any."""

    def __init__(
        self, settings: Settings, options: SyncOptions, queue: NotifyQueue, *, interval: float, events: SyncEvents,
        stop: threading.Event, on_error: Callable[[BridgeError], None] | None = None,
        clock: Callable[[], float] = time.monotonic, on_skipped: Callable[[str, PostResult], None] | None = None,
    ) -> None:
        from ..config import site_settings

        self.settings = settings
        self.options = options
        self.queue = queue
        self.interval = interval
        self.events = events
        self.stop = stop
        self.on_error = on_error or (lambda error: log.error("%s %s", error.message, error.hint or ""))
        self.clock = clock
        #: Told of each notified post the selection did not take (with its reason, and its wait if it is queued
        #: again): ``watch``'s lines leave skipped posts out, and a notification must not end in silence.
        self.on_skipped = on_skipped or (lambda site, post: None)
        self.sites = dict(site_settings(settings, options.site))
        #: The rounds of the periodic sync, and the notified batches, run so far.
        self.rounds = 0
        self.batches = 0
        self.error: ConfigError | None = None
        #: An unexpected error that ended the thread (raised again by the command's thread).
        self.failure: Exception | None = None

    def run(self) -> None:
        """Until ``stop``: the periodic sync every ``interval`` seconds (start to start), the due posts between."""
        next_round = self.clock()
        try:
            while not self.stop.is_set():
                if self.clock() >= next_round:
                    started = self.clock()
                    self._round()
                    next_round = started + self.interval
                    continue
                for name, post_ids in self.queue.take_due().items():
                    if self.stop.is_set():
                        break
                    self._batch(name, post_ids)
                self.queue.wait(next_round, self.stop)
        except ConfigError as exc:  # in the first round: the configuration will not get better by waiting
            self.error = exc
            self.stop.set()
        except Exception as exc:  # a bug: the command reports it (one line, the traceback in the error log)
            self.failure = exc
            self.stop.set()

    def _round(self) -> None:
        from ..sync.runner import run_sync

        try:
            run_sync(self.settings, self.options, events=self.events, stop=self.stop)
        except ConfigError as exc:
            if self.rounds == 0:
                raise
            self.on_error(exc)
        except BridgeError as exc:
            self.on_error(exc)
        finally:
            self.rounds += 1

    def _batch(self, name: str, post_ids: list[int]) -> RunResult | None:
        """The due posts of one site, through the sync runner; those that must wait are queued again."""
        from ..journal import Journal, default_journal_path
        from ..sync.limits import Budget
        from ..sync.runner import run_site

        settings = self.sites[name]
        options = replace(self.options, posts=tuple(post_ids), site=name, filtered=True, limit=None,
                          trigger="notification")
        limit = options.max_cost if options.max_cost is not None else settings.sync.max_cost_per_run
        self.batches += 1
        try:
            with Journal(settings.journal.path or default_journal_path()) as journal:
                result = run_site(name, settings, options, journal=journal, events=self.events, stop=self.stop,
                                  budget=Budget(limit))
        except BridgeError as exc:  # the journal could not be opened
            self.on_error(exc)
            return None
        self.events.run_finished(result)
        if result.already_running:
            for post_id in post_ids:
                self.queue.retry_at(name, post_id, LOCK_RETRY_SECONDS)
        for post in result.posts:
            if post.outcome == "skipped" and post.wait is not None:
                self.queue.retry_at(name, post.id, post.wait + WAIT_MARGIN_SECONDS)
            if post.outcome == "skipped":
                self.on_skipped(name, post)
        return result
