"""The posts WordPress notified the bridge of, each due once it has been quiet for a while (the debounce).

A post is due ``delay`` seconds after its LAST notification: an author saving every minute pushes it each
time, and it is rewritten once, after the last save. The engine takes the due posts (:meth:`NotifyQueue.take_due`)
and puts back those that must wait longer (:meth:`NotifyQueue.retry_at`). Thread-safe: the HTTP server adds
posts while the engine takes them; :meth:`NotifyQueue.wait` sleeps until something may be due.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class QueueFull(Exception):
    """Too many posts are queued at once (a flood): the notification is refused; the periodic sync finds them."""


class NotifyQueue:
    """Post IDs per site, each with the monotonic time it is due at."""

    def __init__(self, delay: float, *, clock: Callable[[], float] = time.monotonic, max_posts: int = 10_000) -> None:
        self.delay = delay
        self.clock = clock
        self.max_posts = max_posts
        self._due: dict[tuple[str, int], float] = {}
        self._changed = threading.Condition()

    def __len__(self) -> int:
        with self._changed:
            return len(self._due)

    def notified(self, site: str, post_id: int) -> float:
        """A notification for the post: it is due ``delay`` seconds from now (later than any earlier due time
        this sets). Returns the seconds until it is due. Raises :class:`QueueFull`."""
        with self._changed:
            key = (site, post_id)
            if key not in self._due and len(self._due) >= self.max_posts:
                raise QueueFull(f"{self.max_posts} posts are queued already")
            self._due[key] = self.clock() + self.delay
            self._changed.notify_all()
        return self.delay

    def retry_at(self, site: str, post_id: int, seconds: float) -> None:
        """Put a post back, due in ``seconds`` (a post still being written, open in the editor, or a site whose
        lock another sync holds); a notification that came meanwhile and is due later wins."""
        with self._changed:
            key = (site, post_id)
            when = self.clock() + max(0.0, seconds)
            self._due[key] = max(when, self._due.get(key, when))
            self._changed.notify_all()

    def due(self, site: str, post_id: int) -> float | None:
        """When the post is due (monotonic clock), or None when it is not queued."""
        with self._changed:
            return self._due.get((site, post_id))

    def take_due(self) -> dict[str, list[int]]:
        """Remove and return the posts due now, by site, each site's posts in the order they came due."""
        with self._changed:
            now = self.clock()
            ready = sorted((when, key) for key, when in self._due.items() if when <= now)
            taken: dict[str, list[int]] = {}
            for _, key in ready:
                del self._due[key]
                taken.setdefault(key[0], []).append(key[1])
            return taken

    def next_due(self) -> float | None:
        """The earliest due time (monotonic clock), or None when nothing is queued."""
        with self._changed:
            return min(self._due.values(), default=None)

    def wait(self, until: float, stop: threading.Event) -> None:
        """Sleep until the monotonic time ``until``, a post coming due earlier, or ``stop`` (checked often)."""
        with self._changed:
            while not stop.is_set():
                now = self.clock()
                soonest = min([until, *self._due.values()])
                if soonest <= now:
                    return
                self._changed.wait(min(soonest - now, 0.5))

    def wake(self) -> None:
        """Wake :meth:`wait` (after ``stop`` is set)."""
        with self._changed:
            self._changed.notify_all()
