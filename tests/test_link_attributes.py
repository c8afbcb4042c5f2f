"""A rewrite's links carry exactly the attributes of the draft's links; the model chooses none of them."""

from __future__ import annotations

import json

import pytest
import requests
from bs4 import BeautifulSoup

from wp_seo_bridge.article import ArticleProposal, assemble
from wp_seo_bridge.bridge import rewrite_post
from wp_seo_bridge.content import parse
from wp_seo_bridge.journal import Journal
from tests.support.fake_openai import CHAT, FakeOpenAI, answer

API_KEY = "sk-test-links"

BLOOMBERG = "https://www.bloomberg.com/news/china-russia"
PARTNER = "https://partenaire.example/offre"
FORUM = "https://forum.example/fil"
GUIDE = "https://docs.example/guide"
IMAGE_LINK = "https://images.example/satellite"

#: The draft's paragraphs, list and kept image, with links carrying every kind of attribute.
INTRO = (
    "Les États-Unis ont mis en garde leurs alliés contre l’aide croissante de la Chine à la Russie, selon "
    f'<a href="{BLOOMBERG}" target="_blank" rel="noopener noreferrer" title="Article de Bloomberg" hreflang="en">'
    "Bloomberg</a>. Cette aide comprend un soutien en matière de microélectronique et de machines-outils."
)
OFFER = (
    f'Les lecteurs trouveront une offre <a href="{PARTNER}" rel="sponsored nofollow" target="_blank">d’un partenaire</a>'
    f' et un <a href="{FORUM}" rel="ugc nofollow">fil de discussion</a> ouvert aux abonnés du journal.'
)
# The same address again, with other attributes: its rel tokens join the first link's (nothing new here).
AGAIN = (
    f'Le même <a href="{PARTNER}/" rel="nofollow">partenaire</a> propose aussi une lettre d’information sur la '
    "guerre en Ukraine et sur les sanctions."
)
HEADING = "Une aide qui change de nature"
ITEMS = (
    f'<a href="{GUIDE}" hreflang="fr" title="Le guide complet">le guide de lecture</a> de la rédaction',
    "les archives du journal et ses dossiers",
)
IMAGE = (
    f'<figure class="wp-block-image"><a href="{IMAGE_LINK}" rel="nofollow"><img src="http://example.test/sat.jpg" '
    'alt="Un satellite"/></a></figure>'
)

EXPECTED = {
    BLOOMBERG: {"href": BLOOMBERG, "target": "_blank", "rel": "noopener noreferrer", "title": "Article de Bloomberg",
                "hreflang": "en"},
    # A link with a target gets "noopener" when the draft's lacked it (WordPress adds it on save too).
    PARTNER: {"href": PARTNER, "rel": "sponsored nofollow noopener", "target": "_blank"},
    FORUM: {"href": FORUM, "rel": "ugc nofollow"},
    GUIDE: {"href": GUIDE, "hreflang": "fr", "title": "Le guide complet"},
}


def blocks_draft() -> str:
    def paragraph(html: str) -> str:
        return f"<!-- wp:paragraph -->\n<p>{html}</p>\n<!-- /wp:paragraph -->"

    items = "".join(f"<li>{item}</li>" for item in ITEMS)
    return "\n\n".join([
        paragraph(INTRO),
        f"<!-- wp:image -->\n{IMAGE}\n<!-- /wp:image -->",
        paragraph(OFFER),
        f"<!-- wp:heading -->\n<h2>{HEADING}</h2>\n<!-- /wp:heading -->",
        paragraph(AGAIN),
        f"<!-- wp:list -->\n<ul>{items}</ul>\n<!-- /wp:list -->",
    ]) + "\n"


def classic_draft() -> str:
    items = "\n".join(f"<li>{item}</li>" for item in ITEMS)
    return "\n\n".join([f"<p>{INTRO}</p>", IMAGE, f"<p>{OFFER}</p>", f"<h2>{HEADING}</h2>", f"<p>{AGAIN}</p>",
                        f"<ul>\n{items}\n</ul>"]) + "\n"


def _paragraph(text: str) -> dict:
    return {"type": "paragraph", "text": text, "items": None, "ordered": None, "citation": None, "ref": None}


def model_answer(site_url: str = "https://site.example") -> str:
    """The draft's text, its links rewritten the way a model might: other attributes, another form of the
    address, one link of its own to the site; the image placed."""
    intro = INTRO.replace(
        f'<a href="{BLOOMBERG}" target="_blank" rel="noopener noreferrer" title="Article de Bloomberg" hreflang="en">',
        f'<a href="{BLOOMBERG}/" target="_self" rel="dofollow" title="Autre titre" hreflang="de" class="lien">',
    )
    offer = OFFER.replace(f'<a href="{PARTNER}" rel="sponsored nofollow" target="_blank">', f'<a href="{PARTNER}">')
    offer = offer.replace(f'<a href="{FORUM}" rel="ugc nofollow">', f'<a href="{FORUM}" rel="follow" target="_blank">')
    again = AGAIN.replace(f'<a href="{PARTNER}/" rel="nofollow">', f'<a href="{PARTNER}/">')
    items = [item.replace(f'<a href="{GUIDE}" hreflang="fr" title="Le guide complet">', f'<a href="{GUIDE}">')
             for item in ITEMS]
    own = f'Retrouvez nos <a href="{site_url}/dossiers" rel="sponsored" target="_blank">autres dossiers</a> sur le site.'
    return json.dumps({
        "title": "L’aide de la Chine à la Russie",
        "seo_title": "L’aide de la Chine à la Russie",
        "meta_description": "Les États-Unis ont mis en garde leurs alliés contre l’aide croissante de la Chine à la Russie.",
        "focus_keyphrase": "aide de la chine",
        "slug": "aide-chine-russie",
        "excerpt": "Les États-Unis ont mis en garde leurs alliés.",
        "sections": [
            {"heading": None, "level": 2, "blocks": [
                _paragraph(intro),
                {"type": "placeholder", "text": None, "items": None, "ordered": None, "citation": None, "ref": "KEEP-1"},
                _paragraph(offer),
            ]},
            {"heading": HEADING, "level": 2, "blocks": [
                _paragraph(again),
                {"type": "list", "text": None, "items": items, "ordered": False, "citation": None, "ref": None},
                _paragraph(own),
            ]},
        ],
    }, ensure_ascii=False)


def links(markup: str) -> list[dict[str, str]]:
    return [dict(a.attrs) for a in BeautifulSoup(markup, "html.parser", multi_valued_attributes=None).find_all("a")]


def assert_draft_attributes(markup: str, site_url: str) -> None:
    """Every link of ``markup``, outside the kept image, has exactly the draft's attributes."""
    assert markup.count(IMAGE) == 1  # the kept element, byte for byte: its link untouched
    found = links(markup.replace(IMAGE, ""))
    assert found == [
        EXPECTED[BLOOMBERG],
        EXPECTED[PARTNER],
        EXPECTED[FORUM],
        EXPECTED[PARTNER],
        EXPECTED[GUIDE],
        {"href": f"{site_url}/dossiers"},  # not in the draft: the address alone
    ]


# -- assembly -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("draft", "output"), [(blocks_draft, "blocks"), (classic_draft, "classic")])
def test_assembled_links_carry_the_draft_attributes(draft, output):
    article = assemble(ArticleProposal.model_validate_json(model_answer()), parse(draft()))
    assert_draft_attributes(article.markup(output), "https://site.example")


def test_nothing_is_added_that_the_draft_lacked():
    draft = parse(f'<p>Selon <a href="{FORUM}">le forum</a> et <a href="{PARTNER}" target="_blank">l’offre</a>.</p>')
    proposal = json.loads(model_answer())
    proposal["sections"] = [{"heading": None, "level": 2, "blocks": [_paragraph(
        f'Selon <a href="{FORUM}" rel="nofollow sponsored" target="_blank" title="x">le forum</a> et '
        f'<a href="{PARTNER}" rel="nofollow">l’offre</a>.'
    )]}]
    article = assemble(ArticleProposal.model_validate(proposal), draft)
    assert links(article.markup("classic")) == [
        {"href": FORUM},
        {"href": PARTNER, "target": "_blank", "rel": "noopener"},
    ]


def test_links_in_headings_quotes_and_citations_carry_the_draft_attributes():
    link = f'<a href="{PARTNER}" rel="sponsored" hreflang="fr">l’offre</a>'
    draft = parse(f"<h2>Titre avec {link}</h2>\n\n<blockquote><p>Citation {link}</p><cite>Par {link}</cite></blockquote>")
    bare = f'<a href="{PARTNER}" rel="ugc">l’offre</a>'
    proposal = json.loads(model_answer())
    proposal["sections"] = [
        {"heading": f"Titre avec {bare}", "level": 2, "blocks": [
            {"type": "quote", "text": f"Citation {bare}", "items": None, "ordered": None, "citation": f"Par {bare}",
             "ref": None},
        ]},
    ]
    article = assemble(ArticleProposal.model_validate(proposal), draft)
    assert links(article.markup("blocks")) == [{"href": PARTNER, "rel": "sponsored", "hreflang": "fr"}] * 3


def test_a_kept_element_keeps_its_own_link_and_its_link_attributes_are_sanitised_when_the_model_links_there():
    kept = (f'<figure><a href="{IMAGE_LINK}" target="_blank" onclick="evil()" style="x" title="&quot;&gt;&lt;script&gt;alert(1)'
            '&lt;/script&gt;"><img src="http://example.test/a.jpg" alt=""/></a></figure>')
    draft = parse(f"<p>Une image.</p>\n\n{kept}")
    proposal = json.loads(model_answer())
    proposal["sections"] = [{"heading": None, "level": 2, "blocks": [
        _paragraph(f'Voir <a href="{IMAGE_LINK}">l’image</a>.'),
        {"type": "placeholder", "text": None, "items": None, "ordered": None, "citation": None, "ref": "KEEP-1"},
    ]}]
    markup = assemble(ArticleProposal.model_validate(proposal), draft).markup("classic")
    # The kept element loses its event handler (never kept from a draft) and nothing else: no "noopener" added there.
    sanitised = (f'<figure><a href="{IMAGE_LINK}" target="_blank" title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" '
                 'style="x"><img src="http://example.test/a.jpg" alt=""></a></figure>')
    assert sanitised in markup and str(draft.removed) == "1 onclick attribute"
    paragraph = markup.split(sanitised)[0]
    assert "<script" not in paragraph and "onclick" not in paragraph and "style" not in paragraph
    assert links(paragraph) == [
        {"href": IMAGE_LINK, "target": "_blank", "title": '"><script>alert(1)</script>', "rel": "noopener"}
    ]


# -- end to end: the real WordPress and the fake model -------------------------------------------


@pytest.fixture
def model_server():
    with FakeOpenAI(api_key=API_KEY) as server:
        yield server


def rest_post(wordpress, post_id: int) -> dict:
    response = requests.get(
        f"{wordpress.url}/wp-json/wp/v2/posts/{post_id}",
        params={"context": "edit"},
        auth=(wordpress.editor_user, wordpress.editor_app_password),
        timeout=10,
    )
    assert response.status_code == 200, response.text[:500]
    return response.json()


@pytest.mark.parametrize(("draft", "output"), [(blocks_draft, "blocks"), (classic_draft, "classic")])
def test_stored_article_links_have_exactly_the_draft_attributes(wordpress, make_site, model_server, tmp_path, draft,
                                                                  output):
    post_id = wordpress.create_post(post_title="Les liens du brouillon", post_content=draft())
    model_server.queue(CHAT, answer(model_answer(wordpress.url)))
    with make_site(model_base_url=model_server.base_url, api_key=API_KEY, model__max_retries=1, seo_plugin="yoast",
                   rewrite__output=output, rewrite__min_words=50, quality__min_seo_rating="bad",
                   quality__min_readability_rating="bad", quality__max_repairs=0) as site:
        with Journal(tmp_path / "journal.sqlite3") as journal:
            report = rewrite_post(site, post_id, journal=journal)
    assert report.written, report.verdict.reasons
    stored = rest_post(wordpress, post_id)
    assert stored["status"] == "draft"
    content = stored["content"]["raw"]
    assert ("<!-- wp:paragraph -->" in content) == (output == "blocks")
    assert_draft_attributes(content, wordpress.url)
