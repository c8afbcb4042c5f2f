"""Leaving the block editor after a save (over HTTP, as the block editor's own requests make it).

With the companion's box on the screen, each save in the block editor also posts the meta boxes' form to
post.php, which would renew the post's edit lock behind the page's back, so that the page's release of its
lock on leaving finds another lock and WordPress keeps the post locked (and the bridge away) for 150 s. The
companion keeps the lock as the page knows it, and tells the bridge again of a post it was told of and has not
handled yet once the editor leaves it. tests/test_editor_browser.py shows the same in a real browser.
"""

from __future__ import annotations

import html
import json
import re
import time

import pytest

from tests.support.notify_receiver import Receiver
from tests.support.notify_wordpress import notify_config, post_ids
from tests.support.wp_admin import admin_session, admin_url, edit_screen, hidden_fields

pytestmark = pytest.mark.wordpress


def lock_of(wordpress, post_id: int) -> str:
    return wordpress.php(f"echo get_post_meta({post_id}, '_edit_lock', true);").strip()


def open_in_editor(wordpress, session, post_id: int) -> tuple[str, dict[str, str]]:
    """The edit screen as the block editor loads it: the page's lock, and its form's fields."""
    page = edit_screen(session, wordpress, post_id)
    assert page.status_code == 200, page.text[:500]
    return lock_of(wordpress, post_id), {**hidden_fields(page.text), "_meta_box_url": meta_box_url(page.text)}


def meta_box_url(page: str) -> str:
    found = re.search(r"_wpMetaBoxUrl\s*=\s*(\"[^\"]+\")", page)
    assert found, "the edit screen has no meta-box form URL (window._wpMetaBoxUrl)"
    return html.unescape(json.loads(found.group(1)))


def release(wordpress, session, post_id: int, fields: dict[str, str], lock: str, expect: int = 200) -> None:
    """What the block editor sends on leaving: wp-remove-post-lock for the lock it knows."""
    answer = session.post(admin_url(wordpress, "admin-ajax.php"), data={
        "action": "wp-remove-post-lock", "_wpnonce": fields["_wpnonce"], "post_ID": str(post_id),
        "active_post_lock": lock,
    }, timeout=20)
    assert answer.status_code == expect, answer.text


def test_saving_the_boxes_keeps_the_lock_the_page_knows_so_leaving_releases_it(wordpress):
    session = admin_session(wordpress, "editor")
    post_id = wordpress.create_post(post_title="Verrou", post_content="<p>Texte.</p>", post_author=session.user_id)
    lock, fields = open_in_editor(wordpress, session, post_id)
    time.sleep(1.1)  # a renewed lock would carry a later second
    form = {k: v for k, v in fields.items() if k != "_meta_box_url"}
    saved = session.post(fields["_meta_box_url"], data={**form, "action": "editpost", "wp_seo_bridge_request": "skip"},
                         timeout=30)
    assert saved.status_code == 200, saved.text[:500]  # the redirect to the edit screen, followed
    assert wordpress.php(f"echo get_post_meta({post_id}, '_wp_seo_bridge_request', true);").strip() == "skip"
    assert lock_of(wordpress, post_id) == lock
    release(wordpress, session, post_id, fields, lock)
    at, user = lock_of(wordpress, post_id).split(":")
    assert user == str(session.user_id) and int(at) < int(lock.split(":")[0]) - 140  # released


def test_leaving_a_post_the_bridge_was_told_of_tells_it_again_and_only_that(wordpress):
    session = admin_session(wordpress, "editor")
    told, handled, other = (
        wordpress.create_post(post_title=title, post_content="<p>Texte.</p>", post_author=session.user_id)
        for title in ("Signalé", "Déjà traité", "Jamais signalé")
    )
    now = int(wordpress.php("echo time();"))
    wordpress.php(
        f"update_post_meta({told}, '_wp_seo_bridge_notified', {now});"
        f" update_post_meta({handled}, '_wp_seo_bridge_notified', {now - 60});"
        f" update_post_meta({handled}, '_wp_seo_bridge_record', wp_slash(json_encode(array('action' => 'rewrite',"
        f" 'status' => 'done', 'at' => gmdate('c', {now})))));"
    )
    with Receiver() as receiver, notify_config(wordpress, receiver.url):
        for post_id in (handled, other, told):
            lock, fields = open_in_editor(wordpress, session, post_id)
            if post_id == told:
                release(wordpress, session, post_id, {**fields, "_wpnonce": "0123456789"}, lock, expect=403)  # forged
            release(wordpress, session, post_id, fields, lock)
        got = receiver.wait_for(1, timeout=5)
        time.sleep(0.5)  # nothing more comes
        assert post_ids(receiver.snapshot()) == [told], got


def test_only_the_editors_own_meta_box_save_leaves_the_lock_alone(wordpress):
    """The lock is what tells the bridge a post is open in an editor: an address carrying the markers of the
    meta-box save (typed, linked, or on a request that is not that save) does not keep the post from being
    locked, nor keeps a lock that has expired."""
    session = admin_session(wordpress, "editor")
    post_id = wordpress.create_post(post_title="Verrou forgé", post_content="<p>Texte.</p>", post_author=session.user_id)
    _, fields = open_in_editor(wordpress, session, post_id)
    for marked in (admin_url(wordpress, f"post.php?post={post_id}&action=edit&wp-seo-bridge-boxes-saved=1"),
                   fields["_meta_box_url"]):  # the meta-box form's address, loaded (GET) rather than posted
        wordpress.php(f"delete_post_meta({post_id}, '_edit_lock');")
        page = session.get(marked, timeout=30)
        assert page.status_code == 200, page.text[:300]
        at, user = lock_of(wordpress, post_id).split(":")  # locked as any opening locks it
        assert user == str(session.user_id) and int(at) >= time.time() - 30, marked
    # The real meta-box save, but the editor's lock has expired (the page was left open, asleep): renewed.
    lock, fields = open_in_editor(wordpress, session, post_id)
    stale = f"{int(lock.split(':')[0]) - 600}:{session.user_id}"
    wordpress.php(f"update_post_meta({post_id}, '_edit_lock', '{stale}');")
    form = {k: v for k, v in fields.items() if k != "_meta_box_url"}
    saved = session.post(fields["_meta_box_url"], data={**form, "action": "editpost"}, timeout=30)
    assert saved.status_code == 200, saved.text[:500]
    at, user = lock_of(wordpress, post_id).split(":")
    assert user == str(session.user_id) and int(at) >= time.time() - 30
