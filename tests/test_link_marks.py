"""A draft that links to one address more than once, with different marks: every link of the rewrite to
that address carries all of them (sponsored, nofollow and ugc are legal and SEO obligations)."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from tests.support.fake_openai import CHAT, FakeOpenAI, answer
from wp_seo_bridge.article import Article, ArticleProposal, assemble
from wp_seo_bridge.bridge import rewrite_post
from wp_seo_bridge.content import TextBlock, parse
from wp_seo_bridge.guards import check_links
from wp_seo_bridge.journal import Journal
from wp_seo_bridge.link_attributes import draft_links, merged

API_KEY = "sk-test-link-marks"
OFFER = "https://partner.example/offre"
PLAIN = f'<a href="{OFFER}">encore</a>'
MARKED = f'<a href="{OFFER}" rel="sponsored nofollow">offre partenaire</a>'
#: Both orders: the plain link first, or the marked one.
ORDERS = {
    "plain first": f"Voir {PLAIN} et {MARKED} ici.",
    "marked first": f"Voir {MARKED} et {PLAIN} ici.",
}
FILLER = (
    "La municipalité présente chaque année son rapport sur les services publics de la ville et sur les "
    "travaux menés dans les quartiers, avec les habitants et les associations qui les accompagnent. Le "
    "document décrit aussi les écoles, les transports, les bibliothèques et les parcs, quartier par quartier, "
    "pour que chacun puisse suivre ce qui change près de chez lui et donner son avis."
)


def links(markup: str) -> list[dict[str, str]]:
    return [dict(a.attrs) for a in BeautifulSoup(markup, "html.parser", multi_valued_attributes=None).find_all("a")]


def draft(sentence: str, output: str) -> str:
    if output == "blocks":
        return "\n\n".join(f"<!-- wp:paragraph -->\n<p>{text}</p>\n<!-- /wp:paragraph -->" for text in (sentence, FILLER))
    return f"<p>{sentence}</p>\n\n<p>{FILLER}</p>\n"


def proposal(*paragraphs: str) -> dict:
    blocks = [{"type": "paragraph", "text": p, "items": None, "ordered": None, "citation": None, "ref": None}
              for p in paragraphs]
    return {
        "title": "Le rapport municipal", "seo_title": "Le rapport municipal de la ville",
        "meta_description": "Le rapport municipal sur les services publics de la ville et les travaux des quartiers.",
        "focus_keyphrase": "rapport municipal", "slug": "rapport-municipal-ville", "excerpt": "Le rapport municipal.",
        "sections": [{"heading": "Le rapport municipal", "level": 2, "blocks": blocks}],
    }


def test_rel_tokens_are_united_and_other_attributes_are_the_first_non_empty():
    assert merged({"href": OFFER}, {"href": OFFER + "/", "rel": "sponsored nofollow"}) == {
        "href": OFFER, "rel": "sponsored nofollow"}
    assert merged({"href": OFFER, "rel": "nofollow", "title": ""},
                  {"href": OFFER, "rel": "NoFollow ugc", "target": "_blank", "title": "Offre"}) == {
        "href": OFFER, "rel": "nofollow ugc", "title": "Offre", "target": "_blank"}
    assert merged({"href": OFFER, "hreflang": "fr"}, {"href": OFFER, "hreflang": "en"})["hreflang"] == "fr"


@pytest.mark.parametrize("order", sorted(ORDERS))
@pytest.mark.parametrize("output", ["blocks", "classic"])
def test_every_link_to_the_address_carries_every_mark(order, output):
    document = parse(draft(ORDERS[order], output))
    # The model copies the text, or drops the marks, or links twice without them: the marks come from the draft.
    for text in (ORDERS[order], f'Voir <a href="{OFFER}">l’offre</a> et <a href="{OFFER}/" rel="follow">ici</a>.'):
        article = assemble(ArticleProposal.model_validate(proposal(text, FILLER)), document)
        assert links(article.markup(output)) == [{"href": OFFER, "rel": "sponsored nofollow"}] * 2
        assert check_links(document, article) == []


def test_a_target_on_one_link_and_marks_on_another_all_apply():
    document = parse(
        f'<p>Voir <a href="{OFFER}" target="_blank" title="L’offre">l’offre</a>, <a href="{OFFER}" rel="ugc">le fil</a>'
        f' et <a href="{OFFER}" rel="nofollow noreferrer" hreflang="fr">la page</a>.</p>'
    )
    assert draft_links(document)[OFFER] == {
        "href": OFFER, "target": "_blank", "title": "L’offre", "rel": "ugc nofollow noreferrer", "hreflang": "fr"}
    article = assemble(ArticleProposal.model_validate(proposal(f'Voir <a href="{OFFER}">la page</a>.')), document)
    assert links(article.markup("classic")) == [{
        "href": OFFER, "target": "_blank", "title": "L’offre", "rel": "ugc nofollow noreferrer noopener",
        "hreflang": "fr"}]


def test_the_gate_refuses_a_link_that_lost_a_mark_of_the_draft():
    document = parse(draft(ORDERS["plain first"], "classic"))
    article = Article(
        title="Le rapport", blocks=(TextBlock("paragraph", f'Voir <a href="{OFFER}" rel="nofollow">l’offre</a>.'),),
        seo_title="", meta_description="", focus_keyphrase="", slug_suggestion="", excerpt="",
    )
    [finding] = check_links(document, article)
    assert finding.guard == "link" and 'lacks the mark rel="sponsored"' in finding.message


# -- end to end: the real WordPress and the fake model -------------------------------------------


@pytest.fixture
def model_server():
    with FakeOpenAI(api_key=API_KEY) as server:
        yield server


@pytest.mark.parametrize("order", sorted(ORDERS))
@pytest.mark.parametrize("output", ["blocks", "classic"])
def test_the_stored_links_carry_every_mark(wordpress, make_site, model_server, tmp_path, order, output):
    post_id = wordpress.create_post(post_title="Le rapport municipal", post_content=draft(ORDERS[order], output))
    model_server.queue(CHAT, answer(json.dumps(proposal(ORDERS[order], FILLER), ensure_ascii=False)))
    with make_site(model_base_url=model_server.base_url, api_key=API_KEY, model__max_retries=1, seo_plugin="yoast",
                   rewrite__output=output, rewrite__min_words=50, quality__min_seo_rating="bad",
                   quality__min_readability_rating="bad", quality__max_repairs=0) as site:
        with Journal(tmp_path / "journal.sqlite3") as journal:
            report = rewrite_post(site, post_id, journal=journal)
    assert report.written, report.verdict.reasons
    content = wordpress.php_json(f"echo json_encode(get_post({post_id})->post_content);")
    assert ("<!-- wp:paragraph -->" in content) == (output == "blocks")
    assert links(content) == [{"href": OFFER, "rel": "sponsored nofollow"}] * 2
