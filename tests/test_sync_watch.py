"""``watch``: rounds ``interval`` seconds apart (start to start) on an injected clock, errors of a round
reported without ending the loop, a configuration error in the first round raised, a stop honoured;
SIGTERM and SIGINT set the stop event. SIGTERM to a real ``wp-seo-bridge watch``: test_sync_cli_wordpress.py."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from wp_seo_bridge.errors import ConfigError, SiteUnreachable
from wp_seo_bridge.sync.options import SyncOptions
from wp_seo_bridge.sync.results import NoEvents, RunResult
from wp_seo_bridge.sync.watch import stop_on_signals, watch


class Clock:
    """A monotonic clock that moves only when told: each round takes ``round_seconds``."""

    def __init__(self, round_seconds: float = 0.0) -> None:
        self.now = 1000.0
        self.round_seconds = round_seconds
        self.sleeps: list[float] = []
        self.starts: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def rounds_of(clock: Clock, stop: threading.Event, *, rounds: int, errors: dict | None = None):
    """A fake ``run_sync``: records when each round started, takes the clock's round time, raises the
    error given for a round, and sets ``stop`` after ``rounds`` rounds."""
    errors = errors or {}
    seen: list[SyncOptions] = []

    def run_sync(settings, options, *, events, stop: threading.Event):
        seen.append(options)
        clock.starts.append(clock.now)
        clock.now += clock.round_seconds
        if len(seen) >= rounds:
            stop.set()
        if len(seen) in errors:
            raise errors[len(seen)]
        return [RunResult("blog", len(seen), False)]

    return run_sync, seen


def test_rounds_start_interval_seconds_apart():
    clock, stop = Clock(round_seconds=20), threading.Event()
    run_sync, seen = rounds_of(clock, stop, rounds=4)
    results = []
    count = watch(None, SyncOptions(limit=5), interval=300, events=NoEvents(), stop=stop, clock=clock,
                  sleep=clock.sleep, run_sync=run_sync, on_round=results.append)
    assert count == 4 and seen == [SyncOptions(limit=5)] * 4
    assert clock.starts == [1000, 1300, 1600, 1900]
    assert clock.sleeps == [280, 280, 280]  # none after the stop
    assert [result[0].run_id for result in results] == [1, 2, 3, 4]


def test_a_round_longer_than_the_interval_is_followed_at_once():
    clock, stop = Clock(round_seconds=500), threading.Event()
    run_sync, _ = rounds_of(clock, stop, rounds=3)
    watch(None, SyncOptions(), interval=300, events=NoEvents(), stop=stop, clock=clock, sleep=clock.sleep,
          run_sync=run_sync)
    assert clock.starts == [1000, 1500, 2000] and clock.sleeps == []


def test_errors_of_a_round_are_reported_and_the_loop_goes_on():
    clock, stop = Clock(round_seconds=1), threading.Event()
    down, bad = SiteUnreachable("The site did not answer."), ConfigError("A later configuration error.")
    run_sync, seen = rounds_of(clock, stop, rounds=4, errors={1: down, 3: bad})
    reported = []
    count = watch(None, SyncOptions(), interval=60, events=NoEvents(), stop=stop, clock=clock, sleep=clock.sleep,
                  run_sync=run_sync, on_error=reported.append)
    assert count == 4 and reported == [down, bad] and clock.starts == [1000, 1060, 1120, 1180]


def test_a_configuration_error_in_the_first_round_is_raised():
    clock, stop = Clock(), threading.Event()
    run_sync, seen = rounds_of(clock, stop, rounds=5, errors={1: ConfigError("No site named 'shop'.")})
    with pytest.raises(ConfigError):
        watch(None, SyncOptions(site="shop"), interval=60, events=NoEvents(), stop=stop, clock=clock,
              sleep=clock.sleep, run_sync=run_sync)
    assert len(seen) == 1 and clock.sleeps == []


def test_a_stop_before_the_first_round_runs_nothing():
    stop = threading.Event()
    stop.set()
    run_sync, seen = rounds_of(Clock(), stop, rounds=1)
    assert watch(None, SyncOptions(), interval=1, events=NoEvents(), stop=stop, run_sync=run_sync) == 0 and seen == []


def test_the_default_sleep_is_cut_short_by_a_stop():
    stop = threading.Event()
    run_sync, seen = rounds_of(Clock(), threading.Event(), rounds=99)
    threading.Timer(0.3, stop.set).start()
    started = time.monotonic()
    watch(None, SyncOptions(), interval=60, events=NoEvents(), stop=stop, run_sync=run_sync)
    assert time.monotonic() - started < 10 and len(seen) == 1


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signals_set_the_stop_event_then_stop_at_once(signum):
    before = signal.getsignal(signum)
    stop = threading.Event()
    with stop_on_signals(stop, message=None):
        os.kill(os.getpid(), signum)
        assert stop.wait(5)
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signum)
            time.sleep(1)
    assert signal.getsignal(signum) is before


def test_a_signal_wakes_the_wait_between_rounds():
    stop = threading.Event()
    run_sync, seen = rounds_of(Clock(), threading.Event(), rounds=99)
    threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGTERM)).start()
    started = time.monotonic()
    with stop_on_signals(stop, message=None):
        watch(None, SyncOptions(), interval=60, events=NoEvents(), stop=stop, run_sync=run_sync)
    assert time.monotonic() - started < 10 and len(seen) == 1
