"""The journal: a local SQLite file logging every model call and keeping every original.

For each original it also records whether the bridge's write that followed happened, and a hash
of each field that write left on the post, so that ``restore`` never puts back an original over
an edit made later.

It also keeps the sync runs, the outcome of each post in each run, the cost of every call and
the model answers received but not yet written (see :mod:`.journal_runs`).

Schema changes are small named migrations, applied in order once each (``_migrations`` keeps
which ran). Nothing here holds a secret, but the originals are unpublished drafts: the file is
readable by its owner only (0600), in a folder the bridge creates for its owner only (0700), and
so are SQLite's side files (``-wal``, ``-shm``).

The file is in WAL mode and one :class:`Journal` may be used from several threads at once (the
workers of a sync): one connection, every statement and transaction under a lock. Other processes
(a ``history`` during a sync) wait for a writer for up to :data:`BUSY_TIMEOUT` seconds.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ConfigError
from .journal_runs import RUN_MIGRATIONS, RunJournal, now as _now

if TYPE_CHECKING:
    from .costs import Prices
    from .llm import CallRecord
    from .wordpress.models import Post

#: Seconds a statement waits for another process's write to end before failing.
BUSY_TIMEOUT = 30.0
#: SQLite's side files next to the journal in WAL mode.
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def default_journal_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    base = env.get("XDG_DATA_HOME") or str(Path(env.get("HOME", str(Path.home()))) / ".local" / "share")
    return Path(base) / "wp-seo-bridge" / "journal.sqlite3"


def _m001_model_calls(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE model_calls (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            site TEXT NOT NULL,
            post_id INTEGER,
            model TEXT NOT NULL,
            endpoint TEXT NOT NULL,
            mode TEXT NOT NULL,
            prompt_tokens INTEGER NOT NULL,
            completion_tokens INTEGER NOT NULL,
            duration_ms INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            error TEXT NOT NULL DEFAULT ''
        )"""
    )


def _m002_originals(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE originals (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            site TEXT NOT NULL,
            post_id INTEGER NOT NULL,
            post_type TEXT NOT NULL,
            status TEXT NOT NULL,
            modified_gmt TEXT NOT NULL,
            title TEXT NOT NULL,
            content TEXT NOT NULL,
            excerpt TEXT NOT NULL,
            slug TEXT NOT NULL,
            meta TEXT NOT NULL,
            source_hash TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX originals_post ON originals (site, post_id)")


def _m003_write_outcomes(db: sqlite3.Connection) -> None:
    """Whether the write that followed each original happened, and the hashes of what it wrote.

    ``written``: 1 yes, 0 no, NULL not known (the run was interrupted, or the original was kept
    before this migration).
    """
    db.execute("ALTER TABLE originals ADD COLUMN written INTEGER")
    db.execute("ALTER TABLE originals ADD COLUMN written_at TEXT")
    db.execute("ALTER TABLE originals ADD COLUMN written_hashes TEXT NOT NULL DEFAULT '{}'")
    db.execute("ALTER TABLE originals ADD COLUMN not_written_reason TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE originals ADD COLUMN restored_at TEXT")


def _m004_original_kinds(db: sqlite3.Connection) -> None:
    """What the write that followed each original was: a "rewrite", or a forced "restore"."""
    db.execute("ALTER TABLE originals ADD COLUMN kind TEXT NOT NULL DEFAULT 'rewrite'")


MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = [
    ("001_model_calls", _m001_model_calls),
    ("002_originals", _m002_originals),
    ("003_write_outcomes", _m003_write_outcomes),
    ("004_original_kinds", _m004_original_kinds),
    *RUN_MIGRATIONS,
]

#: The post fields whose hashes are kept after a write (besides the SEO meta keys written).
HASHED_FIELDS = ("title", "content", "excerpt", "slug", "status")


def field_hashes(post: Post, meta_keys: Iterable[str]) -> dict[str, str]:
    """A hash of each field the bridge writes, as the post holds it; meta keys appear as ``meta:KEY``."""
    values = {name: getattr(post, name) for name in HASHED_FIELDS}
    values.update({f"meta:{key}": post.meta.get(key, "") for key in meta_keys})
    return {name: hashlib.sha256(value.encode("utf-8")).hexdigest() for name, value in values.items()}


def _make_private(path: Path) -> None:
    """Create the journal file readable and writable by its owner only, or tighten an existing one."""
    created_folder = not path.parent.exists()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if created_folder or path.parent.resolve() == default_journal_path().parent.resolve():
        _chmod_at_most(path.parent, 0o700)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    _chmod_at_most(path, 0o600)  # SQLite gives its side files (-wal, -shm) the database's mode
    _tighten_side_files(path)


def _tighten_side_files(path: Path) -> None:
    """Side files left by an older run or another tool: at most 0600 too."""
    for suffix in SIDE_SUFFIXES:
        side = path.with_name(path.name + suffix)
        try:
            _chmod_at_most(side, 0o600)
        except FileNotFoundError:
            pass


def _chmod_at_most(path: Path, mode: int) -> None:
    current = stat.S_IMODE(path.stat().st_mode)
    if current & ~mode:
        os.chmod(path, current & mode)


def _use_wal(db: sqlite3.Connection) -> None:
    """Put the file in WAL mode (once: the mode stays with the file). Switching needs the file to itself, and
    SQLite answers "locked" at once, without waiting, while another connection is opening or migrating it: a
    journal opened by two runs at once is retried for up to :data:`BUSY_TIMEOUT` seconds."""
    deadline = time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            if str(db.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class Journal(RunJournal):
    """The journal file, open. Safe to share between threads; close it (or use ``with``) when done."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        try:
            _make_private(self.path)
            self.db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, check_same_thread=False)
            _use_wal(self.db)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(
                f"Cannot open the journal {self.path}: {exc}.", hint="Set `journal.path` to a writable file."
            ) from None
        self.db.row_factory = sqlite3.Row
        self.migrate()
        _tighten_side_files(self.path)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction, alone on the connection: committed at the end, rolled back on an error."""
        with self._lock, self.db:
            yield self.db

    def _rows(self, query: str, args: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self.db.execute(query, args).fetchall()

    def migrate(self) -> None:
        """Apply the migrations not applied yet, in one transaction that holds the file's write lock from its
        start: two processes opening a new journal at once (two cron runs) migrate it once, one after the other."""
        with self._write() as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            done = {row[0] for row in db.execute("SELECT name FROM _migrations")}
            for name, migration in MIGRATIONS:
                if name not in done:
                    migration(db)
                    db.execute("INSERT INTO _migrations VALUES (?, ?)", (name, _now()))

    def close(self) -> None:
        with self._lock:
            self.db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def log_calls(
        self, site: str, post_id: int | None, calls: Iterable[CallRecord], *, run_id: int | None = None,
        prices: Prices | None = None,
    ) -> None:
        """Log model calls, with the run they belong to and their cost (NULL when ``prices`` are unknown)."""
        from .costs import call_cost

        with self._write() as db:
            db.executemany(
                "INSERT INTO model_calls (at, site, post_id, model, endpoint, mode, prompt_tokens, completion_tokens,"
                " duration_ms, outcome, error, run_id, cost) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (_now(), site, post_id, c.model, c.endpoint, c.mode, c.usage.prompt_tokens, c.usage.completion_tokens,
                     c.duration_ms, c.outcome, c.error, run_id, call_cost(c.usage, prices))
                    for c in calls
                ],
            )

    def keep_original(self, site: str, post: Post, source_hash: str, *, kind: str = "rewrite") -> int:
        """Store the post as it was before the bridge wrote it; returns the record's ID.

        ``kind``: the write to follow, a ``rewrite`` or a forced ``restore`` (which replaces an edit).
        """
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO originals (at, site, post_id, post_type, status, modified_gmt, title, content, excerpt,"
                " slug, meta, source_hash, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (_now(), site, post.id, post.type, post.status, post.modified_gmt.isoformat(), post.title, post.content,
                 post.excerpt, post.slug, json.dumps(post.meta, ensure_ascii=False), source_hash, kind),
            )
        return int(cursor.lastrowid)

    def mark_written(self, original_id: int, hashes: Mapping[str, str]) -> None:
        """The write that followed the original happened; ``hashes``: see :func:`field_hashes`."""
        with self._write() as db:
            db.execute(
                "UPDATE originals SET written = 1, written_at = ?, written_hashes = ?, not_written_reason = ''"
                " WHERE id = ?",
                (_now(), json.dumps(dict(hashes), sort_keys=True), original_id),
            )

    def mark_not_written(self, original_id: int, reason: str) -> None:
        """The write that followed the original did not happen, for ``reason``."""
        with self._write() as db:
            db.execute("UPDATE originals SET written = 0, not_written_reason = ? WHERE id = ?", (reason, original_id))

    def mark_restored(self, original_id: int) -> None:
        """The original was put back on the post by ``restore``."""
        with self._write() as db:
            db.execute("UPDATE originals SET restored_at = ? WHERE id = ?", (_now(), original_id))

    def originals(self, site: str, post_id: int) -> list[sqlite3.Row]:
        """Every kept original of a post, newest first."""
        return self._rows("SELECT * FROM originals WHERE site = ? AND post_id = ? ORDER BY id DESC", (site, post_id))

    def calls(self, post_id: int | None = None) -> list[sqlite3.Row]:
        """Every logged model call (of one post), oldest first."""
        query, args = "SELECT * FROM model_calls", ()
        if post_id is not None:
            query, args = query + " WHERE post_id = ?", (post_id,)
        return self._rows(query + " ORDER BY id", args)


__all__ = ["HASHED_FIELDS", "Journal", "MIGRATIONS", "default_journal_path", "field_hashes"]
