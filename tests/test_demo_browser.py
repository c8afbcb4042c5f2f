"""``wp-seo-bridge demo`` checked in a real browser, as a person follows what it prints: the demo runs end to end
(its own WordPress, the real sync, the fake model server through the real ``openai`` SDK), and while it waits for
Ctrl-C, headless Chromium (tests/support/browser.py) logs in with the user and password it printed, opens the
drafts list, the rewritten block-editor sample in the block editor, the wp-seo-bridge box and the revisions it
links to.

``WP_SEO_BRIDGE_SCREENSHOTS=docs/screenshots`` also saves ``demo-drafts.png`` (the drafts list after the demo)
and ``demo-revisions.png`` (WordPress's comparison of the draft with the rewrite) for the README.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests

from tests.support.browser import BlockEditor, wait_for
from tests.support.demo_process import WAITING, DemoProcess, no_leftovers, private_tmp
from tests.support.editor_box import BOX, read_column, wait_for_box
from tests.support.fake_openai import FakeOpenAI
from wp_seo_bridge.demo.samples import sample

pytestmark = pytest.mark.wordpress

INVALID = "This block contains unexpected or invalid content"

#: Every block the editor holds (inner ones too), whether it is valid, and whether the page shows each of them.
_BLOCKS_JS = """
var blocks = [];
(function walk(list) { list.forEach(function (b) { blocks.push(b); walk(b.innerBlocks || []); }); })(
  wp.data.select('core/block-editor').getBlocks());
var docs = [document];
document.querySelectorAll('iframe').forEach(function (f) { try { if (f.contentDocument) docs.push(f.contentDocument); } catch (e) {} });
function shown(id) { return docs.some(function (d) { return d.querySelector('[data-block="' + id + '"]'); }); }
if (!blocks.length || !blocks.every(function (b) { return shown(b.clientId); })) return null;
var text = docs.map(function (d) { return d.body ? d.body.innerText : ''; }).join('\\n');
var images = [];
docs.forEach(function (d) { d.querySelectorAll('.wp-block-image img').forEach(function (i) {
  images.push({src: i.src, loaded: i.complete && i.naturalWidth > 0}); }); });
return {
  blocks: blocks.map(function (b) { return {name: b.name, valid: b.isValid,
                                            text: b.name === 'core/shortcode' ? b.attributes.text : ''}; }),
  warning: text.indexOf(arguments[0]) !== -1,
  recovery: !!docs.some(function (d) { return d.querySelector('.block-editor-warning'); }),
  images: images
};
"""

_REVISIONS_JS = """
var from = document.querySelector('.diff-meta-from'), to = document.querySelector('.diff-meta-to');
var diff = document.querySelector('.revisions-diff .diff');
if (!from || !to || !diff) return null;
return {
  heading: (document.querySelector('.wrap h1') || {}).innerText || '',
  from: from.innerText, to: to.innerText,
  removed: Array.prototype.map.call(diff.querySelectorAll('td.diff-deletedline'), function (c) { return c.innerText; }).join('\\n'),
  added: Array.prototype.map.call(diff.querySelectorAll('td.diff-addedline'), function (c) { return c.innerText; }).join('\\n'),
  images: Array.prototype.map.call(document.querySelectorAll('img'), function (i) { return i.src; })
};
"""


@pytest.fixture
def demo_model():
    from tests.support.demo_model import DEMO_MODEL_KEY, DemoModel

    with FakeOpenAI(api_key=DEMO_MODEL_KEY) as server:
        server.responder = DemoModel()
        server.key = DEMO_MODEL_KEY
        yield server


@pytest.fixture
def demo(demo_model, tmp_path):
    """The demo's output once it waits for Ctrl-C; Ctrl-C afterwards, and nothing may be left behind."""
    tmp, home = private_tmp(), tmp_path / "home"
    home.mkdir()
    env = {"TMPDIR": str(tmp), "OPENAI_API_KEY": demo_model.key, "OPENAI_BASE_URL": demo_model.base_url}
    process = DemoProcess(env=env, home=home)
    try:
        yield process.wait_for(WAITING, timeout=180)
    finally:
        process.signal(signal.SIGINT)
        code, output = process.finish()
        files, procs = no_leftovers(tmp)
        shutil.rmtree(tmp, ignore_errors=True)
    assert code == 0 and files == [] and procs == [], (files, procs, output)


def printed(output: str, pattern: str) -> re.Match:
    found = re.search(pattern, output)
    assert found, f"the demo did not print {pattern!r}:\n{output}"
    return found


def screenshot_for_readme(page, name: str, css: str | None = None) -> None:
    """The element ``css`` (the window from the top, without one) as ``<WP_SEO_BRIDGE_SCREENSHOTS>/<name>``."""
    folder = os.environ.get("WP_SEO_BRIDGE_SCREENSHOTS", "").strip()
    if folder:
        if css is None:
            page.driver.execute_script("window.scrollTo(0, 0)")
        page.screenshot(Path(folder) / name, css)


def test_what_the_demo_tells_a_person_to_open_works_in_a_browser(demo, page):
    started = time.monotonic()
    drafts_url = printed(demo, r"Open (http://127\.0\.0\.1:\d+/wp-admin/\S+)").group(1)
    user, password = printed(demo, r"user: (\S+)\s+password: (\S+)").groups()
    site = SimpleNamespace(url=drafts_url.split("/wp-admin/")[0])
    block_title = re.escape(sample("block-editor").title)  # the sample's title, in the table before the sync
    block_id = int(printed(demo, rf"│\s*(\d+)\s*│\s*{block_title}").group(1))
    edit_link = printed(demo, rf"post {block_id}: (\S+)").group(1)

    page.login(site, user, password)  # through wp-login.php, with what the demo printed
    page.get(drafts_url)
    listed = read_column(page)
    assert listed["header"], "the drafts list has no SEO bridge column"
    assert len(listed["rows"]) == 3 and {r["state"] for r in listed["rows"].values()} == {"rewritten"}, listed
    screenshot_for_readme(page, "demo-drafts.png", "#wpbody-content")

    assert edit_link == f"{site.url}/wp-admin/post.php?post={block_id}&action=edit"
    BlockEditor(page, site, block_id).open()  # that link, then the editor's store holding the post
    seen = wait_for(page.driver, _BLOCKS_JS, 20, "every block of the rewritten draft on screen", INVALID)
    names = [b["name"] for b in seen["blocks"]]
    assert [b for b in seen["blocks"] if not b["valid"]] == [] and not seen["warning"] and not seen["recovery"], seen
    assert names.count("core/image") == names.count("core/embed") == 1, names
    assert any(b["text"].startswith("[gallery ids=") for b in seen["blocks"]), seen["blocks"]
    assert [i["loaded"] for i in seen["images"]] == [True], seen["images"]
    assert requests.get(seen["images"][0]["src"], timeout=10).status_code == 200

    box = wait_for_box(page)
    assert (box["state"], box["stateText"]) == ("rewritten", "Rewritten"), box["text"]
    assert box["seo"][1] == box["readability"][1] == "good" and {*box["seo"], *box["readability"]} <= {"good", "ok", "bad"}
    assert int(box["words"][1]) > int(box["words"][0]) > 100, box["words"]

    assert box["compare"] and "/wp-admin/revision.php?" in box["compare"], box["text"]
    page.click(f"{BOX} a.wp-seo-bridge-compare")  # the link the demo's output tells about
    compared = wait_for(page.driver, _REVISIONS_JS, 20, "WordPress's comparison of two revisions")
    assert "/wp-admin/revision.php" in page.driver.current_url
    assert compared["heading"].startswith("Compare Revisions of"), compared
    assert compared["from"].startswith("From:") and compared["to"].startswith("To:"), compared
    assert "Une voie verte de 18 kilomètres" in compared["removed"], compared  # the draft's title ...
    assert compared["added"] and "Roue Libre" in compared["added"], compared  # ... and the rewrite
    outside = [src for src in compared["images"] if not src.startswith(site.url + "/")]
    assert outside == [], f"the demo's private site shows images from elsewhere: {outside}"
    screenshot_for_readme(page, "demo-revisions.png")
    print(f"\nin the browser: {time.monotonic() - started:.1f} s")
