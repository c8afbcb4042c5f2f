"""What the companion plugin (1.2.0+) tells about a post, to users who may edit it only: the edit lock,
the site's clock, whether a revision of the post as it is now exists, and the status as stored after
every hook of a save. Against the real test site, over REST and XML-RPC; PHP is the oracle.
"""

from __future__ import annotations

import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
import requests

from wp_seo_bridge.errors import StatusChangedOnSave, WriteRefused
from wp_seo_bridge.wordpress import COMPANION_BRIDGE_FIELDS_VERSION, EditLock, Post, PostUpdate
from wp_seo_bridge.wordpress.models import COMPANION_VERSION

TRANSPORTS = ["rest", "xmlrpc"]

#: Publishes every post saved through the REST API or XML-RPC after the save itself, as some plugins do.
PUBLISH_AFTER_SAVE = """<?php
$publish = function ($post_id) {
    if (get_post_status($post_id) !== 'publish') {
        wp_update_post(array('ID' => $post_id, 'post_status' => 'publish'));
    }
};
add_action('rest_after_insert_post', function ($post) use ($publish) { $publish($post->ID); });
add_action('wp_after_insert_post', function ($post_id, $post, $update) use ($publish) {
    if ($update && defined('XMLRPC_REQUEST') && XMLRPC_REQUEST) {
        $publish($post_id);
    }
}, 10, 3);
"""


@pytest.fixture(scope="module")
def contributor(wordpress):
    """A contributor with an application password: may edit only their own drafts."""
    login = f"contrib-{secrets.token_hex(3)}"
    return wordpress.php_json(f"""
        $id = wp_insert_user(array('user_login' => '{login}', 'user_pass' => wp_generate_password(24, false),
                                   'user_email' => '{login}@example.org', 'role' => 'contributor'));
        $created = WP_Application_Passwords::create_new_application_password($id, array('name' => 'tests'));
        echo json_encode(array('id' => $id, 'login' => '{login}', 'password' => $created[0]));
    """)


def lock(wordpress, post_id: int, user_id: int, seconds_ago: int = 0) -> int:
    """Set the post's edit lock as the editor screen does; returns its time."""
    return wordpress.php_json(
        f"$t = time() - {seconds_ago}; update_post_meta({post_id}, '_edit_lock', $t . ':{user_id}'); echo json_encode($t);"
    )


def test_the_python_side_knows_the_companion_version_that_tells_the_fields(wordpress):
    source = (wordpress.mu_plugins / "wp-seo-bridge-companion.php").read_text(encoding="utf-8")
    assert f"Version: {COMPANION_VERSION}" in source
    assert f"'WP_SEO_BRIDGE_COMPANION_VERSION', '{COMPANION_VERSION}'" in source
    assert tuple(map(int, COMPANION_BRIDGE_FIELDS_VERSION.split("."))) <= tuple(map(int, COMPANION_VERSION.split(".")))


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_an_editor_sees_the_edit_lock_and_the_sites_clock(wordpress, make_site, transport):
    post_id = wordpress.create_post(post_title="Verrouillé", post_author=wordpress.admin_id)
    locked_at = lock(wordpress, post_id, wordpress.admin_id, seconds_ago=30)
    unlocked_id = wordpress.create_post(post_title="Libre")
    with make_site(transport=transport) as site:
        post = site.get_post(post_id)
        listed = {p.id: p for p in site.list_drafts() if p.id in (post_id, unlocked_id)}
        free = site.get_post(unlocked_id)
    assert post.bridge_fields is True
    assert post.edit_lock == EditLock(user=wordpress.admin_id, at=datetime.fromtimestamp(locked_at, timezone.utc))
    assert post.server_now is not None and abs(post.server_now - datetime.now(timezone.utc)) < timedelta(seconds=60)
    assert post.edit_lock.held(post.server_now) and not post.edit_lock.held(post.server_now + timedelta(seconds=121))
    assert listed[post_id].edit_lock == post.edit_lock and listed[post_id].bridge_fields
    assert listed[unlocked_id].edit_lock is None and listed[unlocked_id].bridge_fields
    assert free.bridge_fields and free.edit_lock is None


def test_a_lock_without_user_names_the_last_editor_as_wordpress_does(wordpress, make_site):
    post_id = wordpress.create_post(post_title="Verrou ancien")
    wordpress.php(f"update_post_meta({post_id}, '_edit_lock', (string) time());"
                  f" update_post_meta({post_id}, '_edit_last', {wordpress.admin_id});")
    with make_site() as site:
        assert site.get_post(post_id).edit_lock.user == wordpress.admin_id


def test_the_fields_are_hidden_from_whoever_may_not_edit_the_post(wordpress, contributor):
    """A contributor reads the editor's published post (they may read it, not edit it): no lock, nothing."""
    post_id = wordpress.create_post(post_title="Publié", post_status="publish")
    lock(wordpress, post_id, wordpress.editor_id)
    own_id = wordpress.create_post(post_title="Le mien", post_author=contributor["id"])
    lock(wordpress, own_id, wordpress.editor_id)
    url = f"{wordpress.url}/wp-json/wp/v2/posts"
    auth = (contributor["login"], contributor["password"])
    for params in ({}, {"_fields": "id,wp_seo_bridge"}):
        seen = requests.get(f"{url}/{post_id}", params=params, auth=auth, timeout=20)
        assert seen.status_code == 200 and seen.json()["id"] == post_id
        assert "wp_seo_bridge" not in seen.json()
        anonymous = requests.get(f"{url}/{post_id}", params=params, timeout=20)
        assert anonymous.status_code == 200 and "wp_seo_bridge" not in anonymous.json()
    listing = requests.get(url, params={"include": post_id, "_fields": "id,wp_seo_bridge"}, auth=auth, timeout=20)
    assert listing.json() and all("wp_seo_bridge" not in item for item in listing.json())
    # Their own draft they may edit: they see its lock.
    own = requests.get(f"{url}/{own_id}", params={"context": "edit", "_fields": "id,wp_seo_bridge"}, auth=auth, timeout=20)
    assert own.json()["wp_seo_bridge"]["edit_lock"]["user"] == wordpress.editor_id


def test_the_xmlrpc_fields_are_hidden_from_whoever_may_not_edit_the_post(wordpress, make_site, contributor):
    post_id = wordpress.create_post(post_title="Le mien aussi", post_author=contributor["id"])
    other_id = wordpress.create_post(post_title="Pas le mien", post_status="publish")
    lock(wordpress, post_id, wordpress.editor_id)
    with make_site(transport="xmlrpc", username=contributor["login"], password=contributor["password"]) as site:
        own = site.transport._call("wp.getPost", post_id, ["post"])
        others = site.transport._call("wp.getPosts", {"post_type": "post", "post_status": "publish", "number": 100},
                                      ["post"])
    assert own["wp_seo_bridge"]["edit_lock"]["user"] == wordpress.editor_id
    assert all("wp_seo_bridge" not in item for item in others if int(item["post_id"]) == other_id)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_revision_current_tells_whether_wordpress_keeps_the_post_as_it_is(wordpress, make_site, transport):
    post_id = wordpress.create_post(post_title="Jamais enregistré", post_content="<p>Premier jet.</p>")
    with make_site(transport=transport) as site:
        fresh = site.get_post(post_id)
        assert fresh.revision_current is False  # created, never updated: no revision of its text
        kept = site.keep_revision(fresh)
        assert kept.revision_current is True and site.get_post(post_id).revision_current is True
        assert wordpress.php_json(f"echo json_encode(count(wp_get_post_revisions({post_id})));") == 1
        # An edit saved in WordPress makes a revision of the new text...
        wordpress.php(f"wp_update_post(array('ID' => {post_id}, 'post_content' => '<p>Corrigé.</p>'));")
        assert site.get_post(post_id).revision_current is True
        # ...a change behind WordPress's back (a plugin writing the table) does not.
        wordpress.php(f"global $wpdb; $wpdb->update($wpdb->posts, array('post_excerpt' => 'Ajouté'), array('ID' => {post_id}));"
                      f" clean_post_cache({post_id});")
        assert site.get_post(post_id).revision_current is False


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_keep_revision_saves_nothing_when_a_revision_of_the_post_exists(wordpress, make_site, transport):
    post_id = wordpress.create_post(post_title="Déjà révisé", post_content="<p>Texte.</p>")
    wordpress.php(f"wp_update_post(array('ID' => {post_id}, 'post_content' => '<p>Texte revu.</p>'));")
    modified = wordpress.php(f"echo get_post({post_id})->post_modified_gmt;")
    with make_site(transport=transport) as site:
        # A site's first save tells whether a plugin changes statuses on save; it is made whatever the revisions.
        site.keep_revision(site.get_post(wordpress.create_post(post_title="Premier de la série")))
        post = site.get_post(post_id)
        assert post.revision_current is True
        before = site.requests_sent
        kept = site.keep_revision(post)
        assert site.requests_sent - before == 1  # the re-read only
    assert kept.content == "<p>Texte revu.</p>"
    assert wordpress.php(f"echo get_post({post_id})->post_modified_gmt;") == modified
    assert wordpress.php_json(f"echo json_encode(count(wp_get_post_revisions({post_id})));") == 1


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_the_answer_to_a_write_tells_the_status_a_plugin_set_after_the_save(wordpress, make_site, transport):
    post_id = wordpress.create_post(post_title="Publiée après coup", post_content="<p>Texte.</p>")
    with make_site(transport=transport) as site:
        site.prepare()
        post = site.get_post(post_id)
        with wordpress.mu_plugin("publish-after-save", PUBLISH_AFTER_SAVE):
            stored = site.transport.write_post(post, PostUpdate(title="Réécrite"))
        assert stored.bridge_fields and stored.status == "publish"
    wordpress.php(f"wp_update_post(array('ID' => {post_id}, 'post_status' => 'draft'));")
    with make_site(transport=transport) as site:
        site.prepare()
        post = site.get_post(post_id)
        with wordpress.mu_plugin("publish-after-save", PUBLISH_AFTER_SAVE):
            before = site.requests_sent
            with pytest.raises(StatusChangedOnSave) as raised:
                site.update_post(post, PostUpdate(title="Réécrite encore"))
            sent = site.requests_sent - before
    assert raised.value.after == "publish" and raised.value.written
    # The re-read and the write; the write's answer is its own verification (XML-RPC reads the post back).
    assert sent == (2 if transport == "rest" else 3)
    assert wordpress.php(f"echo get_post_status({post_id});") == "publish"


def test_without_the_new_fields_a_write_is_verified_by_reading_the_post_again(wordpress, make_site):
    """An older companion plugin (no `wp_seo_bridge` field): today's re-read still catches the status change."""
    post_id = wordpress.create_post(post_title="Ancien compagnon", post_content="<p>Texte.</p>")
    hide = "<?php add_action('rest_api_init', function () { global $wp_rest_additional_fields; " \
           "unset($wp_rest_additional_fields['post']['wp_seo_bridge']); }, 99);"
    with wordpress.mu_plugin("zz-old-companion", hide), wordpress.mu_plugin("publish-after-save", PUBLISH_AFTER_SAVE):
        with make_site() as site:
            post = site.get_post(post_id)
            assert not post.bridge_fields and post.revision_current is None and post.edit_lock is None
            with pytest.raises(StatusChangedOnSave) as raised:
                site.update_post(post, PostUpdate(title="Réécrite"))
    assert raised.value.after == "publish" and raised.value.written


def test_a_post_built_without_the_fields_says_so():
    post = Post(id=1, type="post", status="draft", title="", content="", excerpt="", slug="",
                modified_gmt=datetime.fromtimestamp(time.time(), timezone.utc))
    assert (post.bridge_fields, post.edit_lock, post.server_now, post.revision_current) == (False, None, None, None)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_site_that_changes_statuses_on_save_is_noticed_on_its_first_post_and_saved_no_more(
    wordpress, make_site, transport
):
    """Even when WordPress keeps a revision of the post (no save needed for that), the site's first post
    is saved unchanged before anything is written; once the site published a post, nothing more is saved."""
    first, second = (wordpress.create_post(post_title=f"Brouillon {n}", post_content="<p>Texte.</p>") for n in (1, 2))
    for post_id in (first, second):
        wordpress.php(f"wp_update_post(array('ID' => {post_id}, 'post_content' => '<p>Texte revu.</p>'));")
    with make_site(transport=transport) as site:
        posts = [site.get_post(first), site.get_post(second)]
        assert all(post.revision_current for post in posts)
        with wordpress.mu_plugin("publish-after-save", PUBLISH_AFTER_SAVE):
            with pytest.raises(StatusChangedOnSave) as raised:
                site.keep_revision(posts[0])
            assert not raised.value.written and raised.value.after == "publish"
            with pytest.raises(WriteRefused, match="saves nothing more on this site"):
                base = site.keep_revision(posts[1])
                site.update_post(base, PostUpdate(title="Réécrit"))
    assert wordpress.php(f"echo get_post_status({second}) . ' ' . get_post({second})->post_title;") == "draft Brouillon 2"


def test_threads_make_a_sites_first_save_one_at_a_time(wordpress, make_site):
    """Four workers start together on a site that publishes on save: one draft is published by the first
    save, the three others are never saved."""
    ids = [wordpress.create_post(post_title=f"Parallèle {n}", post_content="<p>Texte.</p>") for n in range(4)]
    with make_site() as site:
        posts = [site.get_post(post_id) for post_id in ids]
        start = threading.Barrier(4)

        def keep(post: Post) -> str:
            start.wait()
            try:
                site.keep_revision(post)
            except (StatusChangedOnSave, WriteRefused) as exc:
                return type(exc).__name__
            return "saved"

        with wordpress.mu_plugin("publish-after-save", PUBLISH_AFTER_SAVE), ThreadPoolExecutor(4) as pool:
            outcomes = sorted(pool.map(keep, posts))
    assert outcomes == ["StatusChangedOnSave"] + ["WriteRefused"] * 3
    statuses = wordpress.php_json(f"echo json_encode(array_map('get_post_status', {ids!r}));".replace("[", "array(").replace("]", ")"))
    assert sorted(statuses) == ["draft", "draft", "draft", "publish"]
