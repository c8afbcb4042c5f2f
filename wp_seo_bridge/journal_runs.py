"""The journal's record of sync runs: each run, each post's outcome in it, and the kept model answers.

- ``runs``: one row per sync of a site (``running``, then ``finished``, ``stopped`` when a signal
  ended it cleanly before every selected post was processed, or ``interrupted`` when a crash left
  it open and the next run of the site closed it), with its options and totals (JSON).
- ``run_posts``: one row per post per run: outcome, reason, calls, tokens, cost (NULL: unknown),
  the lights before and after.
- ``model_calls.run_id`` and ``model_calls.cost``: each call linked to its run, with its cost.
- ``answers``: model answers received but not yet written (``pending``), so that a run killed
  between the answer and the write is finished by the next without paying the model again; then
  ``written`` or ``discarded``.

:class:`RunJournal` holds the methods; :class:`~wp_seo_bridge.journal.Journal` inherits them and
gives them its connection (``_write``: one transaction under the lock; ``_rows``: one query).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, is_dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from .sync.results import PostResult

RUN_STATUSES = ("running", "finished", "stopped", "interrupted")
ANSWER_STATES = ("pending", "written", "discarded")


def now() -> str:
    """The time now as the journal writes it: ISO 8601, UTC, to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _m005_runs(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            site TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            status TEXT NOT NULL DEFAULT 'running',
            options TEXT NOT NULL DEFAULT '{}',
            totals TEXT
        )"""
    )
    db.execute("CREATE INDEX runs_site_status ON runs (site, status)")


def _m006_run_posts(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE run_posts (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs (id),
            site TEXT NOT NULL,
            post_id INTEGER NOT NULL,
            title TEXT NOT NULL,
            outcome TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            calls INTEGER NOT NULL DEFAULT 0,
            prompt_tokens INTEGER NOT NULL DEFAULT 0,
            completion_tokens INTEGER NOT NULL DEFAULT 0,
            cost REAL,
            seo_before TEXT,
            readability_before TEXT,
            seo_after TEXT,
            readability_after TEXT,
            source_hash TEXT,
            at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX run_posts_run ON run_posts (run_id)")
    db.execute("CREATE INDEX run_posts_post ON run_posts (site, post_id)")


def _m007_call_runs_and_costs(db: sqlite3.Connection) -> None:
    """Each model call's run (NULL: a ``rewrite``, or a call before runs existed) and cost (NULL: unknown)."""
    db.execute("ALTER TABLE model_calls ADD COLUMN run_id INTEGER")
    db.execute("ALTER TABLE model_calls ADD COLUMN cost REAL")
    db.execute("CREATE INDEX model_calls_post ON model_calls (post_id)")
    db.execute("CREATE INDEX model_calls_run ON model_calls (run_id)")


def _m008_answers(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            site TEXT NOT NULL,
            post_id INTEGER NOT NULL,
            source_hash TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            payload TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending',
            run_id INTEGER,
            at TEXT NOT NULL,
            settled_at TEXT
        )"""
    )
    db.execute("CREATE INDEX answers_post ON answers (site, post_id, state)")


RUN_MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = [
    ("005_runs", _m005_runs),
    ("006_run_posts", _m006_run_posts),
    ("007_call_runs_and_costs", _m007_call_runs_and_costs),
    ("008_answers", _m008_answers),
]

#: How each run's totals are counted from its posts while it has none of its own (running, interrupted).
_RUN_QUERY = """
    SELECT r.*,
           sum(p.outcome != 'skipped') AS n_selected,
           sum(p.outcome = 'rewritten') AS n_rewritten,
           sum(p.outcome = 'needs_attention') AS n_needs_attention,
           sum(p.outcome = 'failed') AS n_failed,
           sum(p.outcome = 'skipped') AS n_skipped,
           sum(p.outcome = 'would_rewrite') AS n_would_rewrite,
           sum(p.calls) AS n_calls,
           sum(p.prompt_tokens) AS n_prompt_tokens,
           sum(p.completion_tokens) AS n_completion_tokens,
           sum(p.calls > 0 AND p.cost IS NULL) AS n_unknown_costs,
           total(p.cost) AS n_cost
    FROM runs r LEFT JOIN run_posts p ON p.run_id = r.id
"""
_COUNTED = ("selected", "rewritten", "needs_attention", "failed", "skipped", "would_rewrite", "calls",
            "prompt_tokens", "completion_tokens")

#: The columns of ``originals`` that say what happened to each (not the kept text itself).
_ORIGINAL_COLUMNS = ("id, at, site, post_id, post_type, status, title, source_hash, kind, written, written_at,"
                     " not_written_reason, restored_at")


@dataclass(frozen=True)
class PostHistory:
    """What the bridge did to one post, oldest first in each list (rows as dicts)."""

    post_id: int
    #: The post's outcome in each sync run.
    run_posts: list[dict[str, Any]]
    #: Each model call about the post (``run_id`` None outside a sync), with its cost (None: unknown).
    calls: list[dict[str, Any]]
    #: Each original kept before a write, with whether that write happened and whether it was restored.
    originals: list[dict[str, Any]]

    @property
    def empty(self) -> bool:
        return not (self.run_posts or self.calls or self.originals)


class RunJournal:
    """The run, post-outcome and answer methods of :class:`~wp_seo_bridge.journal.Journal`."""

    _write: Callable[[], AbstractContextManager[sqlite3.Connection]]
    _rows: Callable[..., list[sqlite3.Row]]

    # -- runs ---------------------------------------------------------------------------------

    def start_run(self, site: str, options: Mapping[str, Any]) -> int:
        """Open a run of ``site`` (status ``running``) with the options it was given; returns its ID."""
        with self._write() as db:
            cursor = db.execute("INSERT INTO runs (site, started_at, status, options) VALUES (?, ?, 'running', ?)",
                                (site, now(), _to_json(options)))
        return int(cursor.lastrowid)

    def close_interrupted_runs(self, site: str) -> list[int]:
        """Close as ``interrupted`` every run of ``site`` still ``running`` (a crash left it open); their IDs.

        Only a run holding the site's lock may call it: no other run of the site is then alive. The
        totals of each closed run are counted from the posts it recorded.
        """
        with self._write() as db:
            open_runs = [row["id"] for row in db.execute(
                "SELECT id FROM runs WHERE site = ? AND status = 'running' ORDER BY id", (site,))]
            for run_id in open_runs:
                totals = _totals(db.execute(_RUN_QUERY + " WHERE r.id = ? GROUP BY r.id", (run_id,)).fetchone())
                db.execute("UPDATE runs SET status = 'interrupted', ended_at = ?, totals = ? WHERE id = ?",
                           (now(), _to_json(totals), run_id))
        return open_runs

    def end_run(self, run_id: int, totals: Mapping[str, Any] | Any, status: str = "finished") -> None:
        """Close a run with its ``totals`` (a dict, or the runner's ``Totals``); ``status``: see :data:`RUN_STATUSES`."""
        if status not in RUN_STATUSES[1:]:
            raise ValueError(f"A run ends as 'finished', 'stopped' or 'interrupted', not {status!r}.")
        if is_dataclass(totals) and not isinstance(totals, type):
            totals = asdict(totals)
        with self._write() as db:
            db.execute("UPDATE runs SET status = ?, ended_at = ?, totals = ? WHERE id = ?",
                       (status, now(), _to_json(totals), run_id))

    def runs(self, site: str | Sequence[str] | None = None, *, limit: int | None = 20) -> list[dict[str, Any]]:
        """The latest runs (of ``site``), newest first: id, site, started_at, ended_at, status, options, totals.

        A run without totals of its own (still running) has them counted from its posts.
        """
        where, args = _site_filter("r.site", site)
        query = _RUN_QUERY + where + " GROUP BY r.id ORDER BY r.id DESC"
        if limit is not None:
            query, args = query + " LIMIT ?", [*args, limit]
        return [_run_dict(row) for row in self._rows(query, args)]

    def run(self, run_id: int) -> dict[str, Any] | None:
        """One run (as in :meth:`runs`), or None when the journal has no run with that ID."""
        rows = self._rows(_RUN_QUERY + " WHERE r.id = ? GROUP BY r.id", (run_id,))
        return _run_dict(rows[0]) if rows else None

    # -- posts in runs ------------------------------------------------------------------------

    def record_run_post(self, run_id: int, site: str, result: PostResult, *, source_hash: str | None = None) -> int:
        """Record one post's outcome in a run (a ``sync.results.PostResult``); returns the row's ID.

        ``source_hash``: the hash of the post's text as the run read it, when known.
        """
        before, after = result.before, result.after
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO run_posts (run_id, site, post_id, title, outcome, reason, calls, prompt_tokens,"
                " completion_tokens, cost, seo_before, readability_before, seo_after, readability_after, source_hash,"
                " at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, site, result.id, result.title, result.outcome, result.reason, result.calls,
                 result.prompt_tokens, result.completion_tokens, result.cost,
                 before.seo if before else None, before.readability if before else None,
                 after.seo if after else None, after.readability if after else None, source_hash, now()),
            )
        return int(cursor.lastrowid)

    def run_posts(self, run_id: int) -> list[dict[str, Any]]:
        """Every post recorded in a run, in the order they were recorded."""
        return [dict(row) for row in self._rows("SELECT * FROM run_posts WHERE run_id = ? ORDER BY id", (run_id,))]

    def last_outcome(self, site: str, post_id: int) -> dict[str, Any] | None:
        """The post's latest ``run_posts`` row on ``site`` (a dry run's ``would_rewrite`` is no outcome), or None."""
        rows = self._rows("SELECT * FROM run_posts WHERE site = ? AND post_id = ? AND outcome != 'would_rewrite'"
                          " ORDER BY id DESC LIMIT 1", (site, post_id))
        return dict(rows[0]) if rows else None

    def post_history(self, site: str | Sequence[str] | None, post_id: int, *, limit: int | None = None) -> PostHistory:
        """What the bridge did to a post: its runs, model calls and kept originals (the latest ``limit`` of each).

        ``site``: a site's name or URL, several (a site's name and URL), or None for every site.
        """
        def latest(table: str, columns: str = "*") -> list[dict[str, Any]]:
            where, args = _site_filter("site", site)
            where = (where + " AND" if where else " WHERE") + " post_id = ?"
            query = f"SELECT {columns} FROM {table}{where} ORDER BY id DESC"
            if limit is not None:
                query += f" LIMIT {int(limit)}"
            return [dict(row) for row in reversed(self._rows(query, [*args, post_id]))]

        return PostHistory(post_id, latest("run_posts"), latest("model_calls"), latest("originals", _ORIGINAL_COLUMNS))

    # -- kept answers -------------------------------------------------------------------------

    def keep_answer(self, site: str, post_id: int, source_hash: str, fingerprint: str, payload: Mapping[str, Any],
                    run_id: int | None = None) -> int:
        """Keep a model answer until it is written (state ``pending``); returns its ID.

        ``source_hash``: the post's text the answer was made from; ``fingerprint``: what else shaped
        it (settings, prompt). Older pending answers for the post are discarded: this one replaces them.
        """
        with self._write() as db:
            db.execute("UPDATE answers SET state = 'discarded', settled_at = ? WHERE site = ? AND post_id = ?"
                       " AND state = 'pending'", (now(), site, post_id))
            cursor = db.execute(
                "INSERT INTO answers (site, post_id, source_hash, fingerprint, payload, state, run_id, at)"
                " VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)",
                (site, post_id, source_hash, fingerprint, _to_json(payload), run_id, now()),
            )
        return int(cursor.lastrowid)

    def pending_answer(self, site: str, post_id: int, source_hash: str, fingerprint: str) -> tuple[int, dict] | None:
        """The kept answer not yet written for the post as it is (same source and fingerprint): (ID, payload)."""
        rows = self._rows("SELECT id, payload FROM answers WHERE site = ? AND post_id = ? AND source_hash = ?"
                          " AND fingerprint = ? AND state = 'pending' ORDER BY id DESC LIMIT 1",
                          (site, post_id, source_hash, fingerprint))
        return (int(rows[0]["id"]), json.loads(rows[0]["payload"])) if rows else None

    def settle_answer(self, answer_id: int, state: str) -> None:
        """A kept answer was ``written`` to the post, or ``discarded`` (the post changed, the answer was refused)."""
        if state not in ANSWER_STATES[1:]:
            raise ValueError(f"An answer is settled as 'written' or 'discarded', not {state!r}.")
        with self._write() as db:
            db.execute("UPDATE answers SET state = ?, settled_at = ? WHERE id = ?", (state, now(), answer_id))

    def answers(self, site: str, post_id: int) -> list[dict[str, Any]]:
        """Every kept answer of a post, oldest first (payload decoded)."""
        rows = self._rows("SELECT * FROM answers WHERE site = ? AND post_id = ? ORDER BY id", (site, post_id))
        return [{**dict(row), "payload": json.loads(row["payload"])} for row in rows]


def _site_filter(column: str, site: str | Sequence[str] | None) -> tuple[str, list[Any]]:
    if site is None:
        return "", []
    names = [site] if isinstance(site, str) else list(dict.fromkeys(site))
    return f" WHERE {column} IN ({', '.join('?' * len(names))})", names


def _to_json(value: Any) -> str:
    return json.dumps(dict(value), ensure_ascii=False, sort_keys=True, default=str)


def _totals(row: sqlite3.Row) -> dict[str, Any]:
    """The totals counted from a run's posts (a row of :data:`_RUN_QUERY`)."""
    totals: dict[str, Any] = {name: int(row[f"n_{name}"] or 0) for name in _COUNTED}
    totals["cost"] = None if row["n_unknown_costs"] else float(row["n_cost"])
    return totals


def _run_dict(row: sqlite3.Row) -> dict[str, Any]:
    totals = json.loads(row["totals"]) if row["totals"] is not None else _totals(row)
    return {"id": row["id"], "site": row["site"], "started_at": row["started_at"], "ended_at": row["ended_at"],
            "status": row["status"], "options": json.loads(row["options"]), "totals": totals}


__all__ = ["ANSWER_STATES", "PostHistory", "RUN_MIGRATIONS", "RUN_STATUSES", "RunJournal", "now"]
