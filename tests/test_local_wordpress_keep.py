"""Kept local sites (``start_site(keep_dir=...)``, behind ``wp-seo-bridge demo --keep DIR``).

Each test builds its own site (the session's ``wordpress`` fixture is a temporary one) in a
folder of its own, on tmpfs when it has room; as root every folder is o+x so that mariadbd,
which then runs as the `mysql` user, reaches its datadir.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Iterator

import pytest
import requests

from wp_seo_bridge.local_wordpress import LocalSite, WordPressUnavailable, start_site
from wp_seo_bridge.local_wordpress.layout import choose_tmp_root
from wp_seo_bridge.local_wordpress.processes import kill_processes_naming, pid_alive, processes_naming

pytestmark = pytest.mark.wordpress

TIMEOUT = 15
ROOT = Path(__file__).resolve().parents[1]


def _wordpress_or_skip(**kwargs) -> LocalSite:
    """start_site(**kwargs), skipped like the ``wordpress`` fixture when the packages are missing."""
    try:
        return start_site(**kwargs)
    except WordPressUnavailable as exc:
        if "scripts/install.sh" in str(exc) and os.environ.get("CI", "").strip().lower() not in {"true", "1"}:
            pytest.skip(str(exc))
        raise


@pytest.fixture
def parent() -> Iterator[Path]:
    """A private folder (o+x) to hold a kept site; whatever runs in it is killed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="wp-keep-test-", dir=choose_tmp_root()))
    folder.chmod(0o755)
    yield folder
    kill_processes_naming(folder)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def http() -> Iterator[requests.Session]:
    session = requests.Session()
    session.trust_env = False  # loopback: no proxy, no .netrc
    yield session
    session.close()


def read_post(http: requests.Session, url: str, post_id: int, user: str, app_password: str) -> requests.Response:
    return http.get(f"{url}/wp-json/wp/v2/posts/{post_id}", params={"context": "edit"},
                    auth=(user, app_password), timeout=TIMEOUT)


def wait_until(condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def snapshot(folder: Path) -> dict[str, tuple[int, float, bytes | None]]:
    """Every entry under ``folder``: mode, mtime and (for files) contents."""
    entries = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        entries[str(path.relative_to(folder))] = (
            info.st_mode, info.st_mtime, path.read_bytes() if path.is_file() else None
        )
    return entries


# -- kept site in this process --------------------------------------------------------------- #


def test_kept_site_stays_after_stop_and_starts_again_with_its_posts_and_passwords(
    parent: Path, http: requests.Session
) -> None:
    folder = parent / "kept"  # missing: created
    first = _wordpress_or_skip(keep_dir=folder, title="wp-seo-bridge demo")
    try:
        assert first.kept and not first.restarted and first.base_dir == folder
        post_id = first.create_post(post_title="Gardé", post_content="<p>Toujours là</p>")
        old_port = int(first.url.rsplit(":", 1)[1])
    finally:
        first.stop()
    assert (folder / "db").is_dir() and (folder / "site" / "wp-load.php").is_file()
    assert stat.S_IMODE((folder / "local-site.json").stat().st_mode) == 0o600
    assert processes_naming(folder) == []

    # The old port is taken: the site must come up on another one, with its URL in wp-config.php.
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is no owner
        squatter.bind(("127.0.0.1", old_port))
        squatter.listen()
        second = _wordpress_or_skip(keep_dir=folder)
        try:
            assert second.kept and second.restarted and second.url != first.url
            assert "mariadb-install-db" not in second.timings and "wp install" not in second.timings
            assert (second.admin_password, second.editor_app_password, second.editor_id) == (
                first.admin_password, first.editor_app_password, first.editor_id
            )
            response = read_post(http, second.url, post_id, first.editor_user, first.editor_app_password)
            assert response.status_code == 200, response.text[:500]
            assert response.json()["title"]["raw"] == "Gardé"
            index = http.get(f"{second.url}/wp-json/", timeout=TIMEOUT).json()
            assert (index["url"], index["name"]) == (second.url, "wp-seo-bridge demo")
            assert second.php("echo get_permalink( %d );" % post_id).startswith(second.url + "/")
        finally:
            second.stop()
    assert (folder / "local-site.json").is_file()
    assert processes_naming(folder) == []


def test_kept_site_reuses_its_previous_port_when_free(parent: Path) -> None:
    folder = parent / "kept"
    first = _wordpress_or_skip(keep_dir=folder)
    first.stop()
    second = _wordpress_or_skip(keep_dir=folder)
    try:
        assert second.url == first.url  # links and images in the posts name it
    finally:
        second.stop()


def test_kept_site_socket_lives_in_a_short_runtime_folder_removed_on_stop(parent: Path) -> None:
    folder = parent / ("a-rather-long-folder-name-" * 6) / "kept"  # over 107 bytes with /run/mysqld.sock
    site = _wordpress_or_skip(keep_dir=folder)
    try:
        socket_line = site.php("echo DB_HOST;")
        runtime = Path(socket_line.split(":", 1)[1]).parent
        assert runtime.is_dir() and not runtime.is_relative_to(folder)
    finally:
        site.stop()
    assert not runtime.exists()
    assert not (folder / "owner.pid").exists()


def test_a_folder_that_is_not_empty_nor_a_kept_site_is_refused_untouched(parent: Path) -> None:
    foreign = parent / "notes"
    foreign.mkdir()
    (foreign / "todo.txt").write_text("mine\n")
    before = snapshot(foreign)
    with pytest.raises(WordPressUnavailable, match="not empty and holds no local site"):
        start_site(keep_dir=foreign)
    assert snapshot(foreign) == before

    a_file = parent / "a-file"
    a_file.write_text("mine\n")
    with pytest.raises(WordPressUnavailable, match="is not a folder"):
        start_site(keep_dir=a_file)
    assert a_file.read_text() == "mine\n"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root runs mariadbd as `mysql`")
def test_as_root_a_folder_the_mysql_user_cannot_enter_is_refused(parent: Path) -> None:
    closed = parent / "private"
    closed.mkdir(mode=0o700)
    closed.chmod(0o700)
    with pytest.raises(WordPressUnavailable) as refused:
        start_site(keep_dir=closed / "demo")
    message = str(refused.value)
    assert str(closed) in message and "o+x" in message and "/var/tmp" in message
    assert list(closed.iterdir()) == []  # nothing created


# -- kept site owned by another process -------------------------------------------------------- #

OWNER = textwrap.dedent("""
    import json, sys, time
    from wp_seo_bridge.local_wordpress import start_site
    site = start_site(keep_dir=sys.argv[1])
    post = site.create_post(post_title="Écrit par le premier", post_content="<p>x</p>")
    print(json.dumps({"url": site.url, "post": post, "watchdog": site._watchdog.pid,
                      "web": site._web.pid, "db": site._db.pid}), flush=True)
    time.sleep(600)
""")


@pytest.fixture
def owners() -> Iterator[list[subprocess.Popen]]:
    started: list[subprocess.Popen] = []
    yield started
    for owner in started:
        if owner.poll() is None:
            owner.kill()
        owner.wait(timeout=TIMEOUT)


def start_owner(owners: list[subprocess.Popen], folder: Path) -> dict:
    """A separate process owning a kept site in ``folder``; returns what it printed."""
    owner = subprocess.Popen([sys.executable, "-c", OWNER, str(folder)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    owners.append(owner)
    line = owner.stdout.readline()
    if not line:
        owner.wait(timeout=TIMEOUT)
        pytest.fail(f"the owner process did not start its site:\n{owner.stderr.read()}")
    return dict(json.loads(line), pid=owner.pid)


def test_watchdog_stops_the_servers_of_a_killed_owner_and_keeps_the_folder(
    parent: Path, owners: list[subprocess.Popen], http: requests.Session
) -> None:
    folder = parent / "kept"
    _wordpress_or_skip(keep_dir=folder).stop()  # built here (skips when the packages are missing)
    owned = start_owner(owners, folder)
    assert processes_naming(folder)
    os.kill(owned["pid"], signal.SIGKILL)
    assert wait_until(lambda: not processes_naming(folder) and not pid_alive(owned["watchdog"])), \
        processes_naming(folder)
    assert (folder / "local-site.json").is_file() and (folder / "db").is_dir()

    site = _wordpress_or_skip(keep_dir=folder)  # and its post is there (MariaDB was stopped, not killed)
    try:
        response = read_post(http, site.url, owned["post"], site.editor_user, site.editor_app_password)
        assert response.status_code == 200, response.text[:500]
    finally:
        site.stop()


def test_starting_again_stops_servers_left_running_by_a_dead_owner(
    parent: Path, owners: list[subprocess.Popen], http: requests.Session
) -> None:
    folder = parent / "kept"
    _wordpress_or_skip(keep_dir=folder).stop()
    owned = start_owner(owners, folder)
    os.kill(owned["watchdog"], signal.SIGKILL)  # no watchdog to clean up...
    os.kill(owned["pid"], signal.SIGKILL)  # ...after its owner
    leftovers = processes_naming(folder)
    assert owned["db"] in leftovers and owned["web"] in leftovers

    site = _wordpress_or_skip(keep_dir=folder)
    try:
        assert not any(pid_alive(pid) for pid in leftovers)
        response = read_post(http, site.url, owned["post"], site.editor_user, site.editor_app_password)
        assert response.status_code == 200, response.text[:500]
        assert response.json()["title"]["raw"] == "Écrit par le premier"
    finally:
        site.stop()


def test_a_kept_site_that_is_running_is_not_started_twice(
    parent: Path, owners: list[subprocess.Popen], http: requests.Session
) -> None:
    folder = parent / "kept"
    _wordpress_or_skip(keep_dir=folder).stop()
    owned = start_owner(owners, folder)
    with pytest.raises(WordPressUnavailable, match=f"already running \\(started by process {owned['pid']}\\)"):
        start_site(keep_dir=folder)
    assert http.get(f"{owned['url']}/wp-json/", timeout=TIMEOUT).status_code == 200
