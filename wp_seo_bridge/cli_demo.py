"""The ``demo`` command's work, behind its options in :mod:`wp_seo_bridge.cli`: the steps of
:class:`~wp_seo_bridge.demo.run.Demo`, the signals, and the exit codes.

Ctrl-C or SIGTERM while the site starts or is prepared stops and removes it at once (exit code 130); during
the sync the first one lets the posts in flight finish (as ``sync`` does) and the second stops at once; once
everything is shown, the demo waits for one and then stops (exit code 0). Whatever happens, the servers are
stopped and the folder removed (a ``--keep`` folder stays); a crash of the command itself is covered by the
local site's watchdog.
"""

from __future__ import annotations

import contextlib
import math
import os
import shlex
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from .cli_errors import INTERRUPTED_EXIT_CODE, errors, fail, state
from .errors import BridgeError, ConfigError, InputError
from .sync.watch import STOPPING

if TYPE_CHECKING:
    from rich.console import Console


def run_demo_command(console: Console, *, keep: Path | None, max_cost: float | None) -> NoReturn:
    from .cli_sync import sync_events
    from .demo import report
    from .demo.run import Demo
    from .demo.settings import user_settings

    if max_cost is not None and (not math.isfinite(max_cost) or max_cost < 0):
        fail(InputError(f"--max-cost must be a number of 0 or more (got {max_cost}).",
                        hint="A budget in the currency of [model] prices, e.g. `--max-cost 0.50`."), code=2)
    keep = _keep_folder(keep)
    try:
        user = user_settings(state.config_path)
    except ConfigError as exc:
        fail(exc, code=2)
    demo = Demo(user, console, keep=keep, max_cost=max_cost, command=_again())
    signals = _Signals()
    try:
        with signals.installed():
            demo.start()
            demo.prepare()
            demo.check()
            signals.phase = "sync"
            events = sync_events(console, as_json=False, quiet=True)
            try:
                demo.rewrite(events=events, stop=signals.stop)
            finally:
                close = getattr(events, "close", None)
                if close is not None:
                    close()
            signals.phase = "wait"
            demo.show_result()
            if not signals.stop.is_set():
                report.waiting(console, kept=keep is not None)
                while not signals.stop.wait(0.5):
                    pass
    except BridgeError as exc:
        demo.close()
        fail(exc, code=2)
    except KeyboardInterrupt:
        demo.close()
        errors.print(f"[bold red]Interrupted.[/] {_removed(keep)}", highlight=False)
        raise typer.Exit(INTERRUPTED_EXIT_CODE) from None
    finally:
        demo.close()
    report.stopped(console, kept=keep)
    raise typer.Exit(0)


def _removed(keep: Path | None) -> str:
    return (f"The servers are stopped; the site is kept in {keep}." if keep is not None else
            "The servers are stopped and the demo's files removed.")


def _keep_folder(keep: Path | None) -> Path | None:
    """``--keep DIR`` as an absolute path, refused when it names something that is not a folder."""
    if keep is None:
        return None
    text = os.fspath(keep)
    if not text.strip() or "\x00" in text:
        fail(InputError("--keep needs a folder's path.", hint="e.g. `--keep /var/tmp/wp-seo-bridge-demo`."), code=2)
    folder = Path(text).expanduser().absolute()
    if folder.exists() and not folder.is_dir():
        fail(InputError(f"--keep {str(folder)!r} is not a folder.",
                        hint="Give a new or empty folder (or one a previous `demo --keep` made)."), code=2)
    return folder


def _again() -> str:
    """The command line that ran the demo, to run it again (``wp-seo-bridge`` when run as a module)."""
    program = sys.argv[0] if sys.argv and Path(sys.argv[0]).name == "wp-seo-bridge" else "wp-seo-bridge"
    return shlex.join([program, *sys.argv[1:]])


class _Signals:
    """What SIGINT, SIGTERM and SIGHUP (the terminal closed) do, by phase: while the site starts and is prepared, interrupt at once (the site is
    then stopped and removed); during the sync, the first one stops it after the posts in flight (as ``sync``
    does) and a second one interrupts; once everything is shown, end the demo."""

    def __init__(self) -> None:
        self.phase = "setup"
        self.stop = threading.Event()

    def _handle(self, signum: int, frame: object) -> None:
        if self.phase == "setup" or (self.phase == "sync" and self.stop.is_set()):
            raise KeyboardInterrupt
        if self.phase == "sync":
            with contextlib.suppress(OSError):
                os.write(2, STOPPING.encode())
        self.stop.set()

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self._handle) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
        try:
            yield
        finally:
            for sig, old in previous.items():
                signal.signal(sig, old)
