"""End to end: an English draft in the real WordPress, translated into French by the (fake) model.

Its figures, dates and quotations are read in English in the draft and in French in the
article: a faithful translation is written on the first answer; an invented figure or a lost
one is refused, and the repair request (the second request the model receives) names it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.fake_openai import CHAT, FakeOpenAI, answer
from wp_seo_bridge.bridge import rewrite_post
from wp_seo_bridge.journal import Journal

FIXTURES = Path(__file__).parent / "fixtures"
API_KEY = "sk-test-translation"
DRAFT = (FIXTURES / "drafts" / "english.txt").read_text(encoding="utf-8")
#: The gate reduced to what these tests are about: the draft is short (about 170 words).
FACTS_GATE = {"rewrite__min_words": 50, "quality__min_seo_rating": "bad", "quality__min_readability_rating": "bad",
              "quality__max_repairs": 1}


@pytest.fixture
def model_server():
    with FakeOpenAI(api_key=API_KEY) as server:
        yield server


@pytest.fixture
def journal(tmp_path):
    with Journal(tmp_path / "journal.sqlite3") as journal:
        yield journal


@pytest.fixture
def english_post(wordpress):
    return wordpress.create_post(post_title="Aurelia Rail to cut 1,200 jobs after first-half loss", post_content=DRAFT)


def translation(old: str = "", new: str = "") -> str:
    """The French translation of the English draft, with ``old`` replaced by ``new``."""
    text = (FIXTURES / "rewrites" / "english-draft.json").read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new) if old else text


def rewrite(make_site, model_server, journal, post_id: int, *answers: str):
    model_server.queue(CHAT, *[answer(a) for a in answers])
    with make_site(model_base_url=model_server.base_url, api_key=API_KEY, model__max_retries=1, seo_plugin="yoast",
                   **FACTS_GATE) as site:
        return rewrite_post(site, post_id, journal=journal)


def post_content(wordpress, post_id: int) -> str:
    return wordpress.php_json(f"echo json_encode(get_post({post_id})->post_content);")


def repair_request(model_server) -> str:
    second = [r for r in model_server.requests if r.path == CHAT][1]
    return second.body["messages"][-1]["content"]


def test_a_faithful_translation_is_written(wordpress, make_site, model_server, journal, english_post):
    report = rewrite(make_site, model_server, journal, english_post, translation())
    assert report.written and report.attempts == 1, report.verdict.reasons
    content = post_content(wordpress, english_post)
    for french in ("1&nbsp;200 emplois", "9,6&nbsp;millions d’euros", "3,5&nbsp;%", "15&nbsp;avril 2024",
                   "1,2&nbsp;milliard de dollars", "14&nbsp;000 personnes", "« une trahison des cheminots »"):
        assert french in content, french


def test_a_lost_figure_is_named_in_the_repair_request(wordpress, make_site, model_server, journal, english_post):
    lost = translation(" Ce plan prévoit aussi un investissement de 1,2&nbsp;milliard de dollars dans des "
                       "locomotives électriques.")
    report = rewrite(make_site, model_server, journal, english_post, lost, translation())
    assert report.written and report.attempts == 2
    request = repair_request(model_server)
    assert 'The draft\'s amount "$1.2bn" is missing from the article' in request
    assert "1,2&nbsp;milliard de dollars" in post_content(wordpress, english_post)


def test_an_invented_figure_is_refused_and_nothing_is_written(wordpress, make_site, model_server, journal,
                                                              english_post):
    invented = translation("14&nbsp;000 personnes", "15&nbsp;000 personnes")
    report = rewrite(make_site, model_server, journal, english_post, invented, invented)
    assert not report.written and not report.accepted and report.attempts == 2
    assert post_content(wordpress, english_post) == DRAFT
    request = repair_request(model_server)
    assert 'The number "15 000" in section "Un plan de redressement", paragraph 2 is not in the draft' in request
    assert 'The draft\'s figure "14,000" is missing from the article' in request
    record = json.loads(wordpress.php_json(
        f"echo json_encode(get_post_meta({english_post}, '_wp_seo_bridge_record', true));"
    ))
    assert record["status"] == "needs attention"
    assert any('"15 000"' in reason for reason in record["reasons"])


def test_a_mistranslated_date_is_named_then_repaired(make_site, model_server, journal,
                                                    english_post):
    wrong = translation("15&nbsp;avril 2024", "14&nbsp;avril 2024")
    report = rewrite(make_site, model_server, journal, english_post, wrong, translation())
    assert report.written and report.attempts == 2
    request = repair_request(model_server)
    assert '"14 avril 2024"' in request and 'The draft\'s date "April 15, 2024" is missing' in request
