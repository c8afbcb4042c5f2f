"""A sync honours what editors chose in WordPress (``_wp_seo_bridge_request``) and ``[sync] mode``: against the
real WordPress and the fake model server, through the real SDK."""

from __future__ import annotations

import json
import time

import pytest

from tests.support.factories import settings_for
from tests.support.seed_model import SEED_MODEL_KEY, seed_text
from wp_seo_bridge.companion import plugin_source
from wp_seo_bridge.sync.options import SyncOptions
from wp_seo_bridge.sync.runner import run_sync


@pytest.fixture
def sync(wordpress, model, category, tmp_path):
    def run(*, result: bool = False, **extra):
        options = dict(
            seo_plugin="yoast", model_base_url=model.base_url, api_key=SEED_MODEL_KEY, model__max_retries=0,
            drafts__categories=[category], sync__min_age_minutes=0, journal__path=tmp_path / "journal.sqlite3",
        )
        options.update(extra)
        settings = settings_for(wordpress.url, wordpress.editor_user, wordpress.editor_app_password, **options)
        (done,) = run_sync(settings, SyncOptions())
        return done if result else {p.id: (p.outcome, p.reason) for p in done.posts}

    return run


@pytest.fixture
def draft(wordpress, category):
    def create(title: str, request: str | None = None, n: int = 1) -> int:
        meta = {"_wp_seo_bridge_request": request} if request is not None else {}
        return wordpress.create_post(post_title=title, post_content=seed_text(n), post_category=[category],
                                     meta_input=meta)

    return create


def record(wordpress, post_id: int) -> dict:
    return json.loads(wordpress.php(f"echo get_post_meta({post_id}, '_wp_seo_bridge_record', true);"))


@pytest.mark.parametrize("transport", ["rest", "xmlrpc"])
def test_do_not_rewrite_is_honoured(wordpress, model, sync, draft, transport):
    skipped, taken = draft("Ne pas réécrire", "skip"), draft("Réécrire", None, 2)
    outcomes = sync(transport=transport)
    assert outcomes[taken][0] == "rewritten"
    assert outcomes[skipped][0] == "skipped" and '"Do not rewrite"' in outcomes[skipped][1]
    assert sum(1 for r in model.requests if r.path.endswith("/chat/completions")) == 1
    assert wordpress.php(f"echo get_post_meta({skipped}, '_wp_seo_bridge_record', true);") == ""


def test_opt_in_takes_only_the_drafts_asked_for(wordpress, model, sync, draft):
    asked, not_asked = draft("Demandé", "rewrite"), draft("Pas demandé", None, 2)
    outcomes = sync(sync__mode="opt-in")
    assert outcomes[asked][0] == "rewritten"
    assert outcomes[not_asked][0] == "skipped" and "opt-in" in outcomes[not_asked][1]
    assert record(wordpress, asked)["request"] == "rewrite"


def test_rewrite_again_rewrites_once_more_then_settles(wordpress, model, sync, draft):
    post_id = draft("Encore")
    assert sync()[post_id][0] == "rewritten"
    assert sync()[post_id][0] == "skipped"
    first = record(wordpress, post_id)
    asked = f"again:{int(time.time())}"
    wordpress.php(f"update_post_meta({post_id}, '_wp_seo_bridge_request', '{asked}');")
    outcome, reason = sync(sync__mode="opt-in")[post_id]
    assert outcome == "rewritten", reason
    second = record(wordpress, post_id)
    assert second["request"] == asked and second["at"] >= first["at"] and second["source_hash"] == first["written_hash"]
    outcome, reason = sync(sync__mode="opt-in")[post_id]
    assert outcome == "skipped" and "rewritten by the bridge" in reason
    assert sum(1 for r in model.requests if r.path.endswith("/chat/completions")) == 2


def test_opt_in_on_a_site_that_does_not_tell_the_requests_is_refused_clearly(wordpress, model, sync, draft,
                                                                              without_companion):
    source = plugin_source()
    old = source.replace("\t\t'_wp_seo_bridge_request',\n", "")
    assert old != source
    draft("Demandé", "rewrite")
    with wordpress.mu_plugin("wp-seo-bridge-companion-old", old):
        refused = sync(result=True, sync__mode="opt-in")
        assert sync(result=True).error == ""  # opt-out works without the requests
    assert "opt-in" in refused.error and "older than 1.3" in refused.error and "sync.mode" in refused.error
    assert "companion-plugin --output" in refused.hint and not refused.posts
