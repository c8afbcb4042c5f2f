"""Process groups, the watchdog and the reaping of abandoned sites.

This module must stay importable on its own: the watchdog is started as
``python -I -c <launcher> <path of this file>``, which loads this file by its
path, outside the package.  So: the standard library only, no relative imports.

The servers of a site (``mariadbd``, ``php -S`` and its workers) each run in a
process group of their own (``start_new_session=True``) and are stopped as whole
groups.  If the owner of a site dies without stopping it (SIGKILL; SIGTERM,
which skips ``atexit``), its watchdog kills every process whose command line
names one of the site's folders and deletes the folders that are temporary.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time

STOP_TIMEOUT = 10

# Environment of the watchdog (its command line must not name the site's folders).
ENV_OWNER = "WP_LOCAL_SITE_OWNER"
ENV_KILL = "WP_LOCAL_SITE_KILL"  # os.pathsep-separated folders: kill the processes naming them
ENV_DELETE = "WP_LOCAL_SITE_DELETE"  # os.pathsep-separated folders: delete them
ENV_SERVERS_ONLY = "WP_LOCAL_SITE_SERVERS_ONLY"  # "1": kill only the site's server programs
ENV_GRACE = "WP_LOCAL_SITE_GRACE"  # seconds between SIGTERM and SIGKILL (0: SIGKILL at once)

# Programs a site runs, by the start of their file name (php, php8.2, mariadbd, mysqld).
SERVER_PROGRAMS = ("php", "mariadbd", "mysqld", "mariadb-install-db")


def _stat_fields(pid: int | str) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (state, ppid, pgrp, ...)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return handle.read().rpartition(")")[2].split()
    except OSError:
        return None


def group_alive(pgid: int) -> bool:
    """Does process group ``pgid`` still have a live (non-zombie) member?

    php -S workers are reparented to init when the master exits, and stay
    zombies until init reaps them (about 1 s here): they no longer listen, so
    they do not count.
    """
    try:
        entries = os.listdir("/proc")
    except OSError:
        entries = None
    if entries is None or not os.path.exists("/proc/self/stat"):
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return False
        return True
    for entry in entries:
        if not entry.isdigit():
            continue
        fields = _stat_fields(entry)
        if fields and len(fields) >= 3 and fields[2] == str(pgid) and fields[0] not in ("Z", "X"):
            return True
    return False


def kill_group(proc: subprocess.Popen | None, timeout: float = STOP_TIMEOUT) -> None:
    """SIGTERM the process group led by ``proc`` (start_new_session=True), then SIGKILL."""
    if proc is None:
        return
    pgid = proc.pid
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=timeout)
    # The leader is gone; its children (php -S workers) may still be running.
    deadline = time.monotonic() + timeout
    killed = False
    while group_alive(pgid):
        if time.monotonic() > deadline:
            break
        if not killed and time.monotonic() > deadline - timeout / 2:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pgid, signal.SIGKILL)
            killed = True
        time.sleep(0.01)


def stop_process(proc: subprocess.Popen | None, timeout: float = STOP_TIMEOUT) -> None:
    """SIGKILL a short-lived helper (mariadb-install-db, cp, the watchdog) if it still runs."""
    if proc is not None and proc.poll() is None:
        with contextlib.suppress(OSError):
            proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=timeout)


def pid_alive(pid: int) -> bool:
    """Is ``pid`` running (zombies count as dead)?"""
    fields = _stat_fields(pid)
    if fields:
        return fields[0] not in ("Z", "X")
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def processes_naming(folder: str | os.PathLike[str], *, servers_only: bool = False) -> list[int]:
    """Live processes (not this one) whose command line names a path inside ``folder``.

    ``servers_only``: only the programs a site runs (SERVER_PROGRAMS), so that
    e.g. a ``tail -f`` of a log in a kept folder is left alone.
    """
    marker = os.fspath(folder).rstrip("/") + "/"
    found = []
    with contextlib.suppress(OSError):
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or int(entry) == os.getpid():
                continue
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    argv = handle.read().decode("utf-8", "replace").split("\0")
            except OSError:
                continue
            if marker not in " ".join(argv):
                continue
            if servers_only and not os.path.basename(argv[0]).startswith(SERVER_PROGRAMS):
                continue
            fields = _stat_fields(entry)
            if fields and fields[0] not in ("Z", "X"):
                found.append(int(entry))
    return found


def kill_processes_naming(folder: str | os.PathLike[str], *, servers_only: bool = False,
                          grace: float = 0.0, timeout: float = STOP_TIMEOUT) -> list[int]:
    """Kill the processes of :func:`processes_naming` and wait until they are gone:
    SIGKILL at once, or with ``grace`` > 0 SIGTERM first (MariaDB then writes its
    data out) and SIGKILL whatever still runs ``grace`` seconds later.  Returns their ids."""
    pids = processes_naming(folder, servers_only=servers_only)
    if grace > 0:
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while any(pid_alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.02)
    for pid in pids:
        if pid_alive(pid):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + timeout
    while any(pid_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.01)
    return pids


def destroy_site(base: str | os.PathLike[str]) -> None:
    """SIGKILL every process whose command line names ``base`` (mariadbd, php -S
    and its workers), then delete ``base``.  For temporary sites whose owner died."""
    kill_processes_naming(base)
    shutil.rmtree(base, ignore_errors=True)


def _paths(value: str) -> list[str]:
    return [path for path in value.split(os.pathsep) if path]


def watchdog_main() -> None:
    """Body of the watchdog process (see :func:`start_watchdog`)."""
    owner = int(os.environ[ENV_OWNER])
    servers_only = os.environ.get(ENV_SERVERS_ONLY) == "1"
    grace = float(os.environ.get(ENV_GRACE) or 0)
    while pid_alive(owner):
        time.sleep(0.5)
    for folder in _paths(os.environ.get(ENV_KILL, "")):
        kill_processes_naming(folder, servers_only=servers_only, grace=grace)
    for folder in _paths(os.environ.get(ENV_DELETE, "")):
        shutil.rmtree(folder, ignore_errors=True)


_WATCHDOG_LAUNCHER = (
    "import importlib.util, sys\n"
    "spec = importlib.util.spec_from_file_location('wp_local_site_watchdog', sys.argv[1])\n"
    "module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)\n"
    "spec.loader.exec_module(module)\n"
    "module.watchdog_main()\n"
)


def start_watchdog(kill: list[str | os.PathLike[str]], delete: list[str | os.PathLike[str]],
                   *, servers_only: bool = False, grace: float = 0.0) -> subprocess.Popen | None:
    """A small separate process per site: when this process dies without stopping
    the site (SIGKILL; or SIGTERM, which skips atexit), it kills the processes
    naming the ``kill`` folders (see :func:`kill_processes_naming` for
    ``servers_only`` and ``grace``) and deletes the ``delete`` folders.

    The folders are passed through the environment so that the watchdog's own
    command line does not name them.
    """
    env = dict(
        os.environ,
        **{
            ENV_OWNER: str(os.getpid()),
            ENV_KILL: os.pathsep.join(os.fspath(path) for path in kill),
            ENV_DELETE: os.pathsep.join(os.fspath(path) for path in delete),
            ENV_SERVERS_ONLY: "1" if servers_only else "0",
            ENV_GRACE: str(grace),
        },
    )
    try:
        return subprocess.Popen(
            [sys.executable, "-I", "-c", _WATCHDOG_LAUNCHER, os.path.abspath(__file__)],
            env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,  # survives a Ctrl-C sent to the terminal's process group
        )
    except OSError:
        return None


OWNER_FILE = "owner.pid"


def write_owner(folder: str | os.PathLike[str]) -> None:
    """Record this process as the owner of ``folder`` (read by :func:`reap_stale_sites`)."""
    with open(os.path.join(folder, OWNER_FILE), "w", encoding="ascii") as handle:
        handle.write(str(os.getpid()))


def read_owner(folder: str | os.PathLike[str]) -> int | None:
    try:
        with open(os.path.join(folder, OWNER_FILE), encoding="ascii") as handle:
            return int(handle.read().strip())
    except (OSError, ValueError):
        return None


def reap_stale_sites(parent: str | os.PathLike[str], prefixes: tuple[str, ...]) -> None:
    """Remove the temporary folders (``parent/<prefix>*``) whose owner died without
    stopping its site and without a watchdog, with their processes."""
    my_uid = os.geteuid() if hasattr(os, "geteuid") else None
    try:
        names = os.listdir(parent)
    except OSError:
        return
    for name in names:
        if not name.startswith(prefixes):
            continue
        base = os.path.join(parent, name)
        try:
            if my_uid not in (0, None) and os.stat(base).st_uid != my_uid:
                continue
        except OSError:
            continue
        owner = read_owner(base)
        if owner is not None and not pid_alive(owner):
            destroy_site(base)
