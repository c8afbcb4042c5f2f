"""What editors see of the bridge in WordPress (companion plugin 1.3.0), over HTTP as a logged-in person sees it:
the "wp-seo-bridge" box on the edit screen, its control saved with the post, the "SEO bridge" column and the
"Needs attention" view of the posts list. The posts are rewritten by a real sync (fake model, real WordPress)."""

from __future__ import annotations

import json
import re

import pytest

from tests.support.factories import settings_for
from tests.support.fake_openai import FakeOpenAI
from tests.support.notify_wordpress import make_user, rest
from tests.support.seed_model import SEED_MODEL_KEY, SeedModel, new_category, seed_text
from tests.support.wp_admin import admin_session, admin_url, edit_screen, hidden_fields, parse, user_with_password
from wp_seo_bridge.record import source_hash
from wp_seo_bridge.sync.options import SyncOptions
from wp_seo_bridge.sync.runner import run_sync

SCRIPT = '<script>document.title = "pwned";</script>'


def save_skip_in_php(wordpress, user_id: int, post_id: int, *, form_post: int | None = None) -> str:
    """The control's save of "Do not rewrite" on ``post_id`` reaching the plugin as ``user_id``, with a nonce of
    that user for that post and the form's ``post_ID`` (default: the post itself); returns the request stored."""
    return wordpress.php(f"""
delete_post_meta({post_id}, '_wp_seo_bridge_request');
wp_set_current_user({user_id});
$_POST['wp_seo_bridge_nonce'] = wp_create_nonce('wp_seo_bridge_request_{post_id}');
$_POST['wp_seo_bridge_request'] = 'skip';
$_POST['post_ID'] = '{form_post if form_post is not None else post_id}';
do_action('save_post', {post_id}, get_post({post_id}), true);
echo get_post_meta({post_id}, '_wp_seo_bridge_request', true);
""")


@pytest.fixture(scope="module")
def synced(wordpress, tmp_path_factory):
    """One sync over three drafts of a category of their own: one rewritten (a script removed from it), one the gate
    refuses (needs attention), and one published afterwards (for the list as others see it)."""
    category = new_category(wordpress)
    ids = {
        "rewritten": wordpress.create_post(post_title="Boîte réécrite", post_content=seed_text(1) + "\n\n" + SCRIPT,
                                           post_category=[category]),
        "attention": wordpress.create_post(post_title="Boîte [attention]", post_content=seed_text(2),
                                           post_category=[category]),
        "published": wordpress.create_post(post_title="Boîte publiée", post_content=seed_text(2),
                                           post_category=[category]),
    }
    with FakeOpenAI(api_key=SEED_MODEL_KEY) as server:
        server.responder = SeedModel()
        settings = settings_for(
            wordpress.url, wordpress.editor_user, wordpress.editor_app_password, seo_plugin="yoast",
            model_base_url=server.base_url, api_key=SEED_MODEL_KEY, model__max_retries=0,
            drafts__categories=[category], sync__min_age_minutes=0,
            journal__path=tmp_path_factory.mktemp("box") / "journal.sqlite3",
        )
        (result,) = run_sync(settings, SyncOptions(concurrency=3))
    outcomes = {p.id: p.outcome for p in result.posts}
    assert outcomes == {ids["rewritten"]: "rewritten", ids["attention"]: "needs_attention",
                        ids["published"]: "rewritten"}, result.posts
    wordpress.php(f"wp_publish_post({ids['published']});")
    return ids


def record_of(wordpress, post_id: int) -> dict:
    return json.loads(wordpress.php(f"echo get_post_meta({post_id}, '_wp_seo_bridge_record', true);"))


def box(html: str):
    return parse(html).css_first("#wp-seo-bridge")


@pytest.fixture(scope="module")
def editor(wordpress):
    return admin_session(wordpress, "editor")


def test_an_editor_sees_the_record_of_a_rewritten_post(wordpress, synced, editor):
    post_id = synced["rewritten"]
    record = record_of(wordpress, post_id)
    answer = edit_screen(editor, wordpress, post_id)
    assert answer.status_code == 200
    found = box(answer.text)
    assert found is not None, "no wp-seo-bridge box on the edit screen"
    text = found.text(separator=" ")
    assert found.css_first(".wp-seo-bridge-box").attributes["data-state"] == "rewritten"
    assert "Rewritten" in text and found.css_first(".wp-seo-bridge-model").text() == record["model"]
    # The lights and the words of the record, before and after.
    assert record["before"]["seo"] in ("good", "ok", "bad") and record["after"] == {"seo": "good", "readability": "good"}
    for key in ("seo", "readability"):
        cells = found.css(f"tr.wp-seo-bridge-{key} td .wp-seo-bridge-light")
        assert [c.attributes["class"].split("-")[-1] for c in cells] == [record["before"][key], record["after"][key]]
    words = [c.text() for c in found.css("tr.wp-seo-bridge-words td")]
    assert words == [str(record["words_before"]), str(record["words_after"])] and record["words_after"] > 100
    # What was removed from the draft, in plain words.
    assert record["removed"] == ["1 script"]
    assert [li.text() for li in found.css(".wp-seo-bridge-removed li")] == ["1 script"]
    assert found.css_first(".wp-seo-bridge-reasons") is None


def test_the_revisions_link_compares_the_original_with_the_rewrite(wordpress, synced, editor):
    post_id = synced["rewritten"]
    link = box(edit_screen(editor, wordpress, post_id).text).css_first("a.wp-seo-bridge-compare")
    assert link is not None
    found = re.search(r"revision\.php\?from=(\d+)&(?:amp;|#038;)?to=(\d+)", link.attributes["href"])
    assert found, link.attributes["href"]
    revisions = wordpress.php_json(
        "$r = array(); foreach (array(%s, %s) as $id) { $p = get_post($id); $r[] = array($p->post_parent, $p->post_type,"
        " $p->post_title, $p->post_content, $p->post_excerpt); } echo json_encode($r);" % found.groups()
    )
    (parent_a, type_a, *original), (parent_b, type_b, *rewrite) = revisions
    assert parent_a == parent_b == post_id and type_a == type_b == "revision"
    assert SCRIPT in original[1] and seed_text(1).split("\n")[0] in original[1]  # the draft as the author left it
    current = wordpress.php_json(f"$p = get_post({post_id}); echo json_encode(array($p->post_title, $p->post_content,"
                                 " $p->post_excerpt));")
    assert rewrite == current and SCRIPT not in rewrite[1]
    record = record_of(wordpress, post_id)
    assert source_hash(*original) == record["source_hash"] and source_hash(*rewrite) == record["written_hash"]
    screen = editor.get(link.attributes["href"].replace("&#038;", "&"), timeout=30)
    assert screen.status_code == 200 and "revisions" in screen.text.lower()


def test_a_post_that_needs_attention_shows_the_reasons(wordpress, synced, editor):
    post_id = synced["attention"]
    record = record_of(wordpress, post_id)
    found = box(edit_screen(editor, wordpress, post_id).text)
    assert found.css_first(".wp-seo-bridge-box").attributes["data-state"] == "needs_attention"
    reasons = [li.text() for li in found.css(".wp-seo-bridge-reasons li")]
    assert reasons and reasons == record["reasons"][:30]
    assert [th.text() for th in found.css(".wp-seo-bridge-effect thead th")] == ["", "Before", "Refused rewrite"]
    assert found.css_first("a.wp-seo-bridge-compare") is None
    # "Rewrite again" is offered only for a post the bridge rewrote.
    assert {i.attributes["value"] for i in found.css("input[name=wp_seo_bridge_request]")} == {"", "rewrite", "skip"}


def test_a_record_holding_markup_is_printed_as_text(wordpress, editor):
    hostile = {
        "action": "rewrite", "status": "needs attention", "at": "2026-12-01T10:00:00+00:00",
        "model": "<script>alert('model')</script>", "reasons": ["<img src=x onerror=alert('reason')>"],
        "removed": ["<b onmouseover=alert(1)>1 script</b>"], "before": {"seo": "<i>good</i>", "readability": "bad"},
        "words_before": "<u>12</u>", "words_after": 30,
    }
    post_id = wordpress.create_post(post_title="Record hostile", meta_input={"_wp_seo_bridge_record": json.dumps(hostile)})
    html = edit_screen(editor, wordpress, post_id).text
    start = html.index('id="wp-seo-bridge"')
    part = html[start:html.index("</fieldset>", start)]
    for raw in ("<script>alert('model')", "<img src=x", "<b onmouseover", "<i>good", "<u>12"):
        assert raw not in part
    assert "&lt;script&gt;alert(&#039;model&#039;)&lt;/script&gt;" in part
    assert "&lt;img src=x onerror=alert(&#039;reason&#039;)&gt;" in part
    found = box(html)
    assert [c.attributes["class"] for c in found.css("tr.wp-seo-bridge-seo td .wp-seo-bridge-light")][0] == (
        "wp-seo-bridge-light")  # an unknown light prints as a dash
    assert [c.text() for c in found.css("tr.wp-seo-bridge-words td")] == ["—", "30"]


@pytest.mark.parametrize("role", ["contributor", "author"])
def test_someone_who_may_not_edit_the_post_sees_nothing_of_the_record(wordpress, synced, role):
    session = admin_session(wordpress, role)
    answer = edit_screen(session, wordpress, synced["attention"])
    assert 'id="wp-seo-bridge"' not in answer.text and "wp_seo_bridge_nonce" not in answer.text
    record = record_of(wordpress, synced["attention"])
    assert record["reasons"][0] not in answer.text
    # In the list, the published post (the editor's, rewritten) shows, without its status; their own draft shows its own.
    own = wordpress.create_post(post_title=f"Brouillon de {role}", post_author=session.user_id)
    listing = session.get(admin_url(wordpress, "edit.php?post_type=post&all_posts=1&posts_per_page=200"), timeout=30).text
    rows = {int(r.attributes["id"].split("-")[1]): r for r in parse(listing).css("tr[id^=post-]")}
    assert synced["published"] in rows and own in rows
    assert rows[synced["published"]].css_first(".wp-seo-bridge-column") is None
    assert rows[own].css_first(".wp-seo-bridge-column").attributes["data-state"] == "never"
    # The "Needs attention" view counts and lists only their own posts.
    view = parse(listing).css_first(".subsubsub .wp_seo_bridge_attention a")
    assert view.text().strip() == "Needs attention (0)"
    filtered = session.get(view.attributes["href"].replace("&#038;", "&") + "&all_posts=1", timeout=30).text
    assert not parse(filtered).css("tr[id^=post-]")


def test_the_column_and_the_needs_attention_view(wordpress, synced, editor):
    listing = editor.get(admin_url(wordpress, "edit.php?post_type=post&posts_per_page=200"), timeout=30).text
    tree = parse(listing)
    assert tree.css_first("th#wp_seo_bridge").text().strip() == "SEO bridge"
    states = {int(r.attributes["id"].split("-")[1]): r.css_first(".wp-seo-bridge-column").attributes["data-state"]
              for r in tree.css("tr[id^=post-]")}
    assert states[synced["rewritten"]] == "rewritten" and states[synced["attention"]] == "needs_attention"
    cell = tree.css_first(f"tr#post-{synced['rewritten']} td.column-wp_seo_bridge")
    assert " ".join(cell.text(separator=" ").split()) == "Rewritten SEO: good · Readability: good"  # each light named
    expected = wordpress.php_json(
        "echo json_encode(get_posts(array('post_type' => 'post', 'post_status' => array('draft', 'pending'), "
        "'meta_key' => '_wp_seo_bridge_state', 'meta_value' => 'needs_attention', 'fields' => 'ids', "
        "'numberposts' => -1)));"
    )
    assert synced["attention"] in expected and synced["rewritten"] not in expected
    view = tree.css_first(".subsubsub .wp_seo_bridge_attention a")
    assert view is not None and view.text().strip() == f"Needs attention ({len(expected)})"
    filtered = parse(editor.get(view.attributes["href"].replace("&#038;", "&") + "&posts_per_page=200", timeout=30).text)
    listed = {int(r.attributes["id"].split("-")[1]) for r in filtered.css("tr[id^=post-]")}
    assert listed == set(expected)


def form_for(session, wordpress, post_id: int, choice: str) -> dict[str, str]:
    """What saving the edit screen posts (classic form: action=editpost and its nonces) with ``choice`` in the box."""
    fields = hidden_fields(edit_screen(session, wordpress, post_id).text)
    data = {name: fields[name] for name in ("_wpnonce", "action", "post_ID", "post_type", "user_ID",
                                             "wp_seo_bridge_nonce") if name in fields}
    assert data.get("action") == "editpost" and data.get("wp_seo_bridge_nonce")
    return {**data, "wp_seo_bridge_request": choice}


def request_of(wordpress, post_id: int) -> str:
    return wordpress.php(f"echo get_post_meta({post_id}, '_wp_seo_bridge_request', true);")


def save(session, wordpress, data: dict[str, str]):
    answer = session.post(admin_url(wordpress, "post.php"), data=data, allow_redirects=False, timeout=30)
    assert answer.status_code in (200, 302), answer.text[:500]
    return answer


def test_the_control_is_saved_with_the_post(wordpress, synced, editor):
    post_id = wordpress.create_post(post_title="Contrôle")
    save(editor, wordpress, form_for(editor, wordpress, post_id, "skip"))
    assert request_of(wordpress, post_id) == "skip"
    save(editor, wordpress, form_for(editor, wordpress, post_id, "rewrite"))
    assert request_of(wordpress, post_id) == "rewrite"
    save(editor, wordpress, form_for(editor, wordpress, post_id, ""))
    assert request_of(wordpress, post_id) == ""
    # "Rewrite again" on the rewritten post: a time; saving again keeps the first request.
    rewritten = synced["rewritten"]
    save(editor, wordpress, form_for(editor, wordpress, rewritten, "again"))
    first = request_of(wordpress, rewritten)
    assert re.fullmatch(r"again:\d{10}", first)
    found = box(edit_screen(editor, wordpress, rewritten).text)
    assert found.css_first(".wp-seo-bridge-box").attributes["data-state"] == "queued"
    assert found.css_first("input[value=again]").attributes.get("checked") is not None
    save(editor, wordpress, form_for(editor, wordpress, rewritten, "again"))
    assert request_of(wordpress, rewritten) == first
    save(editor, wordpress, form_for(editor, wordpress, rewritten, ""))
    wordpress.php(f"delete_post_meta({rewritten}, '_edit_lock');")


def test_a_wrong_nonce_or_a_user_who_may_not_edit_stores_nothing(wordpress, synced, editor):
    post_id = wordpress.create_post(post_title="Contrôle refusé")
    data = form_for(editor, wordpress, post_id, "skip")
    save(editor, wordpress, {**data, "wp_seo_bridge_nonce": "0123456789"})
    assert request_of(wordpress, post_id) == ""
    # A nonce of another post does not do either.
    other = form_for(editor, wordpress, synced["attention"], "skip")["wp_seo_bridge_nonce"]
    save(editor, wordpress, {**data, "wp_seo_bridge_nonce": other})
    assert request_of(wordpress, post_id) == ""
    # A contributor with a nonce of their own for this post (the save reaching the plugin): refused too.
    contributor, _, _ = user_with_password(wordpress, "contributor")
    stored = save_skip_in_php(wordpress, contributor, post_id)
    assert stored == ""
    # The same with an editor's rights is stored (the check above is the capability, not the harness).
    editor_id, _, _ = user_with_password(wordpress, "editor")
    stored = save_skip_in_php(wordpress, editor_id, post_id)
    assert stored == "skip"
    # The form's post only: a save of another post in the same request stores nothing for it.
    stored = save_skip_in_php(wordpress, editor_id, post_id, form_post=synced["attention"])
    assert stored == ""


@pytest.mark.parametrize("value", ["<script>alert(1)</script>", "again:abc", "again:" + "1" * 5000, "again:-5",
                                   "rewrite everything", "publish"])
def test_an_author_can_store_only_the_known_requests(wordpress, value):
    """The request is an author's to set over REST on their own draft (it only asks for a rewrite): the plugin
    refuses anything but "", "rewrite", "skip" and "again:<time>", over REST and by any other way of writing it."""
    author = make_user(wordpress, "author")
    created = rest(wordpress, author, "POST", "posts", json={"title": "Demande", "status": "draft",
                                                               "meta": {"_wp_seo_bridge_request": "rewrite"}})
    assert created.status_code == 201 and created.json()["meta"]["_wp_seo_bridge_request"] == "rewrite", created.text
    post_id = created.json()["id"]
    refused = rest(wordpress, author, "POST", f"posts/{post_id}", json={"meta": {"_wp_seo_bridge_request": value}})
    assert refused.status_code == 400 and "_wp_seo_bridge_request" in refused.text, refused.text[:300]
    assert request_of(wordpress, post_id) == "rewrite"
    again = rest(wordpress, author, "POST", f"posts/{post_id}", json={"meta": {"_wp_seo_bridge_request": "again:1764676800"}})
    assert again.status_code == 200 and request_of(wordpress, post_id) == "again:1764676800", again.text[:300]
    stored = wordpress.php(f"update_post_meta({post_id}, '_wp_seo_bridge_request', {json.dumps(value)});"
                           f" echo get_post_meta({post_id}, '_wp_seo_bridge_request', true);")
    assert stored == ""


def test_an_autosave_stores_nothing(wordpress):
    post_id = wordpress.create_post(post_title="Autosave")
    editor_id, _, _ = user_with_password(wordpress, "editor")
    stored = wordpress.php(f"""
define('DOING_AUTOSAVE', true);
wp_set_current_user({editor_id});
$_POST['wp_seo_bridge_nonce'] = wp_create_nonce('wp_seo_bridge_request_{post_id}');
$_POST['wp_seo_bridge_request'] = 'skip';
$_POST['post_ID'] = '{post_id}';
do_action('save_post', {post_id}, get_post({post_id}), true);
echo get_post_meta({post_id}, '_wp_seo_bridge_request', true);
""")
    assert stored == ""


def test_records_written_before_the_plugin_kept_states_are_listed_in_the_view(wordpress, editor):
    post_id = wordpress.create_post(post_title="Ancien record")
    wordpress.php(f"""
global $wpdb;  // as an older plugin left it: a record, no state
$wpdb->insert($wpdb->postmeta, array('post_id' => {post_id}, 'meta_key' => '_wp_seo_bridge_record',
    'meta_value' => wp_json_encode(array('action' => 'rewrite', 'status' => 'needs attention', 'reasons' => array('x')))));
wp_cache_delete({post_id}, 'post_meta');
delete_option('wp_seo_bridge_states');
""")
    url = admin_url(wordpress, "edit.php?post_type=post&wp_seo_bridge_state=needs_attention&posts_per_page=500")
    listed = {int(r.attributes["id"].split("-")[1]) for r in parse(editor.get(url, timeout=30).text).css("tr[id^=post-]")}
    assert post_id in listed
    assert wordpress.php("echo get_option('wp_seo_bridge_states');") == "1.3.0"


def test_queued_means_told_of_a_save_or_asked_and_not_handled_yet(wordpress, synced, editor):
    fresh, skipped, asked = (wordpress.create_post(post_title=t) for t in ("Notifiée", "Notifiée mais refusée", "Demandée"))
    rewritten = synced["rewritten"]
    wordpress.php(f"""
update_post_meta({fresh}, '_wp_seo_bridge_notified', time());
update_post_meta({skipped}, '_wp_seo_bridge_notified', time());
update_post_meta({skipped}, '_wp_seo_bridge_request', 'skip');
update_post_meta({asked}, '_wp_seo_bridge_request', 'rewrite');
update_post_meta({rewritten}, '_wp_seo_bridge_notified', 1000);  // told of a save long before the rewrite
""")
    listing = parse(editor.get(admin_url(wordpress, "edit.php?post_type=post&posts_per_page=500"), timeout=30).text)
    states = {int(r.attributes["id"].split("-")[1]): r.css_first(".wp-seo-bridge-column").attributes["data-state"]
              for r in listing.css("tr[id^=post-]")}
    assert states[fresh] == "queued" and states[asked] == "queued"
    assert states[skipped] == "never" and states[rewritten] == "rewritten"
    wordpress.php(f"update_post_meta({rewritten}, '_wp_seo_bridge_notified', time() + 5);")
    assert box(edit_screen(editor, wordpress, rewritten).text).css_first(".wp-seo-bridge-box").attributes[
        "data-state"] == "queued"
    wordpress.php(f"delete_post_meta({rewritten}, '_wp_seo_bridge_notified'); delete_post_meta({rewritten}, '_edit_lock');")
