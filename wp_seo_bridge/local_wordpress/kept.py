"""Kept sites (``start_site(keep_dir=...)``): the folder's checks, its saved state, leftovers.

A kept folder holds ``site/``, ``db/``, ``php/``, ``opcache/``, the logs and
``local-site.json`` (mode 0600): what the site needs that does not depend on
its URL (database credentials, salts, users, passwords, application passwords,
user ids) and the last port.  ``owner.pid`` names the process running the site.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
from pathlib import Path
from typing import Any

from .layout import closed_folders, is_root
from .packages import WordPressUnavailable
from .processes import OWNER_FILE, kill_processes_naming, pid_alive, processes_naming, read_owner

STATE_FILE = "local-site.json"
STATE_FORMAT = 1
# Everything start_site() writes in a kept folder (removed again if its first build fails).
ENTRIES = ("site", "db", "php", "opcache", "php-server.log", "mariadb-install-db.log", "copy.log",
           "mariadbd.out", STATE_FILE, OWNER_FILE)
_STATE_KEYS = {
    "title": str, "db_user": str, "db_password": str, "salts": dict,
    "admin_user": str, "admin_password": str, "editor_user": str, "subscriber_user": str,
    "admin_id": int, "editor_id": int, "subscriber_id": int,
    "admin_app_password": str, "editor_app_password": str, "subscriber_app_password": str,
}
# Leftover servers get this long to stop on SIGTERM (MariaDB flushes its data) before SIGKILL.
LEFTOVER_GRACE = 10.0


@dataclasses.dataclass
class KeptFolder:
    path: Path  # absolute, symlinks resolved (the servers' command lines name it so)
    state: dict[str, Any] | None  # None: a new site is built in the folder
    created: bool  # start_site() created the folder itself


def open_folder(keep_dir: Path | str) -> KeptFolder:
    """Check ``keep_dir`` (created if missing): it must be empty or hold a kept site
    that is not running.  Stops the servers a dead owner left running on it.
    Raises WordPressUnavailable, changing nothing, when the folder cannot be used."""
    path = Path(keep_dir).expanduser().resolve()
    if path.exists() and not path.is_dir():
        raise WordPressUnavailable(f"{path} is not a folder: the local site needs a folder to keep its files in")
    _check_reachable(path)
    created = not path.exists()
    if created:
        _make_folder(path)
    state_file = path / STATE_FILE
    if not state_file.exists():
        if any(path.iterdir()):
            raise WordPressUnavailable(
                f"{path} is not empty and holds no local site (no {STATE_FILE} in it): "
                "give an empty or new folder; nothing in this one was changed"
            )
        return KeptFolder(path, None, created)
    _stop_leftovers(path)
    state = _read_state(state_file)
    if not state.get("complete"):
        # A first build that did not finish (its owner died): build again.
        remove_entries(path)
        return KeptFolder(path, None, created)
    for needed in (path / "site" / "wp-load.php", path / "db"):
        if not needed.exists():
            raise WordPressUnavailable(
                f"the local site in {path} is incomplete ({needed} is missing): "
                "delete the folder to build a new site in it"
            )
    return KeptFolder(path, state, created)


def _check_reachable(path: Path) -> None:
    """When root, mariadbd runs as `mysql`, which must enter the folder to reach db/."""
    if not is_root():
        return
    closed = closed_folders(path)
    if closed:
        raise WordPressUnavailable(
            f"{path} cannot hold the local site: as root, MariaDB runs as the `mysql` user, "
            f"which cannot enter {', '.join(map(str, closed))} (no o+x permission). "
            "Use a folder others can enter, e.g. /var/tmp/wp-seo-bridge-demo"
        )


def _make_folder(path: Path) -> None:
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    try:
        for folder in reversed(missing):
            folder.mkdir()
            if is_root():
                os.chmod(folder, 0o755)  # whatever the umask: the mysql user enters it
    except OSError as exc:
        raise WordPressUnavailable(f"cannot create the folder {path} for the local site: {exc}") from None


def _stop_leftovers(path: Path) -> None:
    """Refuse a site that is running; kill the servers of one whose owner died."""
    running = processes_naming(path, servers_only=True)
    if not running:
        return
    owner = read_owner(path)
    if owner is not None and pid_alive(owner):
        who = "this process" if owner == os.getpid() else f"process {owner}"
        raise WordPressUnavailable(
            f"the local site in {path} is already running (started by {who}): "
            "stop it first, or give another folder"
        )
    kill_processes_naming(path, servers_only=True, grace=LEFTOVER_GRACE)


def _read_state(state_file: Path) -> dict[str, Any]:
    damaged = (f"the local site's state file {state_file} is damaged; "
               f"delete the folder {state_file.parent} to build a new site in it")
    try:
        state = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise WordPressUnavailable(f"{damaged} ({exc})") from None
    if not isinstance(state, dict) or state.get("format") != STATE_FORMAT:
        raise WordPressUnavailable(damaged)
    if state.get("complete"):
        wrong = [key for key, kind in _STATE_KEYS.items() if not isinstance(state.get(key), kind)]
        if wrong:
            raise WordPressUnavailable(f"{damaged} (missing or wrong: {', '.join(wrong)})")
    return state


def save_state(path: Path, state: dict[str, Any]) -> None:
    """Write ``local-site.json`` (mode 0600: it holds passwords) atomically."""
    target = path / STATE_FILE
    tmp = path / f".{STATE_FILE}.tmp"
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(dict(state, format=STATE_FORMAT), handle, indent=2)
        handle.write("\n")
    os.replace(tmp, target)


def remove_entries(path: Path) -> None:
    """Remove what start_site() writes in a kept folder, and nothing else."""
    for name in (*ENTRIES, f".{STATE_FILE}.tmp"):
        entry = path / name
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                entry.unlink()
