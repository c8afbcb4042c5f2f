"""``wp-seo-bridge history``: what the bridge did, when, and at what cost, read from the journal only.

Three views: the latest sync runs; one run's posts (``--run N``); one post over time (``--post ID``:
its runs, model calls and kept originals). Each is printed as tables for a person, or as one JSON
document (the ``*_dict`` functions). Nothing here talks to WordPress or the model: the journal is
opened only if it exists, so that asking for history never creates one.

A cost is ``None`` ("unknown") when the model's prices were not configured, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from .costs import format_cost
from .errors import InputError
from .safe_text import text_for_terminal as shown

if TYPE_CHECKING:
    from .config import Settings
    from .journal_runs import PostHistory

#: Runs shown by default (and rows of each part of a post's history).
DEFAULT_LIMIT = 20


@dataclass
class History:
    """What ``history`` found: ``view`` is "runs", "run" or "post"; the other fields as the view needs."""

    view: str
    path: Path
    runs: list[dict[str, Any]] = field(default_factory=list)
    run: dict[str, Any] | None = None
    posts: list[dict[str, Any]] = field(default_factory=list)
    post: PostHistory | None = None


def positive_option(value: str | None, option: str) -> int | None:
    """A whole number >= 1 given to ``option``, or :class:`InputError`."""
    if value is None:
        return None
    text = value.strip()
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise InputError(f"{option} must be a positive whole number (got {value!r}).",
                         hint="`wp-seo-bridge history` lists the runs with their numbers.")
    return int(text)


def site_keys(settings: Settings, name: str | None) -> list[str] | None:
    """How the journal may name the site ``name``: as given, and by its URL when the configuration knows it."""
    if name is None:
        return None
    keys = [name]
    if name == "default" and settings.wordpress is not None:
        keys.append(settings.wordpress.url)
    try:
        from .config import site_settings  # type: ignore[attr-defined]

        keys += [site.wordpress.url for site_name, site in site_settings(settings, name)
                 if site_name == name and site.wordpress is not None]
    except Exception:  # an older configuration module, or a site it cannot complete: the name alone
        pass
    return list(dict.fromkeys(str(key) for key in keys))


def read_history(path: Path, *, sites: list[str] | None, post_id: int | None = None, run_id: int | None = None,
                 limit: int = DEFAULT_LIMIT) -> History:
    """The view asked for, from the journal at ``path``; an unknown run is an :class:`InputError`."""
    from .journal import Journal
    from .journal_runs import PostHistory

    view = "post" if post_id is not None else "run" if run_id is not None else "runs"
    if not path.exists():
        found = History(view, path, post=PostHistory(post_id, [], [], []) if post_id is not None else None)
    else:
        with Journal(path) as journal:
            if post_id is not None:
                found = History(view, path, post=journal.post_history(sites, post_id, limit=limit))
            elif run_id is not None:
                run = journal.run(run_id)
                found = History(view, path, run=run, posts=journal.run_posts(run_id) if run else [])
            else:
                found = History(view, path, runs=journal.runs(sites, limit=limit))
    if view == "run" and (found.run is None or (sites is not None and found.run["site"] not in sites)):
        raise InputError(f"The journal {path} holds no run {run_id}" + (f" of site {sites[0]!r}." if sites else "."),
                         hint="`wp-seo-bridge history` lists the runs with their numbers.")
    return found


# -- JSON ---------------------------------------------------------------------------------------


def history_dict(history: History) -> dict[str, Any]:
    """The view as one JSON document."""
    if history.view == "post":
        post = history.post
        return {"post_id": post.post_id, "runs": post.run_posts, "calls": post.calls,
                "originals": [_original_dict(row) for row in post.originals]}
    if history.view == "run":
        return {"run": history.run, "posts": [_post_dict(row) for row in history.posts]}
    return {"runs": history.runs}


def _post_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {**{key: value for key, value in row.items() if not key.endswith(("_before", "_after"))},
            "before": _lights(row, "before"), "after": _lights(row, "after")}


def _lights(row: dict[str, Any], when: str) -> dict[str, str] | None:
    if row[f"seo_{when}"] is None and row[f"readability_{when}"] is None:
        return None
    return {"seo": row[f"seo_{when}"], "readability": row[f"readability_{when}"]}


def _original_dict(row: dict[str, Any]) -> dict[str, Any]:
    written = row["written"]
    return {**row, "written": None if written is None else bool(written)}


# -- tables -------------------------------------------------------------------------------------


def print_history(console: Console, history: History) -> None:
    if history.view == "post":
        _print_post(console, history.post)
    elif history.view == "run":
        _print_run(console, history.run, history.posts)
    else:
        _print_runs(console, history)


def _print_runs(console: Console, history: History) -> None:
    if not history.runs:
        console.print(f"Nothing yet: the journal ({shown(history.path)}) holds no sync run.", highlight=False)
        return
    table = Table("Run", "Site", "By", "Started (UTC)", "Ended (UTC)", "Status", "Selected", "Rewritten",
                  "Needs attention", "Failed", "Skipped", "Tokens", "Cost")
    for run in history.runs:
        t = run["totals"]
        table.add_row(str(run["id"]), shown(run["site"]), _trigger(run), _when(run["started_at"]), _when(run["ended_at"]),
                      run["status"], *(str(t.get(key, 0)) for key in ("selected", "rewritten", "needs_attention",
                                                                      "failed", "skipped")),
                      _tokens(t.get("prompt_tokens", 0), t.get("completion_tokens", 0)), format_cost(t.get("cost")))
    console.print(table)
    console.print(f"{len(history.runs)} run(s) shown, newest first. `wp-seo-bridge history --run N` shows a run's "
                  "posts.", highlight=False)


def _print_run(console: Console, run: dict[str, Any], posts: list[dict[str, Any]]) -> None:
    t = run["totals"]
    console.print(f"Run {run['id']} of {shown(run['site'])} ({_trigger(run)}): {run['status']}, "
                  f"started {_when(run['started_at'])}, "
                  f"ended {_when(run['ended_at'])}; {t.get('prompt_tokens', 0):,} tokens in, "
                  f"{t.get('completion_tokens', 0):,} out, cost {format_cost(t.get('cost'))}.", highlight=False)
    if not posts:
        console.print("No post was recorded in this run.")
        return
    table = Table("Post", "Title", "Outcome", "Reason", "Calls", "Tokens", "Cost", "SEO", "Readability")
    for row in posts:
        table.add_row(str(row["post_id"]), shown(row["title"]), row["outcome"].replace("_", " "), shown(row["reason"]),
                      str(row["calls"]), _tokens(row["prompt_tokens"], row["completion_tokens"]),
                      format_cost(row["cost"]), _change(row, "seo"), _change(row, "readability"))
    console.print(table)


def _print_post(console: Console, post: PostHistory) -> None:
    if post.empty:
        console.print(f"Nothing yet: the journal holds nothing about post {post.post_id}.")
        return
    console.print(f"Post {post.post_id}:", highlight=False)
    if post.run_posts:
        table = Table("Run", "Site", "At (UTC)", "Outcome", "Reason", "Calls", "Tokens", "Cost", "SEO", "Readability",
                      title="In sync runs", title_justify="left")
        for row in post.run_posts:
            table.add_row(str(row["run_id"]), shown(row["site"]), _when(row["at"]), row["outcome"].replace("_", " "),
                          shown(row["reason"]), str(row["calls"]), _tokens(row["prompt_tokens"],
                                                                           row["completion_tokens"]),
                          format_cost(row["cost"]), _change(row, "seo"), _change(row, "readability"))
        console.print(table)
    if post.calls:
        table = Table("At (UTC)", "Run", "Model", "Mode", "Outcome", "Tokens", "Duration", "Cost",
                      title="Model calls", title_justify="left")
        for call in post.calls:
            table.add_row(_when(call["at"]), str(call["run_id"] or "-"), shown(call["model"]), shown(call["mode"]),
                          shown(call["outcome"]), _tokens(call["prompt_tokens"], call["completion_tokens"]),
                          f"{call['duration_ms'] / 1000:.1f} s", format_cost(call["cost"]))
        console.print(table)
    if post.originals:
        table = Table("Kept (UTC)", "Site", "Before a", "Title then", "Write", "Restored (UTC)",
                      title="Originals kept", title_justify="left")
        for row in post.originals:
            table.add_row(_when(row["at"]), shown(row["site"]), row["kind"], shown(row["title"]), _written(row),
                          _when(row["restored_at"]) if row["restored_at"] else "no")
        console.print(table)


def _trigger(run: dict[str, Any]) -> str:
    """What started a run: ``sync``, ``watch`` or ``notification`` (runs journaled before this was kept: ``sync``)."""
    options = run.get("options")
    trigger = options.get("trigger") if isinstance(options, dict) else None
    return shown(trigger) if isinstance(trigger, str) and trigger else "sync"


def _when(at: str | None) -> str:
    """A journal timestamp (ISO 8601, UTC) as "2026-05-01 10:00:00"; "-" when there is none."""
    return at.replace("T", " ").removesuffix("+00:00") if at else "-"


def _tokens(prompt: int, completion: int) -> str:
    return f"{prompt + completion:,}"


def _change(row: dict[str, Any], light: str) -> str:
    before, after = row[f"{light}_before"], row[f"{light}_after"]
    if before is None and after is None:
        return "-"
    return f"{before or '?'} -> {after or '?'}"


def _written(row: dict[str, Any]) -> str:
    if row["written"] is None:
        return "unknown (interrupted)"
    if row["written"]:
        return f"written {_when(row['written_at'])}"
    return "not written: " + shown(row["not_written_reason"] or "no reason kept")


__all__ = ["DEFAULT_LIMIT", "History", "history_dict", "positive_option", "print_history", "read_history",
           "site_keys"]
