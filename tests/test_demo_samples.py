"""The demo's sample drafts in the real WordPress: loaded as drafts with their images, then rewritten by the real
sync through the real ``openai`` SDK against the fake model server answering each with its test answer."""

from __future__ import annotations

import json
import re
import struct
import urllib.parse
import urllib.request
import zlib

import pytest

from wp_seo_bridge.demo.images import png
from wp_seo_bridge.demo.samples import IMAGES, SAMPLES, load_samples, sample

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
