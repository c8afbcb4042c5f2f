"""What the companion plugin sends the bridge when a draft is saved, against the real test WordPress.

A capturing server on loopback stands for the bridge's receiver (tests/support/notify_receiver.py);
the site's constants are set through an mu-plugin as wp-config.php would. Negative cases end with a
control (a plain save that is notified), so that each fails when notifications are not sent at all.
"""

from __future__ import annotations

import html
import json
import re
import time

import pytest
import requests

from tests.support.notify_receiver import Receiver
from tests.support.notify_wordpress import (
    SECRET,
    make_user,
    notified_at,
    notify_config,
    post_ids,
    rest,
    signature_ok,
)
from wp_seo_bridge.wordpress import PostUpdate

pytestmark = pytest.mark.wordpress


@pytest.fixture(scope="module")
def author(wordpress):
    return make_user(wordpress, "author")


@pytest.fixture(scope="module")
def editor(wordpress):
    return make_user(wordpress, "editor")


@pytest.fixture(scope="module")
def module_receiver():
    with Receiver() as receiver:
        yield receiver


@pytest.fixture
def receiver(module_receiver):
    module_receiver.clear()
    yield module_receiver
    module_receiver.clear()


@pytest.fixture
def notifying(wordpress, receiver):
    """The site notifying the capturing receiver for the duration of the test."""
    with notify_config(wordpress, receiver.url):
        yield receiver


def new_draft(wordpress, user, status="draft", **fields):
    response = rest(wordpress, user, "POST", "posts", json={"title": "Brouillon", "content": "<p>Texte.</p>",
                                                            "status": status, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def control(wordpress, user, receiver, post_id, before):
    """A plain save of ``post_id`` by ``user``: exactly one notification more, for that post."""
    response = rest(wordpress, user, "POST", f"posts/{post_id}", json={"content": f"<p>Contrôle {time.time()}</p>"})
    assert response.status_code == 200, response.text
    got = receiver.wait_for(before + 1)
    assert post_ids(got[before:]) == [post_id]


def test_a_draft_saved_by_an_author_sends_one_signed_notification(wordpress, author, notifying):
    sent_after = int(time.time()) - 1
    post = new_draft(wordpress, author)
    got = notifying.wait_for(1)
    time.sleep(0.3)
    assert len(notifying.snapshot()) == 1, "one notification for one save"
    note = got[0]
    home = wordpress.php("echo home_url();").strip()
    assert note.method == "POST" and note.path == "/notify"
    expected = {"site": home, "post_id": post["id"], "event": "saved", "modified_gmt": post["modified_gmt"]}
    assert json.loads(note.body) == expected
    assert note.body == json.dumps(expected, separators=(",", ":")).encode(), "compact JSON, nothing else"
    assert note.headers["content-type"] == "application/json"
    timestamp = int(note.headers["x-wp-seo-bridge-timestamp"])
    assert sent_after <= timestamp <= time.time() + 1
    assert note.headers["x-wp-seo-bridge-signature"].startswith("sha256=")
    assert signature_ok(note)
    assert not signature_ok(note, secret=SECRET + "x")
    assert SECRET not in note.body.decode() and SECRET not in json.dumps(note.headers)
    # The bridge answered 202: the post is marked as notified (the "queued" state of the editors' box).
    assert sent_after <= int(notified_at(wordpress, post["id"])) <= time.time() + 1

    # An update (which also stores a revision of the draft) is one notification more, for the post itself.
    response = rest(wordpress, author, "POST", f"posts/{post['id']}", json={"title": "Brouillon revu"})
    assert response.status_code == 200
    got = notifying.wait_for(2)
    time.sleep(0.3)
    assert post_ids(notifying.snapshot()) == [post["id"], post["id"]]
    assert json.loads(got[1].body)["modified_gmt"] == response.json()["modified_gmt"] and signature_ok(got[1])
    revisions = rest(wordpress, author, "GET", f"posts/{post['id']}/revisions").json()
    assert revisions, "the update stored a revision, which was not notified"


def test_a_pending_post_is_notified(wordpress, author, notifying):
    post = new_draft(wordpress, author, status="pending")
    got = notifying.wait_for(1)
    assert post_ids(got) == [post["id"]] and signature_ok(got[0])


def test_autosaves_are_not_notified(wordpress, author, editor, notifying):
    post = new_draft(wordpress, author)
    start = len(notifying.wait_for(1))
    # The author's autosave of their own draft overwrites the draft itself (DOING_AUTOSAVE)...
    saved = rest(wordpress, author, "POST", f"posts/{post['id']}/autosaves", json={"title": "Autosauvé",
                                                                                  "content": "<p>Auto.</p>"})
    assert saved.status_code == 200, saved.text
    assert rest(wordpress, author, "GET", f"posts/{post['id']}", params={"context": "edit"}).json()["title"]["raw"] == "Autosauvé"
    # ...another user's autosave is stored as an autosave revision.
    other = rest(wordpress, editor, "POST", f"posts/{post['id']}/autosaves", json={"content": "<p>Autre.</p>"})
    assert other.status_code == 200 and other.json()["id"] != post["id"]
    time.sleep(0.5)
    assert len(notifying.snapshot()) == start
    control(wordpress, author, notifying, post["id"], start)


def test_a_published_post_is_not_notified(wordpress, author, notifying):
    published = new_draft(wordpress, author, status="publish")
    time.sleep(0.5)
    assert notifying.snapshot() == []
    draft = new_draft(wordpress, author)
    assert post_ids(notifying.wait_for(1)) == [draft["id"]]
    # Published later: no notification for that save.
    assert rest(wordpress, author, "POST", f"posts/{draft['id']}", json={"status": "publish"}).status_code == 200
    time.sleep(0.5)
    assert post_ids(notifying.snapshot()) == [draft["id"]] and published["id"] != draft["id"]


def test_spaces_around_the_secret_in_wp_config_are_ignored_as_the_bridge_ignores_them(wordpress, author, receiver):
    with notify_config(wordpress, receiver.url, secret=f"  {SECRET} "):
        draft = new_draft(wordpress, author)
        got = receiver.wait_for(1)
    assert post_ids(got) == [draft["id"]]
    assert signature_ok(got[0]), "signed with the secret as the bridge reads it (stripped)"


def test_only_the_configured_post_types_are_notified(wordpress, editor, receiver):
    with notify_config(wordpress, receiver.url):
        page = rest(wordpress, editor, "POST", "pages", json={"title": "Page", "status": "draft"})
        assert page.status_code == 201, page.text
        time.sleep(0.5)
        assert receiver.snapshot() == [], "pages are not notified by default"
        draft = new_draft(wordpress, editor)
        assert post_ids(receiver.wait_for(1)) == [draft["id"]]
    receiver.clear()
    with notify_config(wordpress, receiver.url, post_types=" post, page "):
        assert rest(wordpress, editor, "POST", f"pages/{page.json()['id']}", json={"title": "Page revue"}).status_code == 200
        assert post_ids(receiver.wait_for(1)) == [page.json()["id"]]
    receiver.clear()
    with notify_config(wordpress, receiver.url, post_types="page"):
        new_draft(wordpress, editor)
        time.sleep(0.5)
        assert receiver.snapshot() == [], "posts are not notified when the list names pages only"


@pytest.mark.parametrize("transport", ["rest", "xmlrpc"])
def test_the_bridges_own_writes_are_not_notified(wordpress, make_site, notifying, transport):
    post_id = wordpress.create_post(post_title="Écrit par le pont")  # a CLI save: notified, like any other
    start = len(notifying.wait_for(1))
    with make_site(transport=transport) as site:
        post = site.get_post(post_id)
        kept = site.keep_revision(post)
        site.update_post(kept, PostUpdate(title="Réécrit par le pont", content="<p>Réécrit.</p>"))
        assert site.get_post(post_id).title == "Réécrit par le pont"
    time.sleep(0.5)
    assert len(notifying.snapshot()) == start, "the bridge's own saves send nothing"
    # Any request with the header is the bridge's; the same save without it is a person's.
    user = {"login": wordpress.editor_user, "app": wordpress.editor_app_password}
    assert rest(wordpress, user, "POST", f"posts/{post_id}", json={"title": "Entête"}, bridge_header=True).status_code == 200
    time.sleep(0.5)
    assert len(notifying.snapshot()) == start
    control(wordpress, user, notifying, post_id, start)


@pytest.mark.parametrize("config", [
    {"url": None, "secret": None},
    {"url": "RECEIVER", "secret": None},
    {"url": "RECEIVER", "secret": ""},
    {"url": "", "secret": SECRET},
], ids=["no constants", "no secret", "empty secret", "empty url"])
def test_notifications_are_off_unless_both_constants_are_set(wordpress, author, receiver, config):
    url = receiver.url if config["url"] == "RECEIVER" else config["url"]
    with notify_config(wordpress, url, secret=config["secret"]):
        post = new_draft(wordpress, author)
        time.sleep(0.5)
        assert receiver.snapshot() == []
    with notify_config(wordpress, receiver.url):
        control(wordpress, author, receiver, post["id"], 0)


def test_one_notification_per_post_per_request(wordpress, notifying):
    """Posts saved several times in one request (one PHP process) are sent once each, at its end."""
    first = wordpress.create_post(post_title="Un")
    assert post_ids(notifying.wait_for(1)) == [first]
    notifying.clear()
    created = wordpress.php_json(f"""
        wp_set_current_user({wordpress.editor_id});
        wp_update_post(array('ID' => {first}, 'post_title' => 'Un, revu'));
        wp_update_post(array('ID' => {first}, 'post_content' => 'Encore'));
        $second = wp_insert_post(array('post_title' => 'Deux', 'post_status' => 'pending'));
        wp_update_post(array('ID' => $second, 'post_title' => 'Deux, revu'));
        $gone = wp_insert_post(array('post_title' => 'Publié dans la foulée', 'post_status' => 'draft'));
        wp_update_post(array('ID' => $gone, 'post_status' => 'publish'));
        echo json_encode(array($second, $gone));
    """)
    got = notifying.wait_for(2)
    time.sleep(0.3)
    assert sorted(post_ids(notifying.snapshot())) == sorted([first, created[0]])
    assert all(signature_ok(note) for note in got)


def test_a_draft_saved_in_the_classic_editor_is_notified(wordpress, author, notifying):
    """The classic editor's form (wp-admin/post.php) as a logged-in author submits it: one notification."""
    post = new_draft(wordpress, author)
    notifying.wait_for(1)
    notifying.clear()
    with wordpress.mu_plugin("wp-seo-bridge-test-classic-editor",
                             "add_filter('use_block_editor_for_post', '__return_false');"):
        browser = logged_in(wordpress, author)
        form = browser.get(f"{wordpress.url}/wp-admin/post.php", params={"post": post["id"], "action": "edit"})
        assert form.status_code == 200 and 'id="post"' in form.text, form.text[:500]
        fields = {name: hidden(form.text, name) for name in ("_wpnonce", "user_ID", "post_author", "post_type",
                                                             "original_post_status", "originalaction")}
        saved = browser.post(f"{wordpress.url}/wp-admin/post.php", allow_redirects=False, data={
            **fields, "action": "editpost", "post_ID": str(post["id"]), "post_title": "Classique",
            "content": "<p>Enregistré dans l'éditeur classique.</p>", "save": "Save Draft",
        })
    assert saved.status_code == 302 and "message=" in saved.headers["Location"], saved.text[:500]
    got = notifying.wait_for(1)
    time.sleep(0.3)
    assert post_ids(notifying.snapshot()) == [post["id"]] and signature_ok(got[0])
    stored = rest(wordpress, author, "GET", f"posts/{post['id']}", params={"context": "edit"}).json()
    assert stored["title"]["raw"] == "Classique" and stored["status"] == "draft"
    assert json.loads(got[0].body)["modified_gmt"] == stored["modified_gmt"]


def logged_in(wordpress, user) -> requests.Session:
    """A browser-like session logged in to wp-admin with ``user``'s password (cookies)."""
    browser = requests.Session()
    browser.cookies.set("wordpress_test_cookie", "WP Cookie check")
    answer = browser.post(f"{wordpress.url}/wp-login.php", allow_redirects=False, timeout=30, data={
        "log": user["login"], "pwd": user["password"], "wp-submit": "Log In", "testcookie": "1",
        "redirect_to": f"{wordpress.url}/wp-admin/",
    })
    assert answer.status_code == 302 and any(c.name.startswith("wordpress_logged_in") for c in browser.cookies), answer.text[:300]
    return browser


def hidden(page: str, name: str) -> str:
    """The value of the form field ``name`` (an input) in ``page``."""
    found = re.search(rf'<input[^>]*name=["\']{re.escape(name)}["\'][^>]*>', page)
    assert found, f"no field {name!r} in the edit form"
    value = re.search(r'value=["\']([^"\']*)["\']', found.group(0))
    return html.unescape(value.group(1)) if value else ""
