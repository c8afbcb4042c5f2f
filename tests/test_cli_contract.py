"""The command's contract with scripts and users, through the real command and the fake model server.

With ``--json``, exactly one JSON document on stdout, whatever happens: a mistyped option or value
(exit code 2), an error, an interruption (exit code 130). ``--output`` is checked before any model
call, never replaces the draft, and replaces an existing file only with ``--overwrite``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.fake_openai import CHAT, FakeOpenAI, Reply, answer, chat_completion

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
API_KEY = "sk-test-contract"


@pytest.fixture
def model_server():
    with FakeOpenAI() as server:
        yield server


def fixture_answer() -> str:
    return (FIXTURES / "rewrites" / "article-1.json").read_text(encoding="utf-8")


def cli_env(tmp_path: Path, model_server: FakeOpenAI, **extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("WP_SEO_BRIDGE_", "OPENAI_"))}
    return {**base, "COLUMNS": "250", "NO_COLOR": "1", "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_DATA_HOME": str(tmp_path / "data"),
            "OPENAI_API_KEY": API_KEY, "OPENAI_BASE_URL": model_server.base_url,
            "WP_SEO_BRIDGE_MODEL_MAX_RETRIES": "0", **extra}


def run_cli(*args: str, env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wp_seo_bridge", *args], env=env, capture_output=True, text=True,
                          timeout=120, cwd=cwd)


def one_document(stdout: str) -> dict:
    """stdout parsed as exactly one JSON document (json.loads refuses anything after it)."""
    return json.loads(stdout)


@pytest.fixture
def draft(tmp_path) -> Path:
    path = tmp_path / "brouillon.txt"
    path.write_text((SEEDS / "article-1.txt").read_text(encoding="utf-8"), encoding="utf-8")
    return path


# -- usage errors with --json --------------------------------------------------------------------


@pytest.mark.parametrize(("args", "expected"), [
    (["rewrite", "abc", "--json"], "The post ID must be a positive whole number (got 'abc')"),
    (["rewrite", "--json", "--", "-5"], "The post ID must be a positive whole number (got '-5')"),
    (["analyze", "0", "--json"], "The post ID must be a positive whole number (got '0')"),
    (["drafts", "--limit", "0", "--json"], "'--limit'"),
    (["drafts", "--status", "publish", "--json"], "'publish' is not one of 'draft', 'pending'"),
    (["drafts", "--bogus", "--json"], "No such option: --bogus"),
    (["restore", "5", "--json"], "No such option: --json"),
])
def test_usage_errors_are_one_json_document_with_exit_code_2(tmp_path, model_server, args, expected):
    result = run_cli(*args, env=cli_env(tmp_path, model_server))
    assert result.returncode == 2, result.stderr
    error = one_document(result.stdout)["error"]
    assert error["type"] == "InputError" and expected in error["message"] and error["hint"]
    assert "Usage:" not in result.stderr and "Traceback" not in result.stderr
    assert model_server.requests == []


def test_usage_errors_without_json_are_shown_as_before(tmp_path, model_server):
    result = run_cli("drafts", "--limit", "0", env=cli_env(tmp_path, model_server))
    assert result.returncode == 2 and result.stdout == ""
    assert "Usage: wp-seo-bridge drafts" in result.stderr and "'--limit'" in result.stderr
    negative = run_cli("restore", "--", "-3", env=cli_env(tmp_path, model_server))
    assert negative.returncode == 2 and "positive whole number (got '-3')" in " ".join(negative.stderr.split())


def test_a_folder_given_as_configuration_is_called_a_folder(tmp_path, model_server):
    result = run_cli("--config", str(tmp_path), "drafts", "--json", env=cli_env(tmp_path, model_server))
    error = one_document(result.stdout)["error"]
    assert result.returncode == 2 and "is a folder, not a file" in error["message"]


# -- interruption -------------------------------------------------------------------------------


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "text"])
def test_an_interruption_is_reported(tmp_path, model_server, draft, as_json):
    model_server.queue(CHAT, Reply(body=chat_completion(fixture_answer()), delay=30))
    args = [sys.executable, "-m", "wp_seo_bridge", "rewrite", "--file", str(draft)] + (["--json"] if as_json else [])
    # A job started in the background by a non-interactive shell (as CI may run the suite) inherits an
    # ignored SIGINT, and Python keeps it ignored: give the command the default, as a terminal would.
    process = subprocess.Popen(args, env=cli_env(tmp_path, model_server), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 60
        while not model_server.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        assert model_server.requests, "the model was called"
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130 and "Traceback" not in stderr
    if as_json:
        error = one_document(stdout)["error"]
        assert error["type"] == "Interrupted" and "Interrupted" in error["message"] and error["hint"]
    else:
        assert stdout == "" and "Interrupted" in stderr


# -- --output -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("make", "expected"), [
    (lambda tmp: tmp / "absent" / "x.html", "does not exist"),
    (lambda tmp: tmp, "is a folder"),
    (lambda tmp: str(tmp / "sub") + "/", "is a folder"),
], ids=["missing-folder", "folder", "trailing-slash"])
def test_a_bad_output_path_is_refused_before_any_model_call(tmp_path, model_server, draft, make, expected):
    model_server.queue(CHAT, answer(fixture_answer()))
    result = run_cli("rewrite", "--file", str(draft), "--output", str(make(tmp_path)), "--json",
                     env=cli_env(tmp_path, model_server))
    assert result.returncode == 2
    error = one_document(result.stdout)["error"]
    assert error["type"] == "InputError" and expected in error["message"] and error["hint"]
    assert model_server.requests == [], "nothing was sent to the model"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_an_output_folder_that_is_not_writable_is_refused(tmp_path, model_server, draft):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = run_cli("rewrite", "--file", str(draft), "--output", str(locked / "a.html"), "--json",
                     env=cli_env(tmp_path, model_server))
    assert result.returncode == 2 and "is not writable" in one_document(result.stdout)["error"]["message"]
    assert model_server.requests == []


def test_the_output_is_never_the_draft(tmp_path, model_server, draft):
    original = draft.read_bytes()
    (tmp_path / "link.txt").symlink_to(draft)
    for output, cwd in ((str(draft), None), ("brouillon.txt", tmp_path), ("./link.txt", tmp_path)):
        for extra in ([], ["--overwrite"]):
            result = run_cli("rewrite", "--file", str(draft), "--output", output, *extra,
                             env=cli_env(tmp_path, model_server), cwd=cwd)
            assert result.returncode == 2 and "is the draft file itself" in " ".join(result.stderr.split())
    assert draft.read_bytes() == original and model_server.requests == []


def test_an_existing_output_is_replaced_only_with_overwrite(tmp_path, model_server, draft):
    target = tmp_path / "article.html"
    target.write_text("le travail de quelqu'un", encoding="utf-8")
    target.chmod(0o640)
    refused = run_cli("rewrite", "--file", str(draft), "--output", str(target), "--json",
                      env=cli_env(tmp_path, model_server))
    error = one_document(refused.stdout)["error"]
    assert refused.returncode == 2 and "already exists" in error["message"] and "--overwrite" in error["hint"]
    assert target.read_text(encoding="utf-8") == "le travail de quelqu'un" and model_server.requests == []

    model_server.queue(CHAT, answer(fixture_answer()))
    result = run_cli("rewrite", "--file", str(draft), "--output", str(target), "--overwrite", "--json",
                     env=cli_env(tmp_path, model_server))
    assert result.returncode == 0, result.stderr
    report = one_document(result.stdout)
    assert report["outcome"] == "preview" and report["output_file"] == str(target)
    assert target.read_text(encoding="utf-8") == report["content"]
    assert oct(target.stat().st_mode & 0o777) == oct(0o640), "the replaced file keeps its mode"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".article")) == []


def test_a_new_output_file_is_written_and_reported_in_text_mode(tmp_path, model_server, draft):
    model_server.queue(CHAT, answer(fixture_answer()))
    target = tmp_path / "nouveau.html"
    result = run_cli("rewrite", "--file", str(draft), "--output", str(target), env=cli_env(tmp_path, model_server))
    assert result.returncode == 0, result.stderr
    assert "<!-- wp:" in target.read_text(encoding="utf-8") and "Wrote the article's markup" in result.stderr


def test_bracketed_text_in_the_commands_help_is_shown_as_written():
    """Rich reads ``[model]`` or ``[default: 20]`` in a help text as markup and drops it unless escaped."""
    import re

    import typer.main
    from typer.testing import CliRunner

    from wp_seo_bridge.cli import app

    command = typer.main.get_command(app)
    runner = CliRunner()
    missing = []
    for name, sub in command.commands.items():
        texts = [sub.help or ""] + [getattr(param, "help", None) or "" for param in sub.params]
        expected = [m.replace("\\", "") for text in texts for m in re.findall(r"\\?\[[A-Za-z][^\]\n]*\]", text)]
        if not expected:
            continue
        shown = " ".join(runner.invoke(app, [name, "--help"], env={"COLUMNS": "1000"}, prog_name="wp-seo-bridge")
                         .output.split())
        missing += [f"{name}: {text}" for text in expected if text not in shown]
    assert not missing


def test_each_paragraph_of_a_commands_help_is_one_line_so_it_wraps_as_a_whole():
    """Typer's Rich help keeps a docstring's line breaks: a paragraph written over two source lines showed as a
    line cut in the middle of a sentence ("... the secret WordPress signs its notifications / with comes from")."""
    import typer.main

    from wp_seo_bridge.cli import app

    command = typer.main.get_command(app)
    broken = []
    for name, sub in command.commands.items():
        for paragraph in (sub.help or "").split("\n\n"):
            if "\n" in paragraph.strip():
                broken.append(f"{name}: {paragraph.strip()[:60]!r}")
    assert not broken
