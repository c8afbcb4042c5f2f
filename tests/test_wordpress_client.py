"""The WordPress client against the real test site, over REST and over XML-RPC.

What the client wrote is checked through PHP (``wordpress.php``), an oracle independent of it.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import requests

from wp_seo_bridge.errors import EditConflict, MetaNotWritable, PostNotFound, WriteRefused
from wp_seo_bridge.wordpress.models import RECORD_META_KEY, PostUpdate, SeoFields
from wp_seo_bridge.wordpress.seo import ADAPTERS

TRANSPORTS = ["rest", "xmlrpc"]


def meta_of(wordpress, post_id: int, key: str) -> list[str]:
    return wordpress.php_json(f"echo json_encode(get_post_meta({post_id}, {json.dumps(key)}, false));")


def post_row(wordpress, post_id: int) -> dict:
    """Everything an editor could lose: the post row and all its meta."""
    return wordpress.php_json(
        f"echo json_encode(array('post' => get_post({post_id}, ARRAY_A), 'meta' => get_post_meta({post_id})));"
    )


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("plugin", sorted(ADAPTERS))
def test_seo_meta_round_trip(wordpress, make_site, transport, plugin):
    adapter = ADAPTERS[plugin]
    post_id = wordpress.create_post(post_title="Brouillon SEO", post_content="<p>Texte.</p>")
    seo = SeoFields(
        title="Chine et Russie : l’imagerie satellitaire au cœur de la guerre",
        description="Pékin fournit à Moscou des images satellitaires géospatiales : ce que l’on sait de cette aide.",
        focus_keyphrase="imagerie satellitaire",
    )
    with make_site(transport=transport, seo_plugin=plugin) as site:
        post = site.get_post(post_id)
        stored = site.update_post(post, PostUpdate(seo=seo, meta={RECORD_META_KEY: '{"action": "test"}'}))
        expected = seo if adapter.keyphrase_key else SeoFields(seo.title, seo.description, None)
        assert stored.seo == expected
        assert site.get_post(post_id).seo == expected
        # Written a second time: still one meta row per key (updated, not added).
        site.update_post(stored, PostUpdate(seo=SeoFields(title="Titre SEO révisé")))
    assert meta_of(wordpress, post_id, adapter.title_key) == ["Titre SEO révisé"]
    assert meta_of(wordpress, post_id, adapter.description_key) == [seo.description]
    if adapter.keyphrase_key:
        assert meta_of(wordpress, post_id, adapter.keyphrase_key) == ["imagerie satellitaire"]
    assert meta_of(wordpress, post_id, RECORD_META_KEY) == ['{"action": "test"}']
    assert post_row(wordpress, post_id)["post"]["post_status"] == "draft"


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_post_fields_round_trip(wordpress, make_site, transport):
    post_id = wordpress.create_post(post_title="Avant", post_content="<p>Ancien texte.</p>", post_excerpt="Ancien")
    with make_site(transport=transport) as site:
        post = site.get_post(post_id)
        assert (post.title, post.content, post.excerpt, post.status) == ("Avant", "<p>Ancien texte.</p>", "Ancien", "draft")
        stored = site.update_post(
            post,
            PostUpdate(title="Après", content="<!-- wp:paragraph -->\n<p>Nouveau « texte ».</p>\n<!-- /wp:paragraph -->",
                       excerpt="Nouveau", slug="chine-russie-imagerie-satellitaire", status="pending"),
        )
    assert (stored.title, stored.excerpt, stored.slug, stored.status) == (
        "Après", "Nouveau", "chine-russie-imagerie-satellitaire", "pending")
    row = post_row(wordpress, post_id)["post"]
    assert row["post_content"] == "<!-- wp:paragraph -->\n<p>Nouveau « texte ».</p>\n<!-- /wp:paragraph -->"
    assert row["post_name"] == "chine-russie-imagerie-satellitaire"


def test_xmlrpc_collapses_duplicate_meta_rows(wordpress, make_site):
    post_id = wordpress.create_post()
    wordpress.php(f"add_post_meta({post_id}, '_yoast_wpseo_title', 'un'); add_post_meta({post_id}, '_yoast_wpseo_title', 'deux');")
    assert len(meta_of(wordpress, post_id, "_yoast_wpseo_title")) == 2
    with make_site(transport="xmlrpc", seo_plugin="yoast") as site:
        site.update_post(site.get_post(post_id), PostUpdate(seo=SeoFields(title="un seul")))
    assert meta_of(wordpress, post_id, "_yoast_wpseo_title") == ["un seul"]


def test_rank_math_keeps_secondary_keyphrases(wordpress, make_site):
    post_id = wordpress.create_post(meta_input={"rank_math_focus_keyword": "ancienne,pékin,moscou"})
    with make_site(seo_plugin="rankmath") as site:
        post = site.get_post(post_id)
        assert post.seo.focus_keyphrase == "ancienne"
        site.update_post(post, PostUpdate(seo=SeoFields(focus_keyphrase="imagerie satellitaire")))
    assert meta_of(wordpress, post_id, "rank_math_focus_keyword") == ["imagerie satellitaire,pékin,moscou"]


@pytest.fixture(scope="module")
def many_drafts(wordpress):
    """160 drafts (beyond one page of 100) and 3 pending posts, beside published, private and future posts."""
    drafts = wordpress.create_posts(160, post_status="draft")
    pending = wordpress.create_posts(3, post_status="pending")
    others = []
    for status in ("publish", "private"):
        others += wordpress.create_posts(3, post_status=status)
    others.append(wordpress.create_post(post_status="future", post_date="2099-01-01 10:00:00"))
    others.append(wordpress.create_post(post_status="draft", post_type="page"))
    others.append(wordpress.create_post(post_status="pending", post_type="page"))
    return drafts, pending, others


def all_ids(wordpress, *statuses: str) -> set[int]:
    return set(wordpress.php_json(
        f"echo json_encode(get_posts(array('post_type' => 'post', 'post_status' => json_decode('{json.dumps(statuses)}'),"
        " 'numberposts' => -1, 'fields' => 'ids')));"
    ))


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_lists_every_draft_and_pending_post_across_pages_and_nothing_else(wordpress, make_site, many_drafts, transport):
    drafts, pending, others = many_drafts
    with make_site(transport=transport) as site:
        listed = list(site.list_drafts())
        only_pending = list(site.list_drafts(site.draft_query(["pending"])))
        only_drafts = list(site.list_drafts(site.draft_query(["draft"])))
    ids = [post.id for post in listed]
    assert len(ids) == len(set(ids)), "a post was listed twice"
    assert set(drafts) | set(pending) <= set(ids)
    assert set(ids) == all_ids(wordpress, "draft", "pending")
    assert not set(others) & set(ids)
    assert {post.status for post in listed} == {"draft", "pending"}
    assert ids == sorted(ids)
    assert {p.id for p in only_pending} == all_ids(wordpress, "pending") and set(pending) <= {p.id for p in only_pending}
    assert {p.id for p in only_drafts} == all_ids(wordpress, "draft") and {p.status for p in only_drafts} == {"draft"}


def test_listing_a_status_the_bridge_never_writes_is_refused():
    from wp_seo_bridge.errors import ConfigError
    from wp_seo_bridge.wordpress.models import DraftQuery

    with pytest.raises(ConfigError, match="'publish'"):
        DraftQuery(statuses=("draft", "publish"))


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_draft_filters(wordpress, make_site, transport):
    ids = wordpress.php_json(
        """
        $cat = wp_insert_term('Filtre ' . wp_generate_password(6, false), 'category');
        $tag = wp_insert_term('etiquette-' . strtolower(wp_generate_password(6, false)), 'post_tag');
        $other = wp_insert_user(array('user_login' => 'auteur' . wp_rand(), 'user_pass' => wp_generate_password(),
                                      'role' => 'author'));
        $in_cat = wp_insert_post(array('post_title' => 'dans la catégorie', 'post_status' => 'draft',
                                       'post_category' => array($cat['term_id'])));
        $tagged = wp_insert_post(array('post_title' => 'étiqueté', 'post_status' => 'draft', 'post_author' => $other,
                                       'tags_input' => array(get_term($tag['term_id'])->slug)));
        echo json_encode(array('cat' => get_term($cat['term_id'])->slug, 'tag' => get_term($tag['term_id'])->slug,
                               'author' => $other, 'in_cat' => $in_cat, 'tagged' => $tagged));
        """
    )
    with make_site(transport=transport, drafts__categories=[ids["cat"]]) as site:
        assert [p.id for p in site.list_drafts()] == [ids["in_cat"]]
    with make_site(transport=transport, drafts__tags=[ids["tag"]]) as site:
        assert [p.id for p in site.list_drafts()] == [ids["tagged"]]
    with make_site(transport=transport, drafts__author=ids["author"]) as site:
        assert [p.id for p in site.list_drafts()] == [ids["tagged"]]
    with make_site(transport=transport) as site:
        newest = site.get_post(ids["tagged"]).modified_gmt
        cutoff = newest - timedelta(seconds=1)
        query = site.draft_query()
        from dataclasses import replace

        recent = {p.id for p in site.list_drafts(replace(query, modified_after=cutoff))}
        assert ids["tagged"] in recent
        assert all(p.modified_gmt > cutoff for p in site.list_drafts(replace(query, modified_after=cutoff)))
        assert not {p.id for p in site.list_drafts(replace(query, modified_after=newest + timedelta(seconds=1)))}


# A host without URL rewriting: /wp-json/ never reaches WordPress.
NO_PRETTY_URLS = """<?php
if (isset($_SERVER['REQUEST_URI']) && strpos($_SERVER['REQUEST_URI'], '/wp-json') === 0) {
    status_header(404); header('Content-Type: text/html'); echo '<h1>Not Found</h1>'; exit;
}
"""

NO_LINK_HEADER = "<?php remove_action('template_redirect', 'rest_output_link_header', 11);\n"


@pytest.mark.parametrize("advertised", [True, False], ids=["link-header", "no-link-header"])
def test_works_where_only_rest_route_reaches_wordpress(wordpress, make_site, advertised):
    post_id = wordpress.create_post(post_title="Permaliens simples")
    wordpress.php("update_option('permalink_structure', '');")
    try:
        with wordpress.mu_plugin("no-pretty-urls", NO_PRETTY_URLS), \
                wordpress.mu_plugin("no-link", NO_LINK_HEADER if not advertised else "<?php\n"):
            assert requests.get(f"{wordpress.url}/wp-json/", timeout=10).status_code == 404
            with make_site() as site:
                assert "rest_route=" in site.transport.api_root()
                post = site.get_post(post_id)
                site.update_post(post, PostUpdate(seo=SeoFields(title="Titre"), title="Permaliens modifiés"))
        assert post_row(wordpress, post_id)["post"]["post_title"] == "Permaliens modifiés"
    finally:
        wordpress.php("update_option('permalink_structure', '/%postname%/');")


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_never_overwrites_an_edit_made_meanwhile(wordpress, make_site, transport):
    post_id = wordpress.create_post(post_title="Version lue", post_content="<p>Lu.</p>")
    with make_site(transport=transport) as site:
        post = site.get_post(post_id)
        # An editor saves the post meanwhile, possibly within the same second.
        wordpress.php(f"wp_update_post(array('ID' => {post_id}, 'post_content' => '<p>Corrigé par la rédaction.</p>'));")
        before = post_row(wordpress, post_id)
        with pytest.raises(EditConflict, match="Nothing was changed"):
            site.update_post(post, PostUpdate(content="<p>Réécrit.</p>", seo=SeoFields(title="Titre")))
    assert post_row(wordpress, post_id) == before


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("status", ["publish", "future", "private", "trash"])
def test_never_touches_a_post_that_is_no_longer_a_draft(wordpress, make_site, transport, status):
    post_id = wordpress.create_post(post_title="Brouillon")
    with make_site(transport=transport) as site:
        if status == "future":
            wordpress.php(f"wp_update_post(array('ID' => {post_id}, 'post_status' => 'future', 'edit_date' => true, "
                          f"'post_date' => '2099-01-01 10:00:00', 'post_date_gmt' => '2099-01-01 10:00:00'));")
        else:
            wordpress.php(f"wp_update_post(array('ID' => {post_id}, 'post_status' => '{status}'));")
        before = post_row(wordpress, post_id)
        # XML-RPC reports scheduled posts as 'publish'; the companion plugin tells the status as stored.
        shown = status
        with pytest.raises(WriteRefused, match=f"now '{shown}'"):
            site.update_post(site.get_post(post_id), PostUpdate(title="Réécrit", seo=SeoFields(title="T")))
    assert post_row(wordpress, post_id) == before


@pytest.mark.parametrize("status", ["publish", "future", "private"])
def test_an_update_can_never_publish(status):
    with pytest.raises(WriteRefused, match="only saves drafts"):
        PostUpdate(status=status)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_unknown_post_is_not_found(make_site, wordpress, transport):
    page_id = wordpress.create_post(post_type="page")
    with make_site(transport=transport) as site:
        with pytest.raises(PostNotFound, match="999999"):
            site.get_post(999999)
        with pytest.raises(PostNotFound, match="post types: post"):
            site.get_post(page_id)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_without_companion_plugin_meta_is_refused_and_nothing_changes(wordpress, make_site, without_companion, transport):
    post_id = wordpress.create_post(post_title="Sans compagnon")
    before = post_row(wordpress, post_id)
    with make_site(transport=transport, seo_plugin="yoast") as site:
        post = site.get_post(post_id)
        with pytest.raises(MetaNotWritable) as caught:
            site.update_post(post, PostUpdate(title="Réécrit", seo=SeoFields(title="T", description="D")))
    assert "_yoast_wpseo_title" in str(caught.value) and "mu-plugins" in str(caught.value)
    assert post_row(wordpress, post_id) == before


def test_meta_is_invisible_to_anonymous_readers(wordpress, make_site):
    post_id = wordpress.create_post(post_status="publish", post_title="Publié",
                                    meta_input={"_yoast_wpseo_metadesc": "secret de rédaction", "rank_math_title": "rm"})
    public = requests.get(f"{wordpress.url}/wp-json/wp/v2/posts/{post_id}", timeout=10)
    assert public.status_code == 200
    assert "secret de rédaction" not in public.text and '"rm"' not in public.text
    edit = requests.get(f"{wordpress.url}/wp-json/wp/v2/posts/{post_id}?context=edit", timeout=10)
    assert edit.status_code == 401
    status = requests.get(f"{wordpress.url}/wp-json/wp-seo-bridge/v1/status", timeout=10)
    assert status.status_code == 401
    # The editor does see them.
    with make_site() as site:
        assert site.get_post(post_id).meta["_yoast_wpseo_metadesc"] == "secret de rédaction"


FAKE_YOAST_REGISTERS_ITS_OWN_KEY = """<?php
add_action('init', function () {
    register_post_meta('post', '_yoast_wpseo_title', array('type' => 'string', 'single' => true,
        'show_in_rest' => true, 'auth_callback' => function () { return current_user_can('edit_posts'); }));
});
add_action('rest_api_init', function () {
    register_rest_route('yoast/v1', '/ping', array('methods' => 'GET', 'callback' => '__return_true',
        'permission_callback' => '__return_true'));
});
"""


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_companion_leaves_keys_the_seo_plugin_registered(wordpress, make_site, transport):
    with wordpress.mu_plugin("fake-yoast", FAKE_YOAST_REGISTERS_ITS_OWN_KEY):
        with make_site(transport=transport) as site:
            status = site.transport.companion_status()
            assert "_yoast_wpseo_title" in status.skipped["post"]
            assert "_yoast_wpseo_title" not in status.registered["post"]
            assert "_yoast_wpseo_metadesc" in status.registered["post"]
            if transport == "rest":
                assert site.seo.name == "yoast"


@pytest.mark.parametrize(
    ("constant", "expected"),
    [("WPSEO_VERSION", "yoast"), ("RANK_MATH_VERSION", "rankmath"), ("SEOPRESS_VERSION", "seopress"),
     ("THE_SEO_FRAMEWORK_VERSION", "seoframework")],
)
@pytest.mark.parametrize("transport", TRANSPORTS)
def test_seo_plugin_detected_from_companion_report(wordpress, make_site, transport, constant, expected):
    with wordpress.mu_plugin("fake-seo", f"<?php define('{constant}', '1.0');\n"):
        with make_site(transport=transport) as site:
            assert site.seo.name == expected


@pytest.mark.parametrize(("namespace", "expected"), [("rankmath/v1", "rankmath"), ("seopress/v1", "seopress")])
def test_seo_plugin_detected_from_rest_namespace(wordpress, make_site, namespace, expected):
    plugin = f"""<?php add_action('rest_api_init', function () {{
        register_rest_route('{namespace}', '/ping', array('methods' => 'GET', 'callback' => '__return_true',
            'permission_callback' => '__return_true')); }});"""
    with wordpress.mu_plugin("fake-seo-ns", plugin):
        with make_site() as site:
            assert site.seo.name == expected


def test_no_seo_plugin_falls_back_to_yoast_fields(make_site):
    with make_site() as site:
        assert site.detect_seo_plugin() is None
        assert site.seo.name == "yoast"
