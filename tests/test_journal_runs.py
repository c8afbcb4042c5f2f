"""The journal of sync runs: runs, each post's outcome, costs, kept answers; WAL mode, shared by threads."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from dataclasses import asdict
from types import SimpleNamespace

import pytest

from wp_seo_bridge.costs import Prices, add_costs, call_cost, format_cost
from wp_seo_bridge.journal import MIGRATIONS, Journal
from wp_seo_bridge.llm import CallRecord, Usage
from wp_seo_bridge.sync.results import Lights, PostResult, Totals

PRICES = Prices(input_per_million=2.0, output_per_million=8.0)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def a_call(prompt: int = 1000, completion: int = 500, outcome: str = "ok") -> CallRecord:
    return CallRecord(model="gpt-test", endpoint="https://api.test/v1", mode="json_schema",
                      usage=Usage(prompt, completion), duration_ms=1200, outcome=outcome)


def a_result(post_id: int = 7, outcome: str = "rewritten", cost: float | None = 0.006, calls: int = 1,
             **fields) -> PostResult:
    values = dict(title=f"Brouillon {post_id}", calls=calls, prompt_tokens=1000 * calls,
                  completion_tokens=500 * calls, cost=cost, before=Lights("bad", "ok"), after=Lights("good", "good"))
    return PostResult(id=post_id, outcome=outcome, **{**values, **fields})


@pytest.fixture
def journal(tmp_path):
    with Journal(tmp_path / "journal.sqlite3") as journal:
        yield journal


# -- costs --------------------------------------------------------------------------------------


def test_a_cost_is_unknown_without_prices_never_free():
    usage = Usage(1_000_000, 250_000)
    assert call_cost(usage, PRICES) == pytest.approx(2.0 + 2.0)
    assert call_cost(usage, Prices()) is None and call_cost(usage, None) is None
    assert call_cost(Usage(0, 0), PRICES) == 0.0
    assert Prices(0, 3).known and not Prices().known
    assert add_costs(1.5, 2.0) == 3.5 and add_costs(None, 2.0) is None and add_costs(1.0, None) is None
    assert format_cost(None) == "unknown" and format_cost(0.0) == "0.0000" and format_cost(0.01234) == "0.0123"


def test_prices_are_read_from_the_model_settings_when_it_has_them():
    assert Prices.from_settings(SimpleNamespace(input_price_per_million=0.15, output_price_per_million=0.6)) == \
        Prices(0.15, 0.6)
    assert Prices.from_settings(SimpleNamespace()) == Prices()  # a configuration without prices: unknown
    from wp_seo_bridge.config import ModelSettings

    assert not Prices.from_settings(ModelSettings()).known  # the default is 0: unknown
    priced = ModelSettings(input_price_per_million=0.15, output_price_per_million=0.6)
    assert Prices.from_settings(priced) == Prices(0.15, 0.6)


def test_each_call_is_logged_with_its_run_and_cost(journal):
    run_id = journal.start_run("blog", {"limit": 5})
    journal.log_calls("blog", 7, [a_call(), a_call(outcome="RateLimited", prompt=0, completion=0)], run_id=run_id,
                      prices=PRICES)
    journal.log_calls("blog", 8, [a_call()])  # a rewrite outside a run, prices unknown
    first, failed, unknown = journal.calls()
    assert (first["run_id"], first["cost"]) == (run_id, pytest.approx(0.006))
    assert (failed["run_id"], failed["cost"]) == (run_id, 0.0)
    assert unknown["run_id"] is None and unknown["cost"] is None


# -- migrations, files ----------------------------------------------------------------------------


def test_a_journal_of_before_runs_gains_the_new_tables_with_its_calls_kept(tmp_path):
    path = tmp_path / "journal.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, migration in MIGRATIONS[:4]:
        migration(db)
        db.execute("INSERT INTO _migrations VALUES (?, '2026-01-01T00:00:00+00:00')", (name,))
    db.execute("INSERT INTO model_calls (at, site, post_id, model, endpoint, mode, prompt_tokens, completion_tokens,"
               " duration_ms, outcome) VALUES ('2026-01-01T00:00:00+00:00', 's', 7, 'm', 'e', 'json_schema', 10, 5,"
               " 100, 'ok')")
    db.commit()
    db.close()
    with Journal(path) as journal:
        (old,) = journal.calls(7)
        assert old["prompt_tokens"] == 10 and old["run_id"] is None and old["cost"] is None
        names = [row[0] for row in journal.db.execute("SELECT name FROM _migrations ORDER BY name")]
        assert journal.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert names[4:] == ["005_runs", "006_run_posts", "007_call_runs_and_costs", "008_answers"]
    Journal(path).close()  # applied once only


@pytest.mark.parametrize("umask", [0, 0o022])
def test_the_wal_side_files_are_private_too(tmp_path, umask):
    path = tmp_path / "journal.sqlite3"
    previous = os.umask(umask)
    try:
        with Journal(path) as journal:
            journal.start_run("blog", {})
            sides = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
            assert all(side.exists() for side in sides)
            assert [mode(side) for side in sides] == [0o600, 0o600] and mode(path) == 0o600
    finally:
        os.umask(previous)


def test_side_files_left_readable_by_another_tool_are_tightened(tmp_path):
    path = tmp_path / "journal.sqlite3"
    Journal(path).close()
    wal = path.with_name(path.name + "-wal")
    wal.write_bytes(b"")
    wal.chmod(0o644)
    with Journal(path) as journal:
        journal.start_run("blog", {})
        assert mode(wal) == 0o600


# -- threads ----------------------------------------------------------------------------------------


def test_workers_in_threads_write_at_once_and_nothing_is_lost(tmp_path):
    path = tmp_path / "journal.sqlite3"
    with Journal(path) as journal, Journal(path) as other_process:
        run_id = journal.start_run("blog", {"concurrency": 8})
        barrier = threading.Barrier(8)
        errors: list[BaseException] = []

        def worker(n: int) -> None:
            target = other_process if n % 4 == 0 else journal  # a second connection, as another process would be
            try:
                barrier.wait()
                for i in range(25):
                    post_id = n * 100 + i
                    target.log_calls("blog", post_id, [a_call(), a_call()], run_id=run_id, prices=PRICES)
                    answer_id = target.keep_answer("blog", post_id, "h", "f", {"title": f"T{post_id}"}, run_id)
                    target.record_run_post(run_id, "blog", a_result(post_id))
                    target.settle_answer(answer_id, "written")
                    assert target.last_outcome("blog", post_id)["outcome"] == "rewritten"
            except BaseException as exc:  # noqa: BLE001 - reported by the main thread
                errors.append(exc)

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert len(journal.calls()) == 8 * 25 * 2
        assert len(journal.run_posts(run_id)) == 8 * 25
        (run,) = journal.runs()
        assert run["totals"]["rewritten"] == 200 and run["totals"]["calls"] == 200
        assert run["totals"]["cost"] == pytest.approx(200 * 0.006)
        pending = journal.db.execute("SELECT count(*) FROM answers WHERE state = 'pending'").fetchone()[0]
        assert pending == 0


# -- runs -------------------------------------------------------------------------------------------


def test_a_run_is_started_recorded_post_by_post_and_ended_with_its_totals(journal):
    run_id = journal.start_run("blog", {"limit": 3, "dry_run": False})
    journal.record_run_post(run_id, "blog", a_result(7))
    journal.record_run_post(run_id, "blog", a_result(8, "needs_attention", reason="Readability stayed bad."),
                            source_hash="sha256:8")
    journal.record_run_post(run_id, "blog", a_result(9, "skipped", cost=None, calls=0, before=None, after=None,
                                                     reason="Modified 2 minutes ago."))
    (running,) = journal.runs()
    assert running["status"] == "running" and running["ended_at"] is None and running["options"]["limit"] == 3
    assert running["totals"] == {"selected": 2, "rewritten": 1, "needs_attention": 1, "failed": 0, "skipped": 1,
                                 "would_rewrite": 0, "calls": 2, "prompt_tokens": 2000, "completion_tokens": 1000,
                                 "cost": pytest.approx(0.012)}
    journal.end_run(run_id, Totals(selected=2, rewritten=1, needs_attention=1, skipped=1, cost=0.012))
    ended = journal.run(run_id)
    assert ended["status"] == "finished" and ended["ended_at"] and ended["totals"] == asdict(
        Totals(selected=2, rewritten=1, needs_attention=1, skipped=1, cost=0.012))
    posts = journal.run_posts(run_id)
    assert [p["post_id"] for p in posts] == [7, 8, 9]
    assert (posts[1]["reason"], posts[1]["source_hash"], posts[1]["seo_before"], posts[1]["readability_after"]) == \
        ("Readability stayed bad.", "sha256:8", "bad", "good")
    assert posts[2]["cost"] is None and posts[2]["seo_before"] is None
    assert journal.run(run_id + 1) is None
    with pytest.raises(ValueError):
        journal.end_run(run_id, {}, status="running")


def test_a_run_with_an_unknown_cost_has_an_unknown_total(journal):
    run_id = journal.start_run("blog", {})
    journal.record_run_post(run_id, "blog", a_result(7))
    journal.record_run_post(run_id, "blog", a_result(8, cost=None))
    assert journal.run(run_id)["totals"]["cost"] is None


def test_runs_left_running_by_a_crash_are_closed_as_interrupted_by_the_next_run_of_the_site(journal):
    crashed = journal.start_run("blog", {})
    journal.record_run_post(crashed, "blog", a_result(7))
    other_site = journal.start_run("shop", {})
    finished = journal.start_run("blog", {})
    journal.end_run(finished, {"selected": 0})
    assert journal.close_interrupted_runs("blog") == [crashed]
    assert journal.close_interrupted_runs("blog") == []
    closed = journal.run(crashed)
    assert closed["status"] == "interrupted" and closed["ended_at"]
    assert closed["totals"]["rewritten"] == 1 and closed["totals"]["cost"] == pytest.approx(0.006)
    assert journal.run(other_site)["status"] == "running" and journal.run(finished)["status"] == "finished"
    assert [r["id"] for r in journal.runs("blog")] == [finished, crashed]
    assert [r["id"] for r in journal.runs(limit=1)] == [finished]


def test_the_last_outcome_of_a_post_is_its_latest_real_one(journal):
    assert journal.last_outcome("blog", 7) is None
    first = journal.start_run("blog", {})
    journal.record_run_post(first, "blog", a_result(7, "needs_attention"), source_hash="sha256:a")
    dry = journal.start_run("blog", {"dry_run": True})
    journal.record_run_post(dry, "blog", a_result(7, "would_rewrite", calls=0, cost=None))
    latest = journal.last_outcome("blog", 7)
    assert (latest["outcome"], latest["run_id"], latest["source_hash"]) == ("needs_attention", first, "sha256:a")
    assert journal.last_outcome("shop", 7) is None


def test_a_post_history_gathers_runs_calls_and_originals_under_the_site_name_or_url(journal):
    from tests.test_journal import a_post

    run_id = journal.start_run("blog", {})
    journal.log_calls("https://blog.test", 7, [a_call()], run_id=run_id, prices=PRICES)
    journal.record_run_post(run_id, "blog", a_result(7))
    kept = journal.keep_original("https://blog.test", a_post(), "sha256:x")
    journal.mark_written(kept, {"title": "h"})
    journal.record_run_post(run_id, "shop", a_result(7, "failed"))
    everywhere = journal.post_history(None, 7)
    assert [r["site"] for r in everywhere.run_posts] == ["blog", "shop"]
    blog = journal.post_history(["blog", "https://blog.test"], 7)
    assert [r["outcome"] for r in blog.run_posts] == ["rewritten"] and len(blog.calls) == 1
    (original,) = blog.originals
    assert original["written"] == 1 and original["kind"] == "rewrite" and "content" not in original
    assert journal.post_history("blog", 7, limit=1).run_posts[0]["site"] == "blog"
    assert journal.post_history("blog", 8).empty


# -- kept answers -----------------------------------------------------------------------------------


def test_an_answer_is_kept_until_written_and_found_only_for_the_post_as_it_was(journal):
    payload = {"title": "Réécrit", "content": "<p>Texte.</p>"}
    answer_id = journal.keep_answer("blog", 7, "sha256:a", "fp1", payload, run_id=None)
    assert journal.pending_answer("blog", 7, "sha256:a", "fp1") == (answer_id, payload)
    assert journal.pending_answer("blog", 7, "sha256:b", "fp1") is None  # the author changed the draft
    assert journal.pending_answer("blog", 7, "sha256:a", "fp2") is None  # other settings or prompt
    assert journal.pending_answer("shop", 7, "sha256:a", "fp1") is None
    journal.settle_answer(answer_id, "written")
    assert journal.pending_answer("blog", 7, "sha256:a", "fp1") is None
    with pytest.raises(ValueError):
        journal.settle_answer(answer_id, "pending")


def test_a_new_answer_for_a_post_replaces_the_pending_one(journal):
    old = journal.keep_answer("blog", 7, "sha256:a", "fp", {"n": 1})
    new = journal.keep_answer("blog", 7, "sha256:b", "fp", {"n": 2})
    assert journal.pending_answer("blog", 7, "sha256:a", "fp") is None
    assert journal.pending_answer("blog", 7, "sha256:b", "fp") == (new, {"n": 2})
    assert [(a["id"], a["state"]) for a in journal.answers("blog", 7)] == [(old, "discarded"), (new, "pending")]
