"""What a rewrite refuses before any money is spent on the model, against the real WordPress."""

from __future__ import annotations

import pytest

from wp_seo_bridge.bridge import rewrite_post
from wp_seo_bridge.errors import ConfigError, EmptyDraft, MetaNotWritable
from tests.support.factories import settings_for
from tests.support.fake_openai import CHAT, answer
from tests.test_rewrite_wordpress import (  # noqa: F401 - fixtures shared with the rewrite tests
    SEEDS,
    bridge_site,
    cli_env,
    fixture_answer,
    journal,
    model_server,
    post_state,
    run_cli,
)

TRANSPORTS = ["rest", "xmlrpc"]


@pytest.mark.parametrize("content", ["", "<!-- wp:paragraph -->\n<p>À compléter.</p>\n<!-- /wp:paragraph -->",
                                     '<!-- wp:image -->\n<figure class="wp-block-image"><img src="x.jpg" alt=""/>'
                                     "</figure>\n<!-- /wp:image -->"],
                         ids=["title-only", "one-line", "image-only"])
@pytest.mark.parametrize("dry_run", [False, True], ids=["write", "dry-run"])
def test_a_draft_with_too_little_text_is_refused_before_any_model_call(
    wordpress, bridge_site, model_server, journal, content, dry_run
):
    post_id = wordpress.create_post(post_title="Les semi-conducteurs chinois en Russie", post_content=content)
    before = post_state(wordpress, post_id)
    model_server.queue(CHAT, answer(fixture_answer(1)))
    with bridge_site() as site:
        with pytest.raises(EmptyDraft) as caught:
            rewrite_post(site, post_id, journal=journal, dry_run=dry_run)
        assert journal.originals(site.settings.wordpress.url, post_id) == []
    message = str(caught.value)
    assert f"Post {post_id} ('Les semi-conducteurs chinois en Russie')" in message
    assert "at least 30 words" in message and "min_source_words" in message
    assert model_server.requests == [] and journal.calls(post_id) == []
    assert post_state(wordpress, post_id) == before


def test_the_minimum_is_a_setting(wordpress, bridge_site, model_server, journal):
    words = " ".join(["mot"] * 12)
    post_id = wordpress.create_post(post_title="Court", post_content=f"<p>{words}.</p>")
    with bridge_site(rewrite__min_source_words=13) as site:
        with pytest.raises(EmptyDraft, match="only 12 words of text"):
            rewrite_post(site, post_id, journal=journal, dry_run=True)
    model_server.queue(CHAT, answer(fixture_answer(1)))
    with bridge_site(rewrite__min_source_words=12, quality__max_repairs=0) as site:
        rewrite_post(site, post_id, journal=journal, dry_run=True)
    assert len(model_server.requests) == 1


@pytest.mark.parametrize("text", ["", "  \n\n \t\n"], ids=["empty", "blank"])
def test_cli_rewrite_of_a_file_without_text_is_refused(model_server, tmp_path, text):
    draft = tmp_path / "vide.txt"
    draft.write_text(text)
    env = {"XDG_CONFIG_HOME": str(tmp_path), "OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": model_server.base_url}
    result = run_cli("rewrite", "--file", str(draft), env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    stderr = " ".join(result.stderr.split())
    assert f"The file {draft} has no text" in stderr and "Fix:" in stderr
    assert model_server.requests == []


#: A post type that shows in REST but does not support custom fields: its meta cannot be written.
NO_CUSTOM_FIELDS = """<?php
add_action('init', function () {
    register_post_type('fiche', array('public' => true, 'show_in_rest' => true, 'label' => 'Fiches',
                                      'supports' => array('title', 'editor', 'excerpt', 'revisions')));
});
"""


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_unwritable_seo_fields_are_found_before_the_model_is_called(
    wordpress, bridge_site, model_server, journal, transport
):
    with wordpress.mu_plugin("post-type-fiche", NO_CUSTOM_FIELDS):
        post_id = wordpress.create_post(post_type="fiche", post_title="Fiche",
                                        post_content=(SEEDS / "article-1.txt").read_text())
        before = post_state(wordpress, post_id)
        model_server.queue(CHAT, answer(fixture_answer(1)))
        with bridge_site(seo_plugin="yoast", transport=transport, drafts__post_types=["fiche"]) as site:
            with pytest.raises(MetaNotWritable) as caught:
                rewrite_post(site, post_id, journal=journal)
            assert journal.originals(site.settings.wordpress.url, post_id) == []
        after = post_state(wordpress, post_id)
    error = caught.value
    assert "_yoast_wpseo_title" in error.message and "'fiche'" in error.message
    assert "'custom-fields'" in error.hint and "drafts.post_types" in error.hint and "mu-plugins" not in error.hint
    assert model_server.requests == [] and journal.calls(post_id) == []
    assert after == before  # not even a save that changes nothing: same row, same revisions


def test_without_the_companion_plugin_the_hint_is_to_install_it(
    wordpress, bridge_site, model_server, journal, without_companion
):
    post_id = wordpress.create_post(post_title="Sans compagnon", post_content=(SEEDS / "article-1.txt").read_text())
    with bridge_site(seo_plugin="yoast") as site:
        with pytest.raises(MetaNotWritable) as caught:
            rewrite_post(site, post_id, journal=journal)
    assert "companion-plugin" in caught.value.hint and "mu-plugins" in caught.value.hint
    assert model_server.requests == []


@pytest.mark.parametrize("status", ["publish", "future", "private", "trash"])
def test_rewrite_status_can_never_publish(status):
    with pytest.raises(ConfigError) as caught:
        settings_for("https://site.test", "ed", None, rewrite__status=status)
    assert "rewrite.status" in caught.value.message and "'keep', 'draft' or 'pending'" in caught.value.message
