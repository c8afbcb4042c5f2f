"""Layout containers: their text is rewritten (never kept, never lost), their other children kept once, in order.

Every draft here is checked against the same rule: each paragraph of the draft is in exactly one
text block and in no kept element, each image is in exactly one kept element, and nothing
executable survives.
"""

from __future__ import annotations

import re

import pytest

from tests.support.wrapped_drafts import (
    CLASSIC_WRAPPERS, FACT, SCRIPT, blocks_draft, columns, cover, details, group, heading_block, html_block, image_block,
    image_src, img, media_text, nested_list_block, p, p_block, sentence, wrap,
)
from wp_seo_bridge.article import ArticleProposal, assemble
from wp_seo_bridge.config import RewriteSettings
from wp_seo_bridge.content import Placeholder, TextBlock, count_words, parse, render
from wp_seo_bridge.draft_markup import executable_parts
from wp_seo_bridge.guards import check_facts
from wp_seo_bridge.parts import split_document
from wp_seo_bridge.rewrite import require_enough_text


def texts(document) -> list[str]:
    return [b.text for b in document.text_blocks]


def kept(document) -> list[Placeholder]:
    return [b for b in document.blocks if isinstance(b, Placeholder)]


def assert_each_once(document, sentences: list[str], images: list[int]) -> None:
    """Each sentence in exactly one text block and no kept element; each image in exactly one kept element."""
    all_text = "\n".join(texts(document))
    for text in sentences:
        assert all_text.count(text) == 1, text
        assert not any(text in placeholder.markup for placeholder in kept(document)), text
    for index in images:
        assert sum(placeholder.markup.count(image_src(index)) for placeholder in kept(document)) == 1, index
    assert not executable_parts("\n".join(p.markup for p in kept(document)))


def words_of(sentences: list[str]) -> int:
    return sum(count_words(s) for s in sentences)


# -- a whole body inside one container -------------------------------------------------------------

WHOLE = [sentence(i) for i in range(8)]  # 240 words


def whole_blocks(kind: str) -> tuple[str, str]:
    paragraphs = [p_block(s) for s in WHOLE]
    if kind == "group":
        return blocks_draft(group(*paragraphs)), "1 group block"
    if kind == "row":
        return blocks_draft(group(*paragraphs, layout="flex")), "1 group block"
    if kind == "columns":
        return blocks_draft(columns(tuple(paragraphs[:4]), tuple(paragraphs[4:]))), "1 columns block"
    if kind == "details":
        return blocks_draft(details("Le calendrier des travaux", *paragraphs)), "1 details block"
    if kind == "group in group":
        return blocks_draft(group(group(*paragraphs[:4]), *paragraphs[4:])), "1 group block"
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["group", "row", "columns", "details", "group in group"])
def test_a_block_draft_wholly_inside_a_container_is_all_text(kind):
    draft, layout = whole_blocks(kind)
    document = parse(draft)
    assert_each_once(document, WHOLE, [])
    assert kept(document) == [] and str(document.layouts) == layout
    summary = 4 if kind == "details" else 0  # "Le calendrier des travaux": the summary is text too
    assert document.word_count() == words_of(WHOLE) + summary >= 240
    require_enough_text(document, RewriteSettings(), "The file group.html")  # no longer "no text"


@pytest.mark.parametrize("name", list(CLASSIC_WRAPPERS))
def test_a_classic_draft_wholly_inside_a_container_is_all_text(name):
    tag, attrs = CLASSIC_WRAPPERS[name]
    draft = wrap(tag, *(p(s) for s in WHOLE), attrs=attrs)
    document = parse(draft)
    assert document.format == "classic"
    assert_each_once(document, WHOLE, [])
    assert kept(document) == [] and str(document.layouts) == f"1 {tag} element"
    assert document.word_count() == words_of(WHOLE)


def test_a_classic_details_element_gives_its_summary_and_its_text():
    document = parse(wrap("details", "<summary>Le calendrier</summary>", p(sentence(0)), p(sentence(1))))
    assert texts(document) == ["Le calendrier", sentence(0), sentence(1)]
    assert str(document.layouts) == "1 details element"


def test_a_pull_quote_is_a_quote_with_its_citation():
    pullquote = ('<!-- wp:pullquote -->\n<figure class="wp-block-pullquote"><blockquote><p>« Nous paierons 45 millions '
                 "d’euros. »</p><cite>Jean Dupont</cite></blockquote></figure>\n<!-- /wp:pullquote -->")
    document = parse(blocks_draft(p_block(sentence(0)), pullquote))
    quote = document.blocks[1]
    assert (quote.kind, quote.html, quote.citation) == ("quote", "« Nous paierons 45 millions d’euros. »", "Jean Dupont")
    assert str(document.layouts) == "1 pullquote block"


def test_what_is_unsafe_in_a_container_s_own_markup_goes_with_it_reported():
    draft = blocks_draft(
        '<!-- wp:cover {"url":"javascript:alert(4)","dimRatio":50} -->\n<div class="wp-block-cover" onmouseover="x()">'
        f'<div class="wp-block-cover__inner-container">{p_block(sentence(0))}</div></div>\n<!-- /wp:cover -->',
    )
    document = parse(draft)
    assert texts(document) == [sentence(0)] and kept(document) == []
    assert str(document.removed) == "1 onmouseover attribute, 1 javascript: URL"
    classic = parse(f'<div class="encart" onclick="suivre()">{p(sentence(1))}</div>')
    assert texts(classic) == [sentence(1)] and str(classic.removed) == "1 onclick attribute"


# -- partly wrapped, nested, with media ------------------------------------------------------------


def test_block_containers_with_media_keep_each_element_once_in_order():
    s = [sentence(i) for i in range(12)]
    draft = blocks_draft(
        p_block(s[0]),
        group(p_block(s[1]), image_block(1), p_block(s[2])),
        columns((p_block(s[3]), image_block(2)), (heading_block("Dans les quartiers", 3), p_block(s[4]))),
        cover(3, p_block(s[5])),
        details("Qui paie ?", p_block(s[6])),
        media_text(4, p_block(s[7]), p_block(s[8])),
        nested_list_block([s[9], s[10]], ["Première étape", "Seconde étape"]),
        p_block(s[11]),
    )
    document = parse(draft)
    assert_each_once(document, s, [1, 2, 3, 4])
    order = [b.kind if isinstance(b, TextBlock) else f"keep:{b.label}" for b in document.blocks]
    assert order == [
        "paragraph", "paragraph", "keep:image", "paragraph", "paragraph", "keep:image", "heading", "paragraph",
        "keep:image", "paragraph", "paragraph", "paragraph", "keep:image", "paragraph", "paragraph", "list", "paragraph",
    ]
    assert str(document.layouts) == (
        "1 group block, 1 columns block, 1 cover block, 1 details block, 1 media text block, 1 nested list"
    )
    # A core block inside a container keeps its block comment, byte for byte; a cover's or media & text's own
    # image stays in a paragraph block of its own, byte for byte.
    assert kept(document)[0].markup == image_block(1)
    cover_image = re.search(r'<img class="wp-block-cover__image-background[^>]*/>', draft).group(0)
    assert kept(document)[2].markup == f"<!-- wp:paragraph -->\n<p>{cover_image}</p>\n<!-- /wp:paragraph -->"
    # The nested list is one flat list, in reading order.
    assert document.blocks[15].items == (s[9], "Première étape", "Seconde étape", s[10])


def test_classic_containers_partly_wrapped_and_nested():
    s = [sentence(i) for i in range(9)]
    draft = "\n\n".join([
        p(s[0]),
        wrap("div", p(s[1]), img(1), wrap("section", p(s[2]), "<table><tr><td>12 écoles</td></tr></table>"),
             attrs=' class="encadre"'),
        "<h2>Le calendrier</h2>",
        wrap("article", wrap("div", s[3]), p(s[4]), wrap("details", "<summary>Qui paie ?</summary>", p(s[5]))),
        f"<ul><li>{s[6]}<ol><li>Première étape</li><li>Seconde étape</li></ol></li><li>{s[7]}</li></ul>",
        p(s[8]),
    ])
    document = parse(draft)
    assert_each_once(document, s, [1])
    order = [b.kind if isinstance(b, TextBlock) else f"keep:{b.label}" for b in document.blocks]
    assert order == ["paragraph", "paragraph", "keep:image", "paragraph", "keep:table", "heading", "paragraph",
                     "paragraph", "paragraph", "paragraph", "list", "paragraph"]
    assert str(document.layouts) == "1 div element, 1 article element, 1 nested list"
    assert document.blocks[10].items == (s[6], "Première étape", "Seconde étape", s[7])
    # What is kept is an exact slice of the draft.
    for placeholder in kept(document):
        assert placeholder.markup in draft


# -- containers without text stay whole -------------------------------------------------------------

EMPTY_PARAGRAPH = '<!-- wp:paragraph {"placeholder":"Titre"} -->\n<p class="has-text-align-center"></p>\n<!-- /wp:paragraph -->'


@pytest.mark.parametrize("container", [
    group(image_block(1)),
    group(image_block(1), "<!-- wp:shortcode -->\n[gallery ids=\"1,2\"]\n<!-- /wp:shortcode -->"),
    cover(1, EMPTY_PARAGRAPH),
    media_text(1, EMPTY_PARAGRAPH),
    columns((image_block(1),), (image_block(2),)),
    wrap("div", img(1), attrs=' class="photo"'),
    wrap("section", "<table><tr><td>45</td></tr></table>"),
    '<div id="attachment_7" class="wp-caption"><img src="https://medias.example/photo-1.jpg" alt=""><p '
    'class="wp-caption-text">La légende reste avec sa photo.</p></div>',
], ids=["group-image", "group-shortcode", "cover", "media-text", "columns-images", "div-image", "section-table",
        "classic-caption"])
def test_a_container_without_text_is_kept_byte_for_byte(container):
    intro = sentence(0)
    draft = f"{p_block(intro)}\n\n{container}\n" if container.startswith("<!-- wp:") else f"{p(intro)}\n\n{container}\n"
    document = parse(draft)
    assert texts(document) == [intro]
    assert [b.markup for b in kept(document)] == [container]
    assert not document.layouts and not document.removed


# -- a script beside the draft's prose ---------------------------------------------------------------


@pytest.mark.parametrize("draft", [
    f"<div>{p(FACT)}{SCRIPT}</div>",
    f"<div class=\"encart\">\n{p(FACT)}\n\n{SCRIPT}\n</div>",
    html_block(f'<div class="encart"><p>{FACT}</p>{SCRIPT}</div>'),
    blocks_draft(group(html_block(f"<p>{FACT}</p>\n{SCRIPT}"))),
    blocks_draft(p_block(sentence(0)), html_block(f"{FACT}\n{SCRIPT}")),
], ids=["classic-div", "classic-div-blank-lines", "html-block", "html-block-in-group", "bare-text-html-block"])
def test_a_fragment_with_a_script_loses_the_script_and_keeps_its_prose_as_text(draft):
    document = parse(draft)
    assert FACT in texts(document)
    assert str(document.removed) == "1 script element"  # never "1 HTML fragment" nor "1 custom HTML block"
    assert "track()" not in render(document.blocks, "classic") and not executable_parts(render(document.blocks, "blocks"))
    assert document.layouts
    # The fact check sees the figure and the name where the draft had them: an article without them lacks them.
    proposal = ArticleProposal(
        title="Budget", seo_title="Budget", meta_description="Budget", focus_keyphrase="budget", slug="budget-ecoles-ville",
        excerpt="Budget", sections=[{"heading": "Le budget", "blocks": [{"type": "paragraph", "text": "Le budget est voté."}]}],
    )
    lacking = check_facts(document, assemble(proposal, document), require_all=True)
    assert ("fact:missing", "45 millions d'euros") in [(f.guard, f.item) for f in lacking]


def test_a_table_with_a_script_is_kept_without_the_script_not_dropped():
    table = f"<table><tr><td>45 millions d’euros</td><td>{SCRIPT}</td></tr></table>"
    document = parse(f"{p(sentence(0))}\n\n{table}\n")
    assert "45 millions d’euros" in kept(document)[0].markup and "<script" not in kept(document)[0].markup
    assert str(document.removed) == "1 script element"


TWEET = ('<blockquote class="twitter-tweet"><p lang="fr">Le budget des écoles est voté.</p>&mdash; Mairie (@mairie) '
         '<a href="https://twitter.com/mairie/status/1">avril 2024</a></blockquote> '
         '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>')
INSTAGRAM = ('<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/1/"><div><a '
             'href="https://www.instagram.com/p/1/">Voir cette publication sur Instagram</a></div></blockquote>\n'
             '<script async src="//www.instagram.com/embed.js"></script>')
TRACKER = '<div id="widget-meteo"></div><script>chargerMeteo("widget-meteo")</script>'


@pytest.mark.parametrize("widget", [TWEET, INSTAGRAM, TRACKER], ids=["tweet", "instagram", "inline-widget"])
@pytest.mark.parametrize("form", ["blocks", "classic"])
def test_a_widget_with_a_script_and_no_prose_is_still_dropped_whole(widget, form):
    intro = sentence(0)
    if form == "blocks":
        draft, whole = blocks_draft(p_block(intro), html_block(widget)), "custom HTML block"
    else:
        draft, whole = f"{p(intro)}\n\n<div class=\"widget\">{widget}</div>\n", "HTML fragment"
    document = parse(draft)
    assert texts(document) == [intro] and kept(document) == [] and not document.layouts
    # As before: the fragment is named when it had something to show besides its script.
    assert str(document.removed) == ("1 script element" if widget == TRACKER else f"1 {whole}, 1 script element")


def test_a_trusted_widget_is_kept_byte_for_byte():
    draft = blocks_draft(p_block(sentence(0)), html_block(TWEET))
    document = parse(draft, trusted_embed_hosts=["platform.twitter.com"])
    assert [b.markup for b in kept(document)] == [html_block(TWEET)] and not document.removed


# -- the article written back, and long drafts -------------------------------------------------------


def test_the_rendered_article_has_no_container_and_reads_back_the_same():
    s = [sentence(i) for i in range(4)]
    document = parse(blocks_draft(group(p_block(s[0]), image_block(1)), cover(2, p_block(s[1])), columns((p_block(s[2]),),
                                                                                                      (p_block(s[3]),))))
    for output in ("blocks", "classic"):
        markup = render(document.blocks, output)
        assert "wp-block-group" not in markup and "wp-block-columns" not in markup
        again = parse(markup)
        assert texts(again) == s and not again.layouts
        assert [b.markup for b in kept(again)] == [b.markup for b in kept(document)]


def test_a_long_draft_in_containers_splits_between_its_blocks():
    sections = []
    for n in range(6):
        first = n * 10
        sections.append(group(heading_block(f"Le quartier numéro {n + 1}"),
                              *(p_block(sentence(first + i)) for i in range(10)), image_block(n + 1)))
    document = parse(blocks_draft(*sections))
    assert document.word_count() > 1800 and str(document.layouts) == "6 group blocks"
    parts = split_document(document, 700)
    assert len(parts) >= 3
    assert [b for part in parts for b in part.blocks] == list(document.blocks)
    for part in parts:
        assert isinstance(part.blocks[0], TextBlock) and part.blocks[0].kind == "heading"  # cut at the groups' headings
        assert part.words <= 700


def in_groups(content: str) -> str:
    """A block draft with each level-2 section (and the introduction) in a Group block of its own."""
    sections: list[list[str]] = [[]]
    for block in content.strip().split("\n\n"):
        if block.startswith("<!-- wp:heading -->") and sections[-1]:
            sections.append([])
        sections[-1].append(block)
    return blocks_draft(*(group(*section) for section in sections))


def test_a_long_draft_in_groups_is_rewritten_in_parts_with_every_figure_and_element_once():
    from tests.support.dossier import make_dossier
    from tests.support.fake_openai import FakeOpenAI
    from tests.support.fake_rewriter import PartRewriter
    from tests.test_long_drafts import plain_text, settings
    from wp_seo_bridge.bridge import rewrite_source

    dossier = make_dossier(28)
    draft = in_groups(dossier.content)
    document, flat = parse(draft), parse(dossier.content)
    assert str(document.layouts) == "29 group blocks"
    # Gone into, the groups give the very blocks of the same draft without them: the parts are the same too.
    assert document.blocks == flat.blocks
    assert [p.blocks for p in split_document(document, 2500)] == [p.blocks for p in split_document(flat, 2500)]
    with FakeOpenAI() as server:
        server.responder = PartRewriter()
        report = rewrite_source(draft, dossier.title, settings(server))
    assert report.accepted and report.parts == 4, report.verdict.reasons
    text = plain_text(report.content)  # parsed once: a long dossier takes ~0.5 s to parse
    assert [figure for figure in dossier.figures if figure not in text] == []
    for placeholder in document.placeholders.values():
        assert report.content.count(placeholder.markup) == 1
    assert "wp-block-group" not in report.content and report.notices[0].startswith("The layout of 29 group blocks")
