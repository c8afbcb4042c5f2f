"""The editors' requests from WordPress (``_wp_seo_bridge_request``) and ``[sync] mode`` in a sync's decisions,
and what the bridge's record tells the editors' box: no I/O."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from wp_seo_bridge.draft_markup import Removed
from wp_seo_bridge.record import read_record, removed_items, source_hash
from wp_seo_bridge.sync.selection import decide
from wp_seo_bridge.wordpress.models import RECORD_META_KEY, REQUEST_META_KEY, EditLock, EditorRequest, Post

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)
RECORD_AT = datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc)
TITLE, CONTENT = "Titre", "<p>Texte du brouillon.</p>"
CURRENT = source_hash(TITLE, CONTENT, "")
STALE = "sha256:" + "0" * 64


def stamp(when: datetime) -> str:
    return f"again:{int(when.timestamp())}"


def post(request: str | None = None, record: dict | None = None, **fields) -> Post:
    meta = {}
    if request is not None:
        meta[REQUEST_META_KEY] = request
    if record is not None:
        meta[RECORD_META_KEY] = json.dumps(record)
    values = dict(
        id=7, type="post", status="draft", title=TITLE, content=CONTENT, excerpt="", slug="",
        modified_gmt=NOW - timedelta(hours=1), bridge_fields=True, server_now=NOW, meta=meta,
    )
    values.update(fields)
    return Post(**values)


def record(status: str = "done", *, action: str = "rewrite", source: str = STALE, written: str = CURRENT,
           **fields) -> dict:
    return {"action": action, "status": status, "at": RECORD_AT.isoformat(), "source_hash": source,
            "written_hash": written, "reasons": ["Too short."], **fields}


def choose(p: Post, mode: str = "opt-out", force: bool = False):
    return decide(p, statuses=["draft"], min_age=timedelta(minutes=10), now=NOW, force=force, mode=mode)


@pytest.mark.parametrize(("value", "kind", "at"), [
    ("rewrite", "rewrite", None),
    ("skip", "skip", None),
    (" skip ", "skip", None),
    ("again:1764676800", "again", datetime(2025, 12, 2, 12, 0, tzinfo=timezone.utc)),
])
def test_the_request_is_read_from_its_meta(value, kind, at):
    request = post(value).request
    assert request is not None and request.kind == kind and request.at == at


@pytest.mark.parametrize("value", ["", "Rewrite", "again", "again:", "again:-5", "again:12ab", "again:0",
                                   "<script>alert(1)</script>", "again:99999999999999999999",
                                   "again:999999999999", "again:\u0661\u0662", "again:" + "1" * 5000])
def test_anything_else_is_the_sites_default(value):
    assert post(value).request is None and EditorRequest.parse(None) is None


# -- "Do not rewrite" -----------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["opt-out", "opt-in"])
@pytest.mark.parametrize("previous", [None, record("needs attention"), record("failed")])
def test_do_not_rewrite_is_honoured_in_both_modes_and_named_in_the_reason(mode, previous):
    decision = choose(post("skip", previous), mode)
    assert not decision.selected and '"Do not rewrite"' in decision.reason and "--force --post" in decision.reason


def test_only_force_overrides_do_not_rewrite():
    assert choose(post("skip"), force=True).selected
    assert choose(post("skip", record()), force=True).reason == "asked for again with --force"


def test_force_still_waits_for_a_post_open_in_the_editor():
    held = post("skip", edit_lock=EditLock(user=3, at=NOW - timedelta(seconds=10)))
    assert not choose(held, force=True).selected


# -- opt-out (the default) and opt-in ---------------------------------------------------------------

def test_opt_out_takes_a_new_draft_with_no_request_and_opt_in_does_not():
    assert choose(post()).selected
    decision = choose(post(), "opt-in")
    assert not decision.selected and "opt-in" in decision.reason and '"Rewrite this draft"' in decision.reason


@pytest.mark.parametrize("mode", ["opt-out", "opt-in"])
def test_rewrite_this_draft_takes_a_new_draft_in_both_modes(mode):
    decision = choose(post("rewrite"), mode)
    assert decision.selected and '"Rewrite this draft"' in decision.reason


def test_opt_in_still_follows_the_record_for_a_post_asked_for():
    # Asked for, but already rewritten: "Rewrite this draft" is not "Rewrite again".
    assert not choose(post("rewrite", record()), "opt-in").selected
    # Needs attention and unchanged: waits for the author; changed: taken again.
    assert not choose(post("rewrite", record("needs attention", source=CURRENT)), "opt-in").selected
    assert choose(post("rewrite", record("needs attention", source=STALE)), "opt-in").selected


def test_opt_in_does_not_take_a_fixed_draft_nobody_asked_for():
    assert choose(post(None, record("needs attention", source=STALE))).selected
    assert not choose(post(None, record("needs attention", source=STALE)), "opt-in").selected


def test_opt_in_takes_a_post_only_when_still_writable_and_quiet():
    assert not choose(post("rewrite", status="publish"), "opt-in").selected
    assert not choose(post("rewrite", modified_gmt=NOW - timedelta(minutes=2)), "opt-in").selected


# -- "Rewrite again" ------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["opt-out", "opt-in"])
@pytest.mark.parametrize("previous", [record(), record(written=STALE), record(action="restore")])
def test_rewrite_again_newer_than_the_record_takes_a_rewritten_or_restored_post(mode, previous):
    decision = choose(post(stamp(RECORD_AT + timedelta(minutes=5)), previous), mode)
    assert decision.selected and '"Rewrite again"' in decision.reason


@pytest.mark.parametrize("mode", ["opt-out", "opt-in"])
def test_rewrite_again_older_than_the_record_is_settled(mode):
    decision = choose(post(stamp(RECORD_AT - timedelta(minutes=5)), record()), mode)
    assert not decision.selected and "rewritten by the bridge" in decision.reason


@pytest.mark.parametrize("mode", ["opt-out", "opt-in"])
def test_a_record_naming_the_request_settles_it_whatever_the_clocks(mode):
    request = stamp(RECORD_AT + timedelta(hours=2))  # the site's clock runs two hours ahead of the bridge's
    decision = choose(post(request, record(request=request)), mode)
    assert not decision.selected and "rewritten by the bridge" in decision.reason
    # A record naming another request (or none) leaves a newer request pending, even if dated after it.
    assert choose(post(request, record(request="")), mode).selected
    assert choose(post(stamp(RECORD_AT - timedelta(hours=1)), record(request="again:5")), mode).selected


def test_rewrite_again_on_a_post_without_record_takes_it():
    assert choose(post(stamp(NOW), None), "opt-in").selected


def test_rewrite_again_waits_for_the_draft_to_be_quiet_and_closed():
    recent = post(stamp(NOW), record(), modified_gmt=NOW - timedelta(minutes=1))
    assert not choose(recent).selected and "modified 60 s ago" in choose(recent).reason
    held = post(stamp(NOW), record(), edit_lock=EditLock(user=3, at=NOW - timedelta(seconds=10)))
    assert not choose(held).selected and "open in the editor" in choose(held).reason


def test_without_a_request_a_rewritten_post_stays_settled_in_both_modes():
    for mode in ("opt-out", "opt-in"):
        assert not choose(post(None, record()), mode).selected
        assert not choose(post("", record()), mode).selected


# -- the record as the editors' box reads it ---------------------------------------------------------

def test_removed_markup_is_told_in_plain_words():
    removed = Removed.of(["script element", "script element", "onclick attribute", "onerror attribute",
                          "onerror attribute", "javascript: URL", "iframe element", "template element",
                          "style attribute"])
    assert removed_items(removed) == [
        "2 scripts", "3 event handlers (onclick, onerror)", "1 javascript: link", "1 embedded frame (iframe)",
        "1 template element", "1 style attribute holding script",
    ]
    assert removed_items(Removed()) == []


def test_the_record_keeps_the_request_it_saw_and_its_time():
    meta = {RECORD_META_KEY: json.dumps(record(request="again:5"))}
    read = read_record(meta)
    assert read is not None and read.request == "again:5" and read.at_time == RECORD_AT
    older = read_record({RECORD_META_KEY: json.dumps({"status": "done", "at": "soon"})})
    assert older is not None and older.request is None and older.at_time is None
