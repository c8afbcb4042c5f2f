"""The ``sync`` and ``watch`` commands' contract: options checked before anything starts, exit codes
for cron, ``--json`` as one document, plain lines off a terminal.

Usage errors run the real command in a subprocess. The rest runs the command in-process with a fake
runner put in place of :mod:`wp_seo_bridge.sync.runner`, so that these tests hold whatever the
runner does; the runner's own tests, and ``tests/test_sync_watch.py``'s SIGTERM test, use the real
WordPress and the fake model server.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import types
from pathlib import Path

import pytest

from wp_seo_bridge.cli_errors import state
from wp_seo_bridge.errors import ConfigError, WordPressError
from wp_seo_bridge.sync.options import SyncOptions
from wp_seo_bridge.sync.results import PostResult, RunResult, Totals

HOSTILE = "Titre\x1b[2J [bold]gras[/] \u202eenrevni"
REWRITTEN = PostResult(41, "Un titre", "rewritten", calls=1, prompt_tokens=1000, completion_tokens=200, cost=0.002)
SKIPPED = PostResult(42, HOSTILE, "skipped", reason="Modified 2 minutes ago; the author may still be typing.")
ATTENTION = PostResult(43, "À revoir", "needs_attention", reason="A figure of the draft is missing.", calls=2,
                       prompt_tokens=2000, completion_tokens=300, cost=None)
FINE = RunResult("blog", 12, False, posts=(REWRITTEN, SKIPPED),
                 totals=Totals(selected=1, rewritten=1, skipped=1, calls=1, prompt_tokens=1000,
                               completion_tokens=200, cost=0.002))
NEEDS_ATTENTION = RunResult("shop", 13, False, posts=(ATTENTION,),
                            totals=Totals(selected=1, needs_attention=1, calls=2, prompt_tokens=2000,
                                          completion_tokens=300, cost=None))
NOTHING = RunResult("blog", 14, False, posts=(SKIPPED,), totals=Totals(skipped=1))
BUSY = RunResult("blog", None, False, already_running=True)


class FakeRunner:
    """``run_sync`` as the runner offers it: plays its results' events, or raises ``error``."""

    def __init__(self) -> None:
        self.calls: list[SyncOptions] = []
        self.results: list[RunResult] = []
        self.error: Exception | None = None
        self.during = None  # called with (round number, stop event) while a run is going

    def run_sync(self, settings, options, *, events, stop=None):
        self.calls.append(options)
        if self.during is not None:
            self.during(len(self.calls), stop)
        if self.error is not None:
            raise self.error
        for result in self.results:
            if result.already_running:
                events.run_finished(result)
                continue
            events.run_started(result.site, result.run_id, result.totals.selected, result.totals.skipped,
                               result.dry_run)
            for post in result.posts:
                if post.outcome != "skipped":
                    events.post_started(result.site, post.id, post.title)
                events.post_finished(result.site, post)
            events.run_finished(result)
        return list(self.results)


@pytest.fixture
def runner(monkeypatch):
    fake = FakeRunner()
    module = types.ModuleType("wp_seo_bridge.sync.runner")
    module.run_sync = fake.run_sync
    monkeypatch.setitem(sys.modules, "wp_seo_bridge.sync.runner", module)
    return fake


@pytest.fixture
def config(tmp_path, monkeypatch) -> Path:
    for name in list(os.environ):
        if name.startswith(("WP_SEO_BRIDGE_", "OPENAI_")):
            monkeypatch.delenv(name)
    path = tmp_path / "config.toml"
    path.write_text('[wordpress]\nurl = "https://blog.test"\nusername = "ed"\n', encoding="utf-8")
    return path


@pytest.fixture
def invoke(config, monkeypatch, capsys):
    """Run ``wp-seo-bridge --config CONFIG ARGS...`` in-process: (exit code, stdout, stderr)."""

    def call(*args: str) -> tuple[int, str, str]:
        from wp_seo_bridge import cli

        for name, value in (("as_json", False), ("printed_json", False), ("config_path", None)):
            monkeypatch.setattr(state, name, value)
        monkeypatch.setattr(sys, "argv", ["wp-seo-bridge", "--config", str(config), *args])
        with pytest.raises(SystemExit) as caught:
            cli.run()
        captured = capsys.readouterr()
        return caught.value.code, captured.out, captured.err

    return call


# -- usage errors: the real command, before anything starts -------------------------------------


def cli_env(tmp_path: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("WP_SEO_BRIDGE_", "OPENAI_"))}
    config = tmp_path / "config.toml"
    config.write_text('[wordpress]\nurl = "https://127.0.0.1:9"\nusername = "ed"\n', encoding="utf-8")
    return {**base, "COLUMNS": "200", "NO_COLOR": "1", "WP_SEO_BRIDGE_CONFIG": str(config),
            "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_DATA_HOME": str(tmp_path / "data")}


@pytest.mark.parametrize(("args", "expected"), [
    (["sync", "--force"], "--force works only with --post"),
    (["sync", "--post", "abc"], "The post ID must be a positive whole number (got 'abc')"),
    (["sync", "--post", "0"], "The post ID must be a positive whole number (got '0')"),
    (["sync", "--limit", "0"], "'--limit'"),
    (["sync", "--concurrency", "0"], "'--concurrency'"),
    (["sync", "--concurrency", "33"], "'--concurrency'"),
    (["sync", "--max-cost", "-1"], "'--max-cost'"),
    (["sync", "--max-cost", "nan"], "--max-cost"),
    (["sync", "--max-cost", "inf"], "--max-cost must be a number of 0 or more"),
    (["sync", "--site", " "], "--site needs a site's name"),
    (["watch", "--interval", "0"], "--interval must be a number of seconds greater than 0"),
    (["watch", "--interval", "nan"], "--interval must be a number of seconds greater than 0"),
    (["watch", "--force"], "No such option: --force"),
], ids=lambda value: " ".join(value) if isinstance(value, list) else None)
def test_usage_errors_exit_2_as_one_json_document(tmp_path, args, expected):
    result = subprocess.run([sys.executable, "-m", "wp_seo_bridge", *args, "--json"] if args[0] == "sync" else
                            [sys.executable, "-m", "wp_seo_bridge", *args], env=cli_env(tmp_path),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    if args[0] == "sync":
        error = json.loads(result.stdout)["error"]
        assert error["type"] == "InputError" and expected in error["message"] and error["hint"]
    else:
        assert expected in result.stderr and result.stdout == ""
    assert "Traceback" not in result.stderr


def test_force_without_post_is_refused_in_text_too(tmp_path):
    result = subprocess.run([sys.executable, "-m", "wp_seo_bridge", "sync", "--force"], env=cli_env(tmp_path),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    assert "--force works only with --post" in result.stderr and "Fix:" in result.stderr


# -- options and exit codes, with a fake runner ---------------------------------------------------


def test_options_reach_the_runner(invoke, runner):
    runner.results = [FINE]
    code, _, _ = invoke("sync", "--post", "5", "--post", "7", "--post", "5", "--force", "--limit", "3",
                        "--concurrency", "8", "--max-cost", "0.5", "--site", "blog", "--dry-run", "--json")
    assert code == 0
    assert runner.calls == [SyncOptions(limit=3, posts=(5, 7), dry_run=True, force=True, concurrency=8, max_cost=0.5,
                                        site="blog")]
    invoke("sync")
    assert runner.calls[-1] == SyncOptions()


@pytest.mark.parametrize(("results", "code"), [
    ([FINE], 0), ([NOTHING], 0), ([], 0), ([BUSY], 0), ([NEEDS_ATTENTION], 1), ([FINE, NEEDS_ATTENTION], 1),
    ([RunResult("blog", 15, False, posts=(PostResult(9, "T", "failed", reason="Timeout."),),
                totals=Totals(selected=1, failed=1))], 1),
    ([FINE, RunResult("shop", None, False, error="The site did not answer.", hint="Is it up?")], 2),
    ([RunResult("shop", 17, False, posts=(REWRITTEN,), totals=Totals(selected=2, rewritten=1),
                error="The site stopped answering.")], 1),
], ids=["fine", "nothing-to-do", "no-site", "already-running", "needs-attention", "one-site-of-two", "failed",
        "site-down", "site-down-midway"])
def test_exit_codes_for_cron(invoke, runner, results, code):
    runner.results = results
    assert invoke("sync")[0] == code
    assert invoke("sync", "--json")[0] == code


@pytest.mark.parametrize("error", [ConfigError("No site named 'shop'.", hint="Known sites: blog."),
                                   WordPressError("The site did not answer.", hint="Check [wordpress] url.")],
                         ids=["configuration", "connection"])
def test_an_error_before_any_post_exits_2(invoke, runner, error):
    runner.error = error
    code, out, err = invoke("sync", "--json")
    assert code == 2
    assert json.loads(out) == {"error": {"type": type(error).__name__, "message": error.message, "hint": error.hint}}
    code, out, err = invoke("sync")
    assert code == 2 and out == "" and error.message in err and "Fix:" in err


def test_json_is_the_only_thing_on_stdout(invoke, runner):
    runner.results = [FINE]
    code, out, err = invoke("sync", "--json")
    data = json.loads(out)
    assert code == 0 and data["site"] == "blog" and data["run_id"] == 12
    assert [post["outcome"] for post in data["posts"]] == ["rewritten", "skipped"]
    assert data["posts"][1]["title"] == HOSTILE and data["totals"]["rewritten"] == 1
    assert "\x1b" not in out and "\u202e" not in out


def test_json_of_several_sites(invoke, runner):
    runner.results = [FINE, NEEDS_ATTENTION, BUSY]
    code, out, _ = invoke("sync", "--json")
    data = json.loads(out)
    assert code == 1 and [site["site"] for site in data["sites"]] == ["blog", "shop", "blog"]
    assert data["sites"][1]["posts"][0]["cost"] is None and data["sites"][2]["already_running"] is True


def test_plain_lines_and_summary_off_a_terminal(invoke, runner):
    runner.results = [FINE, BUSY]
    code, out, _ = invoke("sync")
    lines = out.splitlines()
    assert code == 0
    assert any(line.endswith('blog post 41 rewritten (1 call, 1,200 tokens, cost 0.0020) "Un titre"') for line in lines)
    assert any(line.endswith("blog another sync of this site is running; nothing done") for line in lines)
    assert "Summary of blog: sync run 12" in lines
    assert "\x1b" not in out and "\u202e" not in out and "\\x1b[2J" in out and "[bold]gras[/]" in out


def test_a_signal_during_a_sync_stops_it_cleanly(invoke, runner):
    stopped = RunResult("blog", 16, False, stopped=True, posts=(REWRITTEN,),
                        totals=Totals(selected=3, rewritten=1, calls=1, cost=0.002))
    runner.results = [stopped]
    seen = []

    def during(round_number, stop):
        os.kill(os.getpid(), signal.SIGTERM)
        seen.append(stop.is_set())

    runner.during = during
    code, out, err = invoke("sync")
    assert code == 0 and seen == [True]
    assert "stopped before every selected post was processed" in out
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_watch_runs_rounds_until_a_signal(invoke, runner):
    runner.results = [FINE]

    def during(round_number, stop):
        if round_number == 2:
            os.kill(os.getpid(), signal.SIGTERM)

    runner.during = during
    code, out, err = invoke("watch", "--interval", "0.01", "--site", "blog", "--limit", "2")
    assert code == 0, err
    assert runner.calls == [SyncOptions(limit=2, site="blog", trigger="watch")] * 2
    assert out.splitlines()[-1].endswith("watch: stopped cleanly")  # "Stopping..." goes to fd 2, past capsys


def test_watch_goes_on_after_a_failed_round(invoke, runner):
    def during(round_number, stop):
        if round_number == 1:
            raise WordPressError("The site did not answer.", hint="Is it up?")
        if round_number == 3:
            stop.set()

    runner.during = during
    code, out, err = invoke("watch", "--interval", "0.01")
    assert code == 0 and len(runner.calls) == 3
    assert "The site did not answer." in err and "The next round tries again." in err


def test_watch_exits_2_on_a_configuration_error_in_its_first_round(invoke, runner):
    runner.error = ConfigError("No site named 'shop'.", hint="Known sites: blog.")
    code, out, err = invoke("watch", "--interval", "5", "--site", "shop")
    assert code == 2 and "No site named 'shop'." in err and len(runner.calls) == 1


def test_watch_takes_its_interval_from_the_configuration(invoke, runner, config):
    config.write_text(config.read_text(encoding="utf-8") + "[sync]\ninterval_seconds = 0.01\n", encoding="utf-8")

    def during(round_number, stop):
        if round_number == 3:
            stop.set()

    runner.during = during
    code, out, err = invoke("watch")
    assert code == 0 and len(runner.calls) == 3, err
    assert "every 0.01 seconds" in out
