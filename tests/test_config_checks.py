"""Configuration values that used to pass and fail later (or never): checked when the configuration is read,
or before any model call, with a message naming what is wrong."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wp_seo_bridge.config import load_config
from wp_seo_bridge.errors import BridgeError, ConfigError, InputError
from wp_seo_bridge.text_files import read_text
from tests.support.fake_openai import FakeOpenAI

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SITE = {"WP_SEO_BRIDGE_WORDPRESS_URL": "https://a.test", "WP_SEO_BRIDGE_WORDPRESS_USERNAME": "ed"}


def refused(env: dict[str, str] | None = None, text: str | None = None, tmp_path: Path | None = None) -> str:
    path = None
    if text is not None:
        path = tmp_path / "config.toml"
        path.write_text('[wordpress]\nurl = "https://a.test"\nusername = "ed"\n' + text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={**SITE, **(env or {})})
    assert caught.value.hint
    return str(caught.value)


# -- numbers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "problem"), [("nan", "is not a number"), ("NaN", "is not a number"),
                                                 ("inf", "is not a finite number"), ("-inf", "is not a finite number")])
def test_nan_and_infinity_from_the_environment_are_named(value, problem):
    text = refused({"WP_SEO_BRIDGE_WORDPRESS_TIMEOUT": value})
    assert f"WP_SEO_BRIDGE_WORDPRESS_TIMEOUT = {value!r} {problem}" in text and "600" not in text


@pytest.mark.parametrize(("value", "problem"), [("nan", "is not a number"), ("inf", "is not a finite number")])
def test_nan_and_infinity_in_the_file_are_named(tmp_path, value, problem):
    text = refused(text=f"timeout = {value}\n[model]\ntemperature = {value}\n", tmp_path=tmp_path)
    assert f"`wordpress.timeout` = {value} {problem}" in text and f"`model.temperature` = {value} {problem}" in text


# -- language ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["xx", "fr-XX", "qq"])
def test_a_language_code_that_is_no_language_is_refused(code):
    text = refused({"WP_SEO_BRIDGE_REWRITE_LANGUAGE": code})
    assert f"{code!r} is not a language code known to CLDR" in text and "WP_SEO_BRIDGE_REWRITE_LANGUAGE" in text


@pytest.mark.parametrize("code", ["fr", "fr-CA", "de", "pt-BR", "ff"])
def test_real_language_codes_are_accepted(code):
    assert load_config(env={**SITE, "WP_SEO_BRIDGE_REWRITE_LANGUAGE": code}).rewrite.language == code


def test_a_language_the_check_cannot_recognise_is_refused_before_any_model_call(tmp_path):
    draft = tmp_path / "brouillon.txt"
    draft.write_text((SEEDS / "article-1.txt").read_text(encoding="utf-8"), encoding="utf-8")
    base = {k: v for k, v in os.environ.items() if not k.startswith(("WP_SEO_BRIDGE_", "OPENAI_"))}
    with FakeOpenAI() as server:
        env = {**base, "XDG_CONFIG_HOME": str(tmp_path), "OPENAI_API_KEY": "sk-x", "OPENAI_BASE_URL": server.base_url,
               "WP_SEO_BRIDGE_REWRITE_LANGUAGE": "ff"}  # Fula: a real language, unknown to the offline detector
        result = subprocess.run([sys.executable, "-m", "wp_seo_bridge", "rewrite", "--file", str(draft), "--json"],
                                env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 2, result.stdout + result.stderr
        error = json.loads(result.stdout)["error"]
        assert error["type"] == "ConfigError" and "'ff'" in error["message"]
        assert "quality.check_language = false" in error["hint"] and server.requests == []


# -- host names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("com", "'com' is not a full host name"),
    ("*", "'*' is not a host name"),
    ("javascript:alert(1)", "'javascript:alert(1)' is not a host name"),
    ("https://platform.twitter.com", "is not a host name"),
    ("platform.twitter.com/widgets.js", "is not a host name"),
    ("*.example.com", "write the host name without '*.' ('example.com')"),
    ("exa mple.com", "is not a host name"),
])
@pytest.mark.parametrize("variable", ["WP_SEO_BRIDGE_REWRITE_TRUSTED_EMBED_HOSTS", "WP_SEO_BRIDGE_QUALITY_ALLOWED_LINK_DOMAINS"])
def test_trusted_hosts_must_be_full_host_names(variable, value, expected):
    text = refused({variable: value})
    assert expected in text and variable in text


def test_trusted_hosts_in_the_file_are_named_and_good_ones_normalised(tmp_path):
    assert "`rewrite.trusted_embed_hosts`" in refused(text='[rewrite]\ntrusted_embed_hosts = ["com"]\n',
                                                      tmp_path=tmp_path)
    settings = load_config(env={**SITE, "WP_SEO_BRIDGE_REWRITE_TRUSTED_EMBED_HOSTS": "Platform.Twitter.com., 10.0.0.2"})
    assert settings.rewrite.trusted_embed_hosts == ["platform.twitter.com", "10.0.0.2"]


# -- post types ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("page,attachment", "'attachment' is not a post type the bridge can rewrite"),
    ("post,revision", "'revision' is not a post type the bridge can rewrite"),
    ("Post Type", "'Post Type' is not a post type name"),
])
def test_post_types_that_cannot_be_rewritten_are_refused(value, expected):
    text = refused({"WP_SEO_BRIDGE_DRAFTS_POST_TYPES": value})
    assert expected in text and "WP_SEO_BRIDGE_DRAFTS_POST_TYPES" in text


# -- unknown variables ----------------------------------------------------------------------------------


def test_unknown_variables_are_refused_naming_the_closest_and_never_their_value():
    text = refused({"WP_SEO_BRIDGE_WORDPRESS_TIMOUT": "5", "WP_SEO_BRIDGE_BOGUS_KEY": "hunter2-value",
                    "WP_SEO_BRIDGE_WORDPRESS_APP_PASSWORD": "hunter2-password"})
    assert "WP_SEO_BRIDGE_WORDPRESS_TIMOUT (did you mean WP_SEO_BRIDGE_WORDPRESS_TIMEOUT?)" in text
    assert "WP_SEO_BRIDGE_WORDPRESS_APP_PASSWORD (did you mean WP_SEO_BRIDGE_WP_APP_PASSWORD?)" in text
    assert "  - WP_SEO_BRIDGE_BOGUS_KEY\n" in text and "hunter2" not in text


def test_the_documented_variables_are_known(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[wordpress]\nurl = "https://a.test"\nusername = "ed"\n', encoding="utf-8")
    settings = load_config(env={"WP_SEO_BRIDGE_CONFIG": str(config), "WP_SEO_BRIDGE_WP_APP_PASSWORD": "abcd efgh",
                                "WP_SEO_BRIDGE_MODEL_NAME": "mistral-small", "WP_SEO_BRIDGE_JOURNAL_PATH": "/j.db"})
    assert settings.source == config and settings.model.name == "mistral-small"
    assert settings.wordpress.app_password.get_secret_value() == "abcd efgh"


# -- files -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("encoding", "name"), [("utf-16", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32", "UTF-32")])
def test_a_utf16_or_utf32_file_is_named_as_such(tmp_path, encoding, name):
    path = tmp_path / "brouillon.txt"
    text = "Un brouillon : été, déjà.\n"
    path.write_bytes(("\ufeff" + text if encoding == "utf-16-be" else text).encode(encoding))
    with pytest.raises(InputError) as caught:
        read_text(path, what="Draft file")
    assert f"is {name} text" in caught.value.message and "binary" not in caught.value.message
    assert "Save it as UTF-8" in caught.value.hint and f"iconv -f {name.lower()}" in caught.value.hint


def test_a_binary_draft_is_told_what_a_draft_is(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = subprocess.run([sys.executable, "-m", "wp_seo_bridge", "analyze", "--file", str(path), "--json"],
                            capture_output=True, text=True, timeout=60,
                            env={k: v for k, v in os.environ.items() if not k.startswith("WP_SEO_BRIDGE_")})
    error = json.loads(result.stdout)["error"]
    assert result.returncode == 2 and "not a text file" in error["message"]
    assert ".txt or .html" in error["hint"] and ".toml" not in error["hint"]


def test_every_error_class_has_a_hint():
    import inspect

    import wp_seo_bridge.errors as errors

    for name, cls in inspect.getmembers(errors, inspect.isclass):
        if issubclass(cls, BridgeError) and cls is not BridgeError and "hint" not in inspect.signature(cls).parameters:
            continue  # built with its own hint
        if issubclass(cls, BridgeError) and cls is not BridgeError:
            assert cls.hint or name == "NothingToRestore", name
