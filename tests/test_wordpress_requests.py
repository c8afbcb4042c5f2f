"""What the WordPress side costs the site: requests per post, slug candidates in one request, tag names
once per run, caches filled before the workers, and a per-site cap on requests in flight that threads
sharing one site respect. Against the real test site; PHP is the oracle.
"""

from __future__ import annotations

import json
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from wp_seo_bridge.errors import EditConflict
from wp_seo_bridge.slug import make_slug
from wp_seo_bridge.wordpress import site as site_module
from wp_seo_bridge.wordpress.models import RECORD_META_KEY, PostUpdate, SeoFields
from wp_seo_bridge.wordpress.site import WordPressSite

TRANSPORTS = ["rest", "xmlrpc"]

#: Each read of a post titled "Lent" takes 0.4 s; the peak of such reads in flight at once is kept in a file.
SLOW_READS = """<?php
function wp_seo_bridge_test_in_flight($step) {
    $handle = fopen(WP_CONTENT_DIR . '/in-flight.json', 'c+');
    flock($handle, LOCK_EX);
    $data = json_decode(stream_get_contents($handle), true) ?: array('now' => 0, 'peak' => 0, 'total' => 0);
    $data['now'] += $step;
    $data['peak'] = max($data['peak'], $data['now']);
    $data['total'] += max(0, $step);
    rewind($handle);
    ftruncate($handle, 0);
    fwrite($handle, json_encode($data));
    fflush($handle);
    flock($handle, LOCK_UN);
    fclose($handle);
}
function wp_seo_bridge_test_slow($title) {
    if ($title === 'Lent') {
        wp_seo_bridge_test_in_flight(1);
        usleep(400000);
        wp_seo_bridge_test_in_flight(-1);
    }
}
add_filter('rest_prepare_post', function ($response, $post) {
    wp_seo_bridge_test_slow($post->post_title);
    return $response;
}, 10, 2);
add_filter('xmlrpc_prepare_post', function ($data, $post) {
    wp_seo_bridge_test_slow($post['post_title']);
    return $data;
}, 10, 2);
"""


def capped(make_site, connections: int, **options) -> WordPressSite:
    """A site whose ``[wordpress] max_connections`` is ``connections``."""
    base = make_site(**options)
    wordpress = base.settings.wordpress.model_copy(update={"max_connections": connections})
    base.close()
    return WordPressSite(base.settings.model_copy(update={"wordpress": wordpress}))


def revisions(wordpress, post_id: int) -> list[dict]:
    return wordpress.php_json(
        f"echo json_encode(array_values(array_map(function ($r) {{ return array('title' => $r->post_title,"
        f" 'content' => $r->post_content); }}, wp_get_post_revisions({post_id}))));"
    )


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_slug_candidates_are_checked_in_one_request(wordpress, make_site, transport):
    prefix = f"essai{secrets.token_hex(3)}"
    wordpress.create_post(post_name=f"{prefix}-publie", post_status="publish")
    wordpress.create_post(post_name=f"{prefix}-brouillon")
    wordpress.create_post(post_name=f"{prefix}-privee", post_status="private")
    trashed = wordpress.create_post(post_name=f"{prefix}-corbeille", post_status="publish")
    wordpress.php(f"wp_trash_post({trashed});")
    wordpress.create_post(post_name=f"{prefix}-page", post_type="page", post_status="publish")
    mine = wordpress.create_post(post_name=f"{prefix}-mien")
    candidates = [f"{prefix}-{name}" for name in ("publie", "brouillon", "privee", "corbeille", "page", "mien", "libre")]
    with make_site(transport=transport) as site:
        site.prepare()
        post = site.get_post(mine)
        before = site.requests_sent
        taken = site.taken_slugs(post, candidates)
        assert site.requests_sent - before == 1
    assert taken == {f"{prefix}-publie", f"{prefix}-brouillon", f"{prefix}-privee"}


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_make_slug_finds_a_free_slug_in_one_request(wordpress, make_site, transport):
    word = f"mot{secrets.token_hex(3)}"
    for slug in (f"{word}-satellite-chine", f"{word}-satellite-chine-2"):
        wordpress.create_post(post_name=slug, post_status="publish")
    mine = wordpress.create_post()
    with make_site(transport=transport) as site:
        site.prepare()
        post = site.get_post(mine)
        before = site.requests_sent
        slug = make_slug(f"{word} satellite chine", f"{word} satellite", taken=lambda c: site.taken_slugs(post, c))
        assert site.requests_sent - before == 1
    assert slug == f"{word}-satellite-chine-3"


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("revised", [False, True], ids=["never-saved", "revised"])
def test_a_write_costs_the_reread_the_slug_check_the_revision_when_missing_and_the_write(
    wordpress, make_site, transport, revised
):
    author = wordpress.admin_id
    original = ("Brouillon à réécrire", "<p>Le texte de l’auteur.</p>", "Chapô")
    post_id = wordpress.create_post(post_title=original[0], post_content=original[1], post_excerpt=original[2],
                                    post_author=author, tags_input=[f"tag{secrets.token_hex(3)}", "satellites"])
    if revised:
        wordpress.php(f"wp_update_post(array('ID' => {post_id}, 'post_author' => {author}));")
    with make_site(transport=transport, seo_plugin="yoast", drafts__author=author) as site:
        site.prepare()
        # The site's first save (made whatever the revisions: it tells whether a plugin changes statuses on save).
        site.keep_revision(site.get_post(wordpress.create_post(post_title="Premier de la série")))
        listed = [post for post in site.list_drafts() if post.id == post_id]
        site.prefetch_tag_names(listed)
        (post,) = listed
        before = site.requests_sent
        tags = site.tag_names(post)
        slug = make_slug("satellites chine russie", "satellites chine", taken=lambda c: site.taken_slugs(post, c))
        base = site.keep_revision(post)
        stored = site.update_post(base, PostUpdate(
            title="Réécrit", content="<p>Réécrit.</p>", excerpt="Nouveau chapô", slug=slug,
            seo=SeoFields("Titre SEO", "Description SEO", "satellites chine"), meta={RECORD_META_KEY: '{"a": 1}'},
        ))
        sent = site.requests_sent - before
    assert "satellites" in tags and len(tags) == 2
    expected = {("rest", False): 4, ("rest", True): 3, ("xmlrpc", False): 6, ("xmlrpc", True): 4}[transport, revised]
    assert sent == expected
    assert (stored.title, stored.status, stored.seo.title) == ("Réécrit", "draft", "Titre SEO")
    row = wordpress.php_json(f"echo json_encode(get_post({post_id}, ARRAY_A));")
    assert (row["post_title"], row["post_content"], row["post_status"]) == ("Réécrit", "<p>Réécrit.</p>", "draft")
    kept = revisions(wordpress, post_id)
    assert {"title": original[0], "content": original[1]} in kept  # the author's text, for the editors
    assert kept[0]["title"] == "Réécrit"


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_after_prepare_a_read_costs_one_request(wordpress, make_site, transport):
    post_id = wordpress.create_post(post_title="Lu une fois", tags_input=["chine"])
    with make_site(transport=transport) as site:
        site.prepare()
        before = site.requests_sent
        post = site.get_post(post_id)
        site.check_writable(post)
        assert site.seo and (site.companion() is not None)
        assert site.requests_sent - before == 1
        site.tag_names(post)
        site.tag_names(post)
        assert site.requests_sent - before == (2 if transport == "rest" else 1)  # XML-RPC posts carry their tags' names


def test_a_stale_handoff_is_read_again_and_catches_an_edit(wordpress, make_site, monkeypatch):
    post_id = wordpress.create_post(post_title="Relu", post_content="<p>Texte.</p>")
    with make_site() as site:
        base = site.keep_revision(site.get_post(post_id))
        monkeypatch.setattr(site_module, "FRESH_SECONDS", 0.0)
        wordpress.php(f"wp_update_post(array('ID' => {post_id}, 'post_content' => '<p>Corrigé par la rédaction.</p>'));")
        with pytest.raises(EditConflict):
            site.update_post(base, PostUpdate(content="<p>Réécrit.</p>"))
    assert wordpress.php(f"echo get_post({post_id})->post_content;") == "<p>Corrigé par la rédaction.</p>"


def test_an_edit_before_the_reread_is_never_overwritten(wordpress, make_site):
    post_id = wordpress.create_post(post_title="Relu", post_content="<p>Texte.</p>")
    with make_site() as site:
        post = site.get_post(post_id)
        wordpress.php(f"wp_update_post(array('ID' => {post_id}, 'post_content' => '<p>Corrigé par la rédaction.</p>'));")
        with pytest.raises(EditConflict):
            site.keep_revision(post)
        with pytest.raises(EditConflict):
            site.update_post(post, PostUpdate(content="<p>Réécrit.</p>"))
    assert wordpress.php(f"echo get_post({post_id})->post_content;") == "<p>Corrigé par la rédaction.</p>"


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_threads_sharing_a_site_never_exceed_max_connections(wordpress, make_site, transport):
    post_id = wordpress.create_post(post_title="Lent")
    counter = wordpress.root / "wp-content" / "in-flight.json"
    counter.unlink(missing_ok=True)
    with wordpress.mu_plugin("slow-reads", SLOW_READS), capped(make_site, 2, transport=transport) as site:
        site.prepare()
        before = site.requests_sent
        start = threading.Barrier(8)

        def read(_: int) -> int:
            start.wait()
            return site.get_post(post_id).id

        with ThreadPoolExecutor(8) as pool:
            assert list(pool.map(read, range(8))) == [post_id] * 8
        sent = site.requests_sent - before
    seen = json.loads(counter.read_text())
    counter.unlink()
    assert seen["total"] == 8 and sent == 8
    assert seen["peak"] == 2  # never more than the cap, and the cap is used
