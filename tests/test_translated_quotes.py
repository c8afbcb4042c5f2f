"""Quotations of a draft in another language: what a faithful translation keeps unchanged is checked
(order, figures, names, speaker, length); a made-up, moved or re-attributed quotation is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.fake_openai import CHAT, FakeOpenAI, answer
from wp_seo_bridge.article import ArticleProposal, assemble
from wp_seo_bridge.bridge import rewrite_post
from wp_seo_bridge.content import parse
from wp_seo_bridge.guards import check_facts
from wp_seo_bridge.journal import Journal

POOLS = "\n".join([
    "Mayor Helen Carter said on Monday that the city of Brookfield would close two of its five public pools. "
    '"We cannot keep pools open that lose $2 million a year," Helen Carter told the council.',
    'Union leader David Okafor called the plan "a betrayal of 40 lifeguards" and said: "Germany spends more on '
    'its pools than we do."',
    "The council will vote on the plan on March 12, after a public meeting at the town hall.",
])
CARTER = "« Nous ne pouvons pas garder ouvertes des piscines qui perdent 2 millions de dollars par an »"
BETRAYAL = "« une trahison envers 40 maîtres-nageurs »"
GERMANY = "« L’Allemagne dépense plus que nous pour ses piscines. »"
FRENCH = [
    "La maire Helen Carter a annoncé lundi que la ville de Brookfield fermerait deux de ses cinq piscines publiques. "
    f"{CARTER}, a déclaré Helen Carter au conseil.",
    f"Le dirigeant syndical David Okafor a qualifié le plan de {BETRAYAL} et a déclaré : {GERMANY}",
    "Le conseil votera sur le plan le 12 mars, après une réunion publique à l’hôtel de ville.",
]


def article(*paragraphs: str, meta: str = "") -> dict:
    return {
        "title": "Brookfield va fermer deux piscines", "seo_title": "Brookfield va fermer deux piscines",
        "meta_description": meta, "focus_keyphrase": "piscines", "slug": "brookfield-fermer-piscines", "excerpt": "",
        "sections": [{"heading": "Deux piscines fermées", "level": 2, "blocks": [
            {"type": "paragraph", "text": p, "items": None, "ordered": None, "citation": None} for p in paragraphs
        ]}],
    }


def quote_findings(paragraphs: list[str], draft: str = POOLS, **fields) -> list[tuple[str, str]]:
    document = parse(draft)
    found = check_facts(document, assemble(ArticleProposal.model_validate(article(*paragraphs, **fields)), document),
                        require_all=True)
    return [(f.guard, f.item, f.message) for f in found]


def changed(paragraph: int, old: str, new: str) -> list[str]:
    paragraphs = list(FRENCH)
    assert old in paragraphs[paragraph]
    paragraphs[paragraph] = paragraphs[paragraph].replace(old, new)
    return paragraphs


def test_a_faithful_translation_passes():
    assert quote_findings(FRENCH) == []
    # A quotation repeated in the meta description stands for the same one of the draft.
    assert quote_findings(FRENCH, meta=f"Pour les syndicats, le plan est {BETRAYAL}.") == []


def test_a_quotation_given_to_another_speaker_is_refused():
    found = quote_findings(changed(0, "a déclaré Helen Carter au conseil", "a déclaré David Okafor au conseil"))
    assert [(g, i) for g, i, _ in found] == [("fact:quote", CARTER)]
    assert "is attributed to David Okafor; the draft attributes it to Helen Carter" in found[0][2]
    # Named by no one, in a paragraph (and after a heading) naming no one.
    nobody = [(g, i, m) for g, i, m in quote_findings([f"{CARTER}, ont déclaré les élus au conseil.", *FRENCH[1:]])
              if g == "fact:quote"]
    assert [(g, i) for g, i, _ in nobody] == [("fact:quote", CARTER)]
    assert "is attributed to no one; the draft attributes it to Helen Carter" in nobody[0][2]


def test_the_speaker_may_be_named_in_the_paragraph_or_just_before():
    assert quote_findings(changed(0, "a déclaré Helen Carter au conseil", "a-t-elle déclaré au conseil")) == []
    moved = list(FRENCH)
    moved[0] = moved[0].split(" « ")[0]
    moved.insert(1, f"{CARTER}, a-t-elle déclaré au conseil.")
    assert quote_findings(moved) == []


@pytest.mark.parametrize(("old", "new", "paragraph"), [
    # A figure of the draft, but not of this quotation; and the quotation's own figure lost.
    ("envers 40 maîtres-nageurs", "envers 5 maîtres-nageurs", 1),
    # A name of the draft that this quotation does not have.
    ("plus que nous pour ses piscines", "plus que Brookfield pour ses piscines", 1),
    # A sentence of the speaker's, made up, with a name of the draft and without its figure.
    ("Nous ne pouvons pas garder ouvertes des piscines qui perdent 2 millions de dollars par an",
     "Nous ne laisserons pas Brookfield payer pour des bassins vides", 0),
    # The country of the original replaced by another.
    ("L’Allemagne dépense", "La France dépense", 1),
    # Far longer than its original, with its figure.
    ("une trahison envers 40 maîtres-nageurs",
     "une trahison envers 40 maîtres-nageurs, une insulte à la ville entière, un plan écrit sans jamais consulter "
     "personne et contre toutes les familles", 1),
])
def test_a_quotation_that_does_not_keep_its_originals_anchors_is_refused(old, new, paragraph):
    found = quote_findings(changed(paragraph, old, new))
    assert any(g == "fact:quote" for g, _, _ in found), found


def test_quotations_keep_the_drafts_order():
    swapped = list(FRENCH)
    swapped[1] = ("Le dirigeant syndical David Okafor a déclaré : « L’Allemagne dépense plus que nous pour ses "
                  "piscines », et a qualifié le plan de « une trahison envers 40 maîtres-nageurs ».")
    found = quote_findings(swapped)
    assert [g for g, _, _ in found].count("fact:quote") == 1
    assert [g for g, _, _ in found].count("fact:missing") == 1
    assert "in the draft's order" in next(m for g, _, m in found if g == "fact:quote")


def test_the_drafts_own_words_still_pass():
    assert quote_findings(changed(1, BETRAYAL, "« a betrayal of 40 lifeguards »")) == []


# -- end to end: the English draft in the real WordPress ---------------------------------------------

FIXTURES = Path(__file__).parent / "fixtures"
API_KEY = "sk-test-translated-quotes"


@pytest.fixture
def model_server():
    with FakeOpenAI(api_key=API_KEY) as server:
        yield server


def test_a_quotation_given_to_no_one_is_named_in_the_repair_request(wordpress, make_site, model_server, tmp_path):
    draft = (FIXTURES / "drafts" / "english.txt").read_text(encoding="utf-8")
    faithful = (FIXTURES / "rewrites" / "english-draft.json").read_text(encoding="utf-8")
    old = "a déclaré aux journalistes la directrice générale, Claire Martin."
    assert old in faithful
    moved = faithful.replace(old, "ont déclaré les syndicats aux journalistes.")
    post_id = wordpress.create_post(post_title="Aurelia Rail to cut 1,200 jobs after first-half loss", post_content=draft)
    model_server.queue(CHAT, answer(moved), answer(faithful))
    with make_site(model_base_url=model_server.base_url, api_key=API_KEY, model__max_retries=1, seo_plugin="yoast",
                   rewrite__min_words=50, quality__min_seo_rating="bad", quality__min_readability_rating="bad",
                   quality__max_repairs=1) as site:
        with Journal(tmp_path / "journal.sqlite3") as journal:
            report = rewrite_post(site, post_id, journal=journal)
    assert report.written and report.attempts == 2, report.verdict.reasons
    request = [r for r in model_server.requests if r.path == CHAT][1].body["messages"][-1]["content"]
    assert "is attributed to no one; the draft attributes it to Claire Martin" in request
    assert "Claire Martin" in wordpress.php_json(f"echo json_encode(get_post({post_id})->post_content);")
    assert json.loads(faithful)["title"]
