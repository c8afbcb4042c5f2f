"""``POST /notify`` over real HTTP (Uvicorn on a loopback port) against clients that misbehave at the HTTP level,
as found by trying the receiver as an attacker would: each is one readable notice line, never a traceback."""

from __future__ import annotations

import logging
import socket
import time

import pytest
import requests

from tests.support.notify import SECRET, wait_for
from wp_seo_bridge.notify.app import Receiver, SiteEntry
from wp_seo_bridge.notify.queue import NotifyQueue
from wp_seo_bridge.notify.service import Listen, NotifyServer, bind


def test_a_client_that_hangs_up_in_the_middle_of_its_body_is_one_refusal_not_a_traceback(caplog):
    queue = NotifyQueue(60)
    notices: list = []
    receiver = Receiver([SiteEntry("default", "http://127.0.0.1:1", SECRET)], queue, on_notice=notices.append)
    sock = bind(Listen("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = NotifyServer(receiver, sock)
    server.start()
    try:
        with caplog.at_level(logging.DEBUG, logger="wp_seo_bridge"):
            with socket.create_connection(("127.0.0.1", port)) as client:
                client.sendall(b"POST /notify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                               b"Content-Length: 100\r\n\r\n{\"site\":")
            wait_for(lambda: notices, timeout=10)
    finally:
        server.stop()
    (notice,) = notices
    assert not notice.accepted
    assert notice.status == 400, notice
    assert "connection ended before the end of the body" in notice.message
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR], caplog.text
    assert len(queue) == 0


def test_the_forwarded_address_shown_is_an_ip_address_or_cut_short(caplog):
    """Uvicorn trusts ``X-Forwarded-For`` from 127.0.0.1 (a reverse proxy on the same machine) as it is: a value
    that is not an address must not become a 3000-character "client" in every line of the log."""
    notices: list = []
    receiver = Receiver([SiteEntry("default", "http://127.0.0.1:1", SECRET)], NotifyQueue(60), on_notice=notices.append)
    sock = bind(Listen("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/notify"
    server = NotifyServer(receiver, sock)
    server.start()
    try:
        for forwarded in ("203.0.113.9", "a" * 3000):
            answer = requests.post(url, data=b"{}", headers={"X-Forwarded-For": forwarded}, timeout=10)
            assert answer.status_code == 401
    finally:
        server.stop()
    assert notices[0].client == "203.0.113.9"
    assert len(notices[1].client) < 100 and "not an IP address" in notices[1].client


@pytest.mark.parametrize("sent", [b"", b"POST /notify HTTP/1.1\r\nHost: x\r\n",
                                  b"POST /notify HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"])
def test_a_slow_or_silent_client_is_disconnected_and_others_are_still_answered(sent):
    """Uvicorn would keep a connection that never finishes its request open for ever (slow loris): the receiver
    closes each connection after a time limit, and answers other clients meanwhile."""
    notices: list = []
    receiver = Receiver([SiteEntry("default", "http://127.0.0.1:1", SECRET)], NotifyQueue(60), on_notice=notices.append)
    sock = bind(Listen("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = NotifyServer(receiver, sock, connection_seconds=1.0)
    server.start()
    try:
        with socket.create_connection(("127.0.0.1", port)) as slow:
            slow.sendall(sent)
            assert requests.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200
            slow.settimeout(10)
            started = time.monotonic()
            assert slow.recv(1000) == b""  # closed by the server, with nothing sent
            assert time.monotonic() - started < 5
    finally:
        server.stop()
    assert all(not notice.accepted for notice in notices)
