"""What a sync shows as it goes, and its summary at the end (``--json`` is :func:`.report_json.sync_dict`).

- :class:`ProgressBar` on a terminal: a rich progress bar per site (posts done / selected, in
  flight, failed, tokens, cost) and a line above it for each post finished;
- :class:`LogLines` when stdout is not a terminal (cron mail, journald): one plain line per event,
  each starting with the UTC time, e.g.
  ``2026-12-02T10:00:00Z blog post 41 rewritten (2 calls, 3,100 tokens, cost 0.0042) "Title"``;
- :func:`print_summary`: every post of each site, skipped ones included with their reasons, and the
  totals (a table on a terminal, plain lines otherwise).

Both event classes are called from the runner's worker threads: each holds a lock around what it
counts and prints. Titles, reasons and site names come from drafts and configurations: all of them
go through :func:`~wp_seo_bridge.safe_text.text_for_terminal` (controls escaped, rich markup literal).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from rich.console import Console
from rich.table import Table

from ..safe_text import text_for_terminal as shown
from .results import Lights, PostResult, RunResult, Totals

#: How each outcome reads in a sentence.
OUTCOME_WORDS = {"rewritten": "rewritten", "needs_attention": "needs attention", "failed": "failed",
                 "skipped": "skipped", "would_rewrite": "would be rewritten"}
_OUTCOME_STYLE = {"rewritten": "green", "needs_attention": "yellow", "failed": "bold red", "skipped": "dim",
                  "would_rewrite": "cyan"}
ALREADY_RUNNING = "another sync of this site is running; nothing done"
BUDGET_REACHED = "budget reached: no new post was started once the run's cost reached the limit"
STOPPED = "stopped before every selected post was processed; the next sync takes up the rest"


def format_cost(cost: float | None) -> str:
    """A cost in the model's currency, or "unknown" (prices not configured: unknown is never free)."""
    if cost is None:
        return "unknown"
    if 0 < cost < 0.0001:
        return "<0.0001"
    return f"{cost:,.4f}"


def format_tokens(count: int) -> str:
    return f"{count:,}"


def _calls(count: int) -> str:
    return f"{count} call" if count == 1 else f"{count} calls"


def _usage(calls: int, tokens: int, cost: float | None) -> str:
    return f"{_calls(calls)}, {format_tokens(tokens)} tokens, cost {format_cost(cost)}"


def post_text(result: PostResult) -> str:
    """``post 41 rewritten (2 calls, 3,100 tokens, cost 0.0042) "Title"``, then ``: reason`` when there
    is one; rich markup, the title and the reason escaped."""
    text = f"post {result.id} {OUTCOME_WORDS.get(result.outcome) or shown(result.outcome)}"
    if result.calls:
        text += f" ({_usage(result.calls, result.prompt_tokens + result.completion_tokens, result.cost)})"
    text += f' "{shown(result.title)}"'
    if result.reason:
        text += f": {shown(result.reason)}"
    return text


def totals_text(totals: Totals, *, dry_run: bool = False) -> str:
    """``6 selected (3 rewritten, 1 needs attention, 2 failed), 4 skipped; 5 calls, 12,000 tokens, cost 0.0123``."""
    if dry_run:
        return f"{totals.selected} selected ({totals.would_rewrite} would be rewritten), {totals.skipped} skipped"
    return (f"{totals.selected} selected ({totals.rewritten} rewritten, {totals.needs_attention} needs attention, "
            f"{totals.failed} failed), {totals.skipped} skipped; "
            f"{_usage(totals.calls, totals.prompt_tokens + totals.completion_tokens, totals.cost)}")


def run_messages(result: RunResult) -> list[str]:
    """What a person must be told plainly about a run: another sync was running, the budget, a stop."""
    if result.already_running:
        return [ALREADY_RUNNING]
    messages = []
    if result.error:
        messages.append(f"error: {shown(result.error)}" + (f" Fix: {shown(result.hint)}" if result.hint else ""))
    if result.budget_reached:
        messages.append(BUDGET_REACHED)
    if result.stopped:
        messages.append(STOPPED)
    return messages


def _styled(outcome: str, text: str) -> str:
    style = _OUTCOME_STYLE.get(outcome)
    return f"[{style}]{text}[/]" if style else text


def _styled_outcome(outcome: str) -> str:
    return _styled(outcome, OUTCOME_WORDS.get(outcome) or shown(outcome))


def _listed_only(result: PostResult) -> bool:
    """A post skipped before any model call: the summary lists it; the progress does not print it."""
    return result.outcome == "skipped" and not result.calls


def _started_text(site: str, run_id: int | None, selected: int, skipped: int, dry_run: bool) -> str:
    what = "dry run" if dry_run else "sync"
    run = f" (run {run_id})" if run_id is not None else ""
    counts = f": {selected} selected, {skipped} skipped" if selected or skipped else ""  # not known when streamed
    return f"{shown(site)} {what} started{run}{counts}"


def utc_stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class LogLines:
    """One plain line per event, for cron mail and journald. A post's start is not logged, its end is,
    unless it was skipped before any model call (the summary lists those, with their reasons).

    ``quiet`` (``watch``): no line for a run's start, nor for a run that selected nothing, so that a
    quiet site does not fill the journal every few minutes.
    """

    def __init__(self, console: Console, *, quiet: bool = False, clock: Callable[[], str] = utc_stamp) -> None:
        self._console = console
        self._quiet = quiet
        self._clock = clock
        self._lock = threading.Lock()

    def line(self, text: str) -> None:
        """Print ``text`` (rich markup, already escaped) on one line after the time."""
        with self._lock:
            self._console.print(f"{self._clock()} {text}", highlight=False, soft_wrap=True)

    def run_started(self, site: str, run_id: int | None, selected: int, skipped: int, dry_run: bool) -> None:
        if not self._quiet:
            self.line(_started_text(site, run_id, selected, skipped, dry_run))

    def post_started(self, site: str, post_id: int, title: str) -> None:
        pass

    def close(self) -> None:
        pass

    def post_finished(self, site: str, result: PostResult) -> None:
        if not _listed_only(result):
            self.line(f"{shown(site)} {post_text(result)}")

    def run_finished(self, result: RunResult) -> None:
        site = shown(result.site)
        if not result.already_running and not (self._quiet and not result.totals.selected and not result.error):
            what = "dry run" if result.dry_run else "sync"
            run = f" (run {result.run_id})" if result.run_id is not None else ""
            self.line(f"{site} {what} finished{run}: {totals_text(result.totals, dry_run=result.dry_run)}")
        for message in run_messages(result):
            self.line(f"{site} {message}")


@dataclass
class _SiteProgress:
    task: Any
    selected: int
    started: set[int] = field(default_factory=set)
    #: Posts started so far: the total to reach when the run did not know its selection at the start.
    seen: int = 0
    done: int = 0
    failed: int = 0
    tokens: int = 0
    cost: float | None = 0.0


class ProgressBar:
    """A rich progress bar per site run on a terminal, with a line above it for each post finished."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self._lock = threading.Lock()
        self._progress: Any = None
        self._sites: dict[str, _SiteProgress] = {}

    def _new_progress(self) -> Any:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        return Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[in_flight]} in flight"), TextColumn("{task.fields[failed]} failed"),
            TextColumn("{task.fields[tokens]} tokens"), TextColumn("cost {task.fields[cost]}"),
            TimeElapsedColumn(), console=self._console,
        )

    def run_started(self, site: str, run_id: int | None, selected: int, skipped: int, dry_run: bool) -> None:
        with self._lock:
            if self._progress is None:
                self._progress = self._new_progress()
                self._progress.start()
            self._progress.console.print(_started_text(site, run_id, selected, skipped, dry_run), highlight=False)
            task = self._progress.add_task(shown(site), total=selected or None, in_flight=0, failed=0,
                                           tokens=format_tokens(0), cost=format_cost(0.0))
            self._sites[site] = _SiteProgress(task, selected)

    def post_started(self, site: str, post_id: int, title: str) -> None:
        with self._lock:
            state = self._sites.get(site)
            if state is not None:
                state.started.add(post_id)
                state.seen += 1
                self._update(state)

    def post_finished(self, site: str, result: PostResult) -> None:
        with self._lock:
            state = self._sites.get(site)
            if state is not None and result.id in state.started:  # not a post skipped when selecting
                state.started.discard(result.id)
                state.done += 1
                state.failed += result.outcome == "failed"
                state.tokens += result.prompt_tokens + result.completion_tokens
                if result.calls:
                    state.cost = None if state.cost is None or result.cost is None else state.cost + result.cost
                self._update(state)
            if _listed_only(result):
                return
            line = _styled(result.outcome, f"{shown(site)} {post_text(result)}")
            (self._progress.console if self._progress is not None else self._console).print(line, highlight=False)

    def _update(self, state: _SiteProgress) -> None:
        self._progress.update(state.task, completed=state.done, total=max(state.selected, state.seen) or None,
                              in_flight=len(state.started), failed=state.failed,
                              tokens=format_tokens(state.tokens), cost=format_cost(state.cost))

    def run_finished(self, result: RunResult) -> None:
        with self._lock:
            state = self._sites.pop(result.site, None)
            if state is not None and self._progress is not None:
                totals = result.totals
                self._progress.update(state.task, completed=state.done, total=max(state.selected, state.seen) or None,
                                      in_flight=0,
                                      failed=totals.failed,
                                      tokens=format_tokens(totals.prompt_tokens + totals.completion_tokens),
                                      cost=format_cost(totals.cost))
            if not self._sites and self._progress is not None:
                self._progress.stop()
                self._progress = None
            for message in run_messages(result):
                self._console.print(f"[bold]{shown(result.site)}:[/] {message}", highlight=False)


    def close(self) -> None:
        """Stop the progress display, if a run left it going (an error, a second Ctrl-C)."""
        with self._lock:
            if self._progress is not None:
                self._progress.stop()
                self._progress = None
            self._sites.clear()


def events_for(console: Console, *, quiet: bool = False) -> ProgressBar | LogLines:
    """A progress bar when ``console`` is a terminal, plain log lines otherwise."""
    return ProgressBar(console) if console.is_terminal else LogLines(console, quiet=quiet)


def _lights(result: PostResult) -> Lights | None:
    return result.after or result.before


def print_summary(console: Console, results: Iterable[RunResult]) -> None:
    """Each site's posts (skipped ones too, with their reasons) and totals: a table on a terminal,
    plain lines otherwise."""
    for result in results:
        if console.is_terminal:
            _summary_table(console, result)
        else:
            _summary_lines(console, result)


def _summary_title(result: RunResult) -> str:
    what = "dry run" if result.dry_run else "sync"
    run = f" run {result.run_id}" if result.run_id is not None else ""
    return f"{shown(result.site)}: {what}{run}"


def _summary_table(console: Console, result: RunResult) -> None:
    if result.posts:
        table = Table("ID", "Title", "Outcome", "Reason", "Calls", "Tokens", "Cost", "SEO", "Readability",
                      title=_summary_title(result), title_justify="left")
        for post in result.posts:
            lights = _lights(post)
            table.add_row(str(post.id), shown(post.title), _styled_outcome(post.outcome),
                          shown(post.reason), str(post.calls), format_tokens(post.prompt_tokens + post.completion_tokens),
                          format_cost(post.cost) if post.calls else "", shown(lights.seo) if lights else "",
                          shown(lights.readability) if lights else "")
        console.print(table)
    else:
        console.print(f"[bold]{_summary_title(result)}[/]", highlight=False)
    if not result.already_running:
        console.print(f"Totals: {totals_text(result.totals, dry_run=result.dry_run)}", highlight=False)
    for message in run_messages(result):
        console.print(f"[bold]{message[0].upper()}{message[1:]}.[/]", highlight=False)


def _summary_lines(console: Console, result: RunResult) -> None:
    def line(text: str) -> None:
        console.print(text, highlight=False, soft_wrap=True)

    line(f"Summary of {_summary_title(result)}")
    for post in result.posts:
        lights = _lights(post)
        light_text = f" \\[SEO {shown(lights.seo)}, readability {shown(lights.readability)}]" if lights else ""
        line(f"  {post_text(post)}{light_text}")
    if not result.already_running:
        line(f"  totals: {totals_text(result.totals, dry_run=result.dry_run)}")
    for message in run_messages(result):
        line(f"  {message}")
