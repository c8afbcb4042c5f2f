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


@pytest.mark.parametrize(("text", "expected"), [
    ('verify_tls = "yes"\n', "`wordpress.verify_tls` = 'yes' is not a boolean (true or false)"),
    ('verify_tls = 1\n', "`wordpress.verify_tls` = 1 is not a boolean (true or false)"),
    ('timeout = "30"\n', "`wordpress.timeout` = '30' is not a number"),
    ('max_attempts = "3"\n', "`wordpress.max_attempts` = '3' is not a whole number"),
    ('max_attempts = 2.5\n', "`wordpress.max_attempts` = 2.5 is not a whole number"),
    ('[quality]\ncheck_language = "false"\n', "`quality.check_language` = 'false' is not a boolean"),
    ('[rewrite]\nmin_words = "800"\n', "`rewrite.min_words` = '800' is not a whole number"),
])
def test_types_in_the_file_are_strict(tmp_path, text, expected):
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, MINIMAL + text), env={})
    assert expected in str(caught.value) and "config.toml" in str(caught.value)


def test_native_toml_types_are_accepted(tmp_path):
    text = MINIMAL + "verify_tls = false\ntimeout = 5\nmax_attempts = 2\n[model]\ntemperature = 1\n"
    settings = load_config(write(tmp_path, text), env={})
    assert settings.wordpress.verify_tls is False and settings.wordpress.timeout == 5.0
    assert settings.wordpress.max_attempts == 2 and settings.model.temperature == 1.0


@pytest.mark.parametrize(("variable", "value", "expected"), [
    ("WP_SEO_BRIDGE_WORDPRESS_VERIFY_TLS", "yes", "WP_SEO_BRIDGE_WORDPRESS_VERIFY_TLS = 'yes' is not a boolean (true or false)"),
    ("WP_SEO_BRIDGE_QUALITY_CHECK_LANGUAGE", "0", "WP_SEO_BRIDGE_QUALITY_CHECK_LANGUAGE = '0' is not a boolean"),
    ("WP_SEO_BRIDGE_WORDPRESS_MAX_ATTEMPTS", "three", "WP_SEO_BRIDGE_WORDPRESS_MAX_ATTEMPTS = 'three' is not a whole number"),
    ("WP_SEO_BRIDGE_MODEL_TIMEOUT", "soon", "WP_SEO_BRIDGE_MODEL_TIMEOUT = 'soon' is not a number"),
    ("WP_SEO_BRIDGE_DRAFTS_AUTHOR", "2.5", "WP_SEO_BRIDGE_DRAFTS_AUTHOR = '2.5' is not a whole number"),
    ("WP_SEO_BRIDGE_WORDPRESS_TIMEOUT", "-1", "WP_SEO_BRIDGE_WORDPRESS_TIMEOUT = '-1': Input should be greater than 0"),
    ("WP_SEO_BRIDGE_WORDPRESS_TRANSPORT", "soap", "WP_SEO_BRIDGE_WORDPRESS_TRANSPORT = 'soap': Input should be 'rest'"),
    ("WP_SEO_BRIDGE_MODEL_BASE_URL", "localhost:11434", "WP_SEO_BRIDGE_MODEL_BASE_URL = 'localhost:11434': must be"),
])
def test_a_bad_environment_value_names_its_variable_not_the_file(tmp_path, variable, value, expected):
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, MINIMAL), env={variable: value})
    text = str(caught.value)
    assert expected in text
    assert "in the environment" in text and "config.toml" not in text
    assert f"it sets `{variable.removeprefix('WP_SEO_BRIDGE_').lower().replace('_', '.', 1)}`" in text
    assert f"unset the {variable}" in caught.value.hint or f"unset the environment variable(s) {variable}" in caught.value.hint


def test_file_and_environment_errors_are_each_named_where_they_are(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, MINIMAL + 'transport = "soap"\n'), env={"WP_SEO_BRIDGE_WORDPRESS_TIMEOUT": "0"})
    text = str(caught.value)
    assert "config.toml' and in the environment" in text
    assert "`wordpress.transport`" in text and "WP_SEO_BRIDGE_WORDPRESS_TIMEOUT = '0'" in text


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("FALSE", False), (" false ", False)])
def test_environment_booleans_are_true_or_false(tmp_path, value, expected):
    settings = load_config(write(tmp_path, MINIMAL), env={"WP_SEO_BRIDGE_WORDPRESS_VERIFY_TLS": value})
    assert settings.wordpress.verify_tls is expected


@pytest.mark.parametrize("content", [
    MINIMAL.encode("utf-8") + "# éditeur\n".encode("latin-1"),
    "[wordpress]\nurl = \"https://example.com\"\nusername = \"rédaction\"\n".encode("cp1252"),
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
])
def test_a_configuration_file_that_is_not_utf8_text_is_named(tmp_path, content):
    path = tmp_path / "config.toml"
    path.write_bytes(content)
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    text = str(caught.value)
    assert str(path) in text and ("not UTF-8 text" in text or "not a text file" in text)


def test_a_byte_order_mark_is_fine(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode("utf-8"))
    assert load_config(path, env={}).wordpress.username == "editor"


def test_an_environment_value_that_is_not_utf8_is_named_without_its_value(tmp_path):
    with pytest.raises(ConfigError, match="WP_SEO_BRIDGE_WORDPRESS_USERNAME is not valid UTF-8"):
        load_config(write(tmp_path, MINIMAL), env={"WP_SEO_BRIDGE_WORDPRESS_USERNAME": "r\udce9daction"})


def test_credentials_in_the_site_address_are_refused_without_being_echoed(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, MINIMAL.replace("https://", "https://bob:hunter2@")), env={})
    assert "must not contain a user name or password" in str(caught.value)
    assert "hunter2" not in str(caught.value) and "bob" not in str(caught.value)


@pytest.mark.parametrize("base_url", ["https://bob:hunter2@llm.test/v1", "https://llm.test/v1?api-key=hunter2"])
def test_a_model_endpoint_with_secrets_is_usable_but_never_echoed(tmp_path, base_url):
    settings = load_config(write(tmp_path, MINIMAL), env={"OPENAI_BASE_URL": base_url})
    assert settings.model.base_url == base_url  # the SDK needs it whole
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, MINIMAL), env={"WP_SEO_BRIDGE_MODEL_BASE_URL": base_url.replace("https", "ftp")})
    assert "hunter2" not in str(caught.value) and "ftp://llm.test/v1" in str(caught.value)


def _typed_keys():
    """Every boolean and number key of every section, with the text that would have passed before."""
    from wp_seo_bridge.config_env import _base_type

    for section, model in sections().items():
        for key, key_field in model.model_fields.items():
            kind = _base_type(key_field.annotation)
            if not key_field.exclude and kind in (bool, int, float):
                yield section, key, kind


@pytest.mark.parametrize(("section", "key", "kind"), list(_typed_keys()))
def test_every_boolean_and_number_key_is_strict_in_the_file_and_named_from_the_environment(tmp_path, section, key, kind):
    quoted = {bool: '"true"', int: '"3"', float: '"3"'}[kind]
    table = "" if section == "wordpress" else f"[{section}]\n"
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, MINIMAL + table + f"{key} = {quoted}\n"), env={})
    assert f"`{section}.{key}` = {quoted.replace(chr(34), chr(39))} is not a" in str(caught.value)
    variable = f"WP_SEO_BRIDGE_{section}_{key}".upper()
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, MINIMAL), env={variable: "maybe"})
    assert f"{variable} = 'maybe' is not a" in str(caught.value) and "config.toml" not in str(caught.value)
