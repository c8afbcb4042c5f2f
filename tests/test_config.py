"""Configuration: file discovery, validation messages, environment overrides, secrets."""

from __future__ import annotations

import tomllib
from datetime import datetime, timezone
from pathlib import Path

import pytest

from wp_seo_bridge.config import load_config, sections
from wp_seo_bridge.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]

MINIMAL = """
[wordpress]
url = "https://example.com/"
username = "editor"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_file_gets_defaults_and_secrets_from_environment(tmp_path):
    env = {"WP_SEO_BRIDGE_WP_APP_PASSWORD": "abcd efgh ijkl", "OPENAI_API_KEY": "sk-test-123"}
    settings = load_config(write(tmp_path, MINIMAL), env=env)
    assert settings.wordpress.url == "https://example.com"
    assert settings.wordpress.transport == "rest"
    assert settings.drafts.post_types == ["post"]
    assert settings.wordpress.app_password.get_secret_value() == "abcd efgh ijkl"
    assert settings.model.api_key.get_secret_value() == "sk-test-123"
    shown = repr(settings) + str(settings) + settings.model_dump_json()
    assert "abcd efgh ijkl" not in shown and "sk-test-123" not in shown


def test_lookup_order_explicit_then_env_var_then_user_dir(tmp_path):
    user_dir = tmp_path / "xdg" / "wp-seo-bridge"
    user_dir.mkdir(parents=True)
    (user_dir / "config.toml").write_text(MINIMAL.replace("editor", "from-user-dir"))
    named = tmp_path / "named.toml"
    named.write_text(MINIMAL.replace("editor", "from-env-var"))
    explicit = write(tmp_path, MINIMAL.replace("editor", "explicit"))
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    assert load_config(env=env).wordpress.username == "from-user-dir"
    env["WP_SEO_BRIDGE_CONFIG"] = str(named)
    assert load_config(env=env).wordpress.username == "from-env-var"
    assert load_config(explicit, env=env).wordpress.username == "explicit"


def test_no_configuration_says_what_to_fill_in(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(env={"XDG_CONFIG_HOME": str(tmp_path)})
    text = str(caught.value)
    assert "No configuration found" in text
    assert "config.example.toml" in text and "[wordpress] url and username" in text
    assert "WP_SEO_BRIDGE_WP_APP_PASSWORD" in text


def test_missing_explicit_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="nope.toml.*does not exist"):
        load_config(tmp_path / "nope.toml", env={})


def test_environment_overrides_file_values(tmp_path):
    env = {
        "WP_SEO_BRIDGE_WORDPRESS_URL": "http://other.test",
        "WP_SEO_BRIDGE_WORDPRESS_TRANSPORT": "xmlrpc",
        "WP_SEO_BRIDGE_WORDPRESS_TIMEOUT": "5",
        "WP_SEO_BRIDGE_DRAFTS_POST_TYPES": "post, page",
        "WP_SEO_BRIDGE_DRAFTS_MODIFIED_AFTER": "2026-01-02T03:04:05",
        "WP_SEO_BRIDGE_MODEL_NAME": "mistral-small",
        "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
    }
    settings = load_config(write(tmp_path, MINIMAL), env=env)
    assert settings.wordpress.url == "http://other.test"
    assert settings.wordpress.transport == "xmlrpc"
    assert settings.wordpress.timeout == 5.0
    assert settings.drafts.post_types == ["post", "page"]
    assert settings.drafts.modified_after == datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    assert settings.model.name == "mistral-small"
    assert settings.model.base_url == "http://127.0.0.1:9/v1"


def test_site_section_is_optional_only_when_asked(tmp_path):
    path = write(tmp_path, '[model]\nname = "mistral-small"\n')
    with pytest.raises(ConfigError, match="No WordPress site is configured"):
        load_config(path, env={})
    settings = load_config(path, env={"WP_SEO_BRIDGE_REWRITE_MIN_WORDS": "800"}, require_site=False)
    assert settings.wordpress is None and settings.model.name == "mistral-small"
    assert settings.rewrite.min_words == 800


def test_environment_alone_is_enough(tmp_path):
    env = {"XDG_CONFIG_HOME": str(tmp_path), "WP_SEO_BRIDGE_WORDPRESS_URL": "https://a.test",
           "WP_SEO_BRIDGE_WORDPRESS_USERNAME": "ed"}
    settings = load_config(env=env)
    assert settings.source is None and settings.wordpress.username == "ed"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (MINIMAL + 'transport = "soap"\n', "`wordpress.transport`: Input should be 'rest' or 'xmlrpc'"),
        (MINIMAL.replace("https://example.com/", "example.com"), "`wordpress.url`"),
        (MINIMAL + "urll = 'x'\n", "`wordpress.urll`: unknown key"),
        ('[wordpress]\nurl = "https://a.test"\n', "`wordpress.username`: required"),
        (MINIMAL + "timeout = -1\n", "`wordpress.timeout`"),
        (MINIMAL + '[drafts]\npost_types = []\n', "`drafts.post_types`"),
        (MINIMAL + '[modle]\nname = "x"\n', "`modle`: unknown key"),
    ],
)
def test_invalid_values_are_named_with_their_key(tmp_path, text, expected):
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text), env={})
    assert expected in str(caught.value)
    assert "config.toml" in str(caught.value)


def test_toml_syntax_error_is_reported_with_position(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML.*line 3"):
        load_config(write(tmp_path, "[wordpress]\nurl = \"https://a.test\"\nusername = editor\n"), env={})


@pytest.mark.parametrize(("section", "key", "variable"), [
    ("wordpress", "app_password", "WP_SEO_BRIDGE_WP_APP_PASSWORD"),
    ("wordpress", "password", "WP_SEO_BRIDGE_WP_APP_PASSWORD"),
    ("model", "api_key", "OPENAI_API_KEY"),
])
def test_secrets_in_the_file_are_refused_without_echoing_them(tmp_path, section, key, variable):
    text = MINIMAL + ("" if section == "wordpress" else f"[{section}]\n") + f'{key} = "hunter2-secret"\n'
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text), env={})
    message = str(caught.value)
    assert f"{section}.{key}" in message and variable in message
    assert "hunter2-secret" not in message


def test_example_config_is_valid_and_documents_every_key():
    path = ROOT / "config.example.toml"
    settings = load_config(path, env={})
    assert settings.wordpress.url == "https://example.com"
    # Every key of every section appears in the example, set or commented out.
    text = path.read_text()
    data = tomllib.loads(text)
    for section, model in sections().items():
        assert f"[{section}]" in text
        for key, key_field in model.model_fields.items():
            if key_field.exclude:
                continue
            assert key in data.get(section, {}) or f"# {key} = " in text, f"{section}.{key} is not documented"
