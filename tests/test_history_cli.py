"""`wp-seo-bridge history`: the runs, a run's posts and a post's story, from the journal alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.fake_openai import CHAT, FakeOpenAI, answer
from tests.test_journal import a_post
from tests.test_journal_runs import PRICES, a_call, a_result
from wp_seo_bridge.journal import Journal
from wp_seo_bridge.sync.results import Lights

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("WP_SEO_BRIDGE_", "OPENAI_"))}
    return {**base, "COLUMNS": "250", "NO_COLOR": "1", "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_STATE_HOME": str(tmp_path / "state"), **extra}


def history(tmp_path: Path, *args: str, config: Path | None = None, **extra: str) -> subprocess.CompletedProcess:
    options = ["--config", str(config)] if config else []
    return subprocess.run([sys.executable, "-m", "wp_seo_bridge", *options, "history", *args],
                          env=env_for(tmp_path, **extra), capture_output=True, text=True, timeout=60, cwd=ROOT)


def journal_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "wp-seo-bridge" / "journal.sqlite3"


@pytest.fixture
def filled(tmp_path) -> dict[str, int]:
    """A journal with a finished run of "blog" (prices known), an interrupted one, and a run of "shop"."""
    with Journal(journal_path(tmp_path)) as journal:
        first = journal.start_run("blog", {"limit": 10})
        journal.log_calls("blog", 7, [a_call(), a_call(outcome="RateLimited", prompt=0, completion=0)], run_id=first,
                          prices=PRICES)
        journal.record_run_post(first, "blog", a_result(7, calls=2))
        journal.record_run_post(first, "blog", a_result(8, "needs_attention", reason="Readability stayed bad.",
                                                        after=Lights("good", "bad")))
        journal.record_run_post(first, "blog", a_result(9, "skipped", cost=0.0, calls=0, before=None, after=None,
                                                        reason="Modified 2 minutes ago."))
        journal.end_run(first, {"selected": 2, "rewritten": 1, "needs_attention": 1, "failed": 0, "skipped": 1,
                                "calls": 3, "prompt_tokens": 3000, "completion_tokens": 1500, "cost": 0.012})
        kept = journal.keep_original("blog", a_post(id=7, title="Brouillon d’origine"), "sha256:x")
        journal.mark_written(kept, {"title": "h"})
        journal.mark_restored(kept)
        refused = journal.keep_original("blog", a_post(id=7), "sha256:y")
        journal.mark_not_written(refused, "Post 7 changed on the site since it was read (title)")
        crashed = journal.start_run("blog", {})
        journal.log_calls("blog", 7, [a_call(2000, 100)], run_id=crashed)  # prices unknown then
        journal.record_run_post(crashed, "blog", a_result(7, "failed", cost=None, reason="The model timed out."))
        journal.close_interrupted_runs("blog")
        shop = journal.start_run("shop", {"trigger": "notification"})
    return {"first": first, "crashed": crashed, "shop": shop}


def test_an_empty_journal_says_there_is_nothing_yet_and_is_not_created(tmp_path):
    text = history(tmp_path)
    assert text.returncode == 0, text.stderr
    assert "Nothing yet" in text.stdout and "no sync run" in text.stdout
    as_json = history(tmp_path, "--json")
    assert as_json.returncode == 0 and json.loads(as_json.stdout) == {"runs": []}
    post = history(tmp_path, "--post", "7", "--json")
    assert json.loads(post.stdout) == {"post_id": 7, "runs": [], "calls": [], "originals": []}
    assert "nothing about post 7" in history(tmp_path, "--post", "7").stdout
    assert not journal_path(tmp_path).exists()


def test_the_latest_runs_with_their_totals_and_cost(tmp_path, filled):
    text = history(tmp_path)
    assert text.returncode == 0, text.stderr
    lines = {line.split("│")[1].strip(): line for line in text.stdout.splitlines() if line.count("│") > 5}
    first, crashed, shop = (lines[str(filled[key])] for key in ("first", "crashed", "shop"))
    assert "finished" in first and "0.0120" in first and "│ 4,500 " in first
    assert "interrupted" in crashed and "unknown" in crashed
    assert "running" in shop and "shop" in shop
    assert "│ notification │" in shop and "│ sync " in first  # what started each run (older runs: sync)
    assert text.stdout.index(f"│ {filled['shop']} ") < text.stdout.index(f"│ {filled['first']} ")  # newest first

    data = json.loads(history(tmp_path, "--json").stdout)
    assert [run["id"] for run in data["runs"]] == [filled["shop"], filled["crashed"], filled["first"]]
    first_run = data["runs"][2]
    assert first_run["totals"]["cost"] == 0.012 and first_run["options"] == {"limit": 10}
    assert data["runs"][1]["status"] == "interrupted" and data["runs"][1]["totals"]["cost"] is None
    assert data["runs"][1]["totals"]["failed"] == 1

    limited = json.loads(history(tmp_path, "--limit", "1", "--json").stdout)
    assert [run["id"] for run in limited["runs"]] == [filled["shop"]]
    blog = json.loads(history(tmp_path, "--site", "blog", "--json").stdout)
    assert [run["site"] for run in blog["runs"]] == ["blog", "blog"]


def test_one_run_lists_its_posts_with_their_lights_before_and_after(tmp_path, filled):
    text = history(tmp_path, "--run", str(filled["first"]))
    assert text.returncode == 0, text.stderr
    out = text.stdout
    assert f"Run {filled['first']} of blog (sync): finished" in out and "3,000 tokens in, 1,500 out, cost 0.0120" in out
    row_8 = next(line for line in out.splitlines() if "│ 8 " in line)
    assert "needs attention" in row_8 and "Readability stayed bad." in row_8 and "bad -> good" in row_8
    assert "ok -> bad" in row_8
    assert "Modified 2 minutes ago." in out

    data = json.loads(history(tmp_path, "--run", str(filled["first"]), "--json").stdout)
    assert data["run"]["id"] == filled["first"] and [p["post_id"] for p in data["posts"]] == [7, 8, 9]
    post_8 = data["posts"][1]
    assert post_8["outcome"] == "needs_attention" and post_8["cost"] == pytest.approx(0.006)
    assert post_8["before"] == {"seo": "bad", "readability": "ok"} and post_8["after"] == {"seo": "good",
                                                                                          "readability": "bad"}
    assert data["posts"][2]["before"] is None
    crashed = json.loads(history(tmp_path, "--run", str(filled["crashed"]), "--json").stdout)
    assert crashed["posts"][0]["cost"] is None and crashed["run"]["totals"]["cost"] is None


def test_a_post_over_time_runs_calls_and_originals(tmp_path, filled):
    text = history(tmp_path, "--post", "7")
    assert text.returncode == 0, text.stderr
    out = text.stdout
    assert "In sync runs" in out and "Model calls" in out and "Originals kept" in out
    assert "The model timed out." in out and "1.2 s" in out and "RateLimited" in out
    assert "Brouillon d’origine" in out and "not written: Post 7 changed on the site" in out
    calls = [line for line in out.splitlines() if "gpt-test" in line]
    assert len(calls) == 3 and "0.0060" in calls[0] and "unknown" in calls[2]

    data = json.loads(history(tmp_path, "--post", "7", "--json").stdout)
    assert [r["outcome"] for r in data["runs"]] == ["rewritten", "failed"]
    assert [c["cost"] for c in data["calls"]] == [pytest.approx(0.006), 0.0, None]
    assert [c["run_id"] for c in data["calls"]] == [filled["first"], filled["first"], filled["crashed"]]
    restored, refused = data["originals"]
    assert restored["written"] is True and restored["restored_at"] and restored["title"] == "Brouillon d’origine"
    assert refused["written"] is False and "changed on the site" in refused["not_written_reason"]
    assert "content" not in restored  # the kept draft itself stays in the journal
    assert json.loads(history(tmp_path, "--post", "7", "--site", "shop", "--json").stdout)["runs"] == []


@pytest.mark.parametrize(("args", "expected"), [
    (["--run", "999"], "holds no run 999"),
    (["--run", "-3"], "--run must be a positive whole number (got '-3')"),
    (["--run", "x"], "--run must be a positive whole number (got 'x')"),
    (["--limit", "0"], "--limit must be a positive whole number (got '0')"),
    (["--limit", "-1"], "--limit must be a positive whole number"),
    (["--post", "-7"], "The post ID must be a positive whole number (got '-7')"),
    (["--post", "7", "--run", "1"], "Give --post or --run, not both."),
    (["--run", "SHOP"], "positive whole number"),
])
def test_bad_options_are_one_clear_error_with_exit_code_2(tmp_path, filled, args, expected):
    as_json = history(tmp_path, *args, "--json")
    assert as_json.returncode == 2 and "Traceback" not in as_json.stderr
    error = json.loads(as_json.stdout)["error"]
    assert expected in error["message"] and error["type"] == "InputError" and error["hint"]
    text = history(tmp_path, *args)
    assert text.returncode == 2 and text.stdout == "" and "Traceback" not in text.stderr
    assert expected in " ".join(text.stderr.split())


def test_a_run_of_another_site_is_unknown_with_site(tmp_path, filled):
    result = history(tmp_path, "--run", str(filled["shop"]), "--site", "blog", "--json")
    assert result.returncode == 2 and "holds no run" in json.loads(result.stdout)["error"]["message"]


def test_the_journal_path_comes_from_the_configuration(tmp_path, filled):
    elsewhere = tmp_path / "elsewhere.sqlite3"
    with Journal(elsewhere) as journal:
        only = journal.start_run("other", {})
    data = json.loads(history(tmp_path, "--json", WP_SEO_BRIDGE_JOURNAL_PATH=str(elsewhere)).stdout)
    assert [run["id"] for run in data["runs"]] == [only]


def test_history_loads_neither_the_model_sdk_nor_the_wordpress_client(tmp_path, filled):
    probe = ("import runpy, sys\nsys.argv = ['wp-seo-bridge', 'history', '--post', '7', '--json']\n"
             "try:\n    runpy.run_module('wp_seo_bridge', run_name='__main__')\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in ('openai', 'requests', 'wp_seo_bridge.bridge', 'wp_seo_bridge.wordpress.site')"
             " if m in sys.modules), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", probe], env=env_for(tmp_path), capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert json.loads(done.stdout)["post_id"] == 7
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_a_rewrite_through_the_real_wordpress_shows_in_the_post_history(wordpress, tmp_path):
    post_id = wordpress.create_post(post_title="Pour l’historique", post_content=(SEEDS / "article-2.txt").read_text())
    with FakeOpenAI(api_key="sk-history") as model_server:
        model_server.queue(CHAT, answer((ROOT / "tests" / "fixtures" / "rewrites" / "article-2.json").read_text()))
        site_env = {"WP_SEO_BRIDGE_WORDPRESS_URL": wordpress.url,
                    "WP_SEO_BRIDGE_WORDPRESS_USERNAME": wordpress.editor_user,
                    "WP_SEO_BRIDGE_WP_APP_PASSWORD": wordpress.editor_app_password,
                    "WP_SEO_BRIDGE_MODEL_BASE_URL": model_server.base_url, "OPENAI_API_KEY": "sk-history"}
        rewrite = subprocess.run([sys.executable, "-m", "wp_seo_bridge", "rewrite", str(post_id)],
                                 env=env_for(tmp_path, **site_env), capture_output=True, text=True, timeout=120)
        assert rewrite.returncode == 0, rewrite.stderr
    for args in ([], ["--site", "default"]):
        data = json.loads(history(tmp_path, "--post", str(post_id), *args, "--json", **site_env).stdout)
        (call,) = data["calls"]
        assert call["outcome"] == "ok" and call["run_id"] is None and call["cost"] is None
        (original,) = data["originals"]
        assert original["written"] is True and original["title"] == "Pour l’historique"
    text = history(tmp_path, "--post", str(post_id), **site_env)
    assert "Originals kept" in text.stdout and "written 20" in text.stdout and "unknown" in text.stdout


def test_a_site_of_the_configuration_is_found_under_its_name_and_its_url(tmp_path):
    config = tmp_path / "sites.toml"
    config.write_text('[sites.blog]\nurl = "https://blog.example.org"\nusername = "bob"\n', encoding="utf-8")
    with Journal(journal_path(tmp_path)) as journal:
        run_id = journal.start_run("blog", {})
        journal.record_run_post(run_id, "blog", a_result(7))
        journal.log_calls("https://blog.example.org", 7, [a_call()])  # a rewrite logs the site's address
        journal.log_calls("https://other.example.org", 7, [a_call()])
    data = json.loads(history(tmp_path, "--post", "7", "--site", "blog", "--json", config=config,
                              WP_SEO_BRIDGE_SITES_BLOG_WP_APP_PASSWORD="secret").stdout)
    assert len(data["runs"]) == 1 and [c["site"] for c in data["calls"]] == ["https://blog.example.org"]
