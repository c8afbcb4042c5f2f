"""The demo's settings: its own site and journal, the user's model.

From the user's configuration (file and ``WP_SEO_BRIDGE_*`` variables, read as every command reads them) the
demo takes only what says how to write: ``[model]``, ``[rewrite]``, ``[quality]`` and the budget of
``[sync]``. The site is the demo's own, the journal lives in the demo's folder (the user's journal is never
touched), and drafts are taken at once (``min_age_minutes = 0``) whatever filters the user's sites have.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import SecretStr

from ..config import API_KEY_ENV, BASE_URL_ENV, APP_PASSWORD_ENV, CONFIG_ENV, ModelSettings, Settings, load_config

#: The file the demo writes its settings to, in its folder, for trying other commands on its site.
CONFIG_NAME = "config.toml"
#: The demo's journal, in its folder.
JOURNAL_NAME = "journal.sqlite3"
#: An example of a local OpenAI-compatible server, for the next step's text.
OLLAMA_EXAMPLE = "http://127.0.0.1:11434/v1"


@dataclass(frozen=True)
class DemoSite:
    """Where the demo's WordPress is and who the bridge works as."""

    url: str
    username: str
    app_password: str
    folder: Path


def user_settings(config_path: Path | None) -> Settings:
    """The user's configuration as every command reads it, without requiring a site. Raises ConfigError."""
    return load_config(config_path, require_site=False)


def model_in_use(model: ModelSettings) -> str | None:
    """Which model the demo would call, in words, or None when none is configured: neither an API key nor an
    endpoint of one's own (a local server needs no key)."""
    if model.base_url:
        parts = urlsplit(model.base_url)
        host = parts.hostname or model.base_url
        where = f"{host}:{parts.port}" if parts.port else host
        return f"{model.name} at {where} (model.base_url)"
    if model.api_key is not None:
        return f"{model.name} at OpenAI ({API_KEY_ENV})"
    return None


def demo_settings(user: Settings, site: DemoSite) -> Settings:
    """The settings the demo's doctor and sync run with."""
    data = {
        "wordpress": {"url": site.url, "username": site.username, "seo_plugin": "yoast"},
        "model": user.model.model_dump(exclude={"api_key"}),
        "rewrite": user.rewrite.model_dump(),
        "quality": user.quality.model_dump(),
        "journal": {"path": site.folder / JOURNAL_NAME},
        "sync": {"min_age_minutes": 0.0, "max_cost_per_run": user.sync.max_cost_per_run,
                 "concurrency": user.sync.concurrency},
    }
    settings = Settings.model_validate(data)
    settings.wordpress.app_password = SecretStr(site.app_password)
    settings.model.api_key = user.model.api_key
    return settings


def write_config(site: DemoSite, settings: Settings) -> Path:
    """A configuration file for the demo's site, so that every other command can be tried on it (see
    :func:`try_commands`). The model's endpoint is written only when its address holds no credentials."""
    lines = [
        "# The demo's site, written by `wp-seo-bridge demo`; removed with the site.",
        "[wordpress]",
        f"url = {_toml(site.url)}",
        f"username = {_toml(site.username)}",
        'seo_plugin = "yoast"',
        "",
        "[journal]",
        f"path = {_toml(os.fspath(site.folder / JOURNAL_NAME))}",
        "",
        "[sync]",
        "min_age_minutes = 0.0",
    ]
    model = settings.model
    endpoint = model.base_url and not _has_credentials(model.base_url)
    lines += ["", "[model]", f"name = {_toml(model.name)}"] + ([f"base_url = {_toml(model.base_url)}"] if endpoint else [])
    path = site.folder / CONFIG_NAME
    text = "\n".join(lines) + "\n"
    tomllib.loads(text)  # what is written must read back
    path.write_text(text, encoding="utf-8")
    return path


def try_commands(site: DemoSite, config: Path) -> list[str]:
    """Shell lines that point the other commands at the demo's site (its application password included: the
    site is private to this machine and removed with the demo)."""
    return [
        f"export {CONFIG_ENV}={_shell(os.fspath(config))}",
        f"export {APP_PASSWORD_ENV}={_shell(site.app_password)}",
    ]


def next_step(command: str) -> list[str]:
    """What to set to let the demo rewrite, and how to run it again."""
    return [
        "To see the drafts rewritten, configure a model and run the demo again:",
        f"  OpenAI:        export {API_KEY_ENV}=\"sk-...\"",
        "  or another endpoint (a local Ollama, vLLM, Azure...):",
        f"                 export {BASE_URL_ENV}={OLLAMA_EXAMPLE}",
        "                 export WP_SEO_BRIDGE_MODEL_NAME=llama3.1   (a model it serves)",
        f"  then:          {command}",
        "The configuration file's [model] section works as well (see config.example.toml).",
    ]


def _has_credentials(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return True
    return parts.username is not None or parts.password is not None or bool(parts.query)


def _toml(value: str) -> str:
    """A TOML basic string."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(ch if ch >= " " and ch != "\x7f" else f"\\u{ord(ch):04x}" for ch in escaped) + '"'


def _shell(value: str) -> str:
    import shlex

    return shlex.quote(value)
