"""`restore` never erases an editor: against the real WordPress, over REST and XML-RPC.

The journal records whether each kept original was followed by a write that happened, and what
that write left; restore undoes only the bridge's latest saved rewrite, and only while the post
still holds exactly what the bridge wrote.
"""

from __future__ import annotations

import json
import secrets

import pytest

from wp_seo_bridge.bridge import rewrite_post
from wp_seo_bridge.errors import (
    AlreadyRestored,
    ChangedSinceRewrite,
    EditConflict,
    MetaNotWritable,
    NeverWritten,
    NothingToRestore,
    RestoreUnsafe,
)
from wp_seo_bridge.record import source_hash
from wp_seo_bridge.restore import restore_post
from wp_seo_bridge.wordpress.models import PostUpdate
from tests.support.fake_openai import CHAT, acting_first, answer
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


def text_of(state: dict) -> tuple:
    row = state["post"]
    return row["post_title"], row["post_content"], row["post_excerpt"], row["post_name"], row["post_status"]


def new_draft(wordpress, title: str = "Original", **fields) -> int:
    # A slug of its own: over REST, WordPress makes a restored draft's slug unique among the site's posts.
    return wordpress.create_post(post_title=title, post_content=(SEEDS / "article-1.txt").read_text(),
                                 post_excerpt="Chapô", post_name=f"original-{secrets.token_hex(4)}",
                                 meta_input={"_yoast_wpseo_title": "Titre d’origine"}, **fields)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_restore_after_an_edit_conflict_says_the_bridge_never_wrote_the_post(
    wordpress, bridge_site, model_server, journal, transport
):
    post_id = new_draft(wordpress)
    model_server.responder = acting_first(
        lambda: wordpress.php(f"wp_update_post(array('ID' => {post_id}, 'post_title' => 'Corrigé par la rédaction'));"),
        answer(fixture_answer(1)),
    )
    with bridge_site(seo_plugin="yoast", transport=transport) as site:
        with pytest.raises(EditConflict, match="Nothing was changed"):
            rewrite_post(site, post_id, journal=journal)
        (kept,) = journal.originals(site.settings.wordpress.url, post_id)
        assert kept["written"] == 0 and "changed on the site" in kept["not_written_reason"]
        before = post_state(wordpress, post_id)
        with pytest.raises(NeverWritten) as caught:
            restore_post(site, post_id, journal)
        with pytest.raises(NeverWritten):
            restore_post(site, post_id, journal, force=True)  # nothing of the bridge's to undo, forced or not
    message = str(caught.value)
    assert f"never wrote post {post_id}" in message and "Corrigé par la rédaction" in message
    assert "changed on the site since it was read" in message and "nothing was changed" in message
    after = post_state(wordpress, post_id)
    assert after == before and after["post"]["post_title"] == "Corrigé par la rédaction"


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_restore_refuses_after_a_later_edit_naming_what_changed_and_force_restores(
    wordpress, bridge_site, model_server, journal, transport
):
    post_id = new_draft(wordpress)
    original = text_of(post_state(wordpress, post_id))
    model_server.queue(CHAT, answer(fixture_answer(1)))
    with bridge_site(seo_plugin="yoast", transport=transport) as site:
        assert rewrite_post(site, post_id, journal=journal).written
        (kept,) = journal.originals(site.settings.wordpress.url, post_id)
        assert kept["written"] == 1 and "meta:_yoast_wpseo_metadesc" in json.loads(kept["written_hashes"])
        # An editor works on the rewrite: the title, a sentence, and the SEO title.
        wordpress.php(
            f"$p = get_post({post_id}); wp_update_post(array('ID' => {post_id}, 'post_title' => 'Titre de la rédaction',"
            f" 'post_content' => $p->post_content . '<p>Ajout de la rédaction.</p>'));"
            f" update_post_meta({post_id}, '_yoast_wpseo_title', 'Titre SEO de la rédaction');"
        )
        edited = post_state(wordpress, post_id)
        with pytest.raises(ChangedSinceRewrite) as caught:
            restore_post(site, post_id, journal)
        assert post_state(wordpress, post_id) == edited
        assert caught.value.fields == ("title", "content", "SEO title")
        assert "title, content, SEO title" in caught.value.message and "would erase" in caught.value.message
        assert f"restore {post_id} --force" in caught.value.hint

        restored = restore_post(site, post_id, journal, force=True)
        state = post_state(wordpress, post_id)
        assert text_of(state) == original and restored.title == "Original"
        assert state["meta"]["_yoast_wpseo_title"] == ["Titre d’origine"]
        record = json.loads(state["meta"]["_wp_seo_bridge_record"][0])
        assert record["action"] == "restore" and record["forced"] is True
        replaced, rewritten = journal.originals(site.settings.wordpress.url, post_id)
        assert rewritten["restored_at"] and (replaced["kind"], replaced["written"]) == ("restore", 1)
        # The editor's version was kept: the next restore brings it back, SEO title included.
        restore_post(site, post_id, journal)
    back = post_state(wordpress, post_id)
    assert text_of(back) == text_of(edited) and back["meta"]["_yoast_wpseo_title"] == ["Titre SEO de la rédaction"]


def test_restore_undoes_the_latest_saved_rewrite_not_a_later_one_that_was_not_saved(
    wordpress, bridge_site, model_server, journal
):
    post_id = new_draft(wordpress)
    original = text_of(post_state(wordpress, post_id))
    model_server.queue(CHAT, answer(fixture_answer(1)))
    with bridge_site(seo_plugin="yoast") as site:
        rewrite_post(site, post_id, journal=journal)  # saved
        # A second rewrite, during which an editor changes the title: not saved.
        model_server.responder = acting_first(
            lambda: wordpress.php(f"wp_update_post(array('ID' => {post_id}, 'post_title' => 'Retouché'));"),
            answer(fixture_answer(1)),
        )
        with pytest.raises(EditConflict):
            rewrite_post(site, post_id, journal=journal)
        second, first = journal.originals(site.settings.wordpress.url, post_id)
        assert (second["written"], first["written"]) == (0, 1)
        # The editor's title came after the saved rewrite: named, and kept.
        with pytest.raises(ChangedSinceRewrite, match=r": title\. ") as caught:
            restore_post(site, post_id, journal)
        assert caught.value.fields == ("title",)
        assert post_state(wordpress, post_id)["post"]["post_title"] == "Retouché"
        # Forced, it puts back the original of the saved rewrite, not the one kept for the unsaved one.
        restore_post(site, post_id, journal, force=True)
    assert text_of(post_state(wordpress, post_id)) == original


def test_restore_walks_back_saved_rewrites_one_by_one_then_says_there_is_nothing_left(
    wordpress, bridge_site, model_server, journal
):
    post_id = new_draft(wordpress)
    original = text_of(post_state(wordpress, post_id))
    model_server.queue(CHAT, answer(fixture_answer(1)), answer(fixture_answer(1)))
    with bridge_site(seo_plugin="yoast", quality__min_seo_rating="bad", quality__min_readability_rating="bad") as site:
        rewrite_post(site, post_id, journal=journal)
        first = text_of(post_state(wordpress, post_id))
        wordpress.php(f"wp_update_post(array('ID' => {post_id}, 'post_excerpt' => 'Chapô de la rédaction'));")
        edited = text_of(post_state(wordpress, post_id))
        assert rewrite_post(site, post_id, journal=journal).written
        restore_post(site, post_id, journal)
        assert text_of(post_state(wordpress, post_id)) == edited  # the editor's version, before the 2nd rewrite
        # The rewrite before it wrote `first`; the editor changed its excerpt since: refused, named.
        with pytest.raises(ChangedSinceRewrite) as caught:
            restore_post(site, post_id, journal)
        assert caught.value.fields == ("excerpt",) and first != edited
        restore_post(site, post_id, journal, force=True)
        assert text_of(post_state(wordpress, post_id)) == original
        restore_post(site, post_id, journal)  # undoes the forced restore: the editor's version is back
        assert text_of(post_state(wordpress, post_id)) == edited
        before = post_state(wordpress, post_id)
        with pytest.raises(AlreadyRestored, match="already restored"):
            restore_post(site, post_id, journal)
    assert post_state(wordpress, post_id) == before


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_pending_post_stays_pending_and_restore_brings_pending_back(
    wordpress, bridge_site, model_server, journal, transport
):
    kept_pending = new_draft(wordpress, "En relecture", post_status="pending")
    made_draft = new_draft(wordpress, "En relecture aussi", post_status="pending")
    model_server.queue(CHAT, answer(fixture_answer(1)), answer(fixture_answer(1)))
    with bridge_site(seo_plugin="yoast", transport=transport) as site:
        assert rewrite_post(site, kept_pending, journal=journal).stored.status == "pending"
    with bridge_site(seo_plugin="yoast", transport=transport, rewrite__status="draft") as site:
        assert rewrite_post(site, made_draft, journal=journal).stored.status == "draft"
        restored = restore_post(site, made_draft, journal)
    assert post_state(wordpress, kept_pending)["post"]["post_status"] == "pending"
    assert restored.status == "pending" and post_state(wordpress, made_draft)["post"]["post_status"] == "pending"


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_write_of_unknown_outcome_is_never_restored_without_force(wordpress, make_site, journal, transport):
    """An original kept by an interrupted run (or before the journal recorded outcomes)."""
    post_id = new_draft(wordpress)
    original = text_of(post_state(wordpress, post_id))
    with make_site(seo_plugin="yoast", transport=transport) as site:
        url = site.settings.wordpress.url
        post = site.get_post(post_id)
        journal.keep_original(url, post, source_hash(post.title, post.content, post.excerpt))
        # While the post still holds that original, the write that was to follow did not happen.
        with pytest.raises(NeverWritten):
            restore_post(site, post_id, journal)
        site.update_post(post, PostUpdate(title="Réécrit, mais le journal ne le sait pas"))
        changed = post_state(wordpress, post_id)
        with pytest.raises(RestoreUnsafe, match="does not know whether") as caught:
            restore_post(site, post_id, journal)
        assert not isinstance(caught.value, ChangedSinceRewrite) and "--force" in caught.value.hint
        assert post_state(wordpress, post_id) == changed
        restore_post(site, post_id, journal, force=True)
    assert text_of(post_state(wordpress, post_id)) == original


#: The site changes the SEO title on save: the bridge's write happens, then is reported as altered.
ALTERS_THE_SEO_TITLE = """<?php
add_filter('sanitize_post_meta__yoast_wpseo_title', function ($value) { return $value . ' | Le Site'; });
"""


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_write_that_raised_after_saving_is_journaled_as_written(
    wordpress, bridge_site, model_server, journal, transport
):
    post_id = new_draft(wordpress)
    original = text_of(post_state(wordpress, post_id))
    model_server.queue(CHAT, answer(fixture_answer(1)))
    with bridge_site(seo_plugin="yoast", transport=transport) as site:
        with wordpress.mu_plugin("alters-the-seo-title", ALTERS_THE_SEO_TITLE):
            with pytest.raises(MetaNotWritable, match="dropped or altered"):
                rewrite_post(site, post_id, journal=journal)
        assert post_state(wordpress, post_id)["meta"]["_yoast_wpseo_title"][0].endswith(" | Le Site")
        (kept,) = journal.originals(site.settings.wordpress.url, post_id)
        assert kept["written"] == 1  # settled by reading the post back: the bridge's record is on it
        restore_post(site, post_id, journal)  # the post holds what the bridge's write left: no edit to protect
    assert text_of(post_state(wordpress, post_id)) == original


def test_cli_restore_refuses_names_the_fields_and_force_restores(wordpress, model_server, tmp_path):
    post_id = new_draft(wordpress)
    original = text_of(post_state(wordpress, post_id))
    model_server.queue(CHAT, answer(fixture_answer(1)))
    env = {**cli_env(wordpress, model_server, tmp_path), "WP_SEO_BRIDGE_WORDPRESS_SEO_PLUGIN": "yoast"}
    assert run_cli("rewrite", str(post_id), env=env).returncode == 0
    wordpress.php(f"update_post_meta({post_id}, '_yoast_wpseo_metadesc', 'Description de la rédaction');"
                  f" wp_update_post(array('ID' => {post_id}, 'post_name' => 'slug-de-la-redaction'));")
    refused = run_cli("restore", str(post_id), env=env)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    stderr = " ".join(refused.stderr.split())
    assert "changed after the bridge's rewrite" in stderr and "slug, meta description" in stderr
    assert f"wp-seo-bridge restore {post_id} --force" in stderr
    assert post_state(wordpress, post_id)["post"]["post_name"] == "slug-de-la-redaction"
    forced = run_cli("restore", str(post_id), "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    assert f"Restored post {post_id}" in forced.stdout and "'draft'" in forced.stdout
    assert f"kept in the journal: `wp-seo-bridge restore {post_id}` brings it back" in " ".join(forced.stderr.split())
    assert text_of(post_state(wordpress, post_id)) == original


def test_cli_restore_of_a_post_the_bridge_never_wrote_says_so(wordpress, model_server, tmp_path):
    env = cli_env(wordpress, model_server, tmp_path)
    post_id = new_draft(wordpress)
    model_server.responder = acting_first(
        lambda: wordpress.php(f"wp_update_post(array('ID' => {post_id}, 'post_title' => 'Corrigé pendant la réécriture'));"),
        answer(fixture_answer(1)),
    )
    conflict = run_cli("rewrite", str(post_id), env=env)
    assert conflict.returncode == 1 and "changed on the site since it was read" in " ".join(conflict.stderr.split())
    before = post_state(wordpress, post_id)
    result = run_cli("restore", str(post_id), env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    stderr = " ".join(result.stderr.split())
    assert f"The bridge never wrote post {post_id}" in stderr and "as its editors left it" in stderr
    assert post_state(wordpress, post_id) == before


def test_nothing_to_restore_errors_share_a_parent():
    for error in (NeverWritten, AlreadyRestored):
        assert issubclass(error, NothingToRestore) and error.hint
