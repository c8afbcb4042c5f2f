"""Where a temporary local site lives, its title, its watchdog, and the hint for missing packages."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Iterator

import pytest

from wp_seo_bridge.local_wordpress import MISSING_HINT, WordPressUnavailable, start_site
from wp_seo_bridge.local_wordpress.layout import choose_tmp_root
from wp_seo_bridge.local_wordpress.packages import PACKAGES
from wp_seo_bridge.local_wordpress.processes import kill_processes_naming, processes_naming

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def private_tmp() -> Iterator[Path]:
    """A private, o+x folder (as root, mariadbd runs as `mysql` and must enter it)."""
    folder = Path(tempfile.mkdtemp(prefix="wp-tmp-test-", dir=choose_tmp_root()))
    folder.chmod(0o755)
    yield folder
    kill_processes_naming(folder)
    shutil.rmtree(folder, ignore_errors=True)


def test_the_temporary_parent_is_workdir_then_the_environment_then_shm(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WP_TEST_TMPDIR", str(tmp_path / "wp"))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    assert choose_tmp_root(tmp_path / "explicit") == tmp_path / "explicit"
    assert choose_tmp_root() == tmp_path / "wp"
    monkeypatch.delenv("WP_TEST_TMPDIR")
    assert choose_tmp_root() == tmp_path / "tmp"
    monkeypatch.delenv("TMPDIR")
    fallback = choose_tmp_root()
    assert fallback in (Path("/dev/shm"), Path(tempfile.gettempdir()))


@pytest.mark.wordpress
def test_sites_use_TMPDIR_and_leave_nothing_in_it(monkeypatch, private_tmp: Path) -> None:
    tmp = private_tmp / "tmp"
    tmp.mkdir()
    tmp.chmod(0o755)
    monkeypatch.delenv("WP_TEST_TMPDIR", raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp))
    try:
        site = start_site(title="wp-seo-bridge demo")
    except WordPressUnavailable as exc:
        if MISSING_HINT in str(exc) and os.environ.get("CI", "").strip().lower() not in {"true", "1"}:
            pytest.skip(str(exc))
        raise
    try:
        assert site.base_dir.parent == tmp and not site.kept
        assert site.php("echo get_option( 'blogname' );") == "wp-seo-bridge demo"
    finally:
        site.stop()
    assert list(tmp.iterdir()) == []

    kept = start_site(keep_dir=private_tmp / "kept")  # only its runtime folder goes in TMPDIR
    try:
        assert [entry.name.startswith("wp-seo-bridge-run-") for entry in tmp.iterdir()] == [True]
    finally:
        kept.stop()
    assert list(tmp.iterdir()) == []


OWNER = textwrap.dedent("""
    import json, time
    from wp_seo_bridge.local_wordpress import start_site
    site = start_site()
    print(json.dumps({"base": str(site.base_dir)}), flush=True)
    time.sleep(600)
""")


@pytest.mark.wordpress
def test_watchdog_removes_a_temporary_site_whose_owner_was_killed(private_tmp: Path) -> None:
    env = dict(os.environ, WP_TEST_TMPDIR=str(private_tmp))
    owner = subprocess.Popen([sys.executable, "-c", OWNER], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = owner.stdout.readline()
        if not line:
            owner.wait(timeout=15)
            stderr = owner.stderr.read()
            if MISSING_HINT in stderr and os.environ.get("CI", "").strip().lower() not in {"true", "1"}:
                pytest.skip(MISSING_HINT)
            pytest.fail(f"the owner process did not start its site:\n{stderr}")
        base = Path(json.loads(line)["base"])
        assert base.is_dir() and processes_naming(base)
        os.kill(owner.pid, signal.SIGKILL)
        deadline = time.monotonic() + 20
        while (base.exists() or processes_naming(base)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not base.exists() and processes_naming(base) == []
    finally:
        if owner.poll() is None:
            owner.kill()
        owner.wait(timeout=15)


def test_missing_hint_points_to_install_demo_which_installs_the_same_packages() -> None:
    assert "bash scripts/install.sh --demo" in MISSING_HINT and "--test" in MISSING_HINT
    script = (ROOT / "scripts" / "install.sh").read_text(encoding="utf-8")
    demo = re.search(r"^DEMO_PACKAGES=\(([^)]*)\)", script, re.MULTILINE)
    assert demo is not None and tuple(demo.group(1).split()) == PACKAGES
    help_text = subprocess.run(["bash", str(ROOT / "scripts" / "install.sh"), "--help"],
                               capture_output=True, text=True, timeout=30, check=True).stdout
    assert "--demo" in help_text and "--test" in help_text
