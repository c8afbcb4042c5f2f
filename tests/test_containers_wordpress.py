"""End to end: text inside layout containers is rewritten once, their media kept once, their scripts never written.

Drafts are written into the real WordPress started by the suite; the bridge rewrites them with the
fake model (through the real ``openai`` SDK), and the tests read back what WordPress stored, then
restore the original, layout included.
"""

from __future__ import annotations

import json

import pytest

from tests.support.fake_openai import CHAT, answer
from tests.support.wrapped_drafts import (
    FACT, SCRIPT, blocks_draft, columns, cover, details, group, heading_block, html_block, image_block, image_src, img,
    media_text, p, p_block, sentence, wrap,
)
from tests.test_draft_safety_wordpress import API_KEY, LENIENT, executable, model_answer, model_server, stored  # noqa: F401
from tests.test_rewrite_wordpress import cli_env, run_cli
from wp_seo_bridge.bridge import rewrite_post
from wp_seo_bridge.content import parse
from wp_seo_bridge.html_text import html_to_text
from wp_seo_bridge.journal import Journal
from wp_seo_bridge.restore import restore_post

S = [sentence(i) for i in range(8)]
MEDIA_ONLY = group(image_block(5))


def wrapped_draft(form: str) -> tuple[str, list[int]]:
    """A draft with text in every kind of container, a script beside a figure, and a container of media only."""
    if form == "blocks":
        return blocks_draft(
            p_block(S[0]),
            group(p_block(S[1]), image_block(1), p_block(S[2])),
            columns((p_block(S[3]),), (heading_block("Dans les quartiers"), p_block(S[4]))),
            cover(2, p_block(S[5])),
            details("Qui paiera les travaux ?", p_block(S[6])),
            media_text(3, p_block(S[7])),
            group(html_block(f"<p>{FACT}</p>\n{SCRIPT}")),
            MEDIA_ONLY,
        ), [1, 2, 3, 5]
    return "\n\n".join([
        wrap("div", p(S[0]), wrap("section", p(S[1]), img(1), p(S[2])), "<h2>Dans les quartiers</h2>",
             wrap("article", p(S[3]), wrap("div", p(S[4]))), attrs=' class="entry-content"'),
        wrap("details", "<summary>Qui paiera les travaux ?</summary>", p(S[5])),
        f"<ul><li>{S[6]}<ul><li>Première étape du chantier</li></ul></li><li>{S[7]}</li></ul>",
        f"<div>{p(FACT)}{SCRIPT}</div>",
        wrap("div", img(5), attrs=' class="photo"'),
    ]) + "\n", [1, 5]


def rewritten(text: str) -> str:
    """How the fake model (``model_answer``) rewrites a paragraph."""
    return f"En bref, {text[0].lower()}{text[1:]}"


@pytest.mark.parametrize("form", ["blocks", "classic"])
def test_text_in_containers_is_rewritten_once_and_their_media_kept_once(
    wordpress, make_site, model_server, stored, tmp_path, form
):
    draft, images = wrapped_draft(form)
    document = parse(draft)
    post_id = wordpress.create_post(post_title="Les écoles rénovées", post_content=draft)
    model_server.queue(CHAT, answer(model_answer(document)))
    with make_site(model_base_url=model_server.base_url, api_key=API_KEY, model__max_retries=1, quality__max_repairs=0,
                   seo_plugin="yoast", **LENIENT) as site:
        with Journal(tmp_path / "journal.sqlite3") as journal:
            report = rewrite_post(site, post_id, journal=journal)
            assert report.written, report.verdict.reasons
            post = stored(post_id)
            restored = restore_post(site, post_id, journal)
    content = post["content"]
    # The model was given every paragraph, wherever the draft had it.
    sent = [r for r in model_server.requests if r.path == CHAT][0].body["messages"][1]["content"]
    text = html_to_text(content)
    items = {item for block in document.text_blocks for item in block.items}  # the fake model copies list items
    for sentence_ in [*S, FACT]:
        assert json.dumps(sentence_, ensure_ascii=False)[1:-1] in sent, sentence_
        # Written once, rewritten: never both kept and rewritten.
        assert text.count(sentence_[1:]) == 1 and (sentence_ in items or rewritten(sentence_) in text), sentence_
    # Each image once, the container of media only byte for byte; no container's own markup otherwise.
    for index in images:
        assert content.count(image_src(index)) == 1, index
    if form == "blocks":
        assert content.count(MEDIA_ONLY) == 1 and content.count("wp-block-group") == 1
        assert 'class="wp-block-cover"' not in content and "wp-block-columns" not in content and "<details" not in content
    else:
        assert content.count('<div class="photo">') == 1 and "entry-content" not in content and "<section" not in content
    # No script written; the figure and the name beside it are kept.
    assert executable(content) == [] and "track()" not in content
    assert "45 millions d'euros selon Jean Dupont" in text and str(report.removed_from_draft) == "1 script element"
    # Said in the command's notices and the post's record.
    layouts = str(document.layouts)
    assert layouts == ("2 group blocks, 1 columns block, 1 cover block, 1 details block, 1 media text block"
                       if form == "blocks" else "2 div elements, 1 details element, 1 nested list")
    assert report.notices[0].startswith(f"The layout of {layouts} was not kept: their text was rewritten")
    assert json.loads(post["record"])["layout_not_kept"] == layouts
    # The original, layout included, comes back whole.
    assert restored.content == draft


def command_env(wordpress, model_server, tmp_path) -> dict[str, str]:
    return {**cli_env(wordpress, model_server, tmp_path), "OPENAI_API_KEY": API_KEY, "WP_SEO_BRIDGE_REWRITE_MIN_WORDS": "50",
            "WP_SEO_BRIDGE_QUALITY_MIN_SEO_RATING": "bad", "WP_SEO_BRIDGE_QUALITY_MIN_READABILITY_RATING": "bad",
            "WP_SEO_BRIDGE_QUALITY_MAX_REPAIRS": "0"}


@pytest.mark.parametrize("wrapper", ["group", "div"])
def test_a_file_wholly_inside_a_container_is_rewritten_and_the_command_says_so(wordpress, model_server, tmp_path, wrapper):
    body = [sentence(i) for i in range(8)]
    if wrapper == "group":
        draft = blocks_draft(group(*(p_block(s) for s in body[:4]), heading_block("Le calendrier"),
                                   *(p_block(s) for s in body[4:])))
    else:
        draft = wrap("div", *(p(s) for s in body[:4]), "<h2>Le calendrier</h2>", *(p(s) for s in body[4:]),
                     attrs=' class="entry-content"') + "\n"
    path = tmp_path / "group.html"
    path.write_text(draft, encoding="utf-8")
    model_server.queue(CHAT, answer(model_answer(parse(draft))))
    result = run_cli("rewrite", "--file", str(path), env=command_env(wordpress, model_server, tmp_path))
    out = " ".join(result.stdout.split())
    assert result.returncode == 0, result.stdout + result.stderr
    words = parse(draft).body_word_count()  # headings aside, as the rewrite's words
    assert words >= 240 and "has no text" not in out and f"Words {words} ->" in out
    layout = "1 group block" if wrapper == "group" else "1 div element"
    assert f"The layout of {layout} was not kept: its text was rewritten" in out and "stays in the file" in out

    model_server.queue(CHAT, answer(model_answer(parse(draft))))
    report = json.loads(run_cli("rewrite", "--file", str(path), "--json",
                                env=command_env(wordpress, model_server, tmp_path)).stdout)
    assert report["layouts_not_kept"] == {layout.removeprefix("1 "): 1} and report["words"]["before"] == words


def test_the_rewrite_command_says_which_layouts_were_not_kept(wordpress, model_server, tmp_path):
    draft, _ = wrapped_draft("blocks")
    post_id = wordpress.create_post(post_title="Les écoles rénovées", post_content=draft)
    model_server.queue(CHAT, answer(model_answer(parse(draft))))
    result = run_cli("rewrite", str(post_id), env=command_env(wordpress, model_server, tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    out = " ".join(result.stdout.split())
    assert ("The layout of 2 group blocks, 1 columns block, 1 cover block, 1 details block, 1 media text block was not "
            "kept") in out
    assert "stays in WordPress's revisions and in the journal" in out and "removed from the draft: 1 script element" in out


@pytest.mark.parametrize("form", ["blocks", "classic"])
def test_a_figure_inside_a_container_that_the_model_drops_is_asked_for_and_comes_back(
    wordpress, make_site, model_server, stored, tmp_path, form
):
    draft, _ = wrapped_draft(form)
    document = parse(draft)
    post_id = wordpress.create_post(post_title="Les écoles rénovées", post_content=draft)
    complete = json.loads(model_answer(document))
    lossy = json.loads(model_answer(document))
    for section in lossy["sections"]:
        section["blocks"] = [b for b in section["blocks"] if "45 millions" not in (b["text"] or "")]
    assert "45 millions" not in json.dumps(lossy, ensure_ascii=False)
    model_server.queue(CHAT, answer(json.dumps(lossy, ensure_ascii=False)), answer(json.dumps(complete, ensure_ascii=False)))
    with make_site(model_base_url=model_server.base_url, api_key=API_KEY, model__max_retries=1, quality__max_repairs=1,
                   **LENIENT) as site:
        with Journal(tmp_path / "journal.sqlite3") as journal:
            report = rewrite_post(site, post_id, journal=journal)
    assert report.written and report.attempts == 2, report.verdict.reasons
    repair = [r for r in model_server.requests if r.path == CHAT][1].body["messages"][-1]["content"]
    assert "The draft's amount \"45 millions d'euros\" is missing from the article" in repair
    assert "45 millions d'euros selon Jean Dupont" in html_to_text(stored(post_id)["content"])
