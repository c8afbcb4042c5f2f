"""The command line's inputs, checked before a command does anything: post IDs, texts given as
options, draft files, the configuration and the site to work on. A bad one ends the command with a
clear error (exit code 2, as JSON with ``--json``) through :func:`~wp_seo_bridge.cli_errors.fail`."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, Optional

import typer

from .cli_errors import fail, state
from .errors import ConfigError, InputError
from .safe_text import text_for_terminal

if TYPE_CHECKING:
    from .config import Settings


#: ``--site NAME``, for the commands that work on one site.
OneSiteOption = Annotated[
    Optional[str],
    typer.Option("--site", help="The site to work on: the NAME of its \\[sites.NAME] table, or 'default' for the "
                 "\\[wordpress] section. Needed when several sites are configured.", show_default=False),
]


class _Every(Enum):
    SITE = "every site"


#: :func:`settings_or_exit` without ``site``: the whole configuration, every site in it.
EVERY_SITE = _Every.SITE


def settings_or_exit(
    *, require_site: bool = True, site: str | None | Literal[_Every.SITE] = EVERY_SITE
) -> Settings:
    """The configuration (from ``--config`` or the usual places), or a configuration error (exit code 2).

    Without ``site``: the whole configuration, every site in it (``sync``, ``history``). With ``site`` (the value of
    ``--site``, None when it was not given), the settings of one site, as :func:`choose_site` picks it; when
    ``require_site`` is False (work without WordPress) and no site is named, the whole configuration.
    """
    from .config import load_config

    if site is not EVERY_SITE:
        site = text_option(site, "--site")
    try:
        settings = load_config(state.config_path, require_site=require_site)
        if site is EVERY_SITE or (site is None and not require_site):
            return settings
        return choose_site(settings, site)
    except ConfigError as exc:
        fail(exc, code=2)


def choose_site(settings: Settings, site: str | None) -> Settings:
    """The settings of site ``site`` or, without a name, of the only site configured; several sites and no name
    is a :class:`ConfigError` listing their names."""
    from .config import site_settings

    sites = site_settings(settings, only=site)
    if len(sites) > 1:
        names = [name for name, _ in sites]
        raise ConfigError(
            f"{len(names)} sites are configured ({', '.join(names)}) and this command works on one.",
            hint=f"Name it with --site, e.g. --site {names[0]}.",
        )
    return sites[0][1]


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
