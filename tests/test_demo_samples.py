"""The demo's sample drafts in the real WordPress: loaded as drafts with their images, then rewritten by the real
sync through the real ``openai`` SDK against the fake model server answering each with its test answer."""

from __future__ import annotations

import json
import re
import struct
import urllib.parse
import urllib.request
import zlib

import openai
import pytest

from tests.support.demo_model import DEMO_MODEL_KEY, DemoModel, demo_answer
from tests.support.factories import settings_for
from tests.support.fake_openai import FakeOpenAI
from wp_seo_bridge.article import ArticleProposal, assemble
from wp_seo_bridge.bridge import prepare
from wp_seo_bridge.config import load_config
from wp_seo_bridge.content import parse
from wp_seo_bridge.demo.images import png
from wp_seo_bridge.demo.samples import IMAGES, SAMPLES, UploadedImage, load_samples, sample
from wp_seo_bridge.guards.language import detect_language
from wp_seo_bridge.sync.options import SyncOptions
from wp_seo_bridge.sync.runner import run_sync

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@pytest.fixture(scope="module")
def loaded(wordpress) -> dict[str, int]:
    """The samples loaded once into the test site: post ID by sample name."""
    return dict(zip((s.name for s in SAMPLES), load_samples(wordpress)))


def post(wordpress, post_id: int) -> dict:
    return wordpress.php_json(f"echo json_encode(get_post({post_id}, ARRAY_A));")


def blocks(wordpress, post_id: int) -> list[dict]:
    """The post's top-level blocks as WordPress parses them (blank space between blocks left out)."""
    parsed = wordpress.php_json(f"echo json_encode(parse_blocks(get_post({post_id})->post_content));")
    return [b for b in parsed if b["blockName"] is not None or b["innerHTML"].strip()]


def fetch(wordpress, path: str) -> tuple[int, str, bytes]:
    with _OPENER.open(wordpress.url + path, timeout=10) as response:
        return response.status, response.headers["Content-Type"], response.read()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", data[:16]
    return struct.unpack(">II", data[16:24])


def test_the_png_writer_writes_what_a_decoder_reads_back():
    rows = [bytes(range(9)), bytes(range(100, 109))]
    data = png(3, 2, rows)
    assert png_size(data) == (3, 2)
    idat = data[data.index(b"IDAT") + 4:data.index(b"IEND") - 8]
    assert zlib.decompress(idat) == b"".join(b"\x00" + row for row in rows)
    with pytest.raises(ValueError):
        png(3, 2, rows[:1])


def test_each_sample_is_a_draft_by_the_editor_with_its_title_and_every_placeholder_filled(wordpress, loaded):
    assert list(loaded) == ["short-news", "block-editor", "english"]
    for name, post_id in loaded.items():
        stored = post(wordpress, post_id)
        assert stored["post_status"] == "draft" and stored["post_type"] == "post"
        assert int(stored["post_author"]) == wordpress.editor_id
        assert stored["post_title"] == sample(name).title
        assert "{{" not in stored["post_content"] and "}}" not in stored["post_content"]
        if not sample(name).images():
            assert stored["post_content"] == sample(name).template()
    assert not wordpress.php_json(f"echo json_encode(has_blocks({loaded['short-news']}) || has_blocks({loaded['english']}));")


def test_the_block_draft_parses_into_blocks_with_an_image_an_embed_and_a_gallery_of_served_images(wordpress, loaded):
    post_id = loaded["block-editor"]
    parsed = blocks(wordpress, post_id)
    assert all(b["blockName"] for b in parsed), [b["innerHTML"][:80] for b in parsed if not b["blockName"]]
    names = [b["blockName"] for b in parsed]
    assert {"core/paragraph", "core/heading"} <= set(names)
    (image,) = [b for b in parsed if b["blockName"] == "core/image"]
    (embed,) = [b for b in parsed if b["blockName"] == "core/embed"]
    (gallery,) = [b for b in parsed if b["blockName"] == "core/shortcode"]
    assert embed["attrs"]["providerNameSlug"] == "youtube" and embed["attrs"]["url"] in embed["innerHTML"]

    image_id = image["attrs"]["id"]
    src = re.search(r'<img src="([^"]+)"', image["innerHTML"]).group(1)
    assert f'class="wp-image-{image_id}"' in image["innerHTML"]
    assert src == urllib.parse.urlsplit(attachment(wordpress, image_id)["url"]).path

    ids = [int(i) for i in re.fullmatch(r'\s*\[gallery ids="([\d,]+)"[^\]]*\]\s*', gallery["innerHTML"]).group(1).split(",")]
    assert len(ids) == 3 and image_id not in ids
    for attachment_id in [image_id, *ids]:
        found = attachment(wordpress, attachment_id)
        assert found["mime"] == "image/png" and found["parent"] == post_id and found["alt"]
        assert (found["width"], found["height"]) == (800, 450)
        status, kind, data = fetch(wordpress, urllib.parse.urlsplit(found["url"]).path)
        assert status == 200 and kind == "image/png" and png_size(data) == (800, 450)
    rendered = wordpress.php_json(f"echo json_encode(do_shortcode({json.dumps(gallery['innerHTML'].strip())}));")
    assert rendered.count("<img ") == 3


def attachment(wordpress, attachment_id: int) -> dict:
    return wordpress.php_json(
        f"$p = get_post({attachment_id}); $m = wp_get_attachment_metadata({attachment_id});"
        f"echo json_encode(array('mime' => $p->post_mime_type, 'parent' => (int) $p->post_parent,"
        f" 'url' => wp_get_attachment_url({attachment_id}), 'width' => $m['width'], 'height' => $m['height'],"
        f" 'alt' => get_post_meta({attachment_id}, '_wp_attachment_image_alt', true)));"
    )


def test_every_sample_image_is_uploaded_once(wordpress, loaded):
    titles = wordpress.php_json(
        "echo json_encode(wp_list_pluck(get_posts(array('post_type' => 'attachment', 'post_status' => 'inherit',"
        f" 'numberposts' => -1, 'post_parent' => {loaded['block-editor']})), 'post_title'));"
    )
    assert sorted(titles) == sorted(image.title for image in IMAGES)


# --- the fake model's answers ---------------------------------------------------------------------------------------


def gate_settings():
    """The bridge's default rules: 700 words, French, green lights, every fact of the draft kept, none added."""
    return load_config(env={"XDG_CONFIG_HOME": "/nonexistent-wp-seo-bridge-test"}, require_site=False)


@pytest.mark.parametrize("name", [s.name for s in SAMPLES])
def test_each_answer_passes_the_gate_on_its_sample_at_the_first_attempt(name):
    """Offline, the gate's reasons in full: the answer written for each sample passes the real gate on its draft."""
    uploaded = {image.name: UploadedImage(image.name, 100 + n, f"http://127.0.0.1:9/wp-content/uploads/{image.file_name}")
                for n, image in enumerate(IMAGES)}
    settings = gate_settings()
    prepared = prepare(sample(name).content(uploaded), sample(name).title, settings, source_name=name,
                       site_url="http://127.0.0.1:9")
    proposal = ArticleProposal.model_validate_json(demo_answer(name))
    article = assemble(proposal, prepared.document)
    verdict = prepared.judge(article, proposal)
    assert verdict.passed, "\n".join(verdict.reasons)
    assert not article.restored_placeholders and article.word_count() >= 700
    assert (verdict.analysis.seo_rating, verdict.analysis.readability_rating) == ("good", "good")


def test_the_fake_model_tells_a_draft_it_does_not_know():
    with FakeOpenAI(api_key=DEMO_MODEL_KEY) as server:
        server.responder = responder = DemoModel()
        client = openai.OpenAI(base_url=server.base_url, api_key=DEMO_MODEL_KEY, max_retries=0)
        with pytest.raises(openai.BadRequestError, match="only knows the sample drafts"):
            client.chat.completions.create(model="gpt-4o-mini", messages=[
                {"role": "system", "content": "rules"}, {"role": "user", "content": "un autre brouillon"}])
        client.close()
    assert responder.calls == {None: 1}


@pytest.fixture(scope="module")
def synced(wordpress, tmp_path_factory):
    """Samples of their own, loaded then synced once by the real sync with the fake model: (post IDs by name, the
    run's result, the model)."""
    ids = dict(zip((s.name for s in SAMPLES), load_samples(wordpress)))
    journal = tmp_path_factory.mktemp("demo-sync") / "journal.sqlite3"
    with FakeOpenAI(api_key=DEMO_MODEL_KEY) as server:
        server.responder = model = DemoModel()
        settings = settings_for(
            wordpress.url, wordpress.editor_user, wordpress.editor_app_password, seo_plugin="yoast",
            model_base_url=server.base_url, api_key=DEMO_MODEL_KEY, model__max_retries=0, sync__min_age_minutes=0,
            journal__path=journal,
        )
        (result,) = run_sync(settings, SyncOptions(posts=tuple(ids.values())))
    return ids, result, model


def test_the_sync_rewrites_each_sample_with_one_model_call_and_green_lights(synced):
    ids, result, model = synced
    by_id = {p.id: p for p in result.posts}
    assert {name: (by_id[i].outcome, by_id[i].reason) for name, i in ids.items()} == {
        name: ("rewritten", by_id[i].reason) for name, i in ids.items()}
    assert model.calls == {name: 1 for name in ids}
    for post_id in ids.values():
        assert (by_id[post_id].after.seo, by_id[post_id].after.readability) == ("good", "good")
    assert result.exit_code == 0


def test_each_rewritten_sample_is_a_french_draft_of_700_words_with_subheadings(wordpress, synced):
    ids, _, _ = synced
    for name, post_id in ids.items():
        stored = post(wordpress, post_id)
        assert stored["post_status"] == "draft" and stored["post_title"] != sample(name).title
        document = parse(stored["post_content"])
        assert document.word_count() >= 700, name
        assert detect_language(document.plain_text()) == "fr", name
        assert sum(1 for b in document.text_blocks if b.kind == "heading") >= 5, name
        assert document.format == ("blocks" if sample(name).editor == "blocks" else "classic"), name
    english = post(wordpress, ids["english"])["post_content"]
    assert re.search(r"«(&nbsp;|\s)Nous voulions quelque chose qui disparaisse tout simplement", english), english
    assert "Tidemill Materials" in english


def test_the_rewritten_block_draft_keeps_its_image_embed_and_gallery_byte_for_byte(wordpress, synced):
    ids, _, _ = synced
    post_id = ids["block-editor"]
    kept = {b["blockName"]: b for b in blocks(wordpress, post_id) if b["blockName"] in {"core/image", "core/embed",
                                                                                       "core/shortcode"}}
    draft, parsed = wordpress.php_json(
        f"$r = wp_get_post_revisions({post_id}, array('order' => 'ASC')); $draft = reset($r)->post_content;"
        "echo json_encode(array($draft, parse_blocks($draft)));"
    )
    assert draft.startswith("<!-- wp:paragraph -->\n<p>La voie verte qui relie Montclaret")  # the draft as loaded
    original = {b["blockName"]: b for b in parsed if b["blockName"] in {"core/image", "core/embed", "core/shortcode"}}
    assert set(kept) == {"core/image", "core/embed", "core/shortcode"}
    for name, block in kept.items():
        assert (block["attrs"], block["innerHTML"]) == (original[name]["attrs"], original[name]["innerHTML"]), name
    content = post(wordpress, post_id)["post_content"]
    assert content.count("<!-- wp:image") == content.count("<!-- wp:embed") == content.count("[gallery ") == 1


# --- in the block editor --------------------------------------------------------------------------------------------

#: Every block the editor holds (inner ones too): its name, whether it is valid, and whether it is valid as written
#: (not only once a deprecation migrated it: the editor would then rewrite it silently), with the validator's issues.
_BLOCKS_JS = """
function walk(blocks, out) {
  blocks.forEach(function (block) {
    var issues = [], exact = block.isValid;
    if (block.isValid && block.originalContent !== undefined) {
      var check = wp.blocks.validateBlock(block, block.name);
      exact = check[0];
      issues = check[1].map(function (issue) { return String(issue.args && issue.args[0]); });
    }
    out.push({name: block.name, valid: block.isValid, exact: exact, issues: issues});
    walk(block.innerBlocks || [], out);
  });
  return out;
}
return walk(wp.data.select('core/block-editor').getBlocks(), []);
"""


def editor_blocks(page, wordpress, post_id: int) -> list[dict]:
    from tests.support.browser import BlockEditor

    screen = BlockEditor(page, wordpress, post_id).open()
    try:
        return page.driver.execute_script(_BLOCKS_JS)
    finally:
        screen.close()


def test_the_block_editor_opens_every_sample_and_the_rewritten_block_draft_without_an_invalid_block(
        wordpress, loaded, synced, page, browser_users):
    editor = browser_users.editor
    page.login(wordpress, editor.login, editor.password)
    found = {}
    for name, post_id in [*loaded.items(), ("rewritten block-editor", synced[0]["block-editor"])]:
        found[name] = editor_blocks(page, wordpress, post_id)
        assert all(b["valid"] and b["exact"] for b in found[name]), (name, [b for b in found[name] if not b["exact"]])
    assert {b["name"] for b in found["block-editor"]} == {"core/paragraph", "core/image", "core/heading",
                                                           "core/embed", "core/shortcode"}
    assert {"core/image", "core/embed", "core/shortcode"} <= {b["name"] for b in found["rewritten block-editor"]}
    assert [b["name"] for b in found["short-news"]] == [b["name"] for b in found["english"]] == ["core/freeform"]
