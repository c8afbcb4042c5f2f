"""``POST /notify`` over real HTTP (Uvicorn on a loopback port) in front of the real WordPress and the fake model:
every refused notification is answered with its code and a JSON error, and nothing is queued, processed or
written; a notified post that is not a draft is accepted but left alone, as a sync would leave it."""

from __future__ import annotations

import time

import pytest
import requests

from tests.support.factories import settings_for
from tests.support.notify import SECRET, Recorder, body_for, running_service, send, wait_for
from tests.support.seed_model import SEED_MODEL_KEY, seed_text
from wp_seo_bridge.notify.signature import sign

MIN_AGE_MINUTES = 0.02  # 1.2 s


@pytest.fixture
def notify_settings(wordpress, model, category, tmp_path):
    def make(**extra):
        options = dict(seo_plugin="yoast", model_base_url=model.base_url, api_key=SEED_MODEL_KEY,
                       model__max_retries=0, drafts__categories=[category], sync__min_age_minutes=MIN_AGE_MINUTES,
                       journal__path=tmp_path / "journal.sqlite3")
        options.update(extra)
        return settings_for(wordpress.url, wordpress.editor_user, wordpress.editor_app_password,
                            raw_env={"WP_SEO_BRIDGE_NOTIFY_SECRET": SECRET}, **options)

    return make


def send_chunked(url: str, body: bytes) -> requests.Response:
    """``body`` without a Content-Length (chunked), signed: the size limit holds while reading."""
    stamp = int(time.time())
    chunks = (body[i:i + 1000] for i in range(0, len(body), 1000))
    return requests.post(url, data=chunks, timeout=10, headers={
        "X-WP-SEO-Bridge-Timestamp": str(stamp), "X-WP-SEO-Bridge-Signature": sign(SECRET, stamp, body)})


def chat_calls(model) -> int:
    return sum(1 for request in model.requests if request.path.endswith("/chat/completions"))


def post_state(wordpress, post_id: int) -> dict:
    return wordpress.php_json(
        f"echo json_encode(array('post' => get_post({post_id}, ARRAY_A), "
        f"'meta' => get_post_meta({post_id})));"
    )


def test_refused_notifications_queue_and_process_nothing(wordpress, model, category, notify_settings):
    draft = wordpress.create_post(post_title="Refusé", post_content=seed_text(1), post_category=[category])
    site = wordpress.url
    good = body_for(site, draft)
    now = int(time.time())
    cases = {
        "bad signature": (send, dict(body=good, secret="another-secret-0123456789"), 401, "bad signature"),
        "no signature": (send, dict(body=good, headers={"X-WP-SEO-Bridge-Signature": None}), 401,
                         "X-WP-SEO-Bridge-Signature"),
        "no timestamp": (send, dict(body=good, headers={"X-WP-SEO-Bridge-Timestamp": None}), 401,
                         "X-WP-SEO-Bridge-Timestamp"),
        "stale timestamp": (send, dict(body=good, timestamp=now - 301), 401, "stale"),
        "timestamp in the future": (send, dict(body=good, timestamp=now + 400), 401, "stale"),
        "unknown site": (send, dict(body=body_for("http://elsewhere.example", draft)), 400, "unknown site"),
        "another port": (send, dict(body=body_for(site.rstrip("/") + "0", draft)), 400, "unknown site"),
        "malformed body": (send, dict(body=b'{"site": "' + site.encode() + b'", "post_id": "x"}'), 400,
                           "malformed body"),
        "not JSON": (send, dict(body=b"\xff\xfe not json"), 400, "malformed body"),
        "post ID not positive": (send, dict(body=body_for(site, -3)), 400, "post_id"),
        "oversized body": (send, dict(body=body_for(site, draft)[:-1] + b',"pad":"' + b"x" * 9000 + b'"}'), 413,
                           "too large"),
        "oversized chunked body": (send_chunked, dict(body=b"x" * 20_000), 413, "too large"),
    }
    notices: list = []
    with running_service(notify_settings(), notices=notices) as service:
        for name, (sender, arguments, status, words) in cases.items():
            answer = sender(service.url, **arguments)
            assert answer.status_code == status, (name, answer.text)
            assert answer.headers["content-type"] == "application/json", name
            assert words in answer.json()["error"], (name, answer.json())
            assert "Traceback" not in answer.text
            assert len(service.queue) == 0, name
        stamp = int(time.time())
        first = send(service.url, good, timestamp=stamp)
        assert first.status_code == 202 and first.json() == {"queued": True, "post_id": draft}
        replay = send(service.url, good, timestamp=stamp)
        assert replay.status_code == 409 and "duplicate" in replay.json()["error"]
        # Everything else about the service answers in JSON too, never with a traceback.
        health = requests.get(service.url.replace("/notify", "/health"), timeout=5)
        assert health.status_code == 200 and health.json() == {"status": "ok"}
        assert requests.get(service.url, timeout=5).status_code == 405
        missing = requests.post(service.url.replace("/notify", "/other"), timeout=5)
        assert missing.status_code == 404 and missing.json() == {"error": "not found"}
        wait_for(lambda: service.engine.batches >= 1 and not len(service.queue), timeout=30)
        wait_for(lambda: chat_calls(model) >= 1, timeout=30)  # the one accepted notification, processed
    refused = [notice for notice in notices if not notice.accepted]
    assert len(refused) == len(cases) + 1 and [n for n in notices if n.accepted][0].post_id == draft
    assert all(SECRET not in notice.message for notice in notices)


def test_refusals_alone_process_nothing(wordpress, model, category, notify_settings):
    draft = wordpress.create_post(post_title="Intouché", post_content=seed_text(2), post_category=[category])
    before = post_state(wordpress, draft)
    with running_service(notify_settings()) as service:
        body = body_for(wordpress.url, draft)
        assert send(service.url, body, secret="x" * 32).status_code == 401
        assert send(service.url, body, timestamp=int(time.time()) - 1000).status_code == 401
        assert send(service.url, body_for("https://unknown.example", draft)).status_code == 400
        time.sleep(MIN_AGE_MINUTES * 60 + 1.5)  # past the time an accepted one would have been due
        assert service.engine.batches == 0 and len(service.queue) == 0
    assert chat_calls(model) == 0
    assert post_state(wordpress, draft) == before


def test_a_notified_post_that_is_not_a_draft_or_outside_the_filters_is_left_alone(wordpress, model, category,
                                                                                  notify_settings):
    published = wordpress.create_post(post_title="Publié", post_content=seed_text(1), post_category=[category],
                                      post_status="publish")
    elsewhere = wordpress.create_post(post_title="Ailleurs", post_content=seed_text(1))  # not in the category
    before = {post_id: post_state(wordpress, post_id) for post_id in (published, elsewhere)}
    events = Recorder()
    with running_service(notify_settings(), events=events) as service:
        for post_id in (published, elsewhere, 999_999_999):
            answer = send(service.url, body_for(wordpress.url, post_id))
            assert answer.status_code == 202, answer.text
        wait_for(lambda: all(events.results_for(i) for i in (published, elsewhere, 999_999_999)), timeout=30)
    assert events.results_for(published)[0].outcome == "skipped"
    assert events.results_for(published)[0].reason.startswith("published: the bridge only rewrites drafts")
    assert events.results_for(elsewhere)[0].outcome == "skipped"
    assert "drafts.categories" in events.results_for(elsewhere)[0].reason
    assert events.results_for(999_999_999)[0].outcome == "skipped"
    assert chat_calls(model) == 0
    assert {post_id: post_state(wordpress, post_id) for post_id in before} == before
