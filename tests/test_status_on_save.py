"""A site that changes a post's status when it is saved over the API (a plugin that publishes on save): the
bridge notices it on its first, unchanged save, stops there, and says what happened; nothing it says is false.
Through the real command and the real WordPress, with such a plugin installed."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.fake_openai import CHAT, FakeOpenAI, answer

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

#: Publishes every post saved through the REST API, as some "auto-publish" plugins do.
PUBLISH_ON_SAVE = """<?php
add_action('rest_after_insert_post', function ($post) {
    if ($post->post_status !== 'publish') {
        wp_update_post(array('ID' => $post->ID, 'post_status' => 'publish'));
    }
});
"""


@pytest.fixture
def model_server():
    with FakeOpenAI() as server:
        yield server


def test_a_site_that_publishes_on_save_stops_the_rewrite_before_it_is_written(wordpress, model_server, tmp_path):
    content = (SEEDS / "article-1.txt").read_text(encoding="utf-8")
    post_id = wordpress.create_post(post_title="Publiée en douce", post_content=content)
    model_server.queue(CHAT, answer((FIXTURES / "rewrites" / "article-1.json").read_text(encoding="utf-8")))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WP_SEO_BRIDGE_", "OPENAI_"))}
    env.update({"COLUMNS": "250", "NO_COLOR": "1", "XDG_CONFIG_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path),
                "XDG_STATE_HOME": str(tmp_path), "WP_SEO_BRIDGE_WORDPRESS_URL": wordpress.url,
                "WP_SEO_BRIDGE_WORDPRESS_USERNAME": wordpress.editor_user,
                "WP_SEO_BRIDGE_WP_APP_PASSWORD": wordpress.editor_app_password,
                "WP_SEO_BRIDGE_MODEL_BASE_URL": model_server.base_url, "OPENAI_API_KEY": "sk-x",
                "WP_SEO_BRIDGE_MODEL_MAX_RETRIES": "0"})
    try:
        with wordpress.mu_plugin("publish-on-save", PUBLISH_ON_SAVE):
            result = subprocess.run([sys.executable, "-m", "wp_seo_bridge", "rewrite", str(post_id), "--json"],
                                    env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 1, result.stdout + result.stderr
        error = json.loads(result.stdout)["error"]
        assert error["type"] == "StatusChangedOnSave" and "Nothing was changed" not in error["message"]
        assert "saved it unchanged first" in error["message"] and "changed its status to 'publish'" in error["message"]
        assert "the rewrite was not written" in error["message"] and "now 'publish'" in error["message"]
        assert "Switch the post back to draft" in error["hint"]
        state = wordpress.php_json(
            f"echo json_encode(array('post' => get_post({post_id}, ARRAY_A), 'meta' => get_post_meta({post_id})));")
        assert state["post"]["post_status"] == "publish"  # what the site did, and what the bridge said
        assert state["post"]["post_title"] == "Publiée en douce" and state["post"]["post_content"] == content
        assert "_wp_seo_bridge_record" not in state["meta"] and "_yoast_wpseo_title" not in state["meta"]
        with sqlite3.connect(tmp_path / "wp-seo-bridge" / "journal.sqlite3") as db:
            columns = [row[1] for row in db.execute("PRAGMA table_info(originals)")]
            rows = [dict(zip(columns, row)) for row in db.execute("SELECT * FROM originals WHERE post_id = ?",
                                                                     (post_id,))]
        assert len(rows) == 1 and "changed its status" in json.dumps(rows, ensure_ascii=False)
    finally:
        wordpress.php(f"wp_delete_post({post_id}, true);")
