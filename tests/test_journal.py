"""The journal file: private (it holds unpublished drafts), migrated in small named steps."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from datetime import datetime, timezone

import pytest

from wp_seo_bridge.errors import ConfigError
from wp_seo_bridge.journal import MIGRATIONS, Journal, default_journal_path, field_hashes
from wp_seo_bridge.wordpress.models import Post


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def a_post(**fields) -> Post:
    values = dict(id=7, type="post", status="draft", title="Titre", content="<p>Texte.</p>", excerpt="", slug="titre",
                  modified_gmt=datetime(2026, 1, 1, tzinfo=timezone.utc), meta={"_yoast_wpseo_title": "SEO"})
    return Post(**{**values, **fields})


def test_a_new_journal_is_private_in_a_private_folder(tmp_path):
    path = tmp_path / "new" / "folder" / "journal.sqlite3"
    previous = os.umask(0)  # the most permissive umask: the modes must not depend on it
    try:
        with Journal(path) as journal:
            journal.keep_original("https://site.test", a_post(), "sha256:x")
    finally:
        os.umask(previous)
    assert mode(path) == 0o600 and mode(path.parent) == 0o700


def test_an_existing_journal_is_tightened_and_so_is_the_default_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    path = default_journal_path()
    path.parent.mkdir(parents=True, mode=0o755)
    path.parent.chmod(0o755)
    sqlite3.connect(path).close()
    path.chmod(0o644)
    Journal(path).close()
    assert mode(path) == 0o600 and mode(path.parent) == 0o700


def test_a_folder_chosen_by_the_user_keeps_its_mode(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    Journal(shared / "journal.sqlite3").close()
    assert mode(shared) == 0o755 and mode(shared / "journal.sqlite3") == 0o600


def test_a_journal_that_cannot_be_created_is_a_clear_error(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(ConfigError, match="Cannot open the journal") as caught:
        Journal(tmp_path / "file" / "journal.sqlite3")
    assert "journal.path" in caught.value.hint


def test_migration_003_leaves_older_originals_of_unknown_outcome(tmp_path):
    path = tmp_path / "journal.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, migration in MIGRATIONS[:2]:
        migration(db)
        db.execute("INSERT INTO _migrations VALUES (?, '2026-01-01T00:00:00+00:00')", (name,))
    db.execute("INSERT INTO originals (at, site, post_id, post_type, status, modified_gmt, title, content, excerpt, "
               "slug, meta, source_hash) VALUES ('2026-01-01T00:00:00+00:00', 's', 7, 'post', 'draft', '', 'T', 'C', "
               "'', 't', '{}', 'h')")
    db.commit()
    db.close()
    with Journal(path) as journal:
        (old,) = journal.originals("s", 7)
        assert old["written"] is None and old["restored_at"] is None and old["written_hashes"] == "{}"
        assert old["kind"] == "rewrite"
        names = [row[0] for row in journal.db.execute("SELECT name FROM _migrations ORDER BY name")]
    assert names[:4] == ["001_model_calls", "002_originals", "003_write_outcomes", "004_original_kinds"]
    assert names == [name for name, _ in MIGRATIONS]
    Journal(path).close()  # applied once only


def test_each_original_records_whether_its_write_happened(tmp_path):
    with Journal(tmp_path / "journal.sqlite3") as journal:
        written = journal.keep_original("s", a_post(), "h1")
        refused = journal.keep_original("s", a_post(), "h2")
        pending = journal.keep_original("s", a_post(), "h3")
        hashes = field_hashes(a_post(title="Réécrit"), ["_yoast_wpseo_title"])
        journal.mark_written(written, hashes)
        journal.mark_not_written(refused, "Post 7 changed on the site since it was read (title)")
        journal.mark_restored(written)
        rows = {row["id"]: row for row in journal.originals("s", 7)}
    assert rows[written]["written"] == 1 and json.loads(rows[written]["written_hashes"]) == hashes
    assert rows[written]["written_at"] and rows[written]["restored_at"]
    assert rows[refused]["written"] == 0 and "changed on the site" in rows[refused]["not_written_reason"]
    assert rows[pending]["written"] is None


def test_field_hashes_tell_each_field_apart():
    base = field_hashes(a_post(), ["_yoast_wpseo_title", "_yoast_wpseo_metadesc"])
    assert set(base) == {"title", "content", "excerpt", "slug", "status", "meta:_yoast_wpseo_title",
                         "meta:_yoast_wpseo_metadesc"}
    for changed, name in [({"title": "Autre"}, "title"), ({"status": "pending"}, "status"),
                          ({"meta": {"_yoast_wpseo_title": "Autre"}}, "meta:_yoast_wpseo_title")]:
        other = field_hashes(a_post(**changed), ["_yoast_wpseo_title", "_yoast_wpseo_metadesc"])
        assert [key for key in base if base[key] != other[key]] == [name]
