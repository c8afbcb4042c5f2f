"""The plain-text fields the bridge writes (title, SEO title, meta description, excerpt, slug, focus keyphrase)
get the body's checks: no shortcode the model writes itself, no address the draft lacks, no markup."""

from __future__ import annotations

import json

import pytest

from tests.support.fake_openai import CHAT, FakeOpenAI, answer
from tests.test_gate import good, source, verdict_for
from wp_seo_bridge.article import ArticleProposal
from wp_seo_bridge.bridge import rewrite_post
from wp_seo_bridge.content import parse
from wp_seo_bridge.guards.fields import addresses, check_fields
from wp_seo_bridge.journal import Journal

API_KEY = "sk-test-fields"
FIELDS = {"title": "title", "SEO title": "seo_title", "meta description": "meta_description", "excerpt": "excerpt",
          "slug": "slug", "focus keyphrase": "focus_keyphrase"}
#: What a model may slip into a field: (text, the reason's words, the finding's guard).
INTRUSIONS = [
    ("[gallery]", 'a shortcode of its own, "[gallery]"', "shortcode"),
    ('[contact-form-7 id="12"]', 'a shortcode of its own, "[contact-form-7 id=', "shortcode"),
    ("[embed]https://evil.example/v[/embed]", 'a shortcode of its own, "[embed]', "shortcode"),
    ("&#91;gallery]", 'a shortcode of its own, "[gallery]"', "shortcode"),
    ("[[SC-1]]", 'the shortcode token "[[SC-1]]"', "shortcode"),
    ("https://evil.example/promo", 'the address "https://evil.example/promo", which the draft does not have', "link"),
    ("www.evil.example", 'the address "www.evil.example"', "link"),
    ("evil.example", 'the address "evil.example"', "link"),
    ("promo.shop", 'the address "promo.shop"', "link"),
    ("contact@evil.example", 'the address "contact@evil.example"', "link"),
    ("<b>gras</b>", 'a <b> tag (this field is plain text: no markup at all) ("<b>")', "markup"),
    ('<a href="https://site.test/x">ici</a>', "a <a> tag (this field is plain text", "markup"),
]


@pytest.mark.parametrize(("text", "reason", "guard"), INTRUSIONS)
@pytest.mark.parametrize("where", sorted(FIELDS))
def test_what_the_model_slips_into_a_field_is_refused_and_named(where, text, reason, guard):
    data = good()
    data[FIELDS[where]] = f"{data[FIELDS[where]]} {text}"
    verdict = verdict_for(data, source())
    assert not verdict.passed
    assert any(f.guard == guard and f.where == where and reason in f.message for f in verdict.findings), verdict.reasons
    named = [r for r in verdict.reasons if reason in r]
    assert named and all(f"the {where}" in r for r in named)


def test_the_answer_of_the_report_is_refused():
    data = good()
    data["excerpt"] = "Le rapport municipal [gallery] pour tous."
    data["seo_title"] = "Rapport municipal [gallery] : ce qu'il faut savoir"
    data["meta_description"] = "Le rapport municipal [embed]https://evil.example/[/embed] pour tous."
    found = {(f.guard, f.where, f.item) for f in verdict_for(data, source()).findings}
    assert {("shortcode", "excerpt", "[gallery]"), ("shortcode", "SEO title", "[gallery]"),
            ("shortcode", "meta description", "[embed]https://evil.example/[/embed]"),
            ("link", "meta description", "https://evil.example/")} <= found


DRAFT = parse(
    '<p>Selon <a href="https://www.bloomberg.com/news/x">Bloomberg</a>, le rapport paraît sur lemonde.fr et sur '
    "le site de la ville. Le rapport présente les travaux de la ville et des quartiers.</p>"
)


def proposal(**fields: str) -> ArticleProposal:
    data = {"title": "T", "seo_title": "T", "meta_description": "", "focus_keyphrase": "t", "slug": "t-u-v",
            "excerpt": "", "sections": [], **fields}
    return ArticleProposal.model_validate(data)


@pytest.mark.parametrize("text", [
    "Selon bloomberg.com, le rapport est paru.",  # a host the draft links to
    "Lu sur https://www.bloomberg.com/autre et news.bloomberg.com.",
    "Le rapport, en ligne sur lemonde.fr.",  # a host the draft writes
    "Tout est sur https://site.test/rapport.",  # the site's own host
    "Voir partenaire.example.",  # an allowed domain
    "Node.js, S.A., 3.5 %, 14 h 30, M. Dupont, p. 12, etc. : le rapport.",  # no address at all
])
def test_the_drafts_hosts_the_sites_and_allowed_domains_pass(text):
    assert check_fields(proposal(meta_description=text), DRAFT, ["site.test", "partenaire.example"]) == []


def test_addresses_are_found_in_every_form():
    assert [host for _, host in addresses(
        "Voir https://a.example/x?y=1, www.b.example, c.example.fr, d@e.example et f.com."
    )] == ["a.example", "www.b.example", "d@e.example".split("@")[1], "c.example.fr", "f.com"]


# -- end to end: the real WordPress and the fake model -------------------------------------------


@pytest.fixture
def model_server():
    with FakeOpenAI(api_key=API_KEY) as server:
        yield server


def slipped() -> str:
    data = good()
    data["excerpt"] = "Le rapport [gallery] pour tous."
    data["seo_title"] = data["seo_title"][:40] + " [gallery]"
    data["meta_description"] = data["meta_description"][:90] + " [embed]https://evil.example/[/embed]"
    return json.dumps(data, ensure_ascii=False)


def rewrite(make_site, model_server, tmp_path, post_id, *answers):
    model_server.queue(CHAT, *[answer(a) for a in answers])
    with make_site(model_base_url=model_server.base_url, api_key=API_KEY, model__max_retries=1, seo_plugin="yoast",
                   quality__max_repairs=1) as site:
        with Journal(tmp_path / "journal.sqlite3") as journal:
            return rewrite_post(site, post_id, journal=journal)


def meta(wordpress, post_id: int, key: str) -> str:
    return wordpress.php_json(f"echo json_encode(get_post_meta({post_id}, '{key}', true));")


def test_shortcodes_and_addresses_in_the_fields_are_repaired_before_writing(wordpress, make_site, model_server,
                                                                            tmp_path):
    post_id = wordpress.create_post(post_title="Brouillon", post_content=source())
    report = rewrite(make_site, model_server, tmp_path, post_id, slipped(), json.dumps(good(), ensure_ascii=False))
    assert report.written and report.attempts == 2, report.verdict.reasons
    request = [r for r in model_server.requests if r.path == CHAT][1].body["messages"][-1]["content"]
    for where in ("excerpt", "SEO title", "meta description"):
        assert f'The {where} contains a shortcode of its own, "[' in request
    assert 'The meta description contains the address "https://evil.example/"' in request
    assert meta(wordpress, post_id, "_yoast_wpseo_metadesc") == good()["meta_description"]


def test_a_field_still_holding_a_shortcode_is_never_written(wordpress, make_site, model_server, tmp_path):
    post_id = wordpress.create_post(post_title="Brouillon", post_content=source())
    report = rewrite(make_site, model_server, tmp_path, post_id, slipped(), slipped())
    assert not report.written and not report.accepted
    assert meta(wordpress, post_id, "_yoast_wpseo_metadesc") == ""
    assert meta(wordpress, post_id, "_yoast_wpseo_title") == ""
    assert wordpress.php_json(f"echo json_encode(get_post({post_id})->post_excerpt);") == ""
    record = json.loads(meta(wordpress, post_id, "_wp_seo_bridge_record"))
    assert record["status"] == "needs attention"
    assert any(r.startswith("The excerpt contains a shortcode of its own") for r in record["reasons"])
