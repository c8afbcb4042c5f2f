"""The model endpoint as configured and as it answers, through the real command, the real ``openai`` SDK
and the fake model server: a query string or credentials in ``model.base_url``, and answers that are
not chat completions (a proxy's page, no choices).
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.fake_openai import CHAT, FakeOpenAI, Reply, answer, html_page, no_choices

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
API_KEY = "sk-test-endpoint"


@pytest.fixture
def model_server():
    with FakeOpenAI() as server:
        yield server


def fixture_answer() -> str:
    return (FIXTURES / "rewrites" / "article-1.json").read_text(encoding="utf-8")


def cli_env(tmp_path: Path, base_url: str, *, api_key: str | None = API_KEY, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WP_SEO_BRIDGE_", "OPENAI_"))}
    env.update({"COLUMNS": "250", "NO_COLOR": "1", "XDG_CONFIG_HOME": str(tmp_path / "config"),
                "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_DATA_HOME": str(tmp_path / "data"),
                "WP_SEO_BRIDGE_MODEL_BASE_URL": base_url, "WP_SEO_BRIDGE_MODEL_MAX_RETRIES": "0", **extra})
    if api_key is not None:
        env["OPENAI_API_KEY"] = api_key
    return env


def site_env(wordpress) -> dict[str, str]:
    return {"WP_SEO_BRIDGE_WORDPRESS_URL": wordpress.url, "WP_SEO_BRIDGE_WORDPRESS_USERNAME": wordpress.editor_user,
            "WP_SEO_BRIDGE_WP_APP_PASSWORD": wordpress.editor_app_password}


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wp_seo_bridge", *args], env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def draft(tmp_path) -> Path:
    path = tmp_path / "brouillon.txt"
    path.write_text((SEEDS / "article-1.txt").read_text(encoding="utf-8"), encoding="utf-8")
    return path


# -- answers that are not chat completions --------------------------------------------------------


@pytest.mark.parametrize(("reply", "said"), [
    (html_page(), "a page that is not JSON (text/html"),
    (no_choices(), "a completion without any answer"),
    (Reply(body={"detail": "Not Found"}), "JSON that is not a chat completion"),
], ids=["html-page", "no-choices", "other-json"])
@pytest.mark.parametrize("mode", ["json_schema", "json_object"])
def test_an_answer_that_is_not_a_chat_completion_is_a_model_error(tmp_path, model_server, draft, reply, said, mode):
    model_server.queue(CHAT, reply)
    env = cli_env(tmp_path, model_server.base_url, WP_SEO_BRIDGE_MODEL_STRUCTURED_OUTPUT=mode)
    result = run_cli("rewrite", "--file", str(draft), "--json", env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    error = json.loads(result.stdout)["error"]
    assert error["type"] == "NotAChatCompletion" and "did not return a chat completion" in error["message"]
    assert said in error["message"] and model_server.base_url in error["message"]
    assert "`model.base_url`" in error["hint"] and "Traceback" not in result.stderr
    assert len(model_server.requests) == 1


def test_a_proxy_page_for_a_post_is_logged_in_the_journal_and_changes_nothing(wordpress, model_server, tmp_path):
    post_id = wordpress.create_post(post_title="Derrière un proxy",
                                    post_content=(SEEDS / "article-1.txt").read_text(encoding="utf-8"))
    before = wordpress.php_json(f"echo json_encode(get_post({post_id}, ARRAY_A));")
    model_server.queue(CHAT, html_page())
    env = {**cli_env(tmp_path, model_server.base_url), **site_env(wordpress)}
    result = run_cli("rewrite", str(post_id), env=env)
    assert result.returncode == 1 and "Unexpected" not in result.stderr and "Traceback" not in result.stderr
    assert "did not return a chat completion" in " ".join(result.stderr.split())
    assert wordpress.php_json(f"echo json_encode(get_post({post_id}, ARRAY_A));") == before
    with sqlite3.connect(tmp_path / "data" / "wp-seo-bridge" / "journal.sqlite3") as db:
        outcomes = [row[0] for row in db.execute("SELECT outcome FROM model_calls WHERE post_id = ?", (post_id,))]
    assert outcomes == ["NotAChatCompletion"]


def test_doctor_says_when_the_endpoint_is_a_web_page(tmp_path, model_server):
    model_server.queue("/v1/models", html_page())
    result = run_cli("doctor", "--json", env=cli_env(tmp_path, model_server.base_url,
                                                      WP_SEO_BRIDGE_WORDPRESS_URL="http://127.0.0.1:9",
                                                      WP_SEO_BRIDGE_WORDPRESS_USERNAME="ed"))
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    model = checks["language model reachable"]
    assert model["status"] == "fail" and "did not answer a model listing" in model["detail"]
    assert "`model.base_url`" in model["hint"]


# -- the endpoint's address -----------------------------------------------------------------------


@pytest.mark.parametrize(("suffix", "path", "query"), [
    ("?api-key=k3y-in-query", "/v1/chat/completions", "api-key=k3y-in-query"),
    ("/openai/deployments/gpt?api-version=2024-02-01", "/v1/openai/deployments/gpt/chat/completions",
     "api-version=2024-02-01"),
], ids=["api-key", "azure-style"])
def test_a_query_string_in_the_endpoint_is_sent_as_parameters(tmp_path, model_server, draft, suffix, path, query):
    model_server.responder = lambda request: answer(fixture_answer()) if request.path == path else Reply(404, {})
    result = run_cli("rewrite", "--file", str(draft), "--json", env=cli_env(tmp_path, model_server.base_url + suffix))
    assert result.returncode == 0, result.stdout + result.stderr
    (request,) = model_server.requests
    assert (request.path, request.query) == (path, query)
    assert "k3y-in-query" not in result.stdout + result.stderr and "api-version" not in result.stdout

    doctor = run_cli("doctor", "--json", env=cli_env(tmp_path, model_server.base_url + suffix,
                                                     WP_SEO_BRIDGE_WORDPRESS_URL="http://127.0.0.1:9",
                                                     WP_SEO_BRIDGE_WORDPRESS_USERNAME="ed"))
    listing = model_server.requests[-1]
    assert listing.method == "GET" and listing.path == path.replace("/chat/completions", "/models")
    assert listing.query == query and "k3y-in-query" not in doctor.stdout + doctor.stderr


def test_credentials_in_the_endpoint_are_sent_as_basic_authentication(tmp_path, model_server, draft):
    model_server.queue(CHAT, answer(fixture_answer()))
    base_url = model_server.base_url.replace("http://", "http://bob:s3cr%40t@")
    result = run_cli("rewrite", "--file", str(draft), "--json", env=cli_env(tmp_path, base_url, api_key=None))
    assert result.returncode == 0, result.stdout + result.stderr
    (request,) = model_server.requests
    assert request.headers["authorization"] == "Basic " + base64.b64encode(b"bob:s3cr@t").decode()
    assert "s3cr" not in result.stdout + result.stderr


def test_credentials_in_the_endpoint_and_an_api_key_are_refused_before_any_call(tmp_path, model_server, draft):
    base_url = model_server.base_url.replace("http://", "http://bob:s3cr3t@")
    result = run_cli("rewrite", "--file", str(draft), "--json", env=cli_env(tmp_path, base_url))
    assert result.returncode == 2
    error = json.loads(result.stdout)["error"]
    assert error["type"] == "ConfigError" and "WP_SEO_BRIDGE_MODEL_BASE_URL" in error["message"]
    assert "OPENAI_API_KEY" in error["message"] and "unset OPENAI_API_KEY" in error["hint"]
    assert "s3cr3t" not in result.stdout + result.stderr and model_server.requests == []
