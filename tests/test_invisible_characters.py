"""Invisible format characters (bidirectional overrides and isolates, zero-width characters, direction marks,
the byte-order mark) from a draft or a model: never written to WordPress, always shown escaped; the
joiners that Persian or Hindi words need are kept inside words."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.fake_openai import CHAT, FakeOpenAI, answer
from wp_seo_bridge.report_json import to_json
from wp_seo_bridge.safe_text import text_for_terminal, text_for_wordpress

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
#: Every character that changes what a reader sees without being seen.
INVISIBLE = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200e\u200f\u2028\u2029\ufeff\u061c"
RAW_INVISIBLE = re.compile(f"[{INVISIBLE}\u200c\u200d]")


@pytest.mark.parametrize("char", list(INVISIBLE))
def test_each_invisible_character_is_removed_from_what_is_written_and_escaped_in_what_is_printed(char):
    text = f"Prix{char} : 10 €"
    assert not RAW_INVISIBLE.search(text_for_wordpress(text))
    assert not RAW_INVISIBLE.search(text_for_wordpress(text, multiline=True))
    shown = text_for_terminal(text)
    assert not RAW_INVISIBLE.search(shown) and f"\\u{ord(char):04x}" in shown
    assert not RAW_INVISIBLE.search(to_json({"title": text})) and json.loads(to_json({"title": text})) == {"title": text}


def test_a_reversed_title_is_written_as_it_reads():
    assert text_for_wordpress("Facture \u202egpj.exe\u202c finale") == "Facture gpj.exe finale"


def test_joiners_stay_inside_words_and_go_elsewhere():
    persian = "می\u200cخواهم"  # "I want": the non-joiner is part of the spelling
    hindi = "क्\u200dष"
    family = "👨\u200d👩\u200d👧"
    for word in (persian, hindi, family):
        assert text_for_wordpress(f"{word} ici") == f"{word} ici"
        assert text_for_terminal(word) == word
    assert text_for_wordpress("\u200dbonjour\u200c monde\u200d") == "bonjour monde"
    assert text_for_wordpress("mot\u200d\u202e suivant") == "mot suivant"
    assert text_for_terminal("\u200cbonjour") == "\\u200cbonjour"


# -- through the command, against the real WordPress ----------------------------------------------------


@pytest.fixture
def model_server():
    with FakeOpenAI() as server:
        yield server


def test_a_rewrite_writes_no_invisible_character_and_prints_none(wordpress, model_server, tmp_path):
    title = "Brouillon \u202eesnopér\u202c \u2066isolé\u2069\u200b"
    post_id = wordpress.create_post(post_title=title, post_content=(SEEDS / "article-1.txt").read_text())
    proposal = json.loads((FIXTURES / "rewrites" / "article-1.json").read_text(encoding="utf-8"))
    proposal["title"] = "\u202e" + proposal["title"] + "\u202c\ufeff"
    proposal["excerpt"] = proposal["excerpt"] + "\u2067\u200f"
    proposal["meta_description"] = proposal["meta_description"] + "\u061c"
    model_server.queue(CHAT, answer(json.dumps(proposal, ensure_ascii=False)))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WP_SEO_BRIDGE_", "OPENAI_"))}
    env.update({"COLUMNS": "250", "NO_COLOR": "1", "XDG_CONFIG_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path),
                "XDG_STATE_HOME": str(tmp_path), "WP_SEO_BRIDGE_WORDPRESS_URL": wordpress.url,
                "WP_SEO_BRIDGE_WORDPRESS_USERNAME": wordpress.editor_user,
                "WP_SEO_BRIDGE_WP_APP_PASSWORD": wordpress.editor_app_password,
                "WP_SEO_BRIDGE_MODEL_BASE_URL": model_server.base_url, "OPENAI_API_KEY": "sk-x",
                "WP_SEO_BRIDGE_MODEL_MAX_RETRIES": "0"})
    listed = subprocess.run([sys.executable, "-m", "wp_seo_bridge", "drafts", "--limit", "100000"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0 and "\\u202eesnopér\\u202c" in listed.stdout
    result = subprocess.run([sys.executable, "-m", "wp_seo_bridge", "rewrite", str(post_id)], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    for shown in (listed, result):
        assert not RAW_INVISIBLE.search(shown.stdout + shown.stderr)
    state = wordpress.php_json(
        f"echo json_encode(array('post' => get_post({post_id}, ARRAY_A), 'meta' => get_post_meta({post_id})));")
    row = state["post"]
    assert row["post_title"] == proposal["title"].strip("\u202e\u202c\ufeff")
    for value in (row["post_title"], row["post_excerpt"], row["post_content"], state["meta"]["_yoast_wpseo_metadesc"][0],
                  state["meta"]["_yoast_wpseo_title"][0]):
        assert not RAW_INVISIBLE.search(value)


# -- in the model's answer: the gate judges the text that would be written ------------------------------


def test_the_gate_judges_an_answer_without_its_invisible_characters():
    from tests.support.factories import settings_for
    from wp_seo_bridge.article import ArticleProposal, assemble
    from wp_seo_bridge.bridge import make_judge
    from wp_seo_bridge.content import parse

    answer = json.loads((FIXTURES / "rewrites" / "article-1.json").read_text())
    answer["title"] = "\x1b]0;titre\x07\u202e" + answer["title"] + "\u202c"
    answer["meta_description"] = "\u200e\u200b" + answer["meta_description"]
    first = answer["sections"][0]["blocks"][0]
    first["text"] = "\u2066" + first["text"].replace(" ", " \u200b", 3) + "\u2069\ufeff"
    proposal = ArticleProposal.model_validate(answer)

    written = [proposal.title, proposal.meta_description, proposal.sections[0].blocks[0].text]
    assert not any(RAW_INVISIBLE.search(text) or "\x1b" in text or "\x07" in text for text in written)

    settings = settings_for("https://site.test", "ed", None, model_base_url="http://127.0.0.1:9/v1")
    document = parse((SEEDS / "article-1.txt").read_text())
    judge = make_judge(settings, document, "blocks", source_title="Brouillon", site_url="https://site.test")
    verdict = judge(assemble(proposal, document), proposal)
    assert verdict.passed, verdict.reasons
