"""A sync killed at any moment (``kill -9``) and run again: no post written twice, none half-written, no
answer paid for twice once received, and the journal consistent. Also: two syncs started together."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.seed_model import new_category, seed_text
from wp_seo_bridge.journal import Journal
from tests.support.seed_model import SEED_MODEL_KEY as API_KEY


#: Holds a chosen request of the bridge, once, after writing a marker file, until a release file appears
#: (at most 60 s): the test kills the sync there. "reread": the post read again just before the write; "write": the write itself, once the
#: post and its meta are saved (rest_after_insert_post), before WordPress answers.
PAUSE_PLUGIN = """<?php
function wp_seo_bridge_test_pause( $where ) {
    $marker = get_option( 'wp_seo_bridge_test_pause_marker' );
    if ( get_option( 'wp_seo_bridge_test_pause' ) !== $where || ! $marker ) {
        return;
    }
    delete_option( 'wp_seo_bridge_test_pause' );
    file_put_contents( $marker, $where );
    for ( $i = 0; $i < 600 && ! file_exists( $marker . '.release' ); $i++ ) {
        usleep( 100000 );
    }
}
add_filter( 'rest_pre_dispatch', function ( $result, $server, $request ) {
    if ( $request->get_method() === 'GET' && preg_match( '#^/wp/v2/posts/\\d+$#', $request->get_route() ) ) {
        wp_seo_bridge_test_pause( 'reread' );
    }
    return $result;
}, 10, 3 );
add_action( 'rest_after_insert_post', function ( $post, $request ) {
    if ( isset( $request['content'] ) ) {
        wp_seo_bridge_test_pause( 'write' );
    }
}, 10, 2 );
"""


@pytest.fixture
def marker(wordpress, tmp_path):
    """The file the paused request writes; the request is released when the test ends."""
    path = tmp_path / "paused"
    with wordpress.mu_plugin("sync-test-pause.php", PAUSE_PLUGIN):
        try:
            yield path
        finally:
            Path(f"{path}.release").touch()
            wordpress.php("delete_option('wp_seo_bridge_test_pause'); delete_option('wp_seo_bridge_test_pause_marker');")


@pytest.fixture
def env(wordpress, model, tmp_path):
    term = new_category(wordpress)
    values = {
        "XDG_CONFIG_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"),
        "WP_SEO_BRIDGE_WORDPRESS_URL": wordpress.url, "WP_SEO_BRIDGE_WORDPRESS_USERNAME": wordpress.editor_user,
        "WP_SEO_BRIDGE_WP_APP_PASSWORD": wordpress.editor_app_password,
        "WP_SEO_BRIDGE_WORDPRESS_SEO_PLUGIN": "yoast",
        "WP_SEO_BRIDGE_MODEL_BASE_URL": model.base_url, "OPENAI_API_KEY": API_KEY,
        "WP_SEO_BRIDGE_MODEL_MAX_RETRIES": "0",
        "WP_SEO_BRIDGE_DRAFTS_CATEGORIES": str(term), "WP_SEO_BRIDGE_SYNC_MIN_AGE_MINUTES": "0",
    }
    base = {k: v for k, v in os.environ.items() if not k.startswith(("WP_SEO_BRIDGE_", "OPENAI_"))}
    return {**base, "COLUMNS": "200", "NO_COLOR": "1", **values, "_TERM": str(term)}


def journal_path(env) -> Path:
    return Path(env["XDG_DATA_HOME"]) / "wp-seo-bridge" / "journal.sqlite3"


def start_sync(env, *args: str) -> subprocess.Popen:
    clean = {k: v for k, v in env.items() if not k.startswith("_")}
    return subprocess.Popen([sys.executable, "-m", "wp_seo_bridge", "sync", *args], env=clean,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run_sync_cli(env, *args: str) -> subprocess.CompletedProcess:
    process = start_sync(env, "--json", *args)
    out, err = process.communicate(timeout=180)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def post_state(wordpress, post_id: int) -> dict:
    data = wordpress.php_json(
        f"echo json_encode(array('post' => get_post({post_id}, ARRAY_A), 'record' => get_post_meta({post_id}, "
        f"'_wp_seo_bridge_record', true), 'revisions' => count(wp_get_post_revisions({post_id}))));"
    )
    data["record"] = json.loads(data["record"]) if data["record"] else None
    return data


def new_draft(wordpress, env, title: str = "Brouillon", n: int = 1) -> int:
    return wordpress.create_post(post_title=title, post_content=seed_text(n), post_category=[int(env["_TERM"])])


def calls(model) -> int:
    return sum(1 for r in model.requests if r.path.endswith("/chat/completions"))


def only_site(result: subprocess.CompletedProcess) -> dict:
    data = json.loads(result.stdout)
    return data["sites"][0] if "sites" in data else data


def test_killed_while_the_model_answers_then_run_again(wordpress, model, env):
    post_id = new_draft(wordpress, env)
    model.responder.delay = 60
    sync = start_sync(env)
    wait_for(lambda: calls(model) == 1)
    sync.send_signal(signal.SIGKILL)
    sync.wait(10)
    assert post_state(wordpress, post_id)["post"]["post_content"] == seed_text(1)
    model.responder.delay = 0
    result = run_sync_cli(env)
    assert result.returncode == 0, result.stderr
    assert [p["outcome"] for p in only_site(result)["posts"]] == ["rewritten"]
    with Journal(journal_path(env)) as journal:
        statuses = [run["status"] for run in reversed(journal.runs())]
    assert statuses == ["interrupted", "finished"]


def test_killed_between_the_answer_and_the_write_the_rerun_writes_the_kept_answer(wordpress, model, env, marker):
    post_id = new_draft(wordpress, env)
    wordpress.php(f"update_option('wp_seo_bridge_test_pause', 'reread'); "
                  f"update_option('wp_seo_bridge_test_pause_marker', '{marker}');")
    sync = start_sync(env)
    wait_for(marker.exists)
    sync.send_signal(signal.SIGKILL)
    sync.wait(10)
    assert calls(model) == 1 and post_state(wordpress, post_id)["record"] is None
    result = run_sync_cli(env)
    assert result.returncode == 0, result.stderr
    (post,) = only_site(result)["posts"]
    assert post["outcome"] == "rewritten" and post["calls"] == 0 and "kept" in post["reason"]
    assert calls(model) == 1  # the answer received before the crash was not paid for again
    assert post_state(wordpress, post_id)["record"]["status"] == "done"


def test_killed_during_the_write_the_post_is_written_once(wordpress, model, env, marker):
    post_id = new_draft(wordpress, env)
    wordpress.php(f"update_option('wp_seo_bridge_test_pause', 'write'); "
                  f"update_option('wp_seo_bridge_test_pause_marker', '{marker}');")
    sync = start_sync(env)
    wait_for(marker.exists)
    sync.send_signal(signal.SIGKILL)
    sync.wait(10)
    written = post_state(wordpress, post_id)
    assert written["record"]["status"] == "done"  # WordPress finished the save it had started: whole, not half
    result = run_sync_cli(env)
    assert result.returncode == 0, result.stderr
    (post,) = only_site(result)["posts"]
    assert post["outcome"] == "skipped" and "rewritten by the bridge" in post["reason"]
    assert calls(model) == 1
    after = post_state(wordpress, post_id)
    assert after["record"] == written["record"] and after["revisions"] == written["revisions"]
    with Journal(journal_path(env)) as journal:  # the answer kept before the write is known to be written
        assert [a["state"] for a in journal.answers(wordpress.url, post_id)] == ["written"]


def test_two_syncs_started_together(wordpress, model, env):
    post_id = new_draft(wordpress, env)
    model.responder.delay = 2
    first = start_sync(env, "--json")
    wait_for(lambda: calls(model) == 1)
    second = run_sync_cli(env)
    assert second.returncode == 0 and "another sync" in (second.stdout + second.stderr).lower()
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert calls(model) == 1 and post_state(wordpress, post_id)["record"]["status"] == "done"
