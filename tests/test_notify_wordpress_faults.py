"""Notifications that cannot be delivered never break a save, and what the site tells the bridge about
them (the companion's status, REST and XML-RPC, and `doctor`'s line). Against the real test WordPress;
a capturing server on loopback stands for the bridge's receiver."""

from __future__ import annotations

import json
import time

import pytest
import requests

from tests.support.factories import settings_for
from tests.support.notify_receiver import Receiver
from tests.support.notify_wordpress import SECRET, make_user, notified_at, notify_config, post_ids, rest
from tests.support.servers import closed_port
from wp_seo_bridge.doctor import Status, run_checks
from wp_seo_bridge.wordpress import NotifyStatus

pytestmark = pytest.mark.wordpress

#: Generous: the save must come back, not fast. The plugin waits at most 3 s for the bridge.
SAVE_BOUND = 10.0


@pytest.fixture(scope="module")
def author(wordpress):
    return make_user(wordpress, "author")


@pytest.fixture
def receiver():
    with Receiver() as receiver:
        yield receiver


def timed_save(wordpress, author):
    started = time.monotonic()
    response = rest(wordpress, author, "POST", "posts", json={"title": "Sauvé quand même", "status": "draft"})
    return response, time.monotonic() - started


def test_a_receiver_that_is_down_does_not_fail_the_save(wordpress, author):
    with notify_config(wordpress, f"http://127.0.0.1:{closed_port()}/notify"):
        response, elapsed = timed_save(wordpress, author)
    assert response.status_code == 201, response.text
    assert elapsed < SAVE_BOUND, f"the save took {elapsed:.1f} s"
    post_id = response.json()["id"]
    assert rest(wordpress, author, "GET", f"posts/{post_id}").status_code == 200
    assert notified_at(wordpress, post_id) == "", "not delivered: not marked as notified"


def test_a_slow_receiver_does_not_fail_the_save(wordpress, author, receiver):
    receiver.delay = 4.5
    with notify_config(wordpress, receiver.url):
        response, elapsed = timed_save(wordpress, author)
    assert response.status_code == 201, response.text
    assert elapsed < SAVE_BOUND, f"the save took {elapsed:.1f} s"
    print(f"save with a receiver that does not answer: {elapsed:.1f} s (php -S has no fastcgi_finish_request)")
    post_id = response.json()["id"]
    assert post_ids(receiver.wait_for(1)) == [post_id], "it was sent"
    assert notified_at(wordpress, post_id) == "", "no answer within 3 s: not marked as notified"


def test_a_receiver_that_does_not_answer_stops_the_rest_of_the_request(wordpress, receiver):
    """Three drafts saved in one request, a receiver that hangs: one attempt, not three times 3 s."""
    receiver.delay = 4.5
    with notify_config(wordpress, receiver.url):
        started = time.monotonic()
        ids = wordpress.create_posts(3, post_title="Lot")
        elapsed = time.monotonic() - started
    time.sleep(0.5)
    assert len(receiver.snapshot()) == 1 and post_ids(receiver.snapshot())[0] in ids
    assert elapsed < SAVE_BOUND, f"the request took {elapsed:.1f} s"


def test_a_refusing_receiver_leaves_the_post_unmarked_and_an_accepting_one_marks_it(wordpress, author, receiver):
    receiver.status = 401
    with notify_config(wordpress, receiver.url):
        response, _ = timed_save(wordpress, author)
        assert response.status_code == 201
        post_id = response.json()["id"]
        assert post_ids(receiver.wait_for(1)) == [post_id]
        assert notified_at(wordpress, post_id) == ""
        receiver.status = 202
        before = int(time.time())
        assert rest(wordpress, author, "POST", f"posts/{post_id}", json={"title": "Accepté"}).status_code == 200
        assert post_ids(receiver.wait_for(2)) == [post_id, post_id]
    assert before <= int(notified_at(wordpress, post_id)) <= time.time() + 1


@pytest.mark.parametrize("transport", ["rest", "xmlrpc"])
def test_the_status_tells_whether_notifications_are_on_and_where_never_the_secret(wordpress, make_site, transport):
    url = "http://bridge:pass-in-url@127.0.0.1:8787/notify?token=token-in-url#fragment-in-url"
    with notify_config(wordpress, url, post_types="post,page"):
        with make_site(transport=transport) as site:
            status = site.transport.companion_status()
        raw = requests.get(f"{wordpress.url}/wp-json/wp-seo-bridge/v1/status", timeout=30,
                           auth=(wordpress.editor_user, wordpress.editor_app_password))
    assert status.notify == NotifyStatus(enabled=True, url="http://127.0.0.1:8787/notify", post_types=("post", "page"))
    assert raw.json()["notify"] == {"enabled": True, "url": "http://127.0.0.1:8787/notify", "post_types": ["post", "page"]}
    assert SECRET not in raw.text and "-in-url" not in raw.text
    with notify_config(wordpress, None, secret=None):
        with make_site(transport=transport) as site:
            assert site.transport.companion_status().notify == NotifyStatus(enabled=False, url="", post_types=("post",))
    with notify_config(wordpress, "http://127.0.0.1:8787/notify", secret=""):
        with make_site(transport=transport) as site:
            assert site.transport.companion_status().notify == NotifyStatus(enabled=False, url="http://127.0.0.1:8787/notify")


def doctor_line(wordpress, bridge_secret: str | None = SECRET):
    """The doctor's line about notifications, for a bridge with ``bridge_secret`` (None: without one)."""
    env = {"WP_SEO_BRIDGE_NOTIFY_SECRET": bridge_secret} if bridge_secret is not None else {}
    settings = settings_for(wordpress.url, wordpress.editor_user, wordpress.editor_app_password, raw_env=env)
    for result in run_checks(settings):
        if result.name == "notifications from WordPress":
            return result
    raise AssertionError("doctor has no line about notifications")


def test_doctor_says_where_the_site_sends_notifications_or_how_to_turn_them_on(wordpress, receiver):
    with notify_config(wordpress, receiver.url):
        on = doctor_line(wordpress)
    assert on.status is Status.OK and on.detail.startswith("on:") and receiver.url in on.detail
    assert SECRET not in json.dumps(on.__dict__, default=str)
    off = doctor_line(wordpress)
    assert off.status is Status.OK and off.detail.startswith("off")
    assert "WP_SEO_BRIDGE_NOTIFY_URL" in off.detail and "WP_SEO_BRIDGE_NOTIFY_SECRET" in off.detail
    assert "wp-config.php" in off.detail
    with notify_config(wordpress, receiver.url, secret=""):
        half = doctor_line(wordpress)
    assert half.status is Status.WARN and receiver.url in half.detail and "WP_SEO_BRIDGE_NOTIFY_SECRET" in half.hint


@pytest.mark.parametrize("bridge_secret, words", [(None, "is not set"), ("short-secret", "12 characters long")])
def test_doctor_warns_when_the_site_notifies_a_bridge_without_a_usable_secret(wordpress, receiver, bridge_secret,
                                                                             words):
    with notify_config(wordpress, receiver.url):
        line = doctor_line(wordpress, bridge_secret)
    assert line.status is Status.WARN, line
    assert line.detail.startswith("on:") and receiver.url in line.detail
    assert "WP_SEO_BRIDGE_NOTIFY_SECRET" in line.detail and words in line.detail
    assert "watch --listen" in line.hint and "wp-config.php" in line.hint
    assert SECRET not in json.dumps(line.__dict__, default=str)
    assert bridge_secret is None or bridge_secret not in json.dumps(line.__dict__, default=str)


def test_doctor_says_an_older_companion_plugin_sends_no_notifications(wordpress, without_companion):
    from wp_seo_bridge.companion import plugin_source

    source = plugin_source()
    older = source.replace("'notify'     => wp_seo_bridge_notify_status(),", "")
    assert older != source
    with wordpress.mu_plugin("wp-seo-bridge-companion-older", older):
        line = doctor_line(wordpress)
    assert line.status is Status.OK and line.detail.startswith("off: companion plugin") and "cannot send" in line.detail
