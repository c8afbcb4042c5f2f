"""The two servers of a local site: a private MariaDB (unix socket only) and ``php -S``."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from .layout import Layout
from .packages import Binaries, WordPressUnavailable
from .wp_files import tail

INSTALL_DB_TIMEOUT = 60
DB_READY_TIMEOUT = 30
PHP_SERVER_WORKERS = "4"

MARIADB_TUNING = (
    # A temporary site's database: durability is irrelevant, speed is not.
    "--innodb-flush-log-at-trx-commit=0",
    "--innodb-doublewrite=0",
    "--innodb-buffer-pool-size=32M",
    "--innodb-log-file-size=8M",
)
# A kept site's commits survive a killed mariadbd (not a crash of the machine).
KEPT_TUNING = ("--innodb-flush-log-at-trx-commit=2",)


def _user_args(as_root: bool) -> list[str]:
    return ["--user=mysql"] if as_root else []


def start_install_db(binaries: Binaries, layout: Layout, as_root: bool) -> subprocess.Popen:
    """``mariadb-install-db`` into the (empty) datadir, in the background."""
    with open(layout.install_log, "wb") as log:
        return subprocess.Popen(
            [
                binaries.install_db, "--no-defaults", *_user_args(as_root),
                f"--datadir={layout.datadir}",
                f"--tmpdir={layout.rundir}",  # not $TMPDIR: the mysql user may not write there
                "--auth-root-authentication-method=normal",
                "--skip-test-db", "--skip-name-resolve",
                *MARIADB_TUNING,
            ],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_install_db(installer: subprocess.Popen, layout: Layout) -> None:
    try:
        rc: int | str = installer.wait(timeout=INSTALL_DB_TIMEOUT)
    except subprocess.TimeoutExpired:
        rc = f"timeout after {INSTALL_DB_TIMEOUT}s"
    if rc != 0:
        raise WordPressUnavailable(
            f"mariadb-install-db failed ({rc}); its log ends with:\n{tail(layout.install_log)}"
        )


def write_init_sql(layout: Layout, db_user: str, db_password: str, as_root: bool) -> Path:
    """SQL run by mariadbd at its first start: WordPress's database and user."""
    layout.init_sql.write_text(
        "CREATE DATABASE IF NOT EXISTS wordpress CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n"
        f"CREATE USER '{db_user}'@'localhost' IDENTIFIED BY '{db_password}';\n"
        f"GRANT ALL PRIVILEGES ON wordpress.* TO '{db_user}'@'localhost';\n",
        encoding="utf-8",
    )
    if as_root:
        shutil.chown(layout.init_sql, "mysql", "mysql")
    return layout.init_sql


def start_mariadbd(binaries: Binaries, layout: Layout, as_root: bool, init_sql: Path | None) -> subprocess.Popen:
    """mariadbd on the site's datadir, listening only on the unix socket."""
    init = [f"--init-file={init_sql}"] if init_sql is not None else []
    with open(layout.db_out, "ab") as out:
        return subprocess.Popen(
            [
                binaries.mariadbd, "--no-defaults", *_user_args(as_root),
                f"--datadir={layout.datadir}",
                f"--tmpdir={layout.rundir}",
                f"--socket={layout.db_socket}",
                f"--pid-file={layout.pid_file}",
                f"--log-error={layout.db_log}",
                *init,
                "--skip-networking", "--skip-name-resolve",
                *MARIADB_TUNING,
                *(KEPT_TUNING if layout.kept else ()),
            ],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _mariadb_is_ready(sock_path: Path) -> bool:
    """True once the server sends its handshake packet on the unix socket."""
    if not sock_path.exists():
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        try:
            sock.connect(os.fspath(sock_path))
            return bool(sock.recv(5))
        except OSError:
            return False


def wait_mariadb(db: subprocess.Popen, layout: Layout) -> None:
    deadline = time.monotonic() + DB_READY_TIMEOUT
    while not _mariadb_is_ready(layout.db_socket):
        if db.poll() is not None:
            raise WordPressUnavailable(
                f"mariadbd exited with code {db.returncode}; its log ends with:\n"
                f"{tail(layout.db_log)}\n{tail(layout.db_out, 10)}"
            )
        if time.monotonic() > deadline:
            raise WordPressUnavailable(
                f"mariadbd not ready after {DB_READY_TIMEOUT}s; its log ends with:\n{tail(layout.db_log)}"
            )
        time.sleep(0.01)


def start_php_server(php: str, port: int, layout: Layout) -> subprocess.Popen:
    """``php -S 127.0.0.1:<port>`` (4 workers) serving the site's copy of WordPress."""
    env = dict(os.environ, PHP_CLI_SERVER_WORKERS=PHP_SERVER_WORKERS)
    with open(layout.server_log, "ab") as log:
        return subprocess.Popen(
            [
                php,
                "-d", "display_errors=0",
                "-d", "log_errors=1",
                "-d", "memory_limit=512M",
                # Re-check file mtimes on every request so mu-plugins
                # written by tests are picked up (files younger than 2 s
                # are never cached: opcache.file_update_protection).
                "-d", "opcache.validate_timestamps=1",
                "-d", "opcache.revalidate_freq=0",
                "-S", f"127.0.0.1:{port}",
                "-t", os.fspath(layout.site_root),
            ],
            cwd=layout.site_root, env=env,
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def free_port(preferred: int | None = None) -> int:
    """A free TCP port on 127.0.0.1: ``preferred`` when it is free, else any."""
    if preferred:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            # As php -S binds: a port whose last connections are in TIME_WAIT is free.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", preferred))
                return preferred
            except OSError:
                pass
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# urllib without any proxy from the environment: the site is on loopback.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http_get(url: str, timeout: float = 3.0) -> tuple[int, bytes]:
    try:
        with _OPENER.open(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
