"""The post edit screen in a real browser (headless Chromium, tests/support/browser.py) against the real
test WordPress: what editors see of the bridge and how they steer it.

One browser for all these tests, few page loads: they stay under a minute together.
"""

from __future__ import annotations

import pytest

from tests.support import browser as browser_support
from tests.support.browser import BlockEditor, Browser, BrowserUnavailable


def post_fields(wordpress, post_id: int) -> dict:
    return wordpress.php_json(f"echo json_encode(get_post({post_id}, ARRAY_A));")


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
