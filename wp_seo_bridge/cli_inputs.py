"""The command line's inputs, checked before a command does anything: post IDs, texts given as
options, draft files and the configuration. A bad one ends the command with a clear error (exit
code 2, as JSON with ``--json``) through :func:`~wp_seo_bridge.cli_errors.fail`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .cli_errors import fail, state
from .errors import ConfigError, InputError
from .safe_text import text_for_terminal

if TYPE_CHECKING:
    from .config import Settings


def settings_or_exit(*, require_site: bool = True) -> Settings:
    """The configuration (from ``--config`` or the usual places), or a configuration error."""
    from .config import load_config

    try:
        return load_config(state.config_path, require_site=require_site)
    except ConfigError as exc:
        fail(exc, code=2)


def read_draft(file: Path) -> str:
    """The text of a draft file given with ``--file``."""
    from .text_files import read_text

    try:
        return read_text(file, what="Draft file", error=InputError, expected="a draft as a UTF-8 text file: .txt or .html")
    except InputError as exc:
        fail(exc, code=2)


def post_id_argument(value: str | None) -> int | None:
    """A post ID from the command line: a positive whole number, or a bad-input error (exit code 2)."""
    if value is None:
        return None
    text = value.strip()
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        fail(InputError(f"The post ID must be a positive whole number (got {text_for_terminal(value)!r}).",
                        hint="Post IDs are shown by `wp-seo-bridge drafts`, or in WordPress's address bar "
                        "when editing a post (post=42)."), code=2)
    return int(text)


def text_option(value: str | None, option: str) -> str | None:
    """A text given on the command line; one that is not valid UTF-8 is refused, naming the option."""
    if value is not None:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            fail(InputError(f"The value of {option} is not valid UTF-8 text.",
                            hint="Type it again in a UTF-8 terminal."), code=2)
    return value
