"""Counting the requests a fake model answers at the same time (its handlers run in the server's threads)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class InFlightCounter:
    """``most_in_flight``: the most requests being answered at once; subclasses answer inside :meth:`answering`."""

    most_in_flight: int = 0
    _in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @contextmanager
    def answering(self, note: Callable[[], None] = lambda: None) -> Iterator[None]:
        """While answering one request; ``note()`` records what it asked for, under the same lock."""
        with self._lock:
            note()
            self._in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self._in_flight)
        try:
            yield
        finally:
            with self._lock:
                self._in_flight -= 1
