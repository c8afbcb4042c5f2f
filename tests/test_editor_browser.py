"""The post edit screen and the posts list in a real browser (headless Chromium, tests/support/browser.py)
against the real test WordPress: what editors see of the bridge and how they steer it.

The posts are rewritten (or refused) by the real bridge (``run_sync``) against the fake model server, as
in tests/test_sync_wordpress.py; a "Rewrite again" saved in the browser, and a new draft an author writes
and saves there, are taken by the bridge's receiver (``watch --listen``, tests/support/notify.py) with no
command. One browser for all these tests and few page loads: they stay under about a minute together. ``WP_SEO_BRIDGE_SCREENSHOTS=docs/screenshots`` also saves the README's screenshots.
"""

from __future__ import annotations

import html
import json
import time

import pytest

from tests.support import browser as browser_support
from tests.support.browser import BlockEditor, Browser, BrowserUnavailable, wait_for
from tests.support.editor_box import BOX, choose, read_box, read_column, screenshot_for_readme, wait_for_box
from tests.support.factories import settings_for
from tests.support.notify import SECRET as NOTIFY_SECRET
from tests.support.notify import Recorder, running_service
from tests.support.notify import wait_for as wait_for_engine
from tests.support.notify_wordpress import notify_config
from tests.support.seed_model import SEED_1_OPENING, SEED_MODEL_KEY, seed_text
from wp_seo_bridge.sync.options import SyncOptions
from wp_seo_bridge.sync.runner import run_sync


def post_fields(wordpress, post_id: int) -> dict:
    return wordpress.php_json(f"echo json_encode(get_post({post_id}, ARRAY_A));")


def record_of(wordpress, post_id: int) -> dict | None:
    raw = wordpress.php_json(f"echo json_encode(get_post_meta({post_id}, '_wp_seo_bridge_record', true));")
    return json.loads(raw) if raw else None


@pytest.fixture
def bridge(wordpress, model, category, tmp_path):
    """``bridge(*post_ids)``: one sync of these posts by the real bridge; returns {post ID: outcome}."""
    settings = settings_for(
        wordpress.url, wordpress.editor_user, wordpress.editor_app_password,
        seo_plugin="yoast", model_base_url=model.base_url, api_key=SEED_MODEL_KEY, model__max_retries=0,
        drafts__categories=[category], sync__min_age_minutes=0, journal__path=tmp_path / "journal.sqlite3",
    )

    def run(*post_ids: int) -> dict[int, str]:
        (result,) = run_sync(settings, SyncOptions(posts=post_ids))
        return {p.id: p.outcome for p in result.posts}

    run.model_name = settings.model.name
    return run


@pytest.fixture
def draft(wordpress, category):
    """``draft(title, n=1, author=None)``: a draft made from seed article ``n`` in the test's category."""
    def create(title: str, n: int = 1, author: int | None = None) -> int:
        fields = {"post_author": author} if author else {}
        return wordpress.create_post(post_title=title, post_content=seed_text(n), post_category=[category], **fields)

    return create


def test_without_chromium_the_browser_says_what_to_install(monkeypatch):
    monkeypatch.setattr(browser_support, "CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(BrowserUnavailable) as refused:
        Browser()
    assert "/nonexistent/chromium (Debian package chromium)" in str(refused.value)
    assert "scripts/install.sh --test" in str(refused.value)


@pytest.mark.wordpress
def test_an_editor_opens_a_draft_in_the_block_editor_changes_its_title_and_saves_it(wordpress, page, browser_users):
    editor = browser_users.editor
    paragraph = "<!-- wp:paragraph -->\n<p>Un paragraphe.</p>\n<!-- /wp:paragraph -->"
    post_id = wordpress.create_post(post_title="Titre du brouillon", post_content=paragraph, post_author=editor.id)
    page.login(wordpress, editor.login, editor.password)
    screen = BlockEditor(page, wordpress, post_id).open()
    assert screen.title() == "Titre du brouillon"
    screen.type_title(" corrigé")
    screen.save_draft()
    saved = post_fields(wordpress, post_id)
    assert saved["post_title"] == "Titre du brouillon corrigé" and saved["post_status"] == "draft"
    assert saved["post_content"] == paragraph


@pytest.mark.wordpress
def test_an_editor_sees_what_the_bridge_did_on_a_rewritten_post(wordpress, page, browser_users, bridge, draft):
    post_id = draft("Renseignement spatial")
    assert bridge(post_id) == {post_id: "rewritten"}
    record = record_of(wordpress, post_id)
    editor = browser_users.editor
    page.login(wordpress, editor.login, editor.password)
    BlockEditor(page, wordpress, post_id).open()
    box = wait_for_box(page)
    assert box["title"] == "wp-seo-bridge" and box["fits"]
    assert box["state"] == "rewritten" and box["stateText"] == "Rewritten"
    assert box["model"] == bridge.model_name
    assert box["seo"] == [record["before"]["seo"], "good"] and box["seo"][0] in {"good", "ok", "bad"}
    assert box["readability"] == [record["before"]["readability"], record["after"]["readability"]]
    assert box["words"] == [str(record["words_before"]), str(record["words_after"])]
    assert box["reasons"] == []
    assert box["compare"] and "/wp-admin/revision.php?" in box["compare"]
    assert box["choices"] == ["", "rewrite", "skip", "again"] and box["checked"] == ""
    screenshot_for_readme(page, "box-rewritten.png", BOX)


@pytest.mark.wordpress
def test_an_editor_sees_why_a_post_needs_attention(wordpress, page, browser_users, bridge, draft):
    post_id = draft("Chiffres inventés [attention]")
    assert bridge(post_id) == {post_id: "needs_attention"}
    record = record_of(wordpress, post_id)
    assert record["reasons"]
    editor = browser_users.editor
    page.login(wordpress, editor.login, editor.password)
    BlockEditor(page, wordpress, post_id).open()
    box = wait_for_box(page)
    assert box["state"] == "needs_attention" and box["stateText"] == "Needs attention" and box["fits"]
    assert box["reasons"] == record["reasons"]
    assert "Why it was not rewritten" in box["text"]
    assert "again" not in box["choices"]  # nothing was written: there is nothing to rewrite again
    screenshot_for_readme(page, "box-needs-attention.png", BOX)


@pytest.mark.wordpress
def test_rewrite_again_chosen_and_saved_in_the_block_editor_gets_the_post_rewritten_with_no_command(
    wordpress, page, browser_users, draft, model, category, tmp_path
):
    """The receiver (``watch --listen``) runs and WordPress notifies it: the editor's save in the browser, then
    leaving the editor, is all it takes."""
    def configure(min_age: float):
        return settings_for(
            wordpress.url, wordpress.editor_user, wordpress.editor_app_password, seo_plugin="yoast",
            model_base_url=model.base_url, api_key=SEED_MODEL_KEY, model__max_retries=0, drafts__categories=[category],
            sync__min_age_minutes=min_age, journal__path=tmp_path / "journal.sqlite3",
            raw_env={"WP_SEO_BRIDGE_NOTIFY_SECRET": NOTIFY_SECRET},
        )

    settings = configure(0.02)  # the receiver's debounce: 1.2 s
    post_id = draft("Deuxième passage")
    (first_run,) = run_sync(configure(0), SyncOptions(posts=(post_id,)))
    assert [p.outcome for p in first_run.posts] == ["rewritten"]
    first = record_of(wordpress, post_id)
    calls = len(model.responder.titles)
    events = Recorder()
    with running_service(settings, events=events) as service, notify_config(wordpress, service.url, secret=NOTIFY_SECRET):
        wait_for_engine(lambda: service.engine.rounds >= 1, timeout=30)
        assert len(model.responder.titles) == calls  # rewritten once: the periodic sync leaves it alone
        editor = browser_users.editor
        page.login(wordpress, editor.login, editor.password)
        screen = BlockEditor(page, wordpress, post_id).open()
        wait_for_box(page)
        choose(page, "again")
        screen.save_draft()
        assert wordpress.php(f"echo get_post_meta({post_id}, '_wp_seo_bridge_request', true);").startswith("again:")
        screen.close()  # the editor's lock is released: WordPress tells the bridge the post may be taken now
        left = time.monotonic()
        wait_for_engine(lambda: any(r.outcome == "rewritten" for r in events.results_for(post_id)), timeout=40)
        waited = time.monotonic() - left
        print(f"\nleft the editor -> rewritten by the receiver: {waited:.1f} s")
        assert waited < 20  # not the 150 s of a lock WordPress would have kept
    assert len(model.responder.titles) == calls + 1
    second = record_of(wordpress, post_id)
    assert second["at"] >= first["at"] and second["request"].startswith("again:")
    (again,) = run_sync(settings, SyncOptions(posts=(post_id,)))
    assert [p.outcome for p in again.posts] == ["skipped"]  # once only


def paragraphs(text: str) -> str:
    """Plain text as the block editor's paragraph blocks, one per line (as an author types or pastes it)."""
    return "\n\n".join(
        f"<!-- wp:paragraph -->\n<p>{html.escape(line.strip(), quote=False)}</p>\n<!-- /wp:paragraph -->"
        for line in text.splitlines() if line.strip()
    )


@pytest.mark.wordpress
def test_a_new_draft_written_and_saved_by_an_author_in_the_block_editor_is_rewritten_with_no_command(
    wordpress, page, browser_users, model, category, tmp_path
):
    """Issue 9: an author writes a new post in the block editor, saves it as a draft and leaves; the receiver
    (``watch --listen``), notified by WordPress, rewrites it. No command is run."""
    settings = settings_for(
        wordpress.url, wordpress.editor_user, wordpress.editor_app_password, seo_plugin="yoast",
        model_base_url=model.base_url, api_key=SEED_MODEL_KEY, model__max_retries=0, drafts__categories=[category],
        sync__min_age_minutes=0.02, journal__path=tmp_path / "journal.sqlite3",  # the receiver's debounce: 1.2 s
        raw_env={"WP_SEO_BRIDGE_NOTIFY_SECRET": NOTIFY_SECRET},
    )
    title = "Un nouveau brouillon d'auteur"
    calls = len(model.responder.titles)
    events = Recorder()
    with running_service(settings, events=events) as service, notify_config(wordpress, service.url, secret=NOTIFY_SECRET):
        wait_for_engine(lambda: service.engine.rounds >= 1, timeout=30)  # the first periodic round is over
        author = browser_users.author
        page.login(wordpress, author.login, author.password)
        screen = BlockEditor.new(page, wordpress)
        post_id = screen.post_id
        screen.edit(content_html=paragraphs(seed_text(1)), title=title, categories=[category])
        assert SEED_1_OPENING in screen.edited("content")
        screen.save_draft()
        saved_at = time.monotonic()
        saved = post_fields(wordpress, post_id)
        assert (saved["post_status"], saved["post_title"], int(saved["post_author"])) == ("draft", title, author.id)
        assert SEED_1_OPENING in saved["post_content"]
        assert wordpress.php_json(f"echo json_encode(wp_get_post_categories({post_id}));") == [category]
        screen.close()
        wait_for_engine(lambda: any(r.outcome == "rewritten" for r in events.results_for(post_id)), timeout=20)
        print(f"\nsaved in the editor -> rewritten by the receiver: {time.monotonic() - saved_at:.1f} s")
    assert model.responder.titles[calls:] == [title]  # one model call, for this draft
    rewritten = post_fields(wordpress, post_id)
    assert rewritten["post_status"] == "draft"  # the bridge never publishes
    assert rewritten["post_content"] != saved["post_content"]  # the rewrite is in the post
    assert record_of(wordpress, post_id)["status"] == "done"


@pytest.mark.wordpress
def test_a_contributor_sees_no_record_on_someone_elses_post(wordpress, page, browser_users, bridge, draft, category):
    contributor = browser_users.contributor
    theirs = draft("Le brouillon de la rédaction")
    own = draft("Le brouillon du pigiste", 2, author=contributor.id)
    assert bridge(theirs, own) == {theirs: "rewritten", own: "rewritten"}
    page.login(wordpress, contributor.login, contributor.password)
    page.get(f"{wordpress.url}/wp-admin/edit.php?cat={category}&post_status=draft")
    listed = read_column(page)
    assert listed["header"] and set(listed["rows"]) == {theirs, own}
    assert listed["rows"][own]["state"] == "rewritten"  # their own post: they may edit it, they see it
    assert listed["rows"][theirs]["cell"] == "" and listed["rows"][theirs]["html"].strip() == ""
    page.get(f"{wordpress.url}/wp-admin/post.php?post={theirs}&action=edit")
    assert page.driver.execute_script("return document.body.id") == "error-page"
    assert read_box(page) is None and "Rewritten" not in page.text("body")


@pytest.mark.wordpress
def test_the_posts_list_shows_each_posts_state_to_an_editor(wordpress, page, browser_users, bridge, draft, category):
    rewritten, attention, fresh = draft("Réécrit"), draft("À revoir [attention]"), draft("Pas encore traité", 2)
    assert bridge(rewritten, attention) == {rewritten: "rewritten", attention: "needs_attention"}
    editor = browser_users.editor
    wordpress.php(  # the screenshot shows the title, author, date and the bridge's column only
        f"update_user_meta({editor.id}, 'manageedit-postcolumnshidden', array('categories', 'tags', 'comments'));"
    )
    page.login(wordpress, editor.login, editor.password)
    page.get(f"{wordpress.url}/wp-admin/edit.php?cat={category}&post_status=draft")
    rows = read_column(page)["rows"]
    assert {i: rows[i]["state"] for i in (rewritten, attention, fresh)} == {
        rewritten: "rewritten", attention: "needs_attention", fresh: "never",
    }
    assert rows[rewritten]["cell"].startswith("Rewritten") and "SEO: good" in rows[rewritten]["cell"]
    assert "Readability: good" in rows[rewritten]["cell"]  # each light named
    assert rows[attention]["cell"] == "Needs attention"
    screenshot_for_readme(page, "column.png", "#posts-filter .wp-list-table")
    page.click(".subsubsub a[href*='wp_seo_bridge_state=needs_attention']")
    wait_for(page.driver, "return location.search.indexOf('wp_seo_bridge_state=needs_attention') !== -1"
             " && document.readyState === 'complete'", 20, "the Needs attention view")
    assert attention in read_column(page)["rows"] and rewritten not in read_column(page)["rows"]


CLASSIC_EDITOR_PLUGIN = "<?php\nadd_filter('use_block_editor_for_post', '__return_false');\n"


@pytest.mark.wordpress
def test_the_box_works_in_the_classic_editor_too(wordpress, page, browser_users, bridge, draft):
    post_id = draft("Éditeur classique")
    assert bridge(post_id) == {post_id: "rewritten"}
    editor = browser_users.editor
    page.login(wordpress, editor.login, editor.password)
    with wordpress.mu_plugin("browser-classic-editor", CLASSIC_EDITOR_PLUGIN):
        page.get(f"{wordpress.url}/wp-admin/post.php?post={post_id}&action=edit")
        assert page.driver.execute_script("return !!document.getElementById('post') && !window.wp?.blocks")
        box = wait_for_box(page)
        assert box["state"] == "rewritten" and box["model"] == bridge.model_name
        choose(page, "skip")
        page.driver.execute_script("window.scrollTo(0, 0)")  # the sidebar of the classic editor sticks to the top
        page.driver.find_element("css selector", "#save-post").click()
        wait_for(page.driver, "return document.readyState === 'complete' && !!document.querySelector('#message.updated')",
                 30, "the classic editor to say the draft was saved")
        assert read_box(page)["checked"] == "skip"
    assert wordpress.php(f"echo get_post_meta({post_id}, '_wp_seo_bridge_request', true);").strip() == "skip"
