"""Settings for tests, built through the real configuration loader (environment only)."""

from __future__ import annotations

from typing import Any

from wp_seo_bridge.config import Settings, load_config


def settings_for(
    url: str,
    username: str,
    password: str | None,
    *,
    transport: str = "rest",
    seo_plugin: str = "auto",
    model_base_url: str | None = None,
    api_key: str | None = None,
    raw_env: dict[str, str] | None = None,
    **extra: Any,
) -> Settings:
    """Settings as a user would give them in the environment (``WP_SEO_BRIDGE_*``); ``raw_env``: more variables
    as they are (e.g. ``WP_SEO_BRIDGE_NOTIFY_SECRET``)."""
    env = {
        "XDG_CONFIG_HOME": "/nonexistent-wp-seo-bridge-test",
        "WP_SEO_BRIDGE_WORDPRESS_URL": url,
        "WP_SEO_BRIDGE_WORDPRESS_USERNAME": username,
        "WP_SEO_BRIDGE_WORDPRESS_TRANSPORT": transport,
        "WP_SEO_BRIDGE_WORDPRESS_SEO_PLUGIN": seo_plugin,
        "WP_SEO_BRIDGE_WORDPRESS_TIMEOUT": "20",
    }
    for key, value in extra.items():
        section, _, name = key.partition("__")
        env[f"WP_SEO_BRIDGE_{section}_{name}".upper()] = ",".join(map(str, value)) if isinstance(value, list) else str(value)
    if password is not None:
        env["WP_SEO_BRIDGE_WP_APP_PASSWORD"] = password
    if model_base_url:
        env["WP_SEO_BRIDGE_MODEL_BASE_URL"] = model_base_url
    if api_key:
        env["OPENAI_API_KEY"] = api_key
    env.update(raw_env or {})
    return load_config(env=env)
