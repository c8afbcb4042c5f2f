"""The ``sync`` and ``watch`` commands' work, behind their options in :mod:`wp_seo_bridge.cli`.

The options are checked before anything starts (exit code 2, as JSON with ``--json``); the runner
does the work (:mod:`wp_seo_bridge.sync.runner`); what it shows as it goes is
:mod:`wp_seo_bridge.sync.output`'s. Exit codes for cron: 0 all fine or nothing to do (also when
another sync of a site was running), 1 some posts failed or need attention, 2 a configuration or
connection error before any post was processed (or a usage error).
"""

from __future__ import annotations

import math
import threading
from typing import TYPE_CHECKING, NoReturn

import typer

from .cli_errors import errors, fail, print_json, state
from .cli_inputs import post_id_argument, settings_or_exit, text_option
from .errors import BridgeError, InputError
from .safe_text import text_for_terminal

if TYPE_CHECKING:
    from rich.console import Console

    from .config import Settings
    from .sync.options import SyncOptions
    from .sync.results import SyncEvents

def sync_options(*, limit: int | None = None, posts: list[str] | None = None, dry_run: bool = False,
                 force: bool = False, concurrency: int | None = None, max_cost: float | None = None,
                 site: str | None = None, trigger: str = "sync") -> SyncOptions:
    """The command line's options as :class:`~wp_seo_bridge.sync.options.SyncOptions`, or a usage error."""
    from .sync.options import SyncOptions

    ids: list[int] = []
    for value in posts or ():
        post_id = post_id_argument(value)
        if post_id not in ids:
            ids.append(post_id)
    if force and not ids:
        fail(InputError("--force works only with --post: it rewrites the posts named, even those the bridge "
                        "already rewrote.", hint="`wp-seo-bridge sync --force --post 42`."), code=2)
    if max_cost is not None and not math.isfinite(max_cost):
        fail(InputError(f"--max-cost must be a number of 0 or more (got {max_cost}).",
                        hint="A budget in the currency of [model] prices, e.g. `--max-cost 0.50`."), code=2)
    site = text_option(site, "--site")
    if site is not None and not site.strip():
        fail(InputError("--site needs a site's name.", hint="The names are the [sites.NAME] tables of the "
                        "configuration (`default` for its [wordpress] section)."), code=2)
    return SyncOptions(limit=limit, posts=tuple(ids), dry_run=dry_run, force=force, concurrency=concurrency,
                       max_cost=max_cost, site=site.strip() if site else None, trigger=trigger)


def sync_events(console: Console, *, as_json: bool, quiet: bool = False) -> SyncEvents:
    """A progress bar on a terminal, plain log lines otherwise; with ``--json`` stdout is the document's
    alone, so the progress bar goes to stderr when it is a terminal, and nothing is shown otherwise."""
    from .sync.output import ProgressBar, events_for
    from .sync.results import NoEvents

    if as_json:
        return ProgressBar(errors) if errors.is_terminal else NoEvents()
    return events_for(console, quiet=quiet)


def run_sync_command(console: Console, options: SyncOptions, *, as_json: bool) -> NoReturn:
    """``sync``: every configured site in turn (or ``--site``), its summary, and the exit code."""
    from .sync.runner import run_sync
    from .sync.watch import stop_on_signals

    state.as_json = as_json
    settings = settings_or_exit()
    stop = threading.Event()
    events = sync_events(console, as_json=as_json)
    try:
        with stop_on_signals(stop):
            results = run_sync(settings, options, events=events, stop=stop)
    except BridgeError as exc:  # before any post: the configuration, the site or the model endpoint
        _close(events)
        fail(exc, code=2)
    finally:
        _close(events)
    if as_json:
        from .report_json import sync_dict

        print_json(sync_dict(results))
    else:
        from .sync.output import print_summary

        print_summary(console, results)
    raise typer.Exit(max((result.exit_code for result in results), default=0))


def _close(events: SyncEvents) -> None:
    close = getattr(events, "close", None)
    if close is not None:
        close()


def watch_interval(value: float | None, settings: Settings | None) -> float:
    """``--interval`` (a positive number of seconds, or a usage error), else ``[sync] interval_seconds``."""
    if value is None:
        return settings.sync.interval_seconds
    if not math.isfinite(value) or value <= 0:
        fail(InputError(f"--interval must be a number of seconds greater than 0 (got {value}).",
                        hint="`--interval 300` syncs every five minutes."), code=2)
    return value


def run_watch_command(console: Console, options: SyncOptions, *, interval: float | None) -> NoReturn:
    """``watch``: a sync every ``interval`` seconds until SIGTERM or SIGINT; exit code 0 after a clean stop,
    2 when the configuration is wrong from the start."""
    from .errors import ConfigError
    from .sync.output import LogLines, utc_stamp
    from .sync.watch import stop_on_signals, watch

    if interval is not None:  # a usage error comes before the configuration's
        interval = watch_interval(interval, None)
    settings = settings_or_exit()
    seconds = watch_interval(interval, settings)
    events = sync_events(console, as_json=False, quiet=True)
    plain = isinstance(events, LogLines)

    def say(text: str, out: Console = console) -> None:
        out.print(f"{utc_stamp()} {text}" if plain else text, highlight=False, soft_wrap=True)

    def on_error(error: BridgeError) -> None:
        _close(events)  # a round that failed may have left its progress bar going
        message = text_for_terminal(error.message, multiline=True)
        hint = f" {text_for_terminal(error.hint, multiline=True)}" if error.hint else ""
        say(f"error, this round ended: {message}{hint} The next round tries again.", errors)

    which = f"site {text_for_terminal(options.site)}" if options.site else "every configured site"
    say(f"watch: a sync of {which} every {seconds:g} seconds; SIGTERM or Ctrl-C stops it cleanly")
    stop = threading.Event()
    try:
        with stop_on_signals(stop):
            watch(settings, options, interval=seconds, events=events, stop=stop, on_error=on_error)
    except ConfigError as exc:
        _close(events)
        fail(exc, code=2)
    finally:
        _close(events)
    say("watch: stopped cleanly")
    raise typer.Exit(0)
