"""Where a local site's files live: its folder, the short runtime folder, the temporary parent."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from pathlib import Path

from .packages import WordPressUnavailable

SITE_PREFIX = "wp-seo-bridge-site-"  # a temporary site: everything in one folder
RUN_PREFIX = "wp-seo-bridge-run-"  # the runtime folder (socket, pid) of a kept site

# Pick /dev/shm (tmpfs) when it has room: creating ~2,800 files on a journaled
# disk costs ~1-2 s here, on tmpfs ~0.1 s.  Docker's default /dev/shm (64 MB)
# is too small, hence the free-space check.
_SHM = Path("/dev/shm")
_SHM_MIN_FREE = 512 * 1024 * 1024

# Unix socket paths are limited to 107 bytes: <parent>/<prefix>XXXXXXXX/run/mysqld.sock.
MAX_PARENT_LENGTH = 60


@dataclasses.dataclass(frozen=True)
class Layout:
    """The files of one site.  ``base`` is a temporary folder, or the kept folder
    (``kept``); ``rundir`` holds MariaDB's socket and pid file: ``base/run`` for
    a temporary site, a short temporary folder for a kept one (a kept folder may
    have a long path, a unix socket may not)."""

    base: Path
    rundir: Path
    kept: bool = False

    @property
    def site_root(self) -> Path:  # document root: the copy of WordPress
        return self.base / "site"

    @property
    def datadir(self) -> Path:
        return self.base / "db"

    @property
    def scripts(self) -> Path:  # the CLI prelude and the scripts of php()
        return self.base / "php"

    @property
    def opcache(self) -> Path:  # opcache file cache of the CLI runs
        return self.base / "opcache"

    @property
    def server_log(self) -> Path:  # php -S: one line per request, plus PHP errors
        return self.base / "php-server.log"

    @property
    def install_log(self) -> Path:
        return self.base / "mariadb-install-db.log"

    @property
    def copy_log(self) -> Path:
        return self.base / "copy.log"

    @property
    def db_out(self) -> Path:
        return self.base / "mariadbd.out"

    @property
    def db_log(self) -> Path:
        # Written by mariadbd (the `mysql` user when root): in a folder it owns.
        return (self.datadir if self.kept else self.rundir) / "mysqld.err"

    @property
    def db_socket(self) -> Path:
        return self.rundir / "mysqld.sock"

    @property
    def pid_file(self) -> Path:
        return self.rundir / "mysqld.pid"

    @property
    def init_sql(self) -> Path:
        return self.rundir / "init.sql"


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def closed_folders(path: Path) -> list[Path]:
    """``path`` and its existing ancestors that others cannot enter (no o+x).

    When root, mariadbd runs as the `mysql` user, which must reach the site's
    db/ and run/ folders."""
    closed = []
    for folder in (path, *path.parents):
        try:
            if not os.stat(folder).st_mode & 0o001:
                closed.append(folder)
        except FileNotFoundError:
            continue
    return closed


def choose_tmp_root(workdir: Path | str | None = None) -> Path:
    """The parent of a site's temporary folder: ``workdir`` > env WP_TEST_TMPDIR >
    env TMPDIR > /dev/shm when it has room > the system's temporary folder."""
    if workdir is not None:
        return Path(workdir)
    for variable in ("WP_TEST_TMPDIR", "TMPDIR"):
        value = os.environ.get(variable)
        if value:
            return Path(value)
    try:
        if _SHM.is_dir() and os.access(_SHM, os.W_OK | os.X_OK):
            stats = os.statvfs(_SHM)
            if stats.f_bavail * stats.f_frsize >= _SHM_MIN_FREE:
                return _SHM
    except OSError:
        pass
    return Path(tempfile.gettempdir())


def prepare_tmp_root(workdir: Path | str | None) -> Path:
    """:func:`choose_tmp_root`, created if missing and checked (path length, access)."""
    parent = choose_tmp_root(workdir).resolve()
    if len(os.fspath(parent)) > MAX_PARENT_LENGTH:
        raise WordPressUnavailable(
            f"the temporary folder {parent} is too long for MariaDB's unix socket path "
            f"(at most {MAX_PARENT_LENGTH} characters): set TMPDIR to a shorter one, e.g. /tmp"
        )
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WordPressUnavailable(f"cannot create the temporary folder {parent}: {exc}") from None
    if is_root():
        closed = closed_folders(parent)
        if closed:
            raise WordPressUnavailable(
                f"the temporary folder {parent} is not reachable by the mysql user, which runs "
                f"MariaDB when root (no o+x on {', '.join(map(str, closed))}): "
                "set TMPDIR to another folder, e.g. /tmp"
            )
    return parent
