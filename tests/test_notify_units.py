"""The notification's parts without a network: the signature (a known HMAC, constant-time check, timestamp
window), the replay cache's bounds, the debounce queue on an injected clock, site addresses as compared, the
``--listen`` address, the secrets from the environment, and the wait a skipped post gives."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import datetime, timedelta, timezone

import pytest

from tests.support.factories import settings_for
from wp_seo_bridge.errors import ConfigError, InputError
from wp_seo_bridge.notify.app import Receiver, SiteEntry, site_key
from wp_seo_bridge.notify.queue import NotifyQueue, QueueFull
from wp_seo_bridge.notify.service import notify_sites, parse_listen
from wp_seo_bridge.notify.signature import Refused, ReplayCache, Verifier, sign

SECRET = "s" * 32


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body():
    body = b'{"site":"https://example.com","post_id":7,"event":"saved","modified_gmt":"2026-12-02T16:00:00"}'
    expected = hmac.new(SECRET.encode(), b"1764690000." + body, hashlib.sha256).hexdigest()
    assert sign(SECRET, 1764690000, body) == "sha256=" + expected


def test_the_verifier_names_the_sites_whose_secret_signed():
    clock = Clock()
    verifier = Verifier({SECRET: ["blog", "shop"], "t" * 32: ["news"]}, clock=clock)
    stamp = int(clock.now)
    assert verifier.verify(str(stamp), sign(SECRET, stamp, b"{}"), b"{}")[2] == {"blog", "shop"}
    assert verifier.verify(str(stamp), sign("t" * 32, stamp, b"{}"), b"{}")[2] == {"news"}


@pytest.mark.parametrize("timestamp, signature, why", [
    (None, "good", "missing or malformed X-WP-SEO-Bridge-Timestamp"),
    ("12.5", "good", "missing or malformed X-WP-SEO-Bridge-Timestamp"),
    ("-5", "good", "missing or malformed X-WP-SEO-Bridge-Timestamp"),
    ("stale", "good", "stale timestamp"),
    ("future", "good", "stale timestamp"),
    ("now", None, "missing or malformed X-WP-SEO-Bridge-Signature"),
    ("now", "sha1=abc", "missing or malformed X-WP-SEO-Bridge-Signature"),
    ("now", "SHA256-UPPER", "missing or malformed X-WP-SEO-Bridge-Signature"),
    ("now", "other-secret", "bad signature"),
    ("now", "other-body", "bad signature"),
])
def test_the_verifier_refuses_with_401(timestamp, signature, why):
    clock = Clock()
    stamp = {"now": int(clock.now), "stale": int(clock.now) - 301, "future": int(clock.now) + 301}.get(timestamp)
    header = str(stamp) if stamp is not None else timestamp
    good = sign(SECRET, stamp if stamp is not None else 0, b"body")
    value = {"good": good, "other-secret": sign("x" * 32, stamp or 0, b"body"),
             "other-body": sign(SECRET, stamp or 0, b"other"), "SHA256-UPPER": good.upper()}.get(signature, signature)
    with pytest.raises(Refused) as refused:
        Verifier({SECRET: ["blog"]}, clock=clock).verify(header, value, b"body")
    assert refused.value.status == 401 and why in refused.value.message


def test_the_replay_cache_refuses_a_second_acceptance_and_forgets_after_the_window():
    cache, clock = ReplayCache(window=300), Clock()
    cache.add(int(clock.now), "sha256=aa", clock.now)
    with pytest.raises(Refused) as replay:
        cache.add(int(clock.now), "sha256=aa", clock.now + 10)
    assert replay.value.status == 409 and "duplicate" in replay.value.message
    cache.add(int(clock.now), "sha256=bb", clock.now)  # another signature is another notification
    clock.now += 301
    cache.add(int(clock.now), "sha256=cc", clock.now)
    assert len(cache) == 1  # the two old ones are out of the window: a replay of them is stale anyway


def test_the_replay_cache_is_bounded_in_size():
    cache, clock = ReplayCache(window=300, max_entries=3), Clock()
    for i in range(3):
        cache.add(int(clock.now), f"sha256={i}", clock.now)
    with pytest.raises(Refused) as full:
        cache.add(int(clock.now), "sha256=3", clock.now)
    assert full.value.status == 429 and len(cache) == 3


def test_concurrent_acceptances_of_one_notification_let_exactly_one_through():
    cache, clock = ReplayCache(), Clock()
    accepted, barrier = [], threading.Barrier(8)

    def accept() -> None:
        barrier.wait()
        try:
            cache.add(int(clock.now), "sha256=same", clock.now)
            accepted.append(1)
        except Refused:
            pass

    threads = [threading.Thread(target=accept) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert accepted == [1]


def test_each_notification_pushes_the_post_due_time():
    clock = Clock(100.0)
    queue = NotifyQueue(60, clock=clock)
    queue.notified("blog", 7)
    assert queue.due("blog", 7) == 160
    clock.now = 130
    queue.notified("blog", 7)
    assert queue.due("blog", 7) == 190 and len(queue) == 1
    clock.now = 189
    assert queue.take_due() == {}
    clock.now = 190
    assert queue.take_due() == {"blog": [7]} and len(queue) == 0


def test_a_retry_never_brings_a_later_notification_forward():
    clock = Clock(0.0)
    queue = NotifyQueue(60, clock=clock)
    queue.notified("blog", 7)  # due at 60
    queue.retry_at("blog", 7, 5)
    assert queue.due("blog", 7) == 60
    queue.retry_at("blog", 8, 5)
    assert queue.due("blog", 8) == 5


def test_the_queue_is_bounded():
    queue = NotifyQueue(60, clock=Clock(), max_posts=2)
    queue.notified("blog", 1)
    queue.notified("blog", 2)
    queue.notified("blog", 2)  # already queued: pushed, not added
    with pytest.raises(QueueFull):
        queue.notified("blog", 3)


def test_site_addresses_are_compared_without_case_default_port_or_trailing_slash():
    assert site_key("HTTPS://Example.COM:443/") == site_key("https://example.com") == "https://example.com"
    assert site_key("http://example.com:80/blog/") == "http://example.com/blog"
    assert site_key("http://example.com:8080") != site_key("http://example.com")
    assert site_key("https://example.com/Blog") != site_key("https://example.com/blog")
    assert site_key("http://example.com") != site_key("https://example.com")


def _receiver(clock: Clock) -> tuple[Receiver, NotifyQueue]:
    queue = NotifyQueue(60, clock=clock)
    sites = [SiteEntry("blog", "https://blog.example", SECRET), SiteEntry("shop", "https://shop.example", "u" * 32)]
    return Receiver(sites, queue, verifier=Verifier({SECRET: ["blog"], "u" * 32: ["shop"]}, clock=clock)), queue


def test_a_site_is_known_only_with_its_own_secret():
    clock = Clock()
    receiver, queue = _receiver(clock)
    body = json.dumps({"site": "https://shop.example/", "post_id": 3, "event": "saved",
                       "modified_gmt": "2026-12-02T16:00:00"}).encode()
    stamp = int(clock.now)
    wrong = receiver.handle(str(stamp), sign(SECRET, stamp, body), body)  # blog's secret, shop's address
    assert (wrong.accepted, wrong.status) == (False, 400) and "unknown site" in wrong.message and len(queue) == 0
    right = receiver.handle(str(stamp), sign("u" * 32, stamp, body), body)
    assert right.accepted and right.sites == ("shop",) and queue.due("shop", 3) is not None


@pytest.mark.parametrize("data", [
    [], "text", {"site": "https://blog.example", "post_id": 3},
    {"site": "https://blog.example", "post_id": 0, "event": "saved", "modified_gmt": "2026-12-02T16:00:00"},
    {"site": "https://blog.example", "post_id": "3", "event": "saved", "modified_gmt": "2026-12-02T16:00:00"},
    {"site": "https://blog.example", "post_id": True, "event": "saved", "modified_gmt": "2026-12-02T16:00:00"},
    {"site": "https://blog.example", "post_id": 3.0, "event": "saved", "modified_gmt": "2026-12-02T16:00:00"},
    {"site": "https://blog.example", "post_id": 3, "event": "deleted", "modified_gmt": "2026-12-02T16:00:00"},
    {"site": "https://blog.example", "post_id": 3, "event": "saved", "modified_gmt": "yesterday"},
    {"site": "ftp://blog.example", "post_id": 3, "event": "saved", "modified_gmt": "2026-12-02T16:00:00"},
    {"site": "https://blog.example", "post_id": 3, "event": "saved", "modified_gmt": "2026-12-02T16:00:00",
     "title": "more than asked for"},
], ids=["list", "string", "fields-missing", "zero", "id-string", "id-bool", "id-float", "event", "modified",
        "scheme", "extra-field"])
def test_a_malformed_body_is_refused_with_400(data):
    clock = Clock()
    receiver, queue = _receiver(clock)
    body = json.dumps(data).encode()
    notice = receiver.handle(str(int(clock.now)), sign(SECRET, int(clock.now), body), body)
    assert (notice.accepted, notice.status) == (False, 400) and "malformed body" in notice.message
    assert len(queue) == 0


@pytest.mark.parametrize("value, host, port", [
    ("8787", "127.0.0.1", 8787), ("0.0.0.0:80", "0.0.0.0", 80), ("[::1]:8787", "::1", 8787),
    ("localhost:65535", "localhost", 65535),
])
def test_listen_addresses(value, host, port):
    listen = parse_listen(value)
    assert (listen.host, listen.port) == (host, port)
    assert listen.loopback == (host != "0.0.0.0")


@pytest.mark.parametrize("value", ["", "0", "65536", "host:", ":8787", "a b:1", "http://127.0.0.1:8787", "1.2.3.4:x"])
def test_bad_listen_addresses_are_usage_errors(value):
    with pytest.raises(InputError, match="--listen must be"):
        parse_listen(value)


def _settings(env: dict[str, str], sites: bool = False):
    return settings_for("https://blog.example", "editor", "pw", raw_env=env)


def test_the_shared_secret_and_a_site_of_its_own(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[wordpress]\nurl = "https://blog.example"\nusername = "e"\n'
                      '[sites.shop-fr]\nurl = "https://shop.example"\nusername = "e"\n', encoding="utf-8")
    from wp_seo_bridge.config import load_config

    env = {"XDG_CONFIG_HOME": "/nonexistent", "WP_SEO_BRIDGE_NOTIFY_SECRET": "a" * 16,
           "WP_SEO_BRIDGE_SITES_SHOP_FR_NOTIFY_SECRET": "b" * 20}
    entries = notify_sites(load_config(config, env=env))
    assert [(e.name, e.url, e.secret) for e in entries] == [
        ("default", "https://blog.example", "a" * 16), ("shop-fr", "https://shop.example", "b" * 20)]
    del env["WP_SEO_BRIDGE_SITES_SHOP_FR_NOTIFY_SECRET"]
    assert [e.secret for e in notify_sites(load_config(config, env=env))] == ["a" * 16] * 2
    with pytest.raises(ConfigError, match="WP_SEO_BRIDGE_SITES_SHOPFR_NOTIFY_SECRET.*no \\[sites.shopfr\\]"):
        load_config(config, env={**env, "WP_SEO_BRIDGE_SITES_SHOPFR_NOTIFY_SECRET": "c" * 20})


def test_a_missing_or_short_secret_is_a_configuration_error_that_never_shows_it():
    with pytest.raises(ConfigError) as missing:
        notify_sites(_settings({}))
    assert "has none" in missing.value.message and "WP_SEO_BRIDGE_NOTIFY_SECRET" in missing.value.hint
    with pytest.raises(ConfigError) as short:
        notify_sites(_settings({"WP_SEO_BRIDGE_NOTIFY_SECRET": "short-secret"}))
    assert "12 characters" in short.value.message and "short-secret" not in short.value.message + short.value.hint


def test_a_skipped_post_says_how_long_it_waits():
    from wp_seo_bridge.sync.selection import decide
    from wp_seo_bridge.wordpress.models import EditLock, Post

    now = datetime(2026, 12, 2, 16, 0, tzinfo=timezone.utc)
    post = Post(7, "post", "draft", "T", "C", "", "t", modified_gmt=now - timedelta(seconds=20), bridge_fields=True)
    young = decide(post, statuses=["draft"], min_age=timedelta(minutes=1), now=now)
    assert not young.selected and young.wait == timedelta(seconds=40)
    locked = Post(7, "post", "draft", "T", "C", "", "t", modified_gmt=now - timedelta(hours=1), bridge_fields=True,
                  edit_lock=EditLock(1, now - timedelta(seconds=100)))
    open_now = decide(locked, statuses=["draft"], min_age=timedelta(minutes=1), now=now)
    assert not open_now.selected and open_now.wait == timedelta(seconds=50)
    published = Post(7, "post", "publish", "T", "C", "", "t", modified_gmt=now - timedelta(hours=1))
    assert decide(published, statuses=["draft"], min_age=timedelta(0), now=now).wait is None
