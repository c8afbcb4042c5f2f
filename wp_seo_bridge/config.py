"""Configuration: a TOML file, overridden by environment variables, secrets from the environment only.

Where the file is looked for, first found wins:

1. the path given explicitly (``--config``);
2. the ``WP_SEO_BRIDGE_CONFIG`` environment variable;
3. ``$XDG_CONFIG_HOME/wp-seo-bridge/config.toml`` (``~/.config/wp-seo-bridge/config.toml``).

Any key can be overridden by ``WP_SEO_BRIDGE_<SECTION>_<KEY>`` (``WP_SEO_BRIDGE_WORDPRESS_URL``,
``WP_SEO_BRIDGE_MODEL_NAME``...); list values are comma-separated, booleans are ``true`` or
``false``. A bad value is reported with the name of the variable it came from. Types are strict:
in the file, ``verify_tls = "yes"`` or ``timeout = "30"`` is an error, not a guess. Secrets are never read from
the file: the application password comes from ``WP_SEO_BRIDGE_WP_APP_PASSWORD`` and the model's
API key from ``OPENAI_API_KEY``. They are held as :class:`pydantic.SecretStr`, so printing or
logging a configuration never shows them.

This module reads the file and the environment (:func:`load_config`); the settings models are in
:mod:`wp_seo_bridge.config_sections`, what makes a value valid beyond its type and how an invalid
configuration is described in :mod:`wp_seo_bridge.config_checks`, and the environment overrides in
:mod:`wp_seo_bridge.config_env`.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import SecretStr, ValidationError

from .config_checks import describe_validation_error, validation_hint
from .config_env import (  # noqa: F401 - public names
    API_KEY_ENV,
    APP_PASSWORD_ENV,
    BASE_URL_ENV,
    CONFIG_ENV,
    ENV_PREFIX,
    NOTIFY_SECRET_ENV,
    Origins,
    apply_env_overrides,
    env_text,
    refuse_unknown_variables,
)
from .config_sites import (  # noqa: F401 - public names
    DEFAULT_SITE,
    notify_secret_variable,
    password_variable,
    refuse_two_defaults,
    refuse_unknown_site_notify_secrets,
    refuse_unknown_site_passwords,
    site_names,
    site_settings,
)
from .config_sections import (  # noqa: F401 - public names
    DraftSettings,
    JournalSettings,
    ModelSettings,
    QualitySettings,
    RewriteSettings,
    SeoPluginName,
    Settings,
    SiteSettings,
    SyncSettings,
    WordPressSettings,
    _Section,
    sections,
)
from .errors import ConfigError
from .text_files import read_text

#: The bridge's variables that are not configuration keys (``WP_SEO_BRIDGE_SEEDS`` is for the test fixtures' checker).
OTHER_VARIABLES = (CONFIG_ENV, APP_PASSWORD_ENV, NOTIFY_SECRET_ENV, "WP_SEO_BRIDGE_SEEDS")

#: Keys that look like secrets: refused in the file, whatever section they appear in.
_SECRET_KEYS = {"app_password", "password", "application_password", "api_key", "key", "token", "secret"}

def default_config_path(env: Mapping[str, str] | None = None) -> Path:
    """The per-user configuration file: ``$XDG_CONFIG_HOME/wp-seo-bridge/config.toml``."""
    env = os.environ if env is None else env
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME", str(Path.home()))) / ".config")
    return Path(base) / "wp-seo-bridge" / "config.toml"


def find_config_file(path: Path | str | None = None, env: Mapping[str, str] | None = None) -> Path | None:
    """The configuration file to read, or None when there is none anywhere.

    A path given explicitly (argument or ``WP_SEO_BRIDGE_CONFIG``) must exist.
    """
    env = os.environ if env is None else env
    explicit = path if path is not None else env.get(CONFIG_ENV) or None
    if explicit is not None:
        candidate = Path(explicit).expanduser()
        origin = "--config" if path is not None else CONFIG_ENV
        if candidate.is_dir():
            raise ConfigError(
                f"Configuration file {str(candidate)!r} (from {origin}) is a folder, not a file.",
                hint=f"Give the path of the file itself, e.g. {str(candidate / 'config.toml')!r}; "
                "config.example.toml documents every key.",
            )
        if not candidate.is_file():
            raise ConfigError(
                f"Configuration file {str(candidate)!r} (from {origin}) does not exist.",
                hint="Give the path of an existing file; config.example.toml documents every key.",
            )
        return candidate
    default = default_config_path(env)
    return default if default.is_file() else None


def load_config(
    path: Path | str | None = None, env: Mapping[str, str] | None = None, *, require_site: bool = True
) -> Settings:
    """Read, override and validate the configuration. Raises :class:`ConfigError`.

    A site is the ``[wordpress]`` section (the site named ``default``), or a ``[sites.NAME]`` table; several
    may be configured (see :func:`site_settings`). ``require_site=False`` is for work without WordPress
    (rewriting a local file): no site need then be configured, and ``settings.wordpress`` may be None.
    """
    env = os.environ if env is None else env
    source = find_config_file(path, env)
    data: dict[str, Any] = _read_toml(source) if source else {}
    _refuse_secrets(data, source)
    site_passwords = refuse_unknown_site_passwords(env, data)
    site_secrets = refuse_unknown_site_notify_secrets(env, data)
    refuse_unknown_variables(env, sections(), (*OTHER_VARIABLES, *site_passwords, *site_secrets))
    from_env = apply_env_overrides(data, env, sections())
    refuse_two_defaults(data)
    if "wordpress" not in data and not data.get("sites") and require_site:
        where = str(source) if source else str(default_config_path(env))
        raise ConfigError(
            "No WordPress site is configured." if source else f"No configuration found (looked for {where}).",
            hint=(
                f"Copy config.example.toml to {where} and fill in [wordpress] url and username, "
                f"then set {APP_PASSWORD_ENV} to an application password of that user "
                f"(and {API_KEY_ENV} for the language model). For several sites, one [sites.NAME] table each."
            ),
        )
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(
            describe_validation_error(exc, source, from_env), hint=validation_hint(exc, from_env)
        ) from None
    settings.source = source
    shared_secret = _secret(env, NOTIFY_SECRET_ENV)
    if settings.wordpress is not None:
        settings.wordpress.app_password = _secret(env, APP_PASSWORD_ENV)
        settings.wordpress.notify_secret = shared_secret
    for name, site in settings.sites.items():
        site._password_variable = password_variable(name)
        site.app_password = _secret(env, site.password_variable)
        own_secret = _secret(env, notify_secret_variable(name))
        site._notify_secret_variable = notify_secret_variable(name) if own_secret else NOTIFY_SECRET_ENV
        site.notify_secret = own_secret or shared_secret
    settings.model.api_key = _secret(env, API_KEY_ENV)
    _refuse_two_credentials(settings.model, from_env)
    return settings


def _refuse_two_credentials(model: ModelSettings, from_env: Origins) -> None:
    """An endpoint with a user name and password in its address authenticates with them (HTTP Basic), which
    takes the place of the API key: with both, one would be silently ignored, so the configuration is refused."""
    if not model.base_url or model.api_key is None:
        return
    try:
        parts = urlsplit(model.base_url)
    except ValueError:
        return
    if parts.username is None and parts.password is None:
        return
    origin = from_env.get(("model", "base_url"), ("`model.base_url`",))[0]
    raise ConfigError(
        f"The model endpoint's address ({origin}) holds a user name and password, and {API_KEY_ENV} is set: "
        "both would authenticate in the same Authorization header, so one of them would be ignored.",
        hint=f"If the endpoint takes the API key, remove `user:password@` from the address; if it takes the user "
        f"name and password (HTTP Basic authentication, e.g. a proxy), unset {API_KEY_ENV} for the bridge.",
    )


def _secret(env: Mapping[str, str], name: str) -> SecretStr | None:
    value = env_text(env, name).strip()
    return SecretStr(value) if value else None


def _read_toml(path: Path) -> dict[str, Any]:
    text = read_text(path, what="Configuration file", error=ConfigError, expected="a UTF-8 TOML file (.toml)")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"Configuration file {str(path)!r} is not valid TOML: {exc}.",
            hint="Fix the syntax at that line; strings need quotes, e.g. url = \"https://example.com\".",
        ) from None


def _refuse_secrets(data: Mapping[str, Any], source: Path | None, prefix: str = "") -> None:
    for key, value in data.items():
        if isinstance(value, Mapping):
            _refuse_secrets(value, source, f"{prefix}{key}.")
        elif key.lower() in _SECRET_KEYS:
            site = prefix.split(".")[1] if prefix.startswith("sites.") and prefix.count(".") >= 2 else None
            env_name = (API_KEY_ENV if prefix.startswith("model") else password_variable(site) if site
                        else APP_PASSWORD_ENV)
            raise ConfigError(
                f"`{prefix}{key}` must not be in the configuration file {str(source)!r}: "
                "secrets are read from the environment only.",
                hint=f"Remove that line and set the {env_name} environment variable instead.",
            )
