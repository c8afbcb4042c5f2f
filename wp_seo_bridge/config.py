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

This module holds the settings models and :func:`load_config`; what makes a value valid beyond its
type, and how an invalid configuration is described, is in :mod:`wp_seo_bridge.config_checks`, and
the environment overrides in :mod:`wp_seo_bridge.config_env`.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    StrictBool,
    StrictFloat,
    StrictInt,
    ValidationError,
    PrivateAttr,
    field_validator,
)

from .config_checks import (  # noqa: F401 - public names
    NOT_REWRITABLE_POST_TYPES,
    as_utc,
    describe_validation_error,
    endpoint_address,
    existing_file,
    host_names,
    known_language,
    refuse_publishing_status,
    rewritable_post_types,
    sync_statuses,
    site_address,
    validation_hint,
)
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
from .errors import ConfigError
from .text_files import read_text

#: The bridge's variables that are not configuration keys (``WP_SEO_BRIDGE_SEEDS`` is for the test fixtures' checker).
OTHER_VARIABLES = (CONFIG_ENV, APP_PASSWORD_ENV, NOTIFY_SECRET_ENV, "WP_SEO_BRIDGE_SEEDS")

#: Keys that look like secrets: refused in the file, whatever section they appear in.
_SECRET_KEYS = {"app_password", "password", "application_password", "api_key", "key", "token", "secret"}

SeoPluginName = Literal["auto", "yoast", "rankmath", "seopress", "seoframework"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)


class WordPressSettings(_Section):
    """How to reach the site. ``app_password`` is filled from the environment only."""

    url: str
    username: str = Field(min_length=1)
    transport: Literal["rest", "xmlrpc"] = "rest"
    seo_plugin: SeoPluginName = "auto"
    timeout: StrictFloat = Field(default=30.0, gt=0, le=600)
    #: Tries per request where a retry is safe (reads; writes only when rate-limited).
    max_attempts: StrictInt = Field(default=3, ge=1, le=10)
    verify_tls: StrictBool = True
    ca_bundle: Path | None = None
    #: Requests in flight at once to this site, whatever the number of posts being worked on (small shared
    #: hosts fall over under load); also the size of the connection pool.
    max_connections: StrictInt = Field(default=4, ge=1, le=32)
    app_password: SecretStr | None = Field(default=None, exclude=True, repr=False)
    _password_variable: str = PrivateAttr(default=APP_PASSWORD_ENV)
    #: The secret WordPress signs its notifications with (``watch --listen``), from the environment only.
    notify_secret: SecretStr | None = Field(default=None, exclude=True, repr=False)
    _notify_secret_variable: str = PrivateAttr(default=NOTIFY_SECRET_ENV)

    @property
    def password_variable(self) -> str:
        """The environment variable this site's application password comes from."""
        return self._password_variable

    @property
    def notify_secret_variable(self) -> str:
        """The environment variable this site's notification secret comes from (or would)."""
        return self._notify_secret_variable

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        return site_address(value)

    @field_validator("ca_bundle")
    @classmethod
    def _check_ca_bundle(cls, value: Path | None) -> Path | None:
        return existing_file(value)


class DraftSettings(_Section):
    """Which drafts the bridge works on."""

    post_types: list[str] = Field(default_factory=lambda: ["post"], min_length=1)
    #: Category and tag filters: term IDs or slugs; a post matches if it has any of them.
    categories: list[int | str] = Field(default_factory=list)
    tags: list[int | str] = Field(default_factory=list)
    #: Only drafts by this author (user ID).
    author: StrictInt | None = None
    #: Only drafts modified after this moment (ISO 8601; UTC when no offset is given).
    modified_after: datetime | None = None

    @field_validator("post_types")
    @classmethod
    def _rewritable_types(cls, value: list[str]) -> list[str]:
        return rewritable_post_types(value)

    @field_validator("modified_after")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return as_utc(value)


class ModelSettings(_Section):
    """The language model: OpenAI or any OpenAI-compatible endpoint."""

    #: Endpoint, e.g. http://localhost:11434/v1 for Ollama. Empty: OPENAI_BASE_URL, else OpenAI.
    base_url: str | None = None
    name: str = "gpt-4o-mini"
    timeout: StrictFloat = Field(default=120.0, gt=0, le=3600)
    max_retries: StrictInt = Field(default=3, ge=0, le=10)
    #: "auto": strict JSON schema, falling back to JSON mode where the endpoint lacks it.
    structured_output: Literal["auto", "json_schema", "json_object"] = "auto"
    temperature: StrictFloat | None = Field(default=None, ge=0, le=2)
    #: Upper bound on the answer's tokens (None: the endpoint's default).
    max_output_tokens: StrictInt | None = Field(default=None, gt=0)
    #: Model calls in flight at once (the parts of a long draft are rewritten in parallel).
    max_concurrent_calls: StrictInt = Field(default=4, ge=1, le=32)
    #: Prices per million prompt (input) and completion (output) tokens, in any currency; 0 means unknown, and
    #: costs are then shown as unknown, never as free.
    input_price_per_million: StrictFloat = Field(default=0.0, ge=0)
    output_price_per_million: StrictFloat = Field(default=0.0, ge=0)
    api_key: SecretStr | None = Field(default=None, exclude=True, repr=False)

    @field_validator("base_url")
    @classmethod
    def _check_base_url(cls, value: str | None) -> str | None:
        return endpoint_address(value)


class RewriteSettings(_Section):
    """What the rewritten article must be."""

    #: The article's language (ISO 639-1 code), whatever the draft's language.
    language: str = Field(default="fr", pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    min_words: StrictInt = Field(default=700, ge=50, le=10000)
    max_section_words: StrictInt = Field(default=300, ge=50)
    max_paragraph_words: StrictInt = Field(default=150, ge=20)
    tone: str = "clear, precise and neutral, as on a serious news site"
    #: Extra editorial instructions added to the prompt (house style, audience...).
    instructions: str = ""
    #: A prompt template file replacing the built-in one (see README: prompt templates).
    prompt_template: Path | None = None
    #: "auto": Gutenberg blocks unless the draft is classic-editor HTML; or "blocks" / "classic".
    output: Literal["auto", "blocks", "classic"] = "auto"
    #: Status the rewritten post is saved with: "keep" (the status it had: draft or pending), "draft" or
    #: "pending". Never published, scheduled or private.
    status: Literal["keep", "draft", "pending"] = "keep"
    #: Drafts with fewer words of text than this are refused before any model call: from a title and a
    #: line, a model can only invent an article, and no guard can tell invented prose from a rewrite.
    min_source_words: StrictInt = Field(default=30, ge=1, le=5000)
    #: Hosts whose scripts and iframes may stay in embed blocks, Custom HTML blocks and classic HTML
    #: (e.g. ["platform.twitter.com"]); any other script, iframe or event handler from a draft is removed.
    trusted_embed_hosts: list[str] = Field(default_factory=list)
    #: Drafts longer than this (words) are rewritten in parts, one model call each, split at headings
    #: (smaller parts when ``model.max_output_tokens`` could not hold an answer this long).
    max_words_per_call: StrictInt = Field(default=2500, ge=300)
    #: Drafts longer than this (words) are refused before any model call.
    max_input_words: StrictInt = Field(default=20000, ge=300)

    @field_validator("status", mode="before")
    @classmethod
    def _never_publish(cls, value: object) -> object:
        return refuse_publishing_status(value)

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        return known_language(value)

    @field_validator("trusted_embed_hosts")
    @classmethod
    def _embed_hosts(cls, value: list[str]) -> list[str]:
        return host_names(value)

    @field_validator("prompt_template")
    @classmethod
    def _template_exists(cls, value: Path | None) -> Path | None:
        return existing_file(value)


class QualitySettings(_Section):
    """The gate every rewrite must pass before anything is written."""

    #: More model calls allowed to fix what the gate found (0: no repair).
    max_repairs: StrictInt = Field(default=2, ge=0, le=5)
    #: Lowest acceptable overall ratings, as Yoast shows them: "good" (green), "ok" (orange), "bad".
    min_seo_rating: Literal["good", "ok", "bad"] = "good"
    min_readability_rating: Literal["good", "ok", "bad"] = "good"
    #: Link hosts the rewrite may use besides the draft's own links (the site's host is always allowed).
    allowed_link_domains: list[str] = Field(default_factory=list)
    #: Check that the article is in `rewrite.language`.
    check_language: StrictBool = True
    #: Also refuse an article that lost a figure, date or quotation of the draft (not only one that adds some).
    require_all_facts: StrictBool = True

    @field_validator("allowed_link_domains")
    @classmethod
    def _link_hosts(cls, value: list[str]) -> list[str]:
        return host_names(value)


class JournalSettings(_Section):
    """The local journal: model calls, and the originals of rewritten posts (for restoring them)."""

    #: SQLite file. Default: $XDG_DATA_HOME/wp-seo-bridge/journal.sqlite3 (~/.local/share/...).
    path: Path | None = None


class SyncSettings(_Section):
    """``sync`` and ``watch``: which drafts are picked, how many at once, within what budget."""

    #: Statuses of the posts a sync picks: "draft", and "pending" if wanted. Never published, scheduled or private.
    statuses: list[Literal["draft", "pending"]] = Field(default_factory=lambda: ["draft"], min_length=1)
    #: Drafts modified less than this many minutes ago are left for a later run (the author may still be typing).
    min_age_minutes: StrictFloat = Field(default=10.0, ge=0)
    #: Posts worked on at once.
    concurrency: StrictInt = Field(default=4, ge=1, le=32)
    #: No new post is started once the run's cost reaches this (None: no limit). Needs the model's prices.
    max_cost_per_run: StrictFloat | None = Field(default=None, ge=0)
    #: ``watch``: seconds between two syncs.
    interval_seconds: StrictFloat = Field(default=300.0, gt=0)
    #: Which drafts a sync takes: "opt-out" (every draft, unless an editor chose "Do not rewrite" in WordPress)
    #: or "opt-in" (only the drafts an editor asked for: "Rewrite this draft" or "Rewrite again").
    mode: Literal["opt-out", "opt-in"] = "opt-out"

    @field_validator("statuses", mode="before")
    @classmethod
    def _never_published(cls, value: object) -> object:
        return sync_statuses(value)


class SiteSettings(WordPressSettings):
    """One of several sites (``[sites.NAME]``): the ``[wordpress]`` keys, plus keys of ``drafts``, ``rewrite`` and
    ``quality`` that differ for this site (only the keys written in the file replace the global ones)."""

    drafts: DraftSettings | None = None
    rewrite: RewriteSettings | None = None
    quality: QualitySettings | None = None


class Settings(_Section):
    """The whole configuration. ``wordpress`` is None when the file names its sites in ``[sites.NAME]`` tables
    only, or when loaded with ``require_site=False``; :func:`site_settings` gives each site's own settings."""

    wordpress: WordPressSettings | None = None
    drafts: DraftSettings = Field(default_factory=DraftSettings)
    model: ModelSettings = Field(default_factory=ModelSettings)
    rewrite: RewriteSettings = Field(default_factory=RewriteSettings)
    quality: QualitySettings = Field(default_factory=QualitySettings)
    journal: JournalSettings = Field(default_factory=JournalSettings)
    sync: SyncSettings = Field(default_factory=SyncSettings)
    #: The sites of ``[sites.NAME]`` tables, in the file's order (``[wordpress]`` is the site named "default").
    sites: dict[str, SiteSettings] = Field(default_factory=dict)
    #: Where the configuration was read from (None: environment only).
    source: Path | None = Field(default=None, exclude=True)

    @field_validator("sites")
    @classmethod
    def _site_names(cls, value: dict[str, SiteSettings]) -> dict[str, SiteSettings]:
        site_names(value)
        return value
    #: Where the configuration was read from (None: environment only).
    source: Path | None = Field(default=None, exclude=True)


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


def sections() -> dict[str, type[_Section]]:
    """Each configuration section's name and model (``sites``, a table of sites, is not one)."""
    found = {}
    for name, model_field in Settings.model_fields.items():
        if name == "sites":
            continue
        candidates = (model_field.annotation, *get_args(model_field.annotation))
        model = next((c for c in candidates if isinstance(c, type) and issubclass(c, _Section)), None)
        if model is not None:
            found[name] = model
    return found
