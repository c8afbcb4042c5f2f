"""``wp-seo-bridge demo`` in a subprocess, as a user runs it: its output read as it comes, signals sent to it,
and what it leaves behind (files in its temporary folder, processes naming it) checked afterwards."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

#: The line the demo prints when it waits for Ctrl-C (wp_seo_bridge.demo.report.WAITING*).
WAITING = "The demo site stays up until you press Ctrl-C"


def private_tmp() -> Path:
    """A temporary folder of the test's own for the demo's site (``TMPDIR``): where the demo puts its site by
    default (tmpfs, /dev/shm, when it has room; /tmp otherwise), traversable by the ``mysql`` user the database
    runs as when the tests run as root."""
    from wp_seo_bridge.local_wordpress.layout import choose_tmp_root

    folder = Path(tempfile.mkdtemp(prefix="demo-test-", dir=choose_tmp_root()))
    folder.chmod(0o755)
    return folder


def processes_naming(text: str) -> list[str]:
    """Command lines of the live processes (other than this one) that name ``text``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                if handle.read().rpartition(")")[2].split()[0] in ("Z", "X"):
                    continue
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                cmdline = handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except (OSError, IndexError):
            continue
        if text in cmdline:
            found.append(f"{entry}: {cmdline}")
    return found


def no_leftovers(tmp: Path, timeout: float = 10.0) -> tuple[list[str], list[str]]:
    """What is left in ``tmp`` and which processes still name it, once given ``timeout`` to go away."""
    deadline = time.monotonic() + timeout
    while True:
        files = sorted(os.listdir(tmp))
        procs = processes_naming(os.fspath(tmp))
        if (not files and not procs) or time.monotonic() > deadline:
            return files, procs
        time.sleep(0.1)


class DemoProcess:
    """``python -m wp_seo_bridge demo ARGS`` with a clean environment plus ``env``."""

    def __init__(self, *args: str, env: dict[str, str], home: Path) -> None:
        base = {k: v for k, v in os.environ.items()
                if not k.startswith(("WP_SEO_BRIDGE_", "OPENAI_", "XDG_", "WP_TEST_"))}
        base.update({"HOME": os.fspath(home), "COLUMNS": "220", "NO_COLOR": "1", **env})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "wp_seo_bridge", "demo", *args], env=base, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self._lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self._lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self._lines.append("")  # end of output
            self._changed.notify_all()

    @property
    def output(self) -> str:
        with self._changed:
            return "".join(self._lines)

    def wait_for(self, text: str, timeout: float = 120.0) -> str:
        """The output so far, once it holds ``text``; fails with the output when it does not in time."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while text not in "".join(self._lines):
                ended = self._lines and self._lines[-1] == ""
                remaining = deadline - time.monotonic()
                if ended or remaining <= 0:
                    raise AssertionError(f"the demo did not print {text!r}; its output:\n{''.join(self._lines)}")
                self._changed.wait(min(remaining, 0.5))
            return "".join(self._lines)

    def signal(self, signum: int = signal.SIGINT) -> None:
        self.process.send_signal(signum)

    def finish(self, timeout: float = 60.0) -> tuple[int, str]:
        """Its exit code and whole output (killed, with its group, if it does not end in time)."""
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            raise AssertionError(f"the demo did not end within {timeout} s; its output:\n{self.output}") from None
        self._reader.join(timeout=5)
        return code, self.output

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def value_after(output: str, prefix: str) -> str:
    """The shell word after ``prefix`` on the line that holds it (e.g. an ``export NAME=`` line)."""
    for line in output.splitlines():
        if prefix in line:
            rest = line.split(prefix, 1)[1]
            return shlex.split(rest)[0]
    raise AssertionError(f"no line with {prefix!r} in:\n{output}")
