"""Commands that call no model start without importing the `openai` SDK (most of a second)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import sys
from wp_seo_bridge.cli import app
try:
    app(sys.argv[1:], prog_name="wp-seo-bridge")
except SystemExit:
    pass
print("pipeline imported:", sorted(m for m in ("requests", "wp_seo_bridge.bridge") if m in sys.modules), file=sys.stderr)
print("openai imported:", "openai" in sys.modules, file=sys.stderr)
"""


def probe_lines(*args: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=ROOT, timeout=60)
    return done.stderr.strip().splitlines()


def heavy_modules_after(*args: str) -> str:
    return probe_lines(*args)[-1]


def test_importing_the_command_line_does_not_import_the_sdk():
    done = subprocess.run(
        [sys.executable, "-c", "import sys, wp_seo_bridge.cli; print(sorted(m for m in sys.modules if m.startswith("
         "('openai', 'wp_seo_bridge.bridge', 'wp_seo_bridge.llm'))))"],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "args",
    [
        ("--version",),
        ("companion-plugin",),
        ("analyze", "--file", str(ROOT / "tests" / "fixtures" / "drafts" / "classic.html"), "--json"),
    ],
)
def test_commands_without_a_model_do_not_import_the_sdk(args):
    assert heavy_modules_after(*args) == "openai imported: False"


def test_analysing_a_local_file_needs_neither_the_wordpress_client_nor_the_rewrite_pipeline():
    lines = probe_lines("analyze", "--file", str(ROOT / "tests" / "fixtures" / "drafts" / "classic.html"), "--json")
    assert lines[-2] == "pipeline imported: []"


def test_a_command_that_calls_a_model_still_works_after_the_lazy_import(tmp_path):
    # rewrite --file with no key and no endpoint: the SDK is needed, and the error is the clear one.
    draft = tmp_path / "draft.txt"
    draft.write_text("Un paragraphe de texte assez long pour un brouillon. " * 4 + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "wp_seo_bridge", "rewrite", "--file", str(draft)],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "OPENAI_API_KEY" in done.stderr
