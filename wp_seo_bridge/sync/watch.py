"""``wp-seo-bridge watch``: a sync of every site (or one) again and again, until SIGTERM or SIGINT.

A round is one :func:`~wp_seo_bridge.sync.runner.run_sync`; the next starts ``interval`` seconds
after the previous one started (at once when a round took longer). A stop (the ``stop`` event, set
by :func:`stop_on_signals`) makes the runner start no new post and finish those in flight; then the
loop ends. An error of one round (a site down for a while, a timeout) is reported and the loop goes
on: a service must not die because a site did; only a configuration error in the first round ends
it (the command exits with 2). The clock and the sleep are injectable, for the tests.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..errors import BridgeError, ConfigError
from .results import RunResult, SyncEvents

if TYPE_CHECKING:
    from ..config import Settings
    from .options import SyncOptions

logger = logging.getLogger(__name__)

#: What the command says on the first SIGTERM or SIGINT (a second one stops at once).
STOPPING = ("Stopping: no new post is started; the posts in flight are finished first "
            "(send the signal again to stop at once).\n")


def watch(
    settings: Settings,
    options: SyncOptions,
    *,
    interval: float,
    events: SyncEvents,
    stop: threading.Event,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], object] | None = None,
    on_error: Callable[[BridgeError], None] | None = None,
    on_round: Callable[[list[RunResult]], None] | None = None,
    run_sync: Callable[..., list[RunResult]] | None = None,
) -> int:
    """Sync in rounds, ``interval`` seconds apart (start to start), until ``stop`` is set; returns
    how many rounds ran.

    ``sleep(seconds)`` waits between rounds (default: ``stop.wait``, which a stop cuts short).
    ``on_error`` gets the error that ended a round (default: logged); ``on_round`` each round's results.
    A :class:`~wp_seo_bridge.errors.ConfigError` in the first round is raised: the configuration
    will not get better by waiting.
    """
    if interval <= 0:
        raise ValueError("interval must be positive")
    if run_sync is None:
        from .runner import run_sync
    wait = sleep if sleep is not None else stop.wait
    report = on_error if on_error is not None else _log_error
    rounds = 0
    while not stop.is_set():
        started = clock()
        try:
            results = run_sync(settings, options, events=events, stop=stop)
        except ConfigError as exc:
            if rounds == 0:
                raise
            report(exc)
        except BridgeError as exc:
            report(exc)
        else:
            if on_round is not None:
                on_round(results)
        rounds += 1
        if stop.is_set():
            break
        remaining = interval - (clock() - started)
        if remaining > 0:
            wait(remaining)
    return rounds


def _log_error(error: BridgeError) -> None:
    logger.error("This round of the sync failed: %s %s", error.message, error.hint or "")


@contextmanager
def stop_on_signals(stop: threading.Event, *, message: str | None = STOPPING) -> Iterator[threading.Event]:
    """While inside, SIGTERM and SIGINT set ``stop`` (and ``message`` is written to stderr); a second
    signal raises KeyboardInterrupt, to stop at once. The previous handlers are put back on the way out.

    Only the main thread may install signal handlers: elsewhere, this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handler(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        if message:
            try:
                os.write(2, message.encode())
            except OSError:
                pass

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stop
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
