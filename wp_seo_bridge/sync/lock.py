"""One sync per site at a time: an OS file lock, which the kernel releases when its process dies.

A second run (cron firing while the first is still working) finds the lock held and does nothing;
a run killed with ``kill -9`` leaves no stuck lock behind, because ``flock`` locks belong to the
open file, not to the file's existence.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path


class SiteLock:
    """``with SiteLock(folder, url) as lock: if lock.acquired: ...``; never blocks."""

    def __init__(self, folder: Path, site_url: str) -> None:
        digest = hashlib.sha256(site_url.rstrip("/").encode("utf-8")).hexdigest()[:16]
        self.path = folder / "locks" / f"sync-{digest}.lock"
        self.site_url = site_url
        self.acquired = False
        self._fd: int | None = None

    @property
    def block_path(self) -> Path:
        return self.path.with_suffix(".blocked")

    def blocked(self) -> str | None:
        """Why sync stopped writing to this site for good, or None (see :meth:`block`)."""
        try:
            return self.block_path.read_text(encoding="utf-8").strip() or "no reason recorded"
        except FileNotFoundError:
            return None

    def block(self, reason: str) -> None:
        """Stop every later sync of the site from writing to it until a person deletes :attr:`block_path`: the site
        did something no run must repeat (it published a draft the bridge saved)."""
        self.block_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.block_path.write_text(reason + "\n", encoding="utf-8")

    def acquire(self) -> bool:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {self.site_url}\n".encode())
        self._fd, self.acquired = fd, True
        return True

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd, self.acquired = None, False

    def __enter__(self) -> SiteLock:
        self.acquire()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()
