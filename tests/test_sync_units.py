"""Sync's parts without any I/O or with the OS only: selection, the site lock, the limits."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest

from wp_seo_bridge.record import read_record, source_hash
from wp_seo_bridge.sync.limits import AdaptiveLimit, Budget
from wp_seo_bridge.sync.lock import SiteLock
from wp_seo_bridge.sync.selection import decide
from wp_seo_bridge.wordpress.models import RECORD_META_KEY, EditLock, Post

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)
TEN_MINUTES = timedelta(minutes=10)


def post(**fields) -> Post:
    values = dict(
        id=7, type="post", status="draft", title="Titre", content="<p>Texte du brouillon.</p>", excerpt="",
        slug="", modified_gmt=NOW - timedelta(hours=1), bridge_fields=True, server_now=NOW,
    )
    values.update(fields)
    return Post(**values)


def record(status: str, *, action: str = "rewrite", source: str = "", written: str = "", reasons=()) -> dict:
    data = {"action": action, "status": status, "at": "2026-11-30T10:00:00+00:00", "source_hash": source,
            "written_hash": written, "reasons": list(reasons)}
    return {RECORD_META_KEY: json.dumps(data)}


def choose(p: Post, **options):
    return decide(p, statuses=options.pop("statuses", ["draft"]), min_age=options.pop("min_age", TEN_MINUTES),
                  now=options.pop("now", NOW), **options)


def test_a_new_draft_left_alone_long_enough_is_taken():
    decision = choose(post())
    assert decision.selected and "not processed yet" in decision.reason


@pytest.mark.parametrize("status, word", [("publish", "published"), ("future", "scheduled"), ("private", "private")])
def test_published_scheduled_and_private_posts_are_never_taken_even_forced(status, word):
    decision = choose(post(status=status), force=True)
    assert not decision.selected and decision.reason.startswith(word)


def test_pending_posts_are_taken_only_when_the_configuration_says_so():
    pending = post(status="pending")
    assert not choose(pending).selected and "`sync.statuses`" in choose(pending).reason
    assert choose(pending, statuses=["draft", "pending"]).selected


def test_a_draft_modified_recently_waits_until_it_has_been_quiet():
    decision = choose(post(modified_gmt=NOW - timedelta(minutes=3)))
    assert not decision.selected and "modified 3 min ago" in decision.reason and "10 min" in decision.reason
    assert choose(post(modified_gmt=NOW - timedelta(minutes=3)), min_age=timedelta(0)).selected


def test_the_sites_clock_judges_ages_not_the_bridges():
    # The site's clock is 20 minutes behind the bridge's: the draft was modified 5 minutes ago on the site.
    site_now = NOW - timedelta(minutes=20)
    decision = choose(post(modified_gmt=site_now - timedelta(minutes=5), server_now=site_now))
    assert not decision.selected and "modified 5 min ago" in decision.reason


def test_a_draft_open_in_an_editor_waits_and_a_stale_lock_does_not_block():
    fresh = post(edit_lock=EditLock(user=3, at=NOW - timedelta(seconds=40)))
    decision = choose(fresh, force=True)
    assert not decision.selected and "open in the editor (user 3" in decision.reason
    stale = post(edit_lock=EditLock(user=3, at=NOW - timedelta(seconds=151)))
    assert choose(stale).selected


def test_a_rewritten_post_is_never_taken_again_even_after_an_edit_unless_forced():
    p = post(title="Réécrit", content="<p>Article</p>")
    untouched = post(title="Réécrit", content="<p>Article</p>",
                     meta=record("done", source="sha256:old", written=source_hash("Réécrit", "<p>Article</p>")))
    edited = post(title="Retouché", content="<p>Article</p>", meta=untouched.meta)
    assert "untouched since" in choose(untouched).reason and not choose(untouched).selected
    assert "edited since" in choose(edited).reason and not choose(edited).selected
    assert "--force --post" in choose(edited).reason
    forced = choose(edited, force=True)
    assert forced.selected and "--force" in forced.reason
    assert p.title  # the draft itself is untouched by deciding


def test_needs_attention_waits_for_the_author_to_change_the_draft():
    same = source_hash("Titre", "<p>Texte du brouillon.</p>")
    waiting = post(meta=record("needs attention", source=same, reasons=["seo: keyphrase missing in the title"]))
    decision = choose(waiting)
    assert not decision.selected and "needed attention" in decision.reason and "keyphrase missing" in decision.reason
    changed = post(content="<p>Texte corrigé.</p>", meta=waiting.meta)
    assert choose(changed).selected and "changed since" in choose(changed).reason
    failed = post(meta=record("failed", source=same, reasons=["too short"]))
    assert not choose(failed).selected and choose(post(title="Autre", meta=failed.meta)).selected


def test_a_restored_post_is_not_taken_again():
    decision = choose(post(meta=record("done", action="restore")))
    assert not decision.selected and decision.reason.startswith("restored")


@pytest.mark.parametrize("raw", ["", "not json", "[]", '{"status": 3}', '{"no": "status"}',
                                 '{"status": "done", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"])
def test_a_record_that_is_not_the_bridges_is_ignored(raw):
    assert read_record({RECORD_META_KEY: raw}) is None
    assert choose(post(meta={RECORD_META_KEY: raw})).selected


# -- the site lock ----------------------------------------------------------------------------

HOLD = """
import sys, time
from pathlib import Path
from wp_seo_bridge.sync.lock import SiteLock
lock = SiteLock(Path(sys.argv[1]), "https://example.com")
print("acquired" if lock.acquire() else "busy", flush=True)
time.sleep(60)
"""


def test_one_sync_per_site_and_a_killed_run_leaves_no_stuck_lock(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "acquired"
        other = SiteLock(tmp_path, "https://example.com/")  # the same site, written differently
        assert not other.acquire()
        assert SiteLock(tmp_path, "https://other.example.com").acquire()
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
        assert other.acquire()  # the kernel released the dead run's lock
        other.release()
    finally:
        holder.kill()
    assert oct(os.stat(other.path).st_mode & 0o777) == "0o600"


# -- the limits ---------------------------------------------------------------------------------

def test_a_rate_limit_halves_the_posts_in_flight_for_a_while():
    clock = [0.0]
    limit = AdaptiveLimit(8, clock=lambda: clock[0])
    limit.rate_limited(retry_after=20)
    assert limit.current == 4
    limit.rate_limited(retry_after=5)
    assert limit.current == 2
    clock[0] = 19.0
    assert limit.current == 2
    clock[0] = 20.5
    assert limit.current == 8
    limit.rate_limited()  # no Retry-After: a default cool-down
    assert limit.current == 4


def test_a_lowered_limit_holds_back_new_posts_and_stop_frees_a_waiting_one():
    limit = AdaptiveLimit(2)
    assert limit.acquire() and limit.acquire()
    stop = threading.Event()
    got: list[bool] = []
    waiter = threading.Thread(target=lambda: got.append(limit.acquire(stop)))
    waiter.start()
    time.sleep(0.3)
    assert got == []
    stop.set()
    waiter.join(5)
    assert got == [False]
    limit.release()
    assert limit.acquire()


def test_the_budget_is_reached_when_spent_and_unknown_costs_do_not_count():
    budget = Budget(0.05)
    budget.add(0.02)
    budget.add(None)
    assert not budget.reached
    budget.add(0.03)
    assert budget.reached
    assert not Budget(None).reached


def test_the_model_client_tells_each_rate_limit_with_its_retry_after(tmp_path):
    from tests.support.fake_openai import CHAT, FakeOpenAI, answer, error
    from wp_seo_bridge.config import ModelSettings
    from wp_seo_bridge.llm import complete_structured, make_client
    from wp_seo_bridge.article import ArticleProposal

    told: list[float | None] = []
    with FakeOpenAI() as server:
        server.queue(CHAT, error(429, "slow down", {"Retry-After": "0.2"}), error(429, "slow down", {"retry-after-ms": "150"}),
                     answer("{}"))
        settings = ModelSettings(base_url=server.base_url, max_retries=2, structured_output="json_object")
        client = make_client(settings, on_rate_limit=told.append)
        try:
            with pytest.raises(Exception):  # "{}" is not an article: what matters here is what came before
                complete_structured(client, settings, [{"role": "user", "content": "x"}], ArticleProposal,
                                    mode="json_object")
        finally:
            client.close()
    assert told == [0.2, 0.15]


def test_a_new_journal_opened_by_several_at_once_is_migrated_once(tmp_path):
    from wp_seo_bridge.journal import MIGRATIONS, Journal

    for attempt in range(20):  # a race: several tries, each on a fresh file
        path = tmp_path / f"journal-{attempt}.sqlite3"
        start = threading.Barrier(6)
        failures: list[BaseException] = []

        def open_journal() -> None:
            start.wait()
            try:
                Journal(path).close()
            except BaseException as exc:  # noqa: BLE001 - reported below
                failures.append(exc)

        openers = [threading.Thread(target=open_journal) for _ in range(6)]
        for opener in openers:
            opener.start()
        for opener in openers:
            opener.join(60)
        assert failures == []
        with Journal(path) as journal:
            assert len(journal.db.execute("SELECT * FROM _migrations").fetchall()) == len(MIGRATIONS)
