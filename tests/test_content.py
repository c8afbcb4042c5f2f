"""The content model: what goes to the model as text, what is kept byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from wp_seo_bridge.content import Placeholder, TextBlock, count_words, parse, render, sanitize_inline

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def kinds(document) -> list[str]:
    return [b.kind if isinstance(b, TextBlock) else f"keep:{b.label}" for b in document.blocks]


def test_block_markup_text_and_placeholders():
    source = (FIXTURES / "drafts" / "blocks.html").read_text()
    document = parse(source)
    assert document.format == "blocks"
    assert kinds(document) == [
        "paragraph", "keep:image", "heading", "paragraph", "keep:gallery", "keep:embed", "list", "keep:table",
        "keep:shortcode [gallery]", "quote", "keep:acme/newsletter signup", "keep:html", "keep:block", "paragraph", "paragraph",
    ]
    # The group holds text: gone into, its paragraph is text like any other.
    assert document.blocks[13].text == "Un encadré dans un groupe." and str(document.layouts) == "1 group block"
    first = document.blocks[0]
    assert 'href="https://www.bloomberg.com/news/articles/2024-04-06/china-russia"' in first.html
    heading = document.blocks[2]
    assert heading.level == 3 and heading.html == "Une aide qui change de nature"
    assert document.blocks[3].html.endswith("<strong>microélectronique</strong> et de machines-outils.")
    assert document.blocks[6].items == ("des images satellitaires géospatiales", "des puces et des circuits intégrés")
    quote = document.blocks[9]
    assert quote.citation == "Janet Yellen" and quote.html.startswith("Nous avons clairement indiqué")
    # Every placeholder is an exact slice of the source.
    for placeholder in document.placeholders.values():
        assert placeholder.markup in source
    assert len(document.placeholders) == 8
    assert len({p.ref for p in document.placeholders.values()}) == 8


def test_placeholders_render_back_byte_for_byte():
    source = (FIXTURES / "drafts" / "blocks.html").read_text()
    document = parse(source)
    output = render(document.blocks, "blocks")
    for placeholder in document.placeholders.values():
        assert output.count(placeholder.markup) == source.count(placeholder.markup)
    # Re-parsing the output gives the same blocks.
    again = parse(output)
    assert [b.markup if isinstance(b, Placeholder) else b for b in again.blocks] == [
        b.markup if isinstance(b, Placeholder) else b for b in document.blocks
    ]


def test_classic_html():
    source = (FIXTURES / "drafts" / "classic.html").read_text()
    document = parse(source)
    assert document.format == "classic"
    assert kinds(document) == [
        "heading", "paragraph", "keep:shortcode [caption]", "paragraph", "keep:shortcode [gallery]",
        "keep:embed https://www.youtube.com/watch?v=dQw4w9WgXcQ", "keep:table", "list", "quote",
    ]
    # The map's iframe is removed (an iframe outside an embed block), and said so.
    assert str(document.removed) == "1 iframe element"
    assert document.blocks[1].html.endswith('<a href="https://www.ft.com/content/abc">le Financial Times</a>.')
    assert document.blocks[3].text == "L’imagerie satellitaire a joué un rôle crucial. Une deuxième ligne du même paragraphe."
    for placeholder in document.placeholders.values():
        assert placeholder.markup in source
    output = render(document.blocks, "classic")
    assert "[gallery ids=\"1,2\"]" in output and "<td>240 milliards de dollars</td></tr>\n</table>" in output
    assert "<iframe" not in output


def test_an_iframe_from_a_trusted_host_is_kept_byte_for_byte():
    source = (FIXTURES / "drafts" / "classic.html").read_text()
    document = parse(source, trusted_embed_hosts=["google.com"])
    assert kinds(document)[-1] == "keep:iframe" and not document.removed
    iframe = '<iframe src="https://www.google.com/maps/embed?pb=1" width="600" height="450"></iframe>'
    assert document.blocks[-1].markup == iframe


def test_plain_text_seed_with_pseudo_heading():
    document = parse((SEEDS / "article-1.txt").read_text())
    assert document.format == "plain"
    headings = [b for b in document.text_blocks if b.kind == "heading"]
    assert [h.text for h in headings] == ["La relation « sans limite » entre Pékin et Moscou"]
    assert headings[0].level == 2
    assert all(b.kind in ("paragraph", "heading") for b in document.blocks)
    assert 690 <= document.word_count() <= 730


def test_plain_text_dateline_is_not_a_heading():
    document = parse((SEEDS / "article-2.txt").read_text())
    assert [b.kind for b in document.blocks].count("heading") == 0
    assert document.blocks[0].text == "date 2023-01 CNN"
    assert document.word_count() < 700


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
        ('<span onclick="evil()">x</span> <script>alert(1)</script>', "x"),
        ('<strong style="color:red">gras</strong>', "<strong>gras</strong>"),
        ('<a href="https://a.test/p?q=1" target="_blank" class="x">lien</a>', '<a href="https://a.test/p?q=1" target="_blank">lien</a>'),
        ("<iframe src='https://evil.test'></iframe>texte", "texte"),
    ],
)
def test_inline_markup_is_sanitised(dirty, clean):
    assert sanitize_inline(dirty) == clean


def test_rendered_blocks_use_wordpress_6_1_markup():
    blocks = [
        TextBlock("heading", "Titre", level=2),
        TextBlock("heading", "Sous-titre", level=3),
        TextBlock("paragraph", "Texte <em>important</em>."),
        TextBlock("list", items=("un", "deux"), ordered=True),
        TextBlock("quote", "Citation", citation="Quelqu’un"),
    ]
    assert render(blocks, "blocks") == "\n\n".join([
        "<!-- wp:heading -->\n<h2>Titre</h2>\n<!-- /wp:heading -->",
        '<!-- wp:heading {"level":3} -->\n<h3>Sous-titre</h3>\n<!-- /wp:heading -->',
        "<!-- wp:paragraph -->\n<p>Texte <em>important</em>.</p>\n<!-- /wp:paragraph -->",
        '<!-- wp:list {"ordered":true} -->\n<ol><!-- wp:list-item -->\n<li>un</li>\n<!-- /wp:list-item -->'
        "\n\n<!-- wp:list-item -->\n<li>deux</li>\n<!-- /wp:list-item --></ol>\n<!-- /wp:list -->",
        '<!-- wp:quote -->\n<blockquote class="wp-block-quote"><!-- wp:paragraph -->\n<p>Citation</p>\n'
        "<!-- /wp:paragraph --><cite>Quelqu’un</cite></blockquote>\n<!-- /wp:quote -->",
    ])
    # And it reads back as the same blocks.
    assert list(parse(render(blocks, "blocks")).blocks) == blocks


def test_unclosed_block_is_kept_whole():
    source = "<!-- wp:paragraph -->\n<p>Un.</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:columns -->\n<div>cassé"
    document = parse(source)
    assert kinds(document) == ["paragraph", "keep:unclosed block"]
    assert document.blocks[1].markup == "<!-- wp:columns -->\n<div>cassé"


def test_word_count_counts_elided_words_once():
    assert count_words("L’Ukraine a déclaré « légitimes » les cibles – 240 milliards") == 8
