"""Long drafts: split into parts, rewritten in parallel calls, repaired part by part; over-long ones refused.

The model is the fake OpenAI-compatible server on loopback, through the real ``openai`` SDK; its
answers are computed from each request (tests/support/fake_rewriter.py). The drafts are generated
French dossiers with many figures (tests/support/dossier.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from tests.support.dossier import KEYPHRASE, make_dossier
from tests.support.factories import settings_for
from tests.support.fake_openai import CHAT, FakeOpenAI
from tests.support.fake_rewriter import PartRewriter, add_sentence, server_error, set_field
from wp_seo_bridge.article import MetadataProposal, PartProposal
from tests.test_rewrite_wordpress import cli_env, post_state
from wp_seo_bridge.bridge import make_judge, rewrite_post, rewrite_source
from wp_seo_bridge.content import Placeholder, TextBlock, parse
from wp_seo_bridge.errors import DraftTooLong, ModelError
from wp_seo_bridge.guards import Finding
from wp_seo_bridge.journal import Journal
from wp_seo_bridge.part_routing import route_reasons
from wp_seo_bridge.parts import assemble_parts, split_document
from wp_seo_bridge.prompt import _describe
from tests.support import cli


@pytest.fixture
def server():
    with FakeOpenAI() as fake:
        fake.responder = PartRewriter()
        yield fake


def settings(server, **extra):
    options = {"model__max_retries": 0, "model__timeout": 20, **extra}
    return settings_for("https://site.test", "ed", None, model_base_url=server.base_url, api_key="sk-test", **options)


def chat_requests(server):
    return [r for r in server.requests if r.path == CHAT]


def plain_text(markup: str) -> str:
    return " ".join(b.text for b in parse(markup).text_blocks)


# -- splitting ------------------------------------------------------------------------------------


@pytest.mark.parametrize("budget", [300, 1000, 2500])
def test_parts_are_cut_between_blocks_at_headings_within_the_budget(budget):
    document = parse(make_dossier(12).content)
    parts = split_document(document, budget)
    assert [b for part in parts for b in part.blocks] == list(document.blocks)  # nothing lost, moved or cut
    assert len(parts) > 1 and all(part.words <= budget for part in parts)
    assert [part.index for part in parts] == list(range(len(parts)))
    for part in parts[1:]:
        assert part.starts_with_heading  # these sections are all under the budget: cut at headings only
    for part in parts:
        last = part.blocks[-1]
        assert not (isinstance(last, TextBlock) and last.kind == "heading"), "a heading was cut from its text"


def test_level_2_headings_are_preferred_to_level_3():
    document = parse(make_dossier(12).content)
    parts = split_document(document, 2000)
    assert all(part.blocks[0].level == 2 for part in parts[1:])


def test_a_section_without_headings_is_cut_between_paragraphs_and_tokens_stay_in_their_block():
    paragraphs = [f'<p>Paragraphe {n} : la transition avance [abbr title="Union européenne"]UE[/abbr] dans la '
                  f"région {'très ' * 40}vite.</p>" for n in range(1, 13)]
    document = parse("<h2>Un seul titre</h2>\n\n" + "\n\n".join(paragraphs) + "\n\n[gallery ids=\"1,2\"]\n\n<p>Fin.</p>")
    tokens = [token for b in document.text_blocks for token in re.findall(r"\[\[SC-\d+\]\]", b.html)]
    assert len(tokens) == 12
    parts = split_document(document, 200)
    assert len(parts) >= 3 and all(part.words <= 200 for part in parts)
    assert [b for part in parts for b in part.blocks] == list(document.blocks)
    for token in tokens:
        assert sum(token in getattr(b, "html", "") for part in parts for b in part.blocks) == 1
    (gallery,) = document.placeholders.values()
    assert sum(gallery.ref in part.placeholders for part in parts) == 1


def test_a_short_draft_is_one_part():
    document = parse(make_dossier(3).content)
    assert [part.blocks for part in split_document(document, 2500)] == [document.blocks]


# -- the rewrite in parts -------------------------------------------------------------------------


def test_a_long_dossier_is_rewritten_in_parts_with_every_figure_kept(server):
    dossier = make_dossier(28)
    document = parse(dossier.content)
    assert document.word_count() > 8000 and len(dossier.figures) >= 100
    report = rewrite_source(dossier.content, dossier.title, settings(server))
    assert report.accepted and report.parts == 4 and report.attempts == 1, report.verdict.reasons
    text = plain_text(report.content)
    assert [figure for figure in dossier.figures if figure not in text] == []
    # The headings' hierarchy and the kept elements come through.
    assert report.article.outline() == list(dossier.headings)
    for placeholder in document.placeholders.values():
        assert report.content.count(placeholder.markup) == 1
    # One metadata call, then one call per part; each part carries only its own blocks.
    requests = chat_requests(server)
    assert len(requests) == 5 and len(report.calls) == 5 and all(c.outcome == "ok" for c in report.calls)
    metadata, *parts = requests
    assert metadata.body["response_format"]["json_schema"]["name"] == MetadataProposal.__name__
    assert {r.body["response_format"]["json_schema"]["name"] for r in parts} == {PartProposal.__name__}
    whole = len(dossier.content)
    sizes = [len(r.body["messages"][1]["content"]) for r in parts]
    assert max(sizes) < whole / 2 and len(metadata.body["messages"][1]["content"]) < whole / 10
    sent = sorted((json.loads("\n".join(r.body["messages"][1]["content"].splitlines()[1:-1])) for r in parts),
                  key=lambda data: data["part"])
    assert [block for data in sent for block in data["blocks"]] == [_describe(b) for b in document.blocks]
    system = next(r for r in parts if '"part": 2,' in r.body["messages"][1]["content"]).body["messages"][0]["content"]
    assert "part 2 of 4" in system and "never a summary" in system and KEYPHRASE not in system
    assert all(f'"focus_keyphrase": "{KEYPHRASE}"' in r.body["messages"][1]["content"] for r in parts)
    assert report.article.focus_keyphrase == KEYPHRASE and report.slug.startswith("transition-energetique")


def test_part_calls_run_in_parallel_within_the_concurrency_limit(server):
    server.responder = rewriter = PartRewriter(delay=0.5)
    report = rewrite_source(make_dossier(12).content, "Dossier", settings(server, rewrite__max_words_per_call=500,
                                                                          model__max_concurrent_calls=3))
    assert report.parts >= 6 and rewriter.seen[0] == ("metadata", 1)
    assert rewriter.most_in_flight == 3


def test_a_repair_re_asks_only_the_part_that_failed(server):
    invented = "Ce programme coûtera 777 millions d’euros en 2091."
    server.responder = rewriter = PartRewriter(tamper={(3, 1): add_sentence(invented, section=1)})
    dossier = make_dossier(28)
    report = rewrite_source(dossier.content, dossier.title, settings(server))
    assert report.accepted and report.attempts == 2 and report.parts == 4
    assert rewriter.seen[5:] == [(3, 2)]  # the metadata and parts 1, 2 and 4 are not asked again
    repair = chat_requests(server)[-1].body["messages"]
    assert [m["role"] for m in repair] == ["system", "user", "assistant", "user"]
    assert "777 millions" in repair[-1]["content"] and "your part again" in repair[-1]["content"]
    text = plain_text(report.content)  # parsed once: a long dossier takes ~0.5 s to parse
    assert "777" not in report.content and all(figure in text for figure in dossier.figures)
    assert len(report.calls) == 6


def test_a_figure_dropped_by_a_part_is_asked_for_from_that_part_only(server):
    dropped: list[str] = []

    def drop_a_paragraph(body):
        for section in body["sections"]:
            for block in section["blocks"]:
                if block["type"] == "paragraph" and re.search(r"\d", block["text"]):
                    dropped.append(block["text"])
                    section["blocks"].remove(block)
                    return body
        return body

    server.responder = rewriter = PartRewriter(tamper={(2, 1): drop_a_paragraph})
    dossier = make_dossier(28)
    report = rewrite_source(dossier.content, dossier.title, settings(server))
    assert report.accepted and report.attempts == 2 and report.parts == 4
    assert rewriter.seen[5:] == [(2, 2)]
    lost = [figure for figure in dossier.figures if figure in dropped[0]]
    repair = chat_requests(server)[-1].body["messages"][-1]["content"]
    assert lost and all(f'"{figure}" is missing from the article' in repair for figure in lost)
    text = plain_text(report.content)
    assert [figure for figure in dossier.figures if figure not in text] == []


def test_a_fault_in_the_fields_re_asks_the_metadata_call_only(server):
    long_title = "Transition énergétique en Europe : tous les chiffres, toutes les filières, tous les retards"
    server.responder = rewriter = PartRewriter(tamper={("metadata", 1): set_field("seo_title", long_title)})
    report = rewrite_source(make_dossier(12).content, "Dossier", settings(server, rewrite__max_words_per_call=1500))
    assert report.accepted and report.attempts == 2
    first_round = 1 + report.parts
    assert rewriter.seen[first_round:] == [("metadata", 2)]
    repair = chat_requests(server)[-1].body["messages"][-1]["content"]
    assert "The SEO title" in repair and "Keep the same focus keyphrase" in repair


def test_a_low_rating_goes_back_to_the_part_that_causes_it_with_its_own_figures(server):
    def run_on(body):  # every sentence of the part gets long
        tail = ", comme le rappellent souvent les responsables locaux et les observateurs attentifs du secteur."
        for section in body["sections"]:
            for block in section["blocks"]:
                if block["type"] == "paragraph":
                    block["text"] = block["text"].replace(". ", tail + " ").removesuffix(".") + tail
        return body

    server.responder = rewriter = PartRewriter(tamper={(2, 1): run_on})
    dossier = make_dossier(12)
    report = rewrite_source(dossier.content, "Dossier", settings(server, rewrite__max_words_per_call=2000))
    assert report.parts == 2 and report.attempts == 2 and report.accepted, report.verdict.reasons
    assert rewriter.seen[3:] == [(2, 2)]
    repair = chat_requests(server)[-1].body["messages"][-1]["content"].splitlines()
    assert any("readability rating" in line for line in repair)
    sentence_length = next(line for line in repair if "sentence" in line.lower() and "%" in line)
    share = float(re.search(r"\(([\d.]+) %\)", sentence_length).group(1))
    assert share > 60, sentence_length  # the part's own figure: over the whole article, under half are long


def test_a_failed_part_call_cancels_the_calls_not_yet_started(server):
    server.responder = rewriter = PartRewriter(fail={(2, 1): server_error()})
    with pytest.raises(ModelError, match="failed \\(500\\)") as caught:
        rewrite_source(make_dossier(12).content, "Dossier", settings(server, rewrite__max_words_per_call=500,
                                                                      model__max_concurrent_calls=1))
    assert rewriter.seen == [("metadata", 1), (1, 1), (2, 1)]  # nothing spent on the other parts
    assert [c.outcome for c in caught.value.calls] == ["ok", "ok", "InternalServerError"]


def test_a_missing_fact_is_routed_to_the_part_whose_draft_holds_it():
    """Routing by the item: a fact of the draft missing from the article goes back to its own part."""
    dossier = make_dossier(12)
    document = parse(dossier.content)
    parts = split_document(document, 1000)
    rewriter = PartRewriter()
    metadata = MetadataProposal.model_validate(rewriter.metadata({}))
    answers = []
    for part in parts:
        data = {"blocks": [_describe(b) for b in part.blocks]}
        answers.append(PartProposal.model_validate(rewriter.part(data)))
    assembled = assemble_parts(metadata, answers, parts, document)
    judge = make_judge(settings_for("https://site.test", "ed", None), document, "blocks",
                       source_title="Dossier", site_url="")
    verdict = judge(assembled.article, assembled.proposal)
    assert verdict.passed, verdict.reasons
    figure = dossier.figures[-3]
    holder = next(p.index for p in parts if any(figure in getattr(b, "html", "") for b in p.blocks))
    missing = Finding("fact:missing", figure, "article", f'The draft\'s fact "{figure}" is missing: keep it.')
    other = Finding("fact:number", "999,9 %", "meta description", 'The percentage "999,9 %" is not in the draft.')
    failed = replace(verdict, passed=False, reasons=(missing.message, other.message), findings=(missing, other))
    routes = route_reasons(failed, assembled.article, assembled.pieces, parts)
    assert routes.parts == {holder: [missing.message]} and routes.metadata == [other.message]


def test_placeholders_stay_in_their_part_and_a_lost_one_goes_back_there(server):
    def lose_image(body):
        for section in body["sections"]:
            section["blocks"] = [b for b in section["blocks"] if b["type"] != "placeholder"]
        return body

    dossier = make_dossier(12)
    document = parse(dossier.content)
    image = next(p for p in document.placeholders.values() if p.label == "image")
    holder = next(part.index for part in split_document(document, 1000) if image.ref in part.placeholders)
    server.responder = rewriter = PartRewriter(tamper={(holder + 1, 1): lose_image})
    report = rewrite_source(dossier.content, "Dossier", settings(server, rewrite__max_words_per_call=1000))
    assert report.accepted and report.attempts == 2
    assert rewriter.seen[1 + report.parts:] == [(holder + 1, 2)]
    assert f"{image.ref} (image)" in chat_requests(server)[-1].body["messages"][-1]["content"]
    assert [b.ref for b in report.article.blocks if isinstance(b, Placeholder)] == list(document.placeholders)


def test_shortcode_tokens_stay_in_their_part_and_a_lost_one_is_asked_for_there(server):
    dossier = make_dossier(12, footnotes=True)
    document = parse(dossier.content)
    parts = split_document(document, 1000)
    assert len(document.shortcodes) >= 2
    assert sorted(ref for part in parts for ref in part.shortcodes) == sorted(document.shortcodes)
    holder = next(part for part in parts if part.shortcodes)
    (ref, *_) = holder.shortcodes

    def lose_token(body):
        for section in body["sections"]:
            for block in section["blocks"]:
                if block["text"] and f"[[{ref}]]" in block["text"]:
                    block["text"] = block["text"].replace(f"[[{ref}]]", "")
        return body

    server.responder = rewriter = PartRewriter(tamper={(holder.index + 1, 1): lose_token})
    report = rewrite_source(dossier.content, "Dossier", settings(server, rewrite__max_words_per_call=1000))
    assert report.accepted and report.attempts == 2, report.verdict.reasons
    assert rewriter.seen[1 + report.parts:] == [(holder.index + 1, 2)]
    assert f"[[{ref}]]" in chat_requests(server)[-1].body["messages"][-1]["content"]
    sent = [r.body["messages"][1]["content"] for r in chat_requests(server)[1:1 + report.parts]]
    assert sum(f'"[[{ref}]]": ' in data for data in sent) == 1  # only its part is told what the token is
    for code in document.shortcodes.values():
        assert report.content.count(code) == 1


def test_parts_get_smaller_when_the_answer_length_limit_could_not_hold_them(server):
    dossier = make_dossier(12)
    report = rewrite_source(dossier.content, "Dossier", settings(server, rewrite__max_words_per_call=5000,
                                                                  model__max_output_tokens=1600))
    assert report.accepted and report.parts == 4  # 1,600 tokens hold about 1,000 words of answer
    parts = chat_requests(server)[1:]
    assert all(r.body["max_completion_tokens"] == 1600 for r in parts)
    for request in parts:
        data = json.loads("\n".join(request.body["messages"][1]["content"].splitlines()[1:-1]))
        assert sum(len(b.get("text", "").split()) for b in data["blocks"]) <= 1000


# -- the size limit -------------------------------------------------------------------------------


def test_a_draft_over_the_limit_is_refused_before_any_call(server):
    dossier = make_dossier(70)
    words = parse(dossier.content).word_count()
    assert words > 20000
    with pytest.raises(DraftTooLong) as caught:
        rewrite_source(dossier.content, dossier.title, settings(server))
    assert f"{words:,} words" in caught.value.message and "`rewrite.max_input_words`" in caught.value.message
    assert "20,000" in caught.value.message and "max_input_words" in caught.value.hint
    assert server.requests == []


def test_the_limit_is_a_setting(server):
    dossier = make_dossier(12)
    with pytest.raises(DraftTooLong):
        rewrite_source(dossier.content, dossier.title, settings(server, rewrite__max_input_words=1000))
    assert server.requests == []
    report = rewrite_source(dossier.content, dossier.title, settings(server, rewrite__max_words_per_call=5000))
    assert report.parts == 1 and len(chat_requests(server)) == 1  # under the budget: one call, as before


# -- the command ----------------------------------------------------------------------------------


def run_cli(*args: str, env: dict[str, str]):
    return cli.run_cli(*args, env=env, columns=200)


def test_the_command_says_it_rewrote_in_parts(server, tmp_path):
    draft = tmp_path / "dossier.html"
    draft.write_text(make_dossier(28).content)
    env = {"XDG_CONFIG_HOME": str(tmp_path), "OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": server.base_url}
    result = run_cli("rewrite", "--file", str(draft), env=env)
    assert result.returncode == 0, result.stderr
    assert "rewritten in 4 parts" in result.stdout
    assert "Model calls" in result.stdout and "5 (" in result.stdout
    as_json = json.loads(run_cli("rewrite", "--file", str(draft), "--json", env=env).stdout)
    assert as_json["parts"] == 4 and len(as_json["model_calls"]) == 5


def test_the_command_refuses_an_over_long_draft_with_a_clear_error(server, tmp_path):
    draft = tmp_path / "dossier.html"
    draft.write_text(make_dossier(12).content)
    env = {"XDG_CONFIG_HOME": str(tmp_path), "OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": server.base_url,
           "WP_SEO_BRIDGE_REWRITE_MAX_INPUT_WORDS": "1000"}
    result = run_cli("rewrite", "--file", str(draft), env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "Error: The draft has" in result.stderr and "rewrite.max_input_words" in result.stderr
    assert server.requests == []


# -- end to end, with the real WordPress ----------------------------------------------------------


def test_a_long_draft_post_is_rewritten_in_parts_and_saved_with_every_figure(wordpress, make_site, server, tmp_path):
    dossier = make_dossier(28)
    post_id = wordpress.create_post(post_title=dossier.title, post_content=dossier.content)
    with make_site(seo_plugin="yoast", model_base_url=server.base_url, api_key="sk-test", model__max_retries=0) as site, \
            Journal(tmp_path / "journal.sqlite3") as journal:
        report = rewrite_post(site, post_id, journal=journal)
        assert report.written and report.parts == 4
        assert [c["outcome"] for c in journal.calls(post_id)] == ["ok"] * 5
        assert journal.originals(site.settings.wordpress.url, post_id)[0]["content"] == dossier.content
    state = post_state(wordpress, post_id)
    stored = state["post"]["post_content"]
    text = plain_text(stored)
    assert [figure for figure in dossier.figures if figure not in text] == []
    assert parse(stored).word_count() >= parse(dossier.content).word_count()
    assert state["post"]["post_status"] == "draft" and state["meta"]["_yoast_wpseo_focuskw"] == [KEYPHRASE]
    assert json.loads(state["meta"]["_wp_seo_bridge_record"][0])["parts"] == 4


def test_an_over_long_post_is_refused_by_the_command_and_left_as_it_was(wordpress, server, tmp_path):
    post_id = wordpress.create_post(post_title="Trop long", post_content=make_dossier(12).content)
    before = post_state(wordpress, post_id)
    env = {**cli_env(wordpress, server, tmp_path), "OPENAI_API_KEY": "sk-test",
           "WP_SEO_BRIDGE_REWRITE_MAX_INPUT_WORDS": "2000"}
    result = run_cli("rewrite", str(post_id), env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "words, over the limit of 2,000 (`rewrite.max_input_words`)" in " ".join(result.stderr.split())
    assert server.requests == [] and post_state(wordpress, post_id) == before
