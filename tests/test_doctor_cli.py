"""`wp-seo-bridge doctor` and `companion-plugin`, run as a user runs them (the real CLI in a subprocess)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wp_seo_bridge.companion import plugin_source
from wp_seo_bridge.doctor import Status, all_passed, run_checks
from wp_seo_bridge.wordpress.models import COMPANION_VERSION
from tests.support.factories import settings_for
from tests.support.fake_openai import FakeOpenAI
from tests.support.servers import closed_port

API_KEY = "sk-test-never-shown-4f9a"


@pytest.fixture
def model_server():
    with FakeOpenAI(api_key=API_KEY) as server:
        yield server


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("WP_SEO_BRIDGE_", "OPENAI_"))}
    base.update({"COLUMNS": "200", "NO_COLOR": "1", "XDG_CONFIG_HOME": "/nonexistent-wp-seo-bridge-test"})
    base.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "wp_seo_bridge", *args], env=base, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def doctor_env(wordpress, model_server, **overrides: str) -> dict[str, str]:
    env = {
        "WP_SEO_BRIDGE_WORDPRESS_URL": wordpress.url,
        "WP_SEO_BRIDGE_WORDPRESS_USERNAME": wordpress.editor_user,
        "WP_SEO_BRIDGE_WP_APP_PASSWORD": wordpress.editor_app_password,
        "WP_SEO_BRIDGE_MODEL_BASE_URL": model_server.base_url,
        "WP_SEO_BRIDGE_WORDPRESS_TIMEOUT": "10",
        "OPENAI_API_KEY": API_KEY,
    }
    env.update(overrides)
    return env


def line(output: str, check: str) -> str:
    for text in output.splitlines():
        if f" {check}:" in text:
            return text
    raise AssertionError(f"no line for {check!r} in:\n{output}")


@pytest.mark.parametrize("transport", ["rest", "xmlrpc"])
def test_doctor_passes_on_the_test_site(wordpress, model_server, transport):
    result = run_cli("--verbose", "doctor",
                     env=doctor_env(wordpress, model_server, WP_SEO_BRIDGE_WORDPRESS_TRANSPORT=transport))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    for check in ("site reachable", "is WordPress", f"{transport.upper()} API reachable", "credentials accepted",
                  "companion plugin", "SEO meta writable", "language model reachable"):
        assert line(output, check).lstrip().startswith("ok"), check
    assert "logged in as" in line(output, "credentials accepted")
    assert "All checks passed." in output
    # Secrets are never printed, even with --verbose request logging.
    assert wordpress.editor_app_password not in output and API_KEY not in output
    assert wordpress.editor_app_password.replace(" ", "") not in output
    # The model endpoint really was asked, with the key.
    assert any(r.path == "/v1/models" and r.headers.get("authorization") == f"Bearer {API_KEY}"
               for r in model_server.requests)


def test_doctor_names_a_wrong_password(wordpress, model_server):
    bad = "abcd EFGH ijkl MNOP qrst UVWX"
    result = run_cli("-v", "doctor", env=doctor_env(wordpress, model_server, WP_SEO_BRIDGE_WP_APP_PASSWORD=bad))
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert line(output, "credentials accepted").lstrip().startswith("fail")
    assert "application password" in line(output, "credentials accepted").lower()
    assert "Fix:" in output and "WP_SEO_BRIDGE_WP_APP_PASSWORD" in output
    assert line(output, "companion plugin").lstrip().startswith("skipped")
    assert output.count(" credentials accepted:") == 1, "each check is reported once"
    assert bad not in output and "abcdEFGH" not in output


def test_doctor_names_a_wrong_url(wordpress, model_server):
    url = f"http://127.0.0.1:{closed_port()}"
    result = run_cli("doctor", env=doctor_env(wordpress, model_server, WP_SEO_BRIDGE_WORDPRESS_URL=url,
                                              WP_SEO_BRIDGE_WORDPRESS_MAX_ATTEMPTS="1"))
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert line(output, "site reachable").lstrip().startswith("fail")
    assert url in line(output, "site reachable") and "wordpress.url" in output
    assert line(output, "credentials accepted").lstrip().startswith("skipped")
    # The model check does not depend on the site and still runs.
    assert line(output, "language model reachable").lstrip().startswith("ok")


def test_doctor_names_a_missing_companion_plugin(wordpress, model_server, without_companion):
    result = run_cli("doctor", env=doctor_env(wordpress, model_server))
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert line(output, "credentials accepted").lstrip().startswith("ok")
    assert line(output, "companion plugin").lstrip().startswith("fail")
    assert "not installed" in line(output, "companion plugin")
    assert "mu-plugins" in output and "companion-plugin --output" in output
    assert line(output, "SEO meta writable").lstrip().startswith("fail")


def test_doctor_without_configuration_says_what_to_fill_in(tmp_path):
    result = run_cli("doctor", env={"XDG_CONFIG_HOME": str(tmp_path)})
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "No configuration found" in output and "config.example.toml" in output
    assert "[wordpress] url and username" in output


def test_doctor_reports_bad_model_key_and_unknown_model(wordpress, model_server):
    settings = settings_for(wordpress.url, wordpress.editor_user, wordpress.editor_app_password,
                            model_base_url=model_server.base_url, api_key="sk-wrong")
    results = {r.name: r for r in run_checks(settings)}
    assert results["language model reachable"].status is Status.FAIL
    assert "OPENAI_API_KEY" in results["language model reachable"].hint
    assert not all_passed(list(results.values()))

    settings = settings_for(wordpress.url, wordpress.editor_user, wordpress.editor_app_password,
                            model_base_url=model_server.base_url, api_key=API_KEY, model__name="no-such-model")
    result = {r.name: r for r in run_checks(settings)}["language model reachable"]
    assert result.status is Status.WARN and "gpt-4o-mini" in result.hint


def test_doctor_seo_plugin_mismatch_fails(wordpress, model_server):
    with wordpress.mu_plugin("fake-rank-math", "<?php define('RANK_MATH_VERSION', '1.0');\n"):
        settings = settings_for(wordpress.url, wordpress.editor_user, wordpress.editor_app_password,
                                seo_plugin="yoast", model_base_url=model_server.base_url, api_key=API_KEY)
        result = {r.name: r for r in run_checks(settings)}["SEO plugin"]
    assert result.status is Status.FAIL and "Rank Math" in result.detail and "rankmath" in result.hint


def test_secrets_never_reach_log_records(wordpress, model_server, caplog):
    caplog.set_level(logging.DEBUG)
    for password in (wordpress.editor_app_password, "zzzz zzzz zzzz zzzz zzzz zzzz"):
        settings = settings_for(wordpress.url, wordpress.editor_user, password,
                                model_base_url=model_server.base_url, api_key=API_KEY)
        results = list(run_checks(settings))
        text = caplog.text + repr(results) + repr(settings)
        assert password not in text and API_KEY not in text
    assert "wp-json" in caplog.text or "GET" in caplog.text, "the requests were logged"


def test_companion_plugin_command_prints_and_writes(tmp_path):
    printed = run_cli("companion-plugin")
    assert printed.returncode == 0 and printed.stdout == plugin_source()
    assert "Plugin Name: wp-seo-bridge companion" in printed.stdout
    written = run_cli("companion-plugin", "--output", str(tmp_path))
    assert written.returncode == 0
    assert (tmp_path / "wp-seo-bridge-companion.php").read_text() == plugin_source()
    assert "mu-plugins" in written.stderr
    refused = run_cli("companion-plugin", "--output", str(tmp_path / "missing-dir" / "x.php"))
    assert refused.returncode == 1 and "Cannot write" in refused.stderr


def test_drafts_command_lists_drafts(wordpress, model_server):
    post_id = wordpress.create_post(post_title="Brouillon visible dans la liste",
                                    meta_input={"_yoast_wpseo_focuskw": "liste des brouillons"})
    result = run_cli("drafts", "--limit", "100000", env=doctor_env(wordpress, model_server))
    assert result.returncode == 0, result.stderr
    assert str(post_id) in result.stdout and "liste des brouillons" in result.stdout


def test_drafts_command_lists_pending_posts_too_with_their_status(wordpress, model_server):
    draft = wordpress.create_post(post_title="Brouillon listé")
    pending = wordpress.create_post(post_title="En attente de relecture", post_status="pending")
    env = doctor_env(wordpress, model_server)

    def listed(*options: str) -> dict[int, str]:
        result = run_cli("drafts", "--limit", "100000", *options, env=env)
        assert result.returncode == 0, result.stderr
        assert "Status" in result.stdout
        rows = (line.split("│") for line in result.stdout.splitlines() if line.count("│") >= 6)
        return {int(cells[1]): cells[3].strip() for cells in rows if cells[1].strip().isdigit()}

    both = listed()
    assert both[draft] == "draft" and both[pending] == "pending"
    only_pending = listed("--status", "pending")
    assert pending in only_pending and draft not in only_pending and set(only_pending.values()) == {"pending"}
    only_drafts = listed("--status", "draft")
    assert draft in only_drafts and pending not in only_drafts
    refused = run_cli("drafts", "--status", "publish", env=env)
    assert refused.returncode == 2 and "publish" in refused.stderr and "Traceback" not in refused.stderr


def test_bad_configuration_exits_2_with_the_key_named(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('[wordpress]\nurl = "https://a.test"\nusername = "ed"\ntransport = "soap"\n')
    result = run_cli("--config", str(config), "drafts")
    assert result.returncode == 2
    assert "wordpress.transport" in result.stderr and "Traceback" not in result.stderr


def test_doctor_names_an_outdated_companion_plugin(wordpress, model_server, without_companion):
    old = plugin_source().replace(f"'WP_SEO_BRIDGE_COMPANION_VERSION', '{COMPANION_VERSION}'", "'WP_SEO_BRIDGE_COMPANION_VERSION', '1.0.0'")
    assert old != plugin_source()
    with wordpress.mu_plugin("wp-seo-bridge-companion-old", old):
        result = run_cli("doctor", env=doctor_env(wordpress, model_server))
    assert result.returncode == 1
    assert "older than 1.1.0" in line(result.stdout, "companion plugin")


def test_doctor_warns_of_a_companion_plugin_without_the_sync_fields(wordpress, model_server, without_companion):
    old = plugin_source().replace(f"'WP_SEO_BRIDGE_COMPANION_VERSION', '{COMPANION_VERSION}'", "'WP_SEO_BRIDGE_COMPANION_VERSION', '1.1.0'")
    assert old != plugin_source()
    with wordpress.mu_plugin("wp-seo-bridge-companion-old", old):
        result = run_cli("doctor", env=doctor_env(wordpress, model_server))
    shown = line(result.stdout, "companion plugin")
    assert shown.lstrip().startswith("warn") and "1.2.0 or later" in shown and "open in the editor" in shown
