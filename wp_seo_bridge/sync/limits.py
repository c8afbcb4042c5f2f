"""What bounds a run while it goes: the posts in flight (lowered for a while when the model endpoint
rate-limits) and the money spent (``--max-cost``)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

#: How long the concurrency stays lowered after a rate limit, when the endpoint does not say (Retry-After).
DEFAULT_COOL_DOWN = 30.0


class AdaptiveLimit:
    """At most ``limit`` posts in flight; after a rate limit (429), half as many until the endpoint's
    ``Retry-After`` (or :data:`DEFAULT_COOL_DOWN`) has passed, then back to ``limit``."""

    def __init__(self, limit: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = max(1, limit)
        self._clock = clock
        self._in_flight = 0
        self._lowered = self.limit
        self._until = 0.0
        self._condition = threading.Condition()

    @property
    def current(self) -> int:
        """How many posts may be in flight now."""
        with self._condition:
            return self._current()

    def _current(self) -> int:
        if self._lowered < self.limit and self._clock() >= self._until:
            self._lowered = self.limit
        return self._lowered

    def acquire(self, stop: threading.Event | None = None) -> bool:
        """Wait for a slot; False when ``stop`` is set meanwhile (no slot taken)."""
        with self._condition:
            while self._in_flight >= self._current():
                if stop is not None and stop.is_set():
                    return False
                self._condition.wait(timeout=0.2)
            self._in_flight += 1
            return True

    def release(self) -> None:
        with self._condition:
            self._in_flight -= 1
            self._condition.notify_all()

    def rate_limited(self, retry_after: float | None = None) -> None:
        """The endpoint said 429: halve the posts in flight for a while (those running finish)."""
        with self._condition:
            self._lowered = max(1, min(self._lowered, self.limit) // 2)
            self._until = max(self._until, self._clock() + (retry_after if retry_after else DEFAULT_COOL_DOWN))


class Budget:
    """The money a run may spend; ``None``: no limit. Costs are added as posts finish."""

    def __init__(self, limit: float | None) -> None:
        self.limit = limit
        self.spent = 0.0
        self._lock = threading.Lock()

    def add(self, cost: float | None) -> None:
        if cost:
            with self._lock:
                self.spent += cost

    @property
    def reached(self) -> bool:
        with self._lock:
            return self.limit is not None and self.spent >= self.limit
