"""The journal: a local SQLite file logging every model call and keeping every original.

For each original it also records whether the bridge's write that followed happened, and a hash
of each field that write left on the post, so that ``restore`` never puts back an original over
an edit made later.

Schema changes are small named migrations, applied in order once each (``_migrations`` keeps
which ran). Nothing here holds a secret, but the originals are unpublished drafts: the file is
readable by its owner only (0600), in a folder the bridge creates for its owner only (0700).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path

from .errors import ConfigError
from .llm import CallRecord
from .wordpress.models import Post


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
    _chmod_at_most(path, 0o600)  # SQLite gives its temporary side files the database's mode


def _chmod_at_most(path: Path, mode: int) -> None:
    current = stat.S_IMODE(path.stat().st_mode)
    if current & ~mode:
        os.chmod(path, current & mode)


class Journal:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            _make_private(self.path)
            self.db = sqlite3.connect(self.path)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(
                f"Cannot open the journal {self.path}: {exc}.", hint="Set `journal.path` to a writable file."
            ) from None
        self.db.row_factory = sqlite3.Row
        self.migrate()

    def migrate(self) -> None:
        with self.db:
            self.db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            done = {row[0] for row in self.db.execute("SELECT name FROM _migrations")}
            for name, migration in MIGRATIONS:
                if name not in done:
                    migration(self.db)
                    self.db.execute("INSERT INTO _migrations VALUES (?, ?)", (name, _now()))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def log_calls(self, site: str, post_id: int | None, calls: tuple[CallRecord, ...] | list[CallRecord]) -> None:
        with self.db:
            self.db.executemany(
                "INSERT INTO model_calls (at, site, post_id, model, endpoint, mode, prompt_tokens, completion_tokens,"
                " duration_ms, outcome, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (_now(), site, post_id, c.model, c.endpoint, c.mode, c.usage.prompt_tokens, c.usage.completion_tokens,
                     c.duration_ms, c.outcome, c.error)
                    for c in calls
                ],
            )

    def keep_original(self, site: str, post: Post, source_hash: str, *, kind: str = "rewrite") -> int:
        """Store the post as it was before the bridge wrote it; returns the record's ID.

        ``kind``: the write to follow, a ``rewrite`` or a forced ``restore`` (which replaces an edit).
        """
        with self.db:
            cursor = self.db.execute(
                "INSERT INTO originals (at, site, post_id, post_type, status, modified_gmt, title, content, excerpt,"
                " slug, meta, source_hash, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (_now(), site, post.id, post.type, post.status, post.modified_gmt.isoformat(), post.title, post.content,
                 post.excerpt, post.slug, json.dumps(post.meta, ensure_ascii=False), source_hash, kind),
            )
        return int(cursor.lastrowid)

    def mark_written(self, original_id: int, hashes: Mapping[str, str]) -> None:
        """The write that followed the original happened; ``hashes``: see :func:`field_hashes`."""
        with self.db:
            self.db.execute(
                "UPDATE originals SET written = 1, written_at = ?, written_hashes = ?, not_written_reason = ''"
                " WHERE id = ?",
                (_now(), json.dumps(dict(hashes), sort_keys=True), original_id),
            )

    def mark_not_written(self, original_id: int, reason: str) -> None:
        """The write that followed the original did not happen, for ``reason``."""
        with self.db:
            self.db.execute(
                "UPDATE originals SET written = 0, not_written_reason = ? WHERE id = ?", (reason, original_id)
            )

    def mark_restored(self, original_id: int) -> None:
        """The original was put back on the post by ``restore``."""
        with self.db:
            self.db.execute("UPDATE originals SET restored_at = ? WHERE id = ?", (_now(), original_id))

    def originals(self, site: str, post_id: int) -> list[sqlite3.Row]:
        """Every kept original of a post, newest first."""
        return list(
            self.db.execute("SELECT * FROM originals WHERE site = ? AND post_id = ? ORDER BY id DESC", (site, post_id))
        )

    def calls(self, post_id: int | None = None) -> list[sqlite3.Row]:
        query, args = "SELECT * FROM model_calls", ()
        if post_id is not None:
            query, args = query + " WHERE post_id = ?", (post_id,)
        return list(self.db.execute(query + " ORDER BY id", args))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


__all__ = ["HASHED_FIELDS", "Journal", "MIGRATIONS", "default_journal_path", "field_hashes"]
