"""How long the first run takes: from `wp-seo-bridge demo` to the rewritten drafts, and from Ctrl-C to nothing left.

    .venv/bin/python bench/demo_timing.py [--runs 3] [--delay 2.0]

Each run is the real command in a process of its own, as a user runs it, on a fresh local WordPress; the model
is the fake OpenAI-compatible server of the tests on loopback, through the real ``openai`` SDK, answering each
sample draft with its rewrite after a fixed delay (``--delay``), so the figures are the demo's own. A run
without a model (``sync --dry-run``) is timed too. Printed per run and as medians: the time until WordPress was
ready (as the demo reports it), until the demo waits for Ctrl-C, and from Ctrl-C to the command's end with no
file and no process left. Figures only, no assertion; exit status 1 when a run did not end cleanly.
"""

from __future__ import annotations

import argparse
import re
import shutil
import signal
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.demo_model import DEMO_MODEL_KEY, DemoModel  # noqa: E402
from tests.support.demo_process import WAITING, DemoProcess, no_leftovers, private_tmp  # noqa: E402
from tests.support.fake_openai import FakeOpenAI  # noqa: E402

_READY = re.compile(r"WordPress ready at \S+ in ([\d.]+) s")


def one_run(env: dict[str, str], tmp: Path) -> tuple[float, float, float, bool]:
    """(WordPress ready, waiting for Ctrl-C, Ctrl-C to the end) in seconds, and whether it ended cleanly."""
    home = tmp / "home"
    started = time.monotonic()
    demo = DemoProcess(env={**env, "TMPDIR": str(tmp)}, home=home)
    try:
        output = demo.wait_for(WAITING, timeout=600)
        waiting = time.monotonic() - started
    finally:
        stopping = time.monotonic()
        demo.signal(signal.SIGINT)
        code, output = demo.finish(timeout=120)
    stopped = time.monotonic() - stopping
    shutil.rmtree(home, ignore_errors=True)
    files, procs = no_leftovers(tmp, timeout=0)
    ready = float(_READY.search(output).group(1)) if _READY.search(output) else float("nan")
    return ready, waiting, stopped, code == 0 and not files and not procs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--delay", type=float, default=2.0, help="the fake model's latency per call (s)")
    args = parser.parse_args()

    import os

    print(f"Machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    clean = True
    with FakeOpenAI(api_key=DEMO_MODEL_KEY) as server:
        server.responder = DemoModel(delay=args.delay)
        cases = {
            "no model (dry run)": {},
            f"fake model, {args.delay:g} s a call": {"OPENAI_API_KEY": DEMO_MODEL_KEY, "OPENAI_BASE_URL": server.base_url},
        }
        for label, env in cases.items():
            figures = []
            for run in range(1, args.runs + 1):
                tmp = private_tmp()
                (tmp / "home").mkdir()
                try:
                    ready, waiting, stopped, ok = one_run(env, tmp)
                finally:
                    shutil.rmtree(tmp, ignore_errors=True)
                clean &= ok
                figures.append((ready, waiting, stopped))
                print(f"  {label}, run {run}: WordPress ready {ready:.2f} s; waiting for Ctrl-C after {waiting:.2f} s; "
                      f"Ctrl-C to clean end {stopped:.2f} s{'' if ok else '  (NOT CLEAN)'}")
            medians = [statistics.median(column) for column in zip(*figures)]
            print(f"{label}: median WordPress ready {medians[0]:.2f} s, waiting after {medians[1]:.2f} s, "
                  f"Ctrl-C to clean end {medians[2]:.2f} s")
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
