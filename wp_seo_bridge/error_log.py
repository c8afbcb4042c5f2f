"""The last resort: an error nobody expected is written to a log file, and shown as one line.

Everything the bridge expects is a :class:`~wp_seo_bridge.errors.BridgeError` with a message and a
fix. Anything else is a bug (or a case not handled yet): its traceback goes to
``$XDG_STATE_HOME/wp-seo-bridge/last-error.log`` (``~/.local/state/...``), with every URL in it
redacted and the secrets of the environment blanked, and the command prints one line naming that file.
"""

from __future__ import annotations

import os
import sys
import traceback
from datetime import datetime, timezone
from pathlib import Path

from . import __version__
from .config import API_KEY_ENV, APP_PASSWORD_ENV
from .config_sites import is_site_password_variable
from .urls import redacted_text


def error_log_path() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "wp-seo-bridge" / "last-error.log"


def write_error_log(exc: BaseException) -> Path | None:
    """Write ``exc``'s traceback to :func:`error_log_path`; None if that file cannot be written."""
    path = error_log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        command = " ".join(sys.argv[1:2])
        text = without_secrets("".join(traceback.format_exception(exc)))
        path.write_text(f"wp-seo-bridge {__version__}, {stamp}, command: {command}\n{text}",
                        encoding="utf-8", errors="backslashreplace")
    except OSError:
        return None
    return path


def one_line(exc: BaseException) -> str:
    """``exc`` as one short line: its class and message, URLs redacted."""
    text = " ".join(str(exc).split()) or "no details"
    return f"{type(exc).__name__}: {without_secrets(text)[:200]}"


def without_secrets(text: str) -> str:
    """``text`` with its URLs redacted and the application password and API key, if it holds them, blanked."""
    text = redacted_text(text)
    for name in (APP_PASSWORD_ENV, API_KEY_ENV, *filter(is_site_password_variable, os.environ)):
        secret = os.environ.get(name, "").strip()
        for form in {secret, secret.replace(" ", "")}:
            if len(form) >= 4:
                text = text.replace(form, f"[{name}]")
    return text
