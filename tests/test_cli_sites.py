"""Several sites on the command line: ``--site NAME``, the refusal without it, ``doctor`` of every site; through
the real command against the real WordPress (two sites pointing at the test site, as different users)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.support.fake_openai import FakeOpenAI
from tests.support.cli import flat, run_cli

API_KEY = "sk-test-sites"


@pytest.fixture
def model_server():
    with FakeOpenAI(api_key=API_KEY) as server:
        yield server


@pytest.fixture(scope="module")
def two_tags(wordpress):
    """Two tags of the test site, and a draft tagged with each."""
    return wordpress.php_json(
        """
        $ids = array();
        foreach (array('news', 'guides') as $name) {
            $tag = wp_insert_term('sites-' . $name . '-' . strtolower(wp_generate_password(6, false)), 'post_tag');
            $slug = get_term($tag['term_id'])->slug;
            $post = wp_insert_post(array('post_title' => 'Brouillon ' . $name, 'post_status' => 'draft',
                                         'tags_input' => array($slug)));
            $ids[$name] = array('tag' => $slug, 'post' => $post);
        }
        echo json_encode($ids);
        """
    )


def sites_config(tmp_path: Path, wordpress, two_tags, extra: str = "") -> Path:
    """``news`` as the editor and ``guides`` as the administrator, each listing its own tag's drafts."""
    path = tmp_path / "sites.toml"
    path.write_text(
        f"""
[sites.news]
url = "{wordpress.url}"
username = "{wordpress.editor_user}"
timeout = 20

[sites.news.drafts]
tags = ["{two_tags['news']['tag']}"]

[sites.guides]
url = "{wordpress.url}"
username = "{wordpress.admin_user}"
timeout = 20

[sites.guides.drafts]
tags = ["{two_tags['guides']['tag']}"]
""" + extra,
        encoding="utf-8",
    )
    return path


def sites_env(tmp_path: Path, wordpress, model_server, **extra: str) -> dict[str, str]:
    env = {
        "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "WP_SEO_BRIDGE_SITES_NEWS_WP_APP_PASSWORD": wordpress.editor_app_password,
        "WP_SEO_BRIDGE_SITES_GUIDES_WP_APP_PASSWORD": wordpress.admin_app_password,
        "WP_SEO_BRIDGE_MODEL_BASE_URL": model_server.base_url, "OPENAI_API_KEY": API_KEY,
        "WP_SEO_BRIDGE_MODEL_MAX_RETRIES": "0",
    }
    env.update(extra)
    return env


def listed(result: subprocess.CompletedProcess) -> set[int]:
    assert result.returncode == 0, result.stdout + result.stderr
    return {draft["id"] for draft in json.loads(result.stdout)["drafts"]}


def test_drafts_of_each_site_with_its_own_filters_and_password(wordpress, model_server, two_tags, tmp_path):
    assert wordpress.admin_app_password, "the test site has an administrator's application password"
    config = sites_config(tmp_path, wordpress, two_tags)
    env = sites_env(tmp_path, wordpress, model_server)
    news = listed(run_cli("--config", str(config), "drafts", "--site", "news", "--json", env=env))
    guides = listed(run_cli("--config", str(config), "drafts", "--site", "guides", "--json", env=env))
    assert news == {two_tags["news"]["post"]} and guides == {two_tags["guides"]["post"]}
    # Each site's password is its own: the administrator's password does not open the editor's site.
    swapped = {**env, "WP_SEO_BRIDGE_SITES_NEWS_WP_APP_PASSWORD": wordpress.admin_app_password}
    refused = run_cli("--config", str(config), "drafts", "--site", "news", env=swapped)
    assert refused.returncode == 1 and "WP_SEO_BRIDGE_SITES_NEWS_WP_APP_PASSWORD" in flat(refused.stderr)
    assert wordpress.admin_app_password not in refused.stdout + refused.stderr


def test_one_site_alone_needs_no_site_option(wordpress, model_server, two_tags, tmp_path):
    config = sites_config(tmp_path, wordpress, two_tags)
    text = config.read_text()
    config.write_text(text[:text.index("[sites.guides]")], encoding="utf-8")
    env = sites_env(tmp_path, wordpress, model_server)
    del env["WP_SEO_BRIDGE_SITES_GUIDES_WP_APP_PASSWORD"]
    assert listed(run_cli("--config", str(config), "drafts", "--json", env=env)) == {two_tags["news"]["post"]}


def test_the_wordpress_section_is_the_site_named_default(wordpress, model_server, two_tags, tmp_path):
    config = sites_config(tmp_path, wordpress, two_tags, extra=(
        f'[wordpress]\nurl = "{wordpress.url}"\nusername = "{wordpress.editor_user}"\n'
        f'[drafts]\ntags = ["{two_tags["guides"]["tag"]}", "{two_tags["news"]["tag"]}"]\n'
    ))
    env = sites_env(tmp_path, wordpress, model_server, WP_SEO_BRIDGE_WP_APP_PASSWORD=wordpress.editor_app_password)
    both = listed(run_cli("--config", str(config), "drafts", "--site", "default", "--json", env=env))
    assert both == {two_tags["news"]["post"], two_tags["guides"]["post"]}
    assert listed(run_cli("--config", str(config), "drafts", "--site", "news", "--json", env=env)) == {
        two_tags["news"]["post"]}


@pytest.mark.parametrize("command", [["drafts"], ["rewrite", "1"], ["analyze", "1"], ["restore", "1"]])
def test_several_sites_and_no_site_option_is_refused_naming_them(wordpress, model_server, two_tags, tmp_path, command):
    config = sites_config(tmp_path, wordpress, two_tags)
    result = run_cli("--config", str(config), *command, env=sites_env(tmp_path, wordpress, model_server))
    assert result.returncode == 2, result.stdout + result.stderr
    text = flat(result.stderr)
    assert "2 sites are configured (news, guides)" in text and "--site news" in text and "Traceback" not in text
    assert not model_server.requests


@pytest.mark.parametrize("command", [["drafts"], ["rewrite", "1"], ["analyze", "1"], ["restore", "1"]])
def test_an_unknown_site_is_refused_naming_the_known_ones(wordpress, model_server, two_tags, tmp_path, command):
    config = sites_config(tmp_path, wordpress, two_tags)
    result = run_cli("--config", str(config), *command, "--site", "blog", env=sites_env(tmp_path, wordpress, model_server))
    assert result.returncode == 2
    assert "No site named 'blog' in the configuration; its sites: news, guides." in flat(result.stderr)


def test_the_refusal_is_json_with_json(wordpress, model_server, two_tags, tmp_path):
    config = sites_config(tmp_path, wordpress, two_tags)
    result = run_cli("--config", str(config), "drafts", "--json", env=sites_env(tmp_path, wordpress, model_server))
    assert result.returncode == 2
    error = json.loads(result.stdout)["error"]
    assert error["type"] == "ConfigError" and "news, guides" in error["message"] and "--site" in error["hint"]


def test_the_password_of_a_site_not_configured_is_refused(wordpress, model_server, two_tags, tmp_path):
    config = sites_config(tmp_path, wordpress, two_tags)
    env = sites_env(tmp_path, wordpress, model_server, WP_SEO_BRIDGE_SITES_GUIDE_WP_APP_PASSWORD="abcd efgh")
    result = run_cli("--config", str(config), "drafts", "--site", "news", env=env)
    assert result.returncode == 2
    text = flat(result.stderr)
    assert "WP_SEO_BRIDGE_SITES_GUIDE_WP_APP_PASSWORD: no [sites.guide] table" in text and "abcd efgh" not in text


def test_rewrite_of_a_file_takes_the_named_sites_settings(wordpress, model_server, two_tags, tmp_path):
    config = sites_config(tmp_path, wordpress, two_tags, extra="[sites.guides.rewrite]\nmin_source_words = 5000\n")
    draft = tmp_path / "draft.txt"
    draft.write_text("Un brouillon de quelques mots seulement, pour voir.\n", encoding="utf-8")
    env = sites_env(tmp_path, wordpress, model_server)
    strict = run_cli("--config", str(config), "rewrite", "--file", str(draft), "--site", "guides", env=env)
    assert strict.returncode == 1 and "5000" in flat(strict.stderr) and not model_server.requests
    # Without --site, a local file takes the global settings (no site is needed to rewrite it).
    lenient = run_cli("--config", str(config), "rewrite", "--file", str(draft), env=env)
    assert "5000" not in flat(lenient.stderr) and lenient.returncode != 2


def test_doctor_checks_every_site_in_turn(wordpress, model_server, two_tags, tmp_path):
    config = sites_config(tmp_path, wordpress, two_tags)
    env = sites_env(tmp_path, wordpress, model_server)
    result = run_cli("--config", str(config), "doctor", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "Site news" in lines and "Site guides" in lines
    assert lines.index("Site news") < lines.index("Site guides")
    assert sum("credentials accepted" in line for line in lines) == 2
    assert sum("language model reachable" in line for line in lines) == 1  # the model is checked once, for every site

    data = json.loads(run_cli("--config", str(config), "doctor", "--json", env=env).stdout)
    by_site = {}
    for check in data["checks"]:
        by_site.setdefault(check["site"], []).append(check["name"])
    assert list(by_site)[:3] == [None, "news", "guides"] and by_site["news"] == by_site["guides"]
    assert "credentials accepted" in by_site["news"] and data["passed"] is True


def test_doctor_of_one_site_and_a_site_without_its_password(wordpress, model_server, two_tags, tmp_path):
    config = sites_config(tmp_path, wordpress, two_tags)
    env = sites_env(tmp_path, wordpress, model_server)
    del env["WP_SEO_BRIDGE_SITES_GUIDES_WP_APP_PASSWORD"]
    news = run_cli("--config", str(config), "doctor", "--site", "news", "--json", env=env)
    data = json.loads(news.stdout)
    assert news.returncode == 0 and data["passed"] is True
    assert {check["site"] for check in data["checks"]} == {None, "news"}
    every = run_cli("--config", str(config), "doctor", env=env)
    assert every.returncode == 1
    text = every.stdout
    guides = text[text.index("Site guides"):]
    assert "WP_SEO_BRIDGE_SITES_GUIDES_WP_APP_PASSWORD is not set" in flat(guides)
    assert "is not set" not in text[:text.index("Site guides")]
    unknown = run_cli("--config", str(config), "doctor", "--site", "blog", env=env)
    assert unknown.returncode == 1 and "its sites: news, guides" in flat(unknown.stdout)


def test_a_single_wordpress_section_is_checked_as_before(wordpress, model_server, tmp_path):
    env = sites_env(tmp_path, wordpress, model_server, WP_SEO_BRIDGE_WORDPRESS_URL=wordpress.url,
                    WP_SEO_BRIDGE_WORDPRESS_USERNAME=wordpress.editor_user,
                    WP_SEO_BRIDGE_WP_APP_PASSWORD=wordpress.editor_app_password)
    for name in ("NEWS", "GUIDES"):
        del env[f"WP_SEO_BRIDGE_SITES_{name}_WP_APP_PASSWORD"]
    result = run_cli("doctor", "--json", env=env)
    assert result.returncode == 0, result.stdout
    assert {check["site"] for check in json.loads(result.stdout)["checks"]} == {None}
    assert "Site " not in run_cli("doctor", env=env).stdout


def test_site_passwords_are_blanked_in_error_logs(monkeypatch):
    from wp_seo_bridge.error_log import without_secrets

    monkeypatch.setenv("WP_SEO_BRIDGE_SITES_SHOP_FR_WP_APP_PASSWORD", "abcd efgh ijkl")
    text = without_secrets("refused abcd efgh ijkl and abcdefghijkl")
    assert "abcd" not in text and "[WP_SEO_BRIDGE_SITES_SHOP_FR_WP_APP_PASSWORD]" in text


def test_commands_over_every_site_get_the_whole_configuration(wordpress, two_tags, tmp_path, monkeypatch):
    """``sync`` and ``history`` call ``settings_or_exit()`` without ``site``: every site, nothing refused."""
    from wp_seo_bridge.cli_errors import state
    from wp_seo_bridge.cli_inputs import settings_or_exit

    for name in [name for name in os.environ if name.startswith(("WP_SEO_BRIDGE_", "OPENAI_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setattr(state, "config_path", sites_config(tmp_path, wordpress, two_tags))
    settings = settings_or_exit()
    assert settings.wordpress is None and list(settings.sites) == ["news", "guides"]
    assert settings_or_exit(require_site=False).sites == settings.sites
    one = settings_or_exit(site="guides")
    assert one.sites == {} and one.wordpress.username == wordpress.admin_user
    assert one.drafts.tags == [two_tags["guides"]["tag"]]
