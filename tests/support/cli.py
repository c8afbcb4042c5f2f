"""The real command line in a subprocess, as a user runs it, with none of this machine's bridge settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None, columns: int = 250,
            timeout: float = 120) -> subprocess.CompletedProcess:
    """``python -m wp_seo_bridge ARGS`` with this process's environment minus every ``WP_SEO_BRIDGE_*`` and
    ``OPENAI_*`` variable, plus ``env``; no colours, ``columns`` wide."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("WP_SEO_BRIDGE_", "OPENAI_"))}
    base.update({"COLUMNS": str(columns), "NO_COLOR": "1", **(env or {})})
    return subprocess.run([sys.executable, "-m", "wp_seo_bridge", *args], env=base, cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


def flat(text: str) -> str:
    """Printed text with rich's line wrapping undone."""
    return " ".join(text.split())
