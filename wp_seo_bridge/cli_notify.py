"""``watch --listen``: the periodic sync of ``watch``, plus the drafts WordPress notifies the bridge of.

Checked before anything starts, each a one-line error with its fix and exit code 2: the ``[HOST:]PORT``
(a usage error, before the configuration's), the configuration, every site's notification secret, the port
being free. Then one line says where it listens, and one line per notification accepted or refused (never a
secret); the sync's lines are ``watch``'s. SIGTERM or SIGINT stops both the server and the engine cleanly
(exit code 0).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, NoReturn

import typer

from .cli_errors import errors, fail
from .cli_inputs import settings_or_exit
from .cli_sync import _close, sync_events, watch_interval
from .errors import BridgeError, ConfigError, InputError
from .safe_text import text_for_terminal

if TYPE_CHECKING:
    from rich.console import Console

    from .notify.app import Notice
    from .sync.options import SyncOptions
    from .sync.results import PostResult


def notice_text(notice: Notice) -> str:
    """One short line for a notification (its client's address, the post, the outcome; never a secret)."""
    source = f" from {text_for_terminal(notice.client)}" if notice.client else ""
    if notice.accepted:
        sites = ", ".join(text_for_terminal(name) for name in notice.sites)
        due = f", due in {notice.due_in:.0f} s" if notice.due_in is not None else ""
        return f"notify: post {notice.post_id} of {sites} queued{source}{due}"
    return f"notify: refused ({notice.status}){source}: {notice.message}"


def skipped_text(site: str, post: PostResult) -> str:
    """One line for a notified post the selection did not take: why, and when it is tried again if it is."""
    reason = text_for_terminal(post.reason) or "skipped"
    if post.wait is not None:
        return f"notify: post {post.id} of {text_for_terminal(site)} waits, tried again in {post.wait:.0f} s: {reason}"
    return f"notify: post {post.id} of {text_for_terminal(site)} left alone: {reason}"


def run_listen_command(console: Console, options: SyncOptions, *, interval: float | None, listen: str) -> NoReturn:
    from .notify.service import Service, bind, notify_sites, parse_listen
    from .sync.output import LogLines, utc_stamp
    from .sync.watch import stop_on_signals

    try:
        address = parse_listen(listen)
    except InputError as exc:
        fail(exc, code=2)
    if interval is not None:
        interval = watch_interval(interval, None)
    settings = settings_or_exit()
    seconds = watch_interval(interval, settings)
    try:
        sites = notify_sites(settings, options.site)
        sock = bind(address)
    except ConfigError as exc:
        fail(exc, code=2)
    events = sync_events(console, as_json=False, quiet=True)
    plain = isinstance(events, LogLines)
    say_lock = threading.Lock()

    def say(text: str, out: Console = console) -> None:
        with say_lock:
            out.print(f"{utc_stamp()} {text}" if plain else text, highlight=False, soft_wrap=True, markup=False)

    def on_error(error: BridgeError) -> None:
        message = text_for_terminal(error.message, multiline=True)
        hint = f" {text_for_terminal(error.hint, multiline=True)}" if error.hint else ""
        say(f"error: {message}{hint} The next round tries again.", errors)

    stop = threading.Event()
    try:
        service = Service(settings, options, sock, interval=seconds, events=events, stop=stop,
                          on_notice=lambda notice: say(notice_text(notice)), on_error=on_error, sites=sites,
                          on_skipped=lambda site, post: say(skipped_text(site, post)))
        with stop_on_signals(stop):
            service.start()
            names = ", ".join(text_for_terminal(site.name) for site in sites)
            say(f"watch: listening on {address.url}/notify for the notifications of {names}; a sync every "
                f"{seconds:g} seconds; a notified draft is processed once quiet for "
                f"{settings.sync.min_age_minutes:g} min; SIGTERM or Ctrl-C stops it cleanly")
            if not address.loopback:
                say(f"warning: {address.url} is reachable from other machines; notifications are plain HTTP: put "
                    "the bridge behind a reverse proxy with TLS (see the README) or listen on 127.0.0.1", errors)
            service.run_until_stopped()
    except ConfigError as exc:
        _close(events)
        fail(exc, code=2)
    except BridgeError as exc:
        _close(events)
        fail(exc, code=1)
    finally:
        _close(events)
    say("watch: stopped cleanly")
    raise typer.Exit(0)
