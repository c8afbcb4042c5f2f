"""``wp-seo-bridge sync`` and ``watch`` end to end: the real command, the real WordPress, the fake model.

Each test works on the drafts of a category of its own (the site is shared by the whole suite).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from tests.support.seed_model import SEED_MODEL_KEY as API_KEY


def _sync_missing() -> bool:
    return (importlib.util.find_spec("wp_seo_bridge.sync.runner") is None
            or importlib.util.find_spec("tests.support.seed_model") is None)


pytestmark = pytest.mark.skipif(_sync_missing(), reason="the sync runner is not there yet")


@pytest.fixture
def draft(wordpress, category):
    from tests.support.seed_model import seed_text

    def create(title: str, n: int = 1) -> int:
        return wordpress.create_post(post_title=title, post_content=seed_text(n), post_category=[category])

    return create


@pytest.fixture
def env(wordpress, model, category, tmp_path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("WP_SEO_BRIDGE_", "OPENAI_"))}
    return {**base, "COLUMNS": "200", "NO_COLOR": "1", "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_STATE_HOME": str(tmp_path / "state"),
            "WP_SEO_BRIDGE_WORDPRESS_URL": wordpress.url, "WP_SEO_BRIDGE_WORDPRESS_USERNAME": wordpress.editor_user,
            "WP_SEO_BRIDGE_WP_APP_PASSWORD": wordpress.editor_app_password,
            "WP_SEO_BRIDGE_WORDPRESS_SEO_PLUGIN": "yoast", "WP_SEO_BRIDGE_MODEL_BASE_URL": model.base_url,
            "OPENAI_API_KEY": API_KEY, "WP_SEO_BRIDGE_MODEL_MAX_RETRIES": "0",
            "WP_SEO_BRIDGE_DRAFTS_CATEGORIES": str(category), "WP_SEO_BRIDGE_SYNC_MIN_AGE_MINUTES": "0"}


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wp_seo_bridge", *args], env=env, capture_output=True, text=True,
                          timeout=300)


def chat_calls(model) -> int:
    return sum(1 for request in model.requests if request.path.endswith("/chat/completions"))


def test_sync_json_then_a_second_sync_that_does_nothing(model, draft, env):
    fine, refused = draft("Premier", 1), draft("Deuxième [attention]", 2)
    first = run_cli("sync", "--json", env=env)
    assert first.returncode == 1, first.stderr  # one post needs attention
    data = json.loads(first.stdout)
    assert data["site"] == "default" and isinstance(data["run_id"], int) and data["dry_run"] is False
    posts = {post["id"]: post for post in data["posts"]}
    assert posts[fine]["outcome"] == "rewritten" and posts[fine]["calls"] >= 1
    assert posts[refused]["outcome"] == "needs_attention" and posts[refused]["reason"]
    assert set(posts[fine]) == {"id", "title", "outcome", "reason", "calls", "prompt_tokens", "completion_tokens",
                                "cost", "seo", "readability"}
    assert posts[fine]["cost"] is None and data["totals"]["cost"] is None  # prices not set: unknown, not free
    assert (data["totals"]["rewritten"], data["totals"]["needs_attention"]) == (1, 1)
    calls = chat_calls(model)

    second = run_cli("sync", "--json", env=env)
    assert second.returncode == 0, second.stderr
    again = {post["id"]: post for post in json.loads(second.stdout)["posts"]}
    assert again[fine]["outcome"] == "skipped" and again[fine]["reason"]
    assert chat_calls(model) == calls


def test_sync_plain_lines_and_summary_off_a_terminal(model, draft, env):
    fine = draft("Premier \x1b[2J [bold]gras[/]", 1)
    result = run_cli("sync", env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ default sync started \(run \d+\)$", lines[0])
    assert any(re.search(rf"Z default post {fine} rewritten \(\d+ calls?, [\d,]+ tokens, cost unknown\) "
                         r'"Premier \\x1b\[2J \[bold\]gras\[/\]"$', line) for line in lines), lines
    assert any(line.startswith("Summary of default: sync run ") for line in lines)
    assert "\x1b" not in result.stdout

    dry = run_cli("sync", "--dry-run", env=env)
    assert dry.returncode == 0 and f"post {fine} skipped" in dry.stdout and chat_calls(model) == 1


def test_sync_force_needs_post(env):
    result = run_cli("sync", "--force", "--json", env=env)
    assert result.returncode == 2 and json.loads(result.stdout)["error"]["type"] == "InputError"


def test_sigterm_ends_a_real_watch_cleanly_after_the_post_in_flight(model, draft, env):
    post_id = draft("Un brouillon pour watch", 1)
    model.responder.delay = 2.0
    process = subprocess.Popen([sys.executable, "-m", "wp_seo_bridge", "watch", "--interval", "3600"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not chat_calls(model) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        assert chat_calls(model), process.communicate(timeout=5) if process.poll() is not None else "no model call"
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr and "Stopping" in stderr
    assert re.search(rf"Z default post {post_id} rewritten ", stdout), stdout  # finished, not abandoned
    assert stdout.splitlines()[-1].endswith("watch: stopped cleanly")
