"""``wp-seo-bridge demo`` end to end, as a user runs it: a real local WordPress started by the command, the
real sync, the fake model server through the real ``openai`` SDK, Ctrl-C, and nothing left behind."""

from __future__ import annotations

import re
import shutil
import signal
import time
from pathlib import Path

import pytest
import requests

from tests.support.demo_process import (
    WAITING,
    DemoProcess,
    no_leftovers,
    private_tmp,
    processes_naming,
    value_after,
)
from tests.support.fake_openai import FakeOpenAI
from tests.support.servers import closed_port

pytestmark = pytest.mark.wordpress

_URL = re.compile(r"WordPress (?:ready|started again) at (http://127\.0\.0\.1:\d+) in")
PASSWORD = "export WP_SEO_BRIDGE_WP_APP_PASSWORD="


@pytest.fixture
def tmp() -> Path:
    folder = private_tmp()
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def home(tmp_path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


@pytest.fixture
def demo_model():
    from tests.support.demo_model import DEMO_MODEL_KEY, DemoModel

    with FakeOpenAI(api_key=DEMO_MODEL_KEY) as server:
        server.responder = DemoModel()
        server.key = DEMO_MODEL_KEY
        yield server


def model_env(server: FakeOpenAI, tmp: Path) -> dict[str, str]:
    return {"TMPDIR": str(tmp), "OPENAI_API_KEY": server.key, "OPENAI_BASE_URL": server.base_url}


def chat_calls(server: FakeOpenAI) -> int:
    return sum(1 for r in server.requests if r.path.endswith("/chat/completions"))


def drafts_of(output: str) -> list[dict]:
    """The demo site's drafts, read over REST with the application password the demo printed."""
    url = _URL.search(output).group(1)
    auth = ("redaction", value_after(output, PASSWORD))
    answer = requests.get(f"{url}/wp-json/wp/v2/posts", params={"status": "draft", "context": "edit",
                                                               "per_page": 50}, auth=auth, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()


def assert_cleaned_up(tmp: Path, code: int, output: str, expected_code: int = 0) -> None:
    files, procs = no_leftovers(tmp)
    assert code == expected_code, output
    assert files == [], f"left in the demo's temporary folder: {files}\n{output}"
    assert procs == [], f"processes left running: {procs}\n{output}"
    assert "Traceback" not in output


def test_the_demo_rewrites_its_sample_drafts_then_removes_everything(tmp, home, demo_model):
    demo = DemoProcess(env=model_env(demo_model, tmp), home=home)
    try:
        output = demo.wait_for(WAITING, timeout=240)
        drafts = drafts_of(output)
    finally:
        demo.signal(signal.SIGINT)
        code, output = demo.finish()
    assert_cleaned_up(tmp, code, output)
    assert len(drafts) == 3, [d["title"]["raw"] for d in drafts]
    for draft in drafts:
        assert draft["status"] == "draft"
        words = len(re.sub(r"<[^>]+>", " ", draft["content"]["raw"]).split())
        assert words >= 700, (draft["id"], words)
        assert draft["meta"].get("_yoast_wpseo_focuskw"), draft["meta"]
    assert chat_calls(demo_model) == 3
    flat = " ".join(output.split())
    assert "3 rewritten" in flat, output
    assert "Lights before -> after the bridge" in flat
    assert "3 draft(s): one model call each, and up to 2 more when the quality gate asks for a repair" in flat
    assert len(re.findall(r"│ rewritten\s*│ \d+ -> \d+\s*│ ● \w+ -> ● good\s*│", output)) == 3, output
    assert "/wp-admin/edit.php?post_status=draft" in flat
    assert "every file removed" in flat
    assert not (home / ".local").exists(), "the user's own journal must not be touched"


def test_without_a_model_the_demo_shows_the_dry_run_and_what_to_set(tmp, home):
    demo = DemoProcess(env={"TMPDIR": str(tmp)}, home=home)
    try:
        output = demo.wait_for(WAITING, timeout=240)
        drafts = drafts_of(output)
    finally:
        demo.signal(signal.SIGTERM)
        code, output = demo.finish()
    assert_cleaned_up(tmp, code, output)
    flat = " ".join(output.split())
    assert "3 would be rewritten" in flat, output
    assert "no model is configured" in flat
    assert 'export OPENAI_API_KEY="sk-..."' in flat
    assert "export OPENAI_BASE_URL=" in flat
    assert "Lights before -> after" not in flat, "nothing may look rewritten without a model"
    assert len(drafts) == 3
    assert all(len(re.sub(r"<[^>]+>", " ", d["content"]["raw"]).split()) < 700 for d in drafts)


def test_a_model_that_does_not_answer_is_named_and_nothing_is_rewritten(tmp, home):
    """(Ended by SIGHUP, as when the terminal is closed.)"""
    env = {"TMPDIR": str(tmp), "OPENAI_API_KEY": "sk-demo", "OPENAI_BASE_URL": f"http://127.0.0.1:{closed_port()}/v1",
           "WP_SEO_BRIDGE_MODEL_MAX_RETRIES": "0", "WP_SEO_BRIDGE_MODEL_TIMEOUT": "5"}
    demo = DemoProcess(env=env, home=home)
    try:
        output = demo.wait_for(WAITING, timeout=240)
    finally:
        demo.signal(signal.SIGHUP)
        code, output = demo.finish()
    assert_cleaned_up(tmp, code, output)
    flat = " ".join(output.split())
    assert "the model did not answer the check" in flat, output
    assert "would be rewritten" in flat


def test_a_bad_configuration_is_refused_before_anything_starts(tmp, home):
    demo = DemoProcess(env={"TMPDIR": str(tmp), "WP_SEO_BRIDGE_MODEL_TIMOUT": "5"}, home=home)
    code, output = demo.finish(timeout=60)
    assert code == 2, output
    assert "WP_SEO_BRIDGE_MODEL_TIMOUT" in output and "WP_SEO_BRIDGE_MODEL_TIMEOUT" in output
    assert "Traceback" not in output
    assert list(tmp.iterdir()) == []


@pytest.mark.parametrize("args, message", [
    (["--max-cost", "-1"], "--max-cost"),
    (["--keep", "/etc/hostname"], "is not a folder"),
])
def test_bad_options_are_refused_before_anything_starts(tmp, home, args, message):
    demo = DemoProcess(*args, env={"TMPDIR": str(tmp)}, home=home)
    code, output = demo.finish(timeout=60)
    assert code == 2, output
    assert message in output
    assert list(tmp.iterdir()) == []


def test_keep_refuses_a_folder_that_is_not_a_demo_site_and_leaves_it_alone(tmp, home):
    folder = tmp / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    demo = DemoProcess("--keep", str(folder), env={"TMPDIR": str(tmp)}, home=home)
    code, output = demo.finish(timeout=60)
    assert code == 2, output
    assert "Traceback" not in output
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert processes_naming(str(folder)) == []


def test_a_kept_site_starts_again_with_its_rewritten_drafts_and_calls_no_model(tmp, home, demo_model):
    folder = tmp / "kept"
    env = model_env(demo_model, tmp)
    first = DemoProcess("--keep", str(folder), env=env, home=home)
    try:
        first.wait_for(WAITING, timeout=240)
    finally:
        first.signal(signal.SIGINT)
        code, output = first.finish()
    assert code == 0, output
    assert "3 rewritten" in " ".join(output.split())
    assert folder.is_dir() and processes_naming(str(folder)) == []
    calls = chat_calls(demo_model)

    second = DemoProcess("--keep", str(folder), env=env, home=home)
    try:
        output = second.wait_for(WAITING, timeout=240)
        drafts = drafts_of(output)
    finally:
        second.signal(signal.SIGINT)
        code, output = second.finish()
    assert code == 0, output
    assert "started again" in output
    assert chat_calls(demo_model) == calls, "a second run must not call the model for drafts already rewritten"
    assert len(drafts) == 3 and all(d["meta"].get("_yoast_wpseo_focuskw") for d in drafts)
    assert processes_naming(str(folder)) == []
    assert [p.name for p in tmp.iterdir()] == ["kept"], "only the kept folder may remain"


def test_sigterm_while_the_site_starts_removes_it(tmp, home):
    demo = DemoProcess(env={"TMPDIR": str(tmp)}, home=home)
    try:
        deadline = time.monotonic() + 120
        while not any(tmp.iterdir()):  # the site's folder exists: it is starting
            assert time.monotonic() < deadline and demo.process.poll() is None, demo.output
            time.sleep(0.02)
    finally:
        demo.signal(signal.SIGTERM)
        code, output = demo.finish()
    assert_cleaned_up(tmp, code, output, expected_code=130)
    assert "Interrupted" in output


def test_drafts_the_model_fails_on_are_explained_and_left_as_they_were(tmp, home):
    from tests.support.fake_openai import error

    with FakeOpenAI(api_key="sk-demo-failing") as server:
        server.responder = lambda request: error(500, "upstream failure")
        env = {"TMPDIR": str(tmp), "OPENAI_API_KEY": "sk-demo-failing", "OPENAI_BASE_URL": server.base_url,
               "WP_SEO_BRIDGE_MODEL_MAX_RETRIES": "0"}
        demo = DemoProcess(env=env, home=home)
        try:
            output = demo.wait_for(WAITING, timeout=240)
            drafts = drafts_of(output)
        finally:
            demo.signal(signal.SIGINT)
            code, output = demo.finish()
    assert_cleaned_up(tmp, code, output)
    flat = " ".join(output.split())
    assert "3 draft(s) failed: the summary says why" in flat, output
    assert "0 rewritten" in flat and "3 failed" in flat
    assert all(len(re.sub(r"<[^>]+>", " ", d["content"]["raw"]).split()) < 700 for d in drafts)
    assert not any(d["meta"].get("_yoast_wpseo_focuskw") for d in drafts)
