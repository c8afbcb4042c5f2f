"""How long the command takes to start, for commands that need no language model.

    .venv/bin/python bench/startup_time.py [--runs N]

Prints the median wall time of `--version`, `companion-plugin` and `analyze --file` (a seed
article) over N runs, and whether the `openai` SDK was imported. The target is well under
0.3 s for each: the SDK alone takes most of a second to import, so it is loaded only by
commands that call a model. Figures only: machines here are shared and noisy.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "article-1.txt"
TARGET_S = 0.3


def wall_time(args: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "wp_seo_bridge", *args], check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def imports_openai(args: list[str]) -> bool:
    code = (
        "import sys; from wp_seo_bridge.cli import app\n"
        f"try:\n    app({args!r})\nexcept SystemExit:\n    pass\n"
        "print('openai' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    return done.stderr.strip().endswith("True")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    commands = {
        "--version": ["--version"],
        "companion-plugin": ["companion-plugin"],
        "analyze --file": ["analyze", "--file", str(SEED), "--json"],
    }
    python = statistics.median([_timed([sys.executable, "-c", "pass"]) for _ in range(runs)])
    print(f"python -c pass (interpreter alone): {python * 1000:.0f} ms")
    for name, args in commands.items():
        seconds = wall_time(args, runs)
        verdict = "under" if seconds < TARGET_S else "OVER"
        print(f"{name:<18} {seconds * 1000:6.0f} ms  ({verdict} the {TARGET_S * 1000:.0f} ms target; "
              f"openai imported: {imports_openai(args)})")


def _timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
