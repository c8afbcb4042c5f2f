"""End to end: a draft in the real WordPress becomes a French SEO article, saved back as a draft."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wp_seo_bridge.bridge import restore_post, rewrite_post, source_hash
from wp_seo_bridge.content import Placeholder, parse
from wp_seo_bridge.errors import EditConflict, ModelError, NotInJournal, WriteRefused
from wp_seo_bridge.journal import Journal
from wp_seo_bridge.slug import content_words
from tests.support.fake_openai import CHAT, FakeOpenAI, acting_first, answer, error
from tests.support import cli

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
API_KEY = "sk-test-rewrite"


@pytest.fixture
def model_server():
    with FakeOpenAI(api_key=API_KEY) as server:
        yield server


@pytest.fixture
def journal(tmp_path):
    with Journal(tmp_path / "journal.sqlite3") as journal:
        yield journal


@pytest.fixture
def bridge_site(make_site, model_server):
    def factory(**options):
        return make_site(model_base_url=model_server.base_url, api_key=API_KEY, model__max_retries=1, **options)

    return factory


def fixture_answer(n: int) -> str:
    return (FIXTURES / "rewrites" / f"article-{n}.json").read_text()


def post_state(wordpress, post_id: int) -> dict:
    return wordpress.php_json(
        f"echo json_encode(array('post' => get_post({post_id}, ARRAY_A), 'meta' => get_post_meta({post_id}),"
        f" 'revisions' => count(wp_get_post_revisions({post_id}))));"
    )


def revisions_content(wordpress, post_id: int) -> list[str]:
    return wordpress.php_json(
        f"echo json_encode(array_values(array_map(function ($r) {{ return $r->post_content; }}, "
        f"wp_get_post_revisions({post_id}))));"
    )


@pytest.mark.parametrize("n", [1, 2])
def test_seed_draft_becomes_a_review_ready_french_seo_article(wordpress, bridge_site, model_server, journal, n):
    original = (SEEDS / f"article-{n}.txt").read_text()
    post_id = wordpress.create_post(post_title=f"Brouillon {n}", post_content=original)
    model_server.queue(CHAT, answer(fixture_answer(n)))
    with bridge_site(seo_plugin="yoast") as site:
        report = rewrite_post(site, post_id, journal=journal)
    assert report.written
    state = post_state(wordpress, post_id)
    row, meta = state["post"], state["meta"]
    assert row["post_status"] == "draft"
    stored = parse(row["post_content"])
    assert stored.format == "blocks" and stored.word_count() >= 700
    assert row["post_content"].count("<!-- wp:heading -->\n<h2>") >= 4
    assert row["post_name"] == report.slug
    assert report.slug.startswith("-".join(content_words(report.article.focus_keyphrase)))
    assert row["post_title"] == report.article.title and row["post_excerpt"] == report.article.excerpt
    assert meta["_yoast_wpseo_title"] == [report.article.seo_title]
    assert meta["_yoast_wpseo_metadesc"] == [report.article.meta_description]
    assert meta["_yoast_wpseo_focuskw"] == [report.article.focus_keyphrase]
    record = json.loads(meta["_wp_seo_bridge_record"][0])
    assert record["source_hash"] == source_hash(f"Brouillon {n}", original, "")
    assert record["model"] == "gpt-4o-mini" and record["structured_output"] == "json_schema"
    # The original is kept twice: a WordPress revision and the journal.
    assert original in revisions_content(wordpress, post_id)
    kept = journal.originals(site.settings.wordpress.url, post_id)
    assert len(kept) == 1 and kept[0]["content"] == original and kept[0]["id"] == record["journal_original_id"]
    calls = journal.calls(post_id)
    assert [(c["outcome"], c["prompt_tokens"], c["completion_tokens"]) for c in calls] == [("ok", 1500, 1100)]


def answer_from_draft(document, *, lose: tuple[str, ...] = ()) -> str:
    """An answer that keeps the draft's own text (its facts) and places its placeholders, but ``lose``."""
    def block(b):
        if isinstance(b, Placeholder):
            return {"type": "placeholder", "text": None, "items": None, "ordered": None, "citation": None, "ref": b.ref}
        if b.kind == "list":
            return {"type": "list", "text": None, "items": list(b.items), "ordered": b.ordered, "citation": None}
        if b.kind == "quote":
            return {"type": "quote", "text": b.html, "items": None, "ordered": None, "citation": b.citation}
        return {"type": "paragraph", "text": b.html, "items": None, "ordered": None, "citation": None}

    sections = [{"heading": None, "level": 2, "blocks": []}]
    for b in document.blocks:
        if getattr(b, "kind", None) == "heading":
            sections.append({"heading": b.html, "level": 2, "blocks": []})
        elif not (isinstance(b, Placeholder) and b.ref in lose):
            sections[-1]["blocks"].append(block(b))
    return json.dumps({
        "title": "L’aide de la Chine à la Russie", "seo_title": "Aide de la Chine à la Russie : ce que l’on sait",
        "meta_description": "Microélectronique, images satellitaires, machines-outils : les États-Unis alertent leurs "
                            "alliés sur l’aide de la Chine à la Russie.",
        "focus_keyphrase": "aide de la chine", "slug": "aide-chine-russie", "excerpt": "Les États-Unis alertent.",
        "sections": sections,
    }, ensure_ascii=False)


#: A gate reduced to what this test is about (the draft fixture is short and has few facts).
LENIENT = {"rewrite__min_words": 50, "quality__min_seo_rating": "bad", "quality__min_readability_rating": "bad",
           "quality__max_repairs": 1}


@pytest.mark.parametrize("transport", ["rest", "xmlrpc"])
def test_block_markup_elements_come_back_byte_identical(wordpress, bridge_site, model_server, journal, transport):
    source = (FIXTURES / "drafts" / "blocks.html").read_text()
    document = parse(source)
    post_id = wordpress.create_post(post_title="Brouillon en blocs", post_content=source)
    # The model loses two placeholders, twice: they are asked for, then put back by the bridge.
    lossy = answer_from_draft(document, lose=("KEEP-2", "KEEP-5"))
    model_server.queue(CHAT, answer(lossy), answer(lossy))
    with bridge_site(seo_plugin="yoast", transport=transport, **LENIENT) as site:
        report = rewrite_post(site, post_id, journal=journal)
    assert report.written and report.attempts == 2, report.verdict.reasons
    repair = [r for r in model_server.requests if r.path == CHAT][1].body["messages"][-1]["content"]
    assert "KEEP-2 (gallery)" in repair and "KEEP-5 (shortcode [gallery])" in repair
    content = post_state(wordpress, post_id)["post"]["post_content"]
    assert source in revisions_content(wordpress, post_id)
    placeholders = document.placeholders
    assert len(placeholders) == 8  # the group block holds text: its paragraph is rewritten
    assert content.count("Un encadré dans un groupe.") == 1 and "wp-block-group" not in content
    for placeholder in placeholders.values():
        assert content.count(placeholder.markup) == 1, placeholder.label
    assert set(report.article.restored_placeholders) == {"KEEP-2", "KEEP-5"}


def test_a_failing_answer_is_repaired_then_written(wordpress, bridge_site, model_server, journal):
    post_id = wordpress.create_post(post_title="À réparer", post_content=(SEEDS / "article-1.txt").read_text())
    model_server.queue(CHAT, answer(too_short(1)), answer(fixture_answer(1)))
    with bridge_site(seo_plugin="yoast") as site:
        report = rewrite_post(site, post_id, journal=journal)
    assert report.written and report.accepted and report.attempts == 2
    second = [r for r in model_server.requests if r.path == CHAT][1].body["messages"]
    assert [m["role"] for m in second] == ["system", "user", "assistant", "user"]
    assert len(json.loads(second[2]["content"])["sections"]) == len(json.loads(too_short(1))["sections"]) == 3
    assert "needs at least 700" in second[3]["content"]
    assert [c["outcome"] for c in journal.calls(post_id)] == ["ok", "ok"]
    assert json.loads(post_state(wordpress, post_id)["meta"]["_wp_seo_bridge_record"][0])["attempts"] == 2


@pytest.mark.parametrize("transport", ["rest", "xmlrpc"])
def test_when_every_answer_fails_the_post_stays_byte_identical(wordpress, bridge_site, model_server, journal, transport):
    post_id = wordpress.create_post(post_title="Toujours trop court", post_content=(SEEDS / "article-1.txt").read_text(),
                                    meta_input={"_yoast_wpseo_title": "Titre de la rédaction"})
    before = post_state(wordpress, post_id)
    model_server.queue(CHAT, *[answer(too_short(1))] * 3)
    with bridge_site(seo_plugin="yoast", transport=transport) as site:
        report = rewrite_post(site, post_id, journal=journal)
    assert not report.accepted and not report.written and report.attempts == 3
    after = post_state(wordpress, post_id)
    assert after["post"] == before["post"] and after["revisions"] == before["revisions"]
    record = json.loads(after["meta"].pop("_wp_seo_bridge_record")[0])
    # The companion plugin keeps the record's state beside it, for the posts list's "Needs attention" view.
    assert after["meta"].pop("_wp_seo_bridge_state") == ["needs_attention"]
    assert after["meta"] == before["meta"]
    assert record["status"] == "needs attention" and any("needs at least 700" in r for r in record["reasons"])
    assert len(journal.calls(post_id)) == 3 and journal.originals(site.settings.wordpress.url, post_id) == []
    assert report.before is not None and report.after is not None


@pytest.mark.parametrize("transport", ["rest", "xmlrpc"])
def test_the_record_alone_is_never_written_on_a_published_post(wordpress, make_site, transport):
    post_id = wordpress.create_post(post_status="publish", post_title="Publié")
    before = post_state(wordpress, post_id)
    with make_site(transport=transport) as site:
        with pytest.raises(WriteRefused, match="no longer a draft"):
            site.write_record(site.get_post(post_id), '{"status": "needs attention"}')
    assert post_state(wordpress, post_id) == before


def too_short(n: int) -> str:
    data = json.loads(fixture_answer(n))
    data["sections"] = data["sections"][:3]
    return json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("reply", [
    error(500, "upstream failure"),
    answer('{"title": "cassé"'),
    answer(None, refusal="I can't help with that."),
], ids=["server-error", "invalid-json", "refusal"])
def test_a_failing_model_leaves_the_post_exactly_as_it_was(wordpress, bridge_site, model_server, journal, reply):
    post_id = wordpress.create_post(post_title="Intact", post_content=(SEEDS / "article-2.txt").read_text(),
                                    meta_input={"_yoast_wpseo_title": "Titre de la rédaction"})
    before = post_state(wordpress, post_id)
    model_server.queue(CHAT, reply, reply)
    with bridge_site() as site:
        with pytest.raises(ModelError):
            rewrite_post(site, post_id, journal=journal)
    assert post_state(wordpress, post_id) == before
    assert journal.calls(post_id) and all(c["outcome"] != "ok" for c in journal.calls(post_id))
    assert journal.originals(site.settings.wordpress.url, post_id) == []


def test_a_published_post_is_refused_before_any_model_call(wordpress, bridge_site, model_server, journal):
    post_id = wordpress.create_post(post_status="publish", post_title="En ligne", post_content="Texte publié.")
    before = post_state(wordpress, post_id)
    with bridge_site() as site:
        with pytest.raises(WriteRefused, match="'publish'"):
            rewrite_post(site, post_id, journal=journal)
    assert model_server.requests == [] and post_state(wordpress, post_id) == before


def test_an_edit_made_while_the_model_writes_is_never_overwritten(wordpress, bridge_site, model_server, journal):
    post_id = wordpress.create_post(post_title="Disputé", post_content=(SEEDS / "article-1.txt").read_text())
    model_server.responder = acting_first(
        lambda: wordpress.php(f"wp_update_post(array('ID' => {post_id}, 'post_title' => 'Corrigé par la rédaction'));"),
        answer(fixture_answer(1)),
    )
    with bridge_site() as site:
        with pytest.raises(EditConflict, match="Nothing was changed"):
            rewrite_post(site, post_id, journal=journal)
    state = post_state(wordpress, post_id)
    assert state["post"]["post_title"] == "Corrigé par la rédaction"
    assert state["post"]["post_content"] == (SEEDS / "article-1.txt").read_text()


def test_dry_run_writes_nothing(wordpress, bridge_site, model_server, journal):
    post_id = wordpress.create_post(post_title="Essai", post_content=(SEEDS / "article-1.txt").read_text())
    before = post_state(wordpress, post_id)
    model_server.queue(CHAT, answer(fixture_answer(1)))
    with bridge_site() as site:
        report = rewrite_post(site, post_id, journal=journal, dry_run=True)
    assert not report.written and report.words >= 700 and "<!-- wp:heading -->" in report.content
    assert post_state(wordpress, post_id) == before
    assert journal.originals(site.settings.wordpress.url, post_id) == []
    assert len(journal.calls(post_id)) == 1  # the money spent is logged all the same


def test_the_editor_keyphrase_is_kept(wordpress, bridge_site, model_server, journal):
    post_id = wordpress.create_post(post_title="Mot-clé", post_content=(SEEDS / "article-1.txt").read_text(),
                                    meta_input={"rank_math_focus_keyword": "imagerie satellitaire,pékin"})
    # The fixture was written for another keyphrase: the gate refuses it, three times.
    model_server.queue(CHAT, *[answer(fixture_answer(1))] * 3)
    with bridge_site(seo_plugin="rankmath") as site:
        report = rewrite_post(site, post_id, journal=journal)
    assert report.article.focus_keyphrase == "imagerie satellitaire" and not report.written
    meta = post_state(wordpress, post_id)["meta"]
    assert meta["rank_math_focus_keyword"] == ["imagerie satellitaire,pékin"]
    system, user = (m["content"] for m in model_server.requests[-1].body["messages"][:2])
    assert 'Use exactly the "focus_keyphrase"' in system and "imagerie" not in system
    assert '"focus_keyphrase": "imagerie satellitaire"' in user


@pytest.mark.parametrize("transport", ["rest", "xmlrpc"])
def test_without_a_keyphrase_the_tags_guide_the_choice(wordpress, bridge_site, model_server, journal, transport):
    post_id = wordpress.create_post(post_title="Étiqueté", post_content=(SEEDS / "article-1.txt").read_text(),
                                    tags_input=["aide chinoise", "Pékin & Moscou"])
    model_server.queue(CHAT, answer(fixture_answer(1)))
    with bridge_site(transport=transport) as site:
        rewrite_post(site, post_id, journal=journal)
    system, user = (m["content"] for m in model_server.requests[-1].body["messages"][:2])
    assert 'one of the "tags" given with the draft' in system and "aide chinoise" not in system
    assert json.loads("\n".join(user.splitlines()[1:-1]))["tags"] == ["aide chinoise", "Pékin & Moscou"]


def test_pending_status_when_configured(wordpress, bridge_site, model_server, journal):
    post_id = wordpress.create_post(post_title="Relecture", post_content=(SEEDS / "article-2.txt").read_text())
    model_server.queue(CHAT, answer(fixture_answer(2)))
    with bridge_site(rewrite__status="pending") as site:
        rewrite_post(site, post_id, journal=journal)
    assert post_state(wordpress, post_id)["post"]["post_status"] == "pending"


def test_slug_is_unique_among_the_sites_posts(wordpress, bridge_site, model_server, journal):
    wordpress.create_post(post_status="publish", post_title="Existant", post_name="aide-chinoise-russie-images-satellitaires")
    post_id = wordpress.create_post(post_title="Doublon", post_content=(SEEDS / "article-1.txt").read_text())
    model_server.queue(CHAT, answer(fixture_answer(1)))
    with bridge_site() as site:
        report = rewrite_post(site, post_id, journal=journal)
    assert report.slug != "aide-chinoise-russie-images-satellitaires" and report.slug.startswith("aide-chinoise")
    assert post_state(wordpress, post_id)["post"]["post_name"] == report.slug


def cli_env(wordpress, model_server, tmp_path) -> dict[str, str]:
    return {
        "XDG_CONFIG_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"),
        "WP_SEO_BRIDGE_WORDPRESS_URL": wordpress.url, "WP_SEO_BRIDGE_WORDPRESS_USERNAME": wordpress.editor_user,
        "WP_SEO_BRIDGE_WP_APP_PASSWORD": wordpress.editor_app_password,
        "WP_SEO_BRIDGE_MODEL_BASE_URL": model_server.base_url, "OPENAI_API_KEY": API_KEY,
    }


def run_cli(*args: str, env: dict[str, str]):
    return cli.run_cli(*args, env=env, columns=200)


def test_cli_rewrites_a_post(wordpress, model_server, tmp_path):
    post_id = wordpress.create_post(post_title="Par la ligne de commande", post_content=(SEEDS / "article-2.txt").read_text())
    model_server.queue(CHAT, answer(fixture_answer(2)))
    env = cli_env(wordpress, model_server, tmp_path)
    result = run_cli("rewrite", str(post_id), env=env)
    assert result.returncode == 0, result.stderr
    assert "Saved post" in result.stdout and "'draft'" in result.stdout and "H2 " in result.stdout
    assert (tmp_path / "data" / "wp-seo-bridge" / "journal.sqlite3").is_file()
    assert API_KEY not in result.stdout + result.stderr and wordpress.editor_app_password not in result.stdout


def test_cli_dry_run_shows_the_result_and_writes_nothing(wordpress, model_server, tmp_path):
    post_id = wordpress.create_post(post_title="Essai CLI", post_content=(SEEDS / "article-1.txt").read_text())
    before = post_state(wordpress, post_id)
    model_server.queue(CHAT, answer(fixture_answer(1)))
    env = cli_env(wordpress, model_server, tmp_path)
    result = run_cli("rewrite", str(post_id), "--dry-run", "--output", str(tmp_path / "apercu.html"), env=env)
    assert result.returncode == 0, result.stderr
    for shown in ("SEO title", "Meta description", "Slug", "Words", "Outline", "Diff (text)", "nothing was written"):
        assert shown in result.stdout, shown
    assert "<!-- wp:heading -->" in (tmp_path / "apercu.html").read_text()
    assert post_state(wordpress, post_id) == before


def test_cli_rewrites_a_local_file_without_any_site(model_server, tmp_path):
    model_server.queue(CHAT, answer(fixture_answer(1)))
    draft = tmp_path / "chine-russie.txt"
    draft.write_text((SEEDS / "article-1.txt").read_text())
    env = {"XDG_CONFIG_HOME": str(tmp_path), "OPENAI_API_KEY": API_KEY, "OPENAI_BASE_URL": model_server.base_url}
    result = run_cli("rewrite", "--file", str(draft), "--output", str(tmp_path / "out.html"), env=env)
    assert result.returncode == 0, result.stderr
    assert "Focus keyphrase" in result.stdout and "Diff (text)" in result.stdout
    assert (tmp_path / "out.html").read_text().startswith("<!-- wp:paragraph -->")
    sent = model_server.requests[-1].body["messages"][1]["content"]
    assert '"title": "chine russie"' in sent


@pytest.mark.parametrize("args", [["rewrite"], ["rewrite", "12", "--file", __file__]])
def test_cli_rewrite_needs_one_post_or_one_file(args, tmp_path):
    result = run_cli(*args, env={"XDG_CONFIG_HOME": str(tmp_path)})
    assert result.returncode == 2 and "either a POST_ID or --file" in result.stderr


def test_restore_puts_the_original_back(wordpress, bridge_site, model_server, journal):
    original = (SEEDS / "article-1.txt").read_text()
    post_id = wordpress.create_post(post_title="Original", post_content=original, post_excerpt="Chapô",
                                    post_name="original-slug", meta_input={"_yoast_wpseo_title": "Titre d’origine"})
    model_server.queue(CHAT, answer(fixture_answer(1)))
    with bridge_site(seo_plugin="yoast") as site:
        with pytest.raises(NotInJournal):
            restore_post(site, post_id, journal)
        rewrite_post(site, post_id, journal=journal)
        assert post_state(wordpress, post_id)["post"]["post_content"] != original
        restored = restore_post(site, post_id, journal)
    state = post_state(wordpress, post_id)
    row, meta = state["post"], state["meta"]
    assert (row["post_title"], row["post_content"], row["post_excerpt"], row["post_name"]) == (
        "Original", original, "Chapô", "original-slug")
    assert row["post_status"] == "draft" and restored.status == "draft"
    assert meta["_yoast_wpseo_title"] == ["Titre d’origine"]
    assert meta.get("_yoast_wpseo_metadesc", [""]) == [""]
    assert json.loads(meta["_wp_seo_bridge_record"][0])["action"] == "restore"


def test_restore_never_touches_a_published_post(wordpress, bridge_site, model_server, journal):
    post_id = wordpress.create_post(post_title="Publié ensuite", post_content=(SEEDS / "article-2.txt").read_text())
    model_server.queue(CHAT, answer(fixture_answer(2)))
    with bridge_site() as site:
        rewrite_post(site, post_id, journal=journal)
        wordpress.php(f"wp_publish_post({post_id});")
        before = post_state(wordpress, post_id)
        with pytest.raises(WriteRefused, match="'publish'"):
            restore_post(site, post_id, journal)
    assert post_state(wordpress, post_id) == before


def test_cli_reports_a_rewrite_that_needs_attention(wordpress, model_server, tmp_path):
    post_id = wordpress.create_post(post_title="Refusé", post_content=(SEEDS / "article-1.txt").read_text())
    model_server.queue(CHAT, *[answer(too_short(1))] * 3)
    result = run_cli("rewrite", str(post_id), env=cli_env(wordpress, model_server, tmp_path))
    assert result.returncode == 1
    assert "did not pass the quality gate" in result.stdout and "needs at least 700" in result.stdout
    assert "Lights" in result.stdout and "attempts: 3" in result.stdout
    assert "needs attention" in result.stdout


def test_cli_analyze_a_post_as_table_and_json(wordpress, model_server, tmp_path):
    post_id = wordpress.create_post(post_title="À analyser", post_content=(SEEDS / "article-1.txt").read_text(),
                                    meta_input={"_yoast_wpseo_focuskw": "aide chinoise"})
    env = cli_env(wordpress, model_server, tmp_path)
    table = run_cli("analyze", str(post_id), env=env)
    assert table.returncode == 0, table.stderr
    assert "keyphrase density" in table.stdout and "SEO:" in table.stdout and "Readability:" in table.stdout
    data = json.loads(run_cli("analyze", str(post_id), "--json", env=env).stdout)
    assert data["readability"]["rating"] in ("good", "ok", "bad") and data["words"] > 600
    checks = {c["id"]: c for c in data["checks"]}
    assert checks["keyphrase_in_introduction"]["group"] == "seo"
    assert checks["sentence_length"]["rating"] == "bad"  # the raw seed: 87 % of its sentences are long
    other = json.loads(run_cli("analyze", str(post_id), "--json", "--keyphrase", "imagerie satellitaire", env=env).stdout)
    assert {c["id"]: c for c in other["checks"]}["keyphrase_density"]["text"] != checks["keyphrase_density"]["text"]


def test_cli_analyze_a_file(tmp_path):
    draft = tmp_path / "article.txt"
    draft.write_text((SEEDS / "article-2.txt").read_text())
    result = run_cli("analyze", "--file", str(draft), "--keyphrase", "matériel non létal", "--json",
                     env={"XDG_CONFIG_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["seo"]["rating"] in ("ok", "bad") and any(c["id"] == "keyphrase_in_slug" for c in data["checks"])
