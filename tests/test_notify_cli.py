"""``wp-seo-bridge watch --listen``, the real command: its errors before anything starts (one line with the fix,
exit code 2, no traceback), and a real run against the real WordPress that takes a notification, rewrites the
draft and stops cleanly on SIGTERM (exit code 0)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest

from tests.support.notify import SECRET, body_for, send, wait_for
from tests.support.seed_model import SEED_MODEL_KEY

BASE = {k: v for k, v in os.environ.items() if not k.startswith(("WP_SEO_BRIDGE_", "OPENAI_"))}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cli_env(tmp_path, **extra: str) -> dict[str, str]:
    return {**BASE, "COLUMNS": "200", "NO_COLOR": "1", "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_DATA_HOME": str(tmp_path / "data"), "WP_SEO_BRIDGE_WORDPRESS_URL": "http://127.0.0.1:9",
            "WP_SEO_BRIDGE_WORDPRESS_USERNAME": "editor", "WP_SEO_BRIDGE_WP_APP_PASSWORD": "pw", **extra}


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wp_seo_bridge", *args], env=env, capture_output=True, text=True,
                          timeout=60)


@pytest.mark.parametrize("listen, env_extra, words", [
    ("8787", {}, "--listen needs the secret WordPress signs its notifications with, and site default has none."),
    ("8787", {"WP_SEO_BRIDGE_NOTIFY_SECRET": "too-short"}, "is 9 characters long; at least 16"),
    ("localhost:http", {"WP_SEO_BRIDGE_NOTIFY_SECRET": SECRET}, "--listen must be [HOST:]PORT"),
    ("70000", {"WP_SEO_BRIDGE_NOTIFY_SECRET": SECRET}, "--listen must be [HOST:]PORT"),
    ("no-such-host.invalid:8787", {"WP_SEO_BRIDGE_NOTIFY_SECRET": SECRET}, "is not an address of this machine"),
    ("in-use", {"WP_SEO_BRIDGE_NOTIFY_SECRET": SECRET}, "is already in use"),
], ids=["no-secret", "short-secret", "bad-port", "port-out-of-range", "unknown-host", "port-in-use"])
def test_listen_errors_are_one_line_with_a_fix_and_exit_code_2(tmp_path, listen, env_extra, words):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        if listen == "in-use":
            listen = f"127.0.0.1:{taken.getsockname()[1]}"
        result = run_cli("watch", "--listen", listen, env=cli_env(tmp_path, **env_extra))
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert words in result.stderr and "Traceback" not in result.stderr + result.stdout
    assert "too-short" not in result.stderr
    assert re.search(r"(Set|Stop|Give|`--listen)", result.stderr)  # the fix


def chat_calls(model) -> int:
    return sum(1 for request in model.requests if request.path.endswith("/chat/completions"))


def test_a_real_watch_listen_rewrites_a_notified_draft_and_stops_cleanly_on_sigterm(wordpress, model, category,
                                                                                       tmp_path):
    from tests.support.seed_model import seed_text

    port = free_port()
    env = cli_env(tmp_path, WP_SEO_BRIDGE_WORDPRESS_URL=wordpress.url,
                  WP_SEO_BRIDGE_WORDPRESS_USERNAME=wordpress.editor_user,
                  WP_SEO_BRIDGE_WP_APP_PASSWORD=wordpress.editor_app_password,
                  WP_SEO_BRIDGE_WORDPRESS_SEO_PLUGIN="yoast", WP_SEO_BRIDGE_MODEL_BASE_URL=model.base_url,
                  OPENAI_API_KEY=SEED_MODEL_KEY, WP_SEO_BRIDGE_MODEL_MAX_RETRIES="0",
                  WP_SEO_BRIDGE_DRAFTS_CATEGORIES=str(category), WP_SEO_BRIDGE_SYNC_MIN_AGE_MINUTES="0.02",
                  WP_SEO_BRIDGE_NOTIFY_SECRET=SECRET)
    process = subprocess.Popen([sys.executable, "-m", "wp_seo_bridge", "watch", "--listen", str(port),
                                "--interval", "3600"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    url = f"http://127.0.0.1:{port}/notify"
    try:
        def up() -> bool:
            try:
                return send(url, b"{}", secret="x" * 32).status_code == 401
            except OSError:
                return process.poll() is not None
        wait_for(up, timeout=60)
        assert process.poll() is None, process.communicate(timeout=5)
        draft = wordpress.create_post(post_title="Notifié", post_content=seed_text(1), post_category=[category])
        assert send(url, body_for(wordpress.url, draft)).status_code == 202
        assert send(url, body_for(wordpress.url, 987654321)).status_code == 202  # no such post: left alone, said so
        wait_for(lambda: wordpress.php(f"echo get_post_meta({draft}, '_wp_seo_bridge_record', true);").strip(),
                 timeout=60)
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, stderr
    assert "Traceback" not in stdout + stderr and SECRET not in stdout + stderr
    assert re.search(rf"Z watch: listening on http://127\.0\.0\.1:{port}/notify for the notifications of default",
                     stdout), stdout
    assert "notify: refused (401) from 127.0.0.1: bad signature" in stdout
    assert re.search(rf"notify: post {draft} of default queued from 127\.0\.0\.1, due in 1 s", stdout), stdout
    assert re.search(rf"Z default post {draft} rewritten ", stdout), stdout
    assert re.search(r"Z notify: post 987654321 of default left alone: No post with ID 987654321", stdout), stdout
    assert "Stopping" in stderr and stdout.rstrip().endswith("watch: stopped cleanly")
    assert chat_calls(model) == 1


def test_listening_beyond_loopback_warns_to_use_a_reverse_proxy(tmp_path):
    # The configuration is fine but its site does not answer: the warning comes before the first round's error.
    env = cli_env(tmp_path, WP_SEO_BRIDGE_NOTIFY_SECRET=SECRET)
    process = subprocess.Popen([sys.executable, "-m", "wp_seo_bridge", "watch", "--listen", f"0.0.0.0:{free_port()}",
                                "--interval", "3600"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        time.sleep(3)
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert "reverse proxy with TLS" in stderr and "Traceback" not in stderr
    assert process.returncode == 0, stderr


def test_a_configuration_error_of_the_first_round_stops_the_server_too(tmp_path):
    # A budget without the model's prices: the first sync refuses it before reaching any site.
    port = free_port()
    env = cli_env(tmp_path, WP_SEO_BRIDGE_NOTIFY_SECRET=SECRET)
    result = subprocess.run([sys.executable, "-m", "wp_seo_bridge", "watch", "--listen", str(port), "--max-cost",
                             "1"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "A budget is set" in result.stderr and "Traceback" not in result.stdout + result.stderr
    with socket.socket() as again:  # the port was let go
        again.bind(("127.0.0.1", port))
