"""The keys of ``sync`` and ``watch``: ``[sync]``, the model's prices, ``wordpress.max_connections``."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from wp_seo_bridge.config import load_config
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


def refused(tmp_path: Path, text: str = "", env: dict[str, str] | None = None) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, MINIMAL + text), env=env or {})
    return str(caught.value) + "\n" + caught.value.hint


def test_defaults(tmp_path):
    settings = load_config(write(tmp_path, MINIMAL), env={})
    assert settings.sync.statuses == ["draft"]
    assert settings.sync.min_age_minutes == 10 and isinstance(settings.sync.min_age_minutes, float)
    assert settings.sync.concurrency == 4
    assert settings.sync.max_cost_per_run is None
    assert settings.sync.interval_seconds == 300
    assert settings.sync.mode == "opt-out"
    assert settings.model.input_price_per_million == 0 and settings.model.output_price_per_million == 0
    assert settings.wordpress.max_connections == 4


def test_values_from_the_file(tmp_path):
    text = MINIMAL + ("max_connections = 2\n[model]\ninput_price_per_million = 0.15\noutput_price_per_million = 0.6\n"
                      "[sync]\nstatuses = [\"pending\", \"draft\"]\nmin_age_minutes = 0\nconcurrency = 32\n"
                      "max_cost_per_run = 0\ninterval_seconds = 0.5\n")
    settings = load_config(write(tmp_path, text), env={})
    assert settings.wordpress.max_connections == 2
    assert settings.model.input_price_per_million == 0.15 and settings.model.output_price_per_million == 0.6
    assert settings.sync.statuses == ["pending", "draft"]
    assert settings.sync.min_age_minutes == 0 and settings.sync.concurrency == 32
    assert settings.sync.max_cost_per_run == 0.0 and settings.sync.interval_seconds == 0.5


def test_values_from_the_environment(tmp_path):
    env = {
        "WP_SEO_BRIDGE_SYNC_STATUSES": "draft, pending",
        "WP_SEO_BRIDGE_SYNC_MIN_AGE_MINUTES": "2.5",
        "WP_SEO_BRIDGE_SYNC_CONCURRENCY": "8",
        "WP_SEO_BRIDGE_SYNC_MAX_COST_PER_RUN": "1.25",
        "WP_SEO_BRIDGE_SYNC_INTERVAL_SECONDS": "60",
        "WP_SEO_BRIDGE_MODEL_INPUT_PRICE_PER_MILLION": "3",
        "WP_SEO_BRIDGE_MODEL_OUTPUT_PRICE_PER_MILLION": "15",
        "WP_SEO_BRIDGE_WORDPRESS_MAX_CONNECTIONS": "1",
    }
    settings = load_config(write(tmp_path, MINIMAL + "[sync]\nconcurrency = 2\n"), env=env)
    assert settings.sync.statuses == ["draft", "pending"]
    assert settings.sync.min_age_minutes == 2.5 and settings.sync.concurrency == 8
    assert settings.sync.max_cost_per_run == 1.25 and settings.sync.interval_seconds == 60
    assert settings.model.input_price_per_million == 3 and settings.model.output_price_per_million == 15
    assert settings.wordpress.max_connections == 1


@pytest.mark.parametrize(("text", "expected"), [
    ("max_connections = 0\n", "`wordpress.max_connections`: Input should be greater than or equal to 1"),
    ("max_connections = 33\n", "`wordpress.max_connections`: Input should be less than or equal to 32"),
    ("max_connections = 2.5\n", "`wordpress.max_connections` = 2.5 is not a whole number"),
    ("[model]\ninput_price_per_million = -0.1\n", "`model.input_price_per_million`: Input should be greater than or"),
    ("[model]\noutput_price_per_million = -1\n", "`model.output_price_per_million`: Input should be greater than or"),
    ("[model]\noutput_price_per_million = \"0.6\"\n", "`model.output_price_per_million` = '0.6' is not a number"),
    ("[model]\ninput_price_per_million = nan\n", "`model.input_price_per_million`"),
    ("[model]\ninput_price_per_million = inf\n", "`model.input_price_per_million`"),
    ("[sync]\nmin_age_minutes = -1\n", "`sync.min_age_minutes`: Input should be greater than or equal to 0"),
    ("[sync]\nconcurrency = 0\n", "`sync.concurrency`: Input should be greater than or equal to 1"),
    ("[sync]\nconcurrency = 33\n", "`sync.concurrency`: Input should be less than or equal to 32"),
    ("[sync]\nconcurrency = 1.5\n", "`sync.concurrency` = 1.5 is not a whole number"),
    ("[sync]\nmax_cost_per_run = -0.01\n", "`sync.max_cost_per_run`: Input should be greater than or equal to 0"),
    ("[sync]\nmax_cost_per_run = \"5\"\n", "`sync.max_cost_per_run` = '5' is not a number"),
    ("[sync]\ninterval_seconds = 0\n", "`sync.interval_seconds`: Input should be greater than 0"),
    ("[sync]\nstatuses = []\n", "`sync.statuses`"),
    ("[sync]\nstatuses = \"draft\"\n", "`sync.statuses`"),
    ("[sync]\nstatuses = [\"drafts\"]\n", "`sync.statuses`: Input should be 'draft' or 'pending'"),
    ("[sync]\nstatus = [\"draft\"]\n", "`sync.status`: unknown key"),
    ("[sync]\nmode = \"optin\"\n", "`sync.mode`: Input should be 'opt-out' or 'opt-in'"),
    ("[sync]\nmode = true\n", "`sync.mode`"),
])
def test_bounds_and_types_are_named_with_their_key(tmp_path, text, expected):
    message = refused(tmp_path, text)
    assert expected in message and "config.toml" in message


@pytest.mark.parametrize("status", ["publish", "future", "private", "Publish"])
def test_sync_never_picks_published_scheduled_or_private_posts(tmp_path, status):
    message = refused(tmp_path, f'[sync]\nstatuses = ["draft", "{status}"]\n')
    assert "`sync.statuses`" in message and "never touched" in message and repr(status) in message
    message = refused(tmp_path, env={"WP_SEO_BRIDGE_SYNC_STATUSES": f"pending,{status}"})
    assert "WP_SEO_BRIDGE_SYNC_STATUSES" in message and "never touched" in message and "config.toml" not in message


def test_a_status_given_twice_counts_once(tmp_path):
    settings = load_config(write(tmp_path, MINIMAL + '[sync]\nstatuses = ["draft", "pending", "draft"]\n'), env={})
    assert settings.sync.statuses == ["draft", "pending"]


@pytest.mark.parametrize(("variable", "value", "expected"), [
    ("WP_SEO_BRIDGE_SYNC_MIN_AGE_MINUTES", "ten", "is not a number"),
    ("WP_SEO_BRIDGE_SYNC_MIN_AGE_MINUTES", "-5", "Input should be greater than or equal to 0"),
    ("WP_SEO_BRIDGE_SYNC_CONCURRENCY", "4.0", "is not a whole number"),
    ("WP_SEO_BRIDGE_SYNC_CONCURRENCY", "64", "Input should be less than or equal to 32"),
    ("WP_SEO_BRIDGE_SYNC_MAX_COST_PER_RUN", "", "is not a number"),
    ("WP_SEO_BRIDGE_SYNC_MAX_COST_PER_RUN", "inf", "is not a finite number"),
    ("WP_SEO_BRIDGE_SYNC_INTERVAL_SECONDS", "0", "Input should be greater than 0"),
    ("WP_SEO_BRIDGE_MODEL_INPUT_PRICE_PER_MILLION", "nan", "is not a number"),
    ("WP_SEO_BRIDGE_WORDPRESS_MAX_CONNECTIONS", "0", "Input should be greater than or equal to 1"),
])
def test_a_bad_environment_value_names_its_variable(tmp_path, variable, value, expected):
    message = refused(tmp_path, env={variable: value})
    assert f"{variable} = {value!r}" in message and expected in message
    assert "config.toml" not in message.splitlines()[0] and variable in message.splitlines()[-1]


def test_a_misspelt_variable_is_refused_naming_the_right_one(tmp_path):
    message = refused(tmp_path, env={"WP_SEO_BRIDGE_SYNC_MIN_AGE": "5"})
    assert "WP_SEO_BRIDGE_SYNC_MIN_AGE" in message and "did you mean WP_SEO_BRIDGE_SYNC_MIN_AGE_MINUTES?" in message


def test_the_example_documents_the_new_keys_with_their_defaults():
    text = (ROOT / "config.example.toml").read_text()
    data = tomllib.loads(text)
    assert data["sync"] == {"statuses": ["draft"], "min_age_minutes": 10, "concurrency": 4, "interval_seconds": 300,
                            "mode": "opt-out"}
    assert '"opt-in"' in text and '"Do not rewrite"' in text
    assert "# max_cost_per_run = " in text
    assert data["model"]["input_price_per_million"] == 0 and data["model"]["output_price_per_million"] == 0
    assert data["wordpress"]["max_connections"] == 4


@pytest.mark.parametrize("mode", ["opt-in", "opt-out"])
def test_the_sync_mode_from_the_file_and_the_environment(tmp_path, mode):
    assert load_config(write(tmp_path, MINIMAL + f'[sync]\nmode = "{mode}"\n'), env={}).sync.mode == mode
    assert load_config(write(tmp_path, MINIMAL), env={"WP_SEO_BRIDGE_SYNC_MODE": mode}).sync.mode == mode


def test_a_bad_sync_mode_in_the_environment_names_its_variable(tmp_path):
    message = refused(tmp_path, env={"WP_SEO_BRIDGE_SYNC_MODE": "everything"})
    assert "WP_SEO_BRIDGE_SYNC_MODE = 'everything'" in message and "'opt-out' or 'opt-in'" in message
