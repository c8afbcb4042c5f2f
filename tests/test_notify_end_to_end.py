"""End to end, no command run: an author saves a draft over REST in the real WordPress, the companion plugin
notifies the bridge (its constants set as wp-config.php would), and the bridge's receiver and engine rewrite
the draft; the bridge's own save of the rewrite is not notified back."""

from __future__ import annotations

import json

import pytest

from tests.support.factories import settings_for
from tests.support.notify import SECRET, Recorder, running_service, wait_for
from tests.support.notify_wordpress import make_user, notified_at, notify_config, rest
from tests.support.seed_model import SEED_MODEL_KEY, seed_text

pytestmark = pytest.mark.wordpress


def test_an_author_saves_a_draft_and_the_bridge_rewrites_it(wordpress, model, category, tmp_path):
    settings = settings_for(
        wordpress.url, wordpress.editor_user, wordpress.editor_app_password, seo_plugin="yoast",
        model_base_url=model.base_url, api_key=SEED_MODEL_KEY, model__max_retries=0, drafts__categories=[category],
        sync__min_age_minutes=0.02, journal__path=tmp_path / "journal.sqlite3",
        raw_env={"WP_SEO_BRIDGE_NOTIFY_SECRET": SECRET},
    )
    author = make_user(wordpress, "author")
    events, notices = Recorder(), []
    with running_service(settings, events=events, notices=notices) as service:
        wait_for(lambda: service.engine.rounds >= 1, timeout=30)
        with notify_config(wordpress, service.url, secret=SECRET):
            saved = rest(wordpress, author, "POST", "posts", json={
                "title": "Un brouillon d'auteur", "content": seed_text(1), "status": "draft",
                "categories": [category]})
            assert saved.status_code == 201, saved.text
            post_id = saved.json()["id"]
            wait_for(lambda: any(r.outcome == "rewritten" for r in events.results_for(post_id)), timeout=60)
            wait_for(lambda: len(service.queue) == 0, timeout=10)
    accepted = [notice for notice in notices if notice.accepted]
    assert [notice.post_id for notice in accepted] == [post_id], notices  # the bridge's own save: not notified
    assert not [notice for notice in notices if not notice.accepted]
    post = wordpress.php_json(f"echo json_encode(array('status' => get_post_status({post_id}), "
                              f"'record' => get_post_meta({post_id}, '_wp_seo_bridge_record', true)));")
    assert post["status"] == "draft" and json.loads(post["record"])["status"] == "done"
    assert notified_at(wordpress, post_id), "the plugin saw the bridge's 202"
    assert sum(1 for r in model.requests if r.path.endswith("/chat/completions")) == 1
