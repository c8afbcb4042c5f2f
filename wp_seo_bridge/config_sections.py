"""The configuration's sections, as pydantic models: which keys exist, their types and defaults.

Types are strict (``verify_tls = "yes"`` is an error, not a guess); what makes a value valid beyond its
type is in :mod:`wp_seo_bridge.config_checks`. Reading the file and the environment into these models is
:func:`wp_seo_bridge.config.load_config`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    StrictBool,
    StrictFloat,
    StrictInt,
    PrivateAttr,
    field_validator,
)

from .config_checks import (
    as_utc,
    endpoint_address,
    existing_file,
    host_names,
    known_language,
    refuse_publishing_status,
    rewritable_post_types,
    sync_statuses,
    site_address,
)
from .config_env import APP_PASSWORD_ENV, NOTIFY_SECRET_ENV
from .config_sites import site_names

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
