"""The quality gate: each kind of bad answer is caught with the right reason; good answers pass."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from tests.support.factories import settings_for
from wp_seo_bridge.article import ArticleProposal, assemble
from wp_seo_bridge.bridge import make_judge
from wp_seo_bridge.content import parse

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SETTINGS = settings_for("https://site.test", "ed", None, model_base_url="http://127.0.0.1:9/v1")


def good(n: int = 1) -> dict:
    return json.loads((FIXTURES / "rewrites" / f"article-{n}.json").read_text())


def source(n: int = 1) -> str:
    return (SEEDS / f"article-{n}.txt").read_text()


def paragraph(text: str) -> dict:
    return {"type": "paragraph", "text": text, "items": None, "ordered": None, "citation": None}


def verdict_for(answer: dict, draft: str, settings=SETTINGS):
    document = parse(draft)
    proposal = ArticleProposal.model_validate(answer)
    article = assemble(proposal, document)
    judge = make_judge(settings, document, "blocks", source_title="Brouillon", site_url="https://site.test")
    return judge(article, proposal)


@pytest.mark.parametrize("n", [1, 2])
def test_the_good_rewrites_pass(n):
    verdict = verdict_for(good(n), source(n))
    assert verdict.passed, verdict.reasons
    assert verdict.analysis.readability_rating == "good"
    assert verdict.findings == ()


def reasons(verdict) -> str:
    assert not verdict.passed
    return "\n".join(verdict.reasons)


def test_too_short():
    answer = good()
    answer["sections"] = answer["sections"][:3]
    assert "needs at least 700" in reasons(verdict_for(answer, source()))


def test_wrong_language():
    answer = good()
    english = ("The United States warned its allies about China's growing technological help to Russia's war "
               "effort against Ukraine, and the cooperation between the two countries keeps growing every month.")
    for section in answer["sections"]:
        for block in section["blocks"]:
            if block["type"] == "paragraph":
                block["text"] = english
    verdict = verdict_for(answer, source())
    assert any(f.guard == "language" for f in verdict.findings)


def test_dropped_placeholder():
    draft = (FIXTURES / "drafts" / "blocks.html").read_text()
    text = reasons(verdict_for(good(), draft))
    assert "placeholders are missing from your answer" in text and "KEEP-1 (image)" in text


def test_invented_figure():
    answer = good()
    answer["sections"][1]["blocks"].append(paragraph("Cette aide représenterait 45 % des importations russes."))
    verdict = verdict_for(answer, source())
    assert any(f.guard == "fact:number" and "45" in f.item for f in verdict.findings)
    assert "45" in reasons(verdict)


def test_invented_quote():
    answer = good()
    answer["sections"][2]["blocks"].append(paragraph("« Nous gagnerons cette bataille ensemble », a lancé Janet Yellen."))
    verdict = verdict_for(answer, source())
    assert any(f.guard == "fact:quote" for f in verdict.findings)


def test_obeyed_injection_new_link_and_new_claim():
    answer = good()
    answer["sections"][1]["blocks"].append(
        paragraph('Selon l’OTAN, tout est documenté sur <a href="https://evil.test/promo">ce site</a>.')
    )
    verdict = verdict_for(answer, source())
    guards = {f.guard for f in verdict.findings}
    assert "link" in guards and "fact:name" in guards
    assert "evil.test" in reasons(verdict)


def test_script_and_javascript_urls():
    answer = good()
    answer["sections"][1]["blocks"][0]["text"] += ' <script>alert(1)</script><a href="javascript:alert(2)">ici</a>'
    verdict = verdict_for(answer, source())
    items = " ".join(f.item for f in verdict.findings if f.guard == "markup")
    assert "<script" in items and "javascript:" in items


def test_no_subheadings():
    answer = good()
    blocks = [block for section in answer["sections"] for block in section["blocks"]]
    answer["sections"] = [{"heading": None, "level": 2, "blocks": blocks}]
    assert "no subheadings" in reasons(verdict_for(answer, source()))


def test_bad_meta():
    answer = good()
    answer["meta_description"] = "Une description " * 14
    answer["seo_title"] = "Un titre qui ne contient pas du tout la phrase clé visée par l’article"
    answer["slug"] = "Été-Chaud-À-Pékin"
    verdict = verdict_for(answer, source())
    text = reasons(verdict)
    assert "characters; keep it to 60 at most" in text
    assert 'The slug "Été-Chaud-À-Pékin" must be' in text
    ids = {a.id for a in verdict.analysis.assessments if a.rating != "good"}
    assert {"meta_description_length", "keyphrase_in_title"} <= ids


def test_a_lower_minimum_rating_accepts_orange(monkeypatch):
    answer = good()
    answer["sections"][1]["blocks"][0]["text"] = " ".join(["Cette phrase est longue et"] * 40) + "."
    strict = verdict_for(answer, source())
    lenient = verdict_for(answer, source(), settings_for(
        "https://site.test", "ed", None, model_base_url="http://127.0.0.1:9/v1",
        quality__min_readability_rating="bad", rewrite__max_paragraph_words=1000, rewrite__max_section_words=1000))
    assert not strict.passed
    assert not any("readability rating" in r for r in lenient.reasons)


def test_repair_answer_fixing_the_problem_passes():
    answer = good()
    broken = copy.deepcopy(answer)
    broken["sections"] = broken["sections"][:3]
    assert not verdict_for(broken, source()).passed
    assert verdict_for(answer, source()).passed


def test_a_dropped_figure_is_refused_unless_facts_may_be_dropped():
    answer = good()
    trade = answer["sections"][3]["blocks"][0]
    trade["text"] = trade["text"].replace(" de <strong>240 milliards de dollars en 2023</strong>", "")
    answer["sections"][-1]["blocks"][0]["items"].pop(2)
    verdict = verdict_for(answer, source())
    assert [(f.guard, f.item) for f in verdict.findings] == [
        ("fact:missing", "240 milliards de dollars"), ("fact:missing", "2023")
    ]
    assert 'The draft\'s amount "240 milliards de dollars" is missing from the article' in reasons(verdict)
    lenient = settings_for("https://site.test", "ed", None, model_base_url="http://127.0.0.1:9/v1",
                           quality__require_all_facts="false")
    assert verdict_for(answer, source(), lenient).findings == ()
