"""Several sites in one configuration: ``[sites.NAME]`` tables, their passwords, and :func:`site_settings`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wp_seo_bridge.config import Settings, load_config, site_settings
from wp_seo_bridge.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]

WORDPRESS = """
[wordpress]
url = "https://example.com/"
username = "editor"
"""

TWO_SITES = """
[drafts]
tags = ["news"]
post_types = ["post", "page"]

[rewrite]
min_words = 800

[quality]
min_seo_rating = "ok"

[sites.blog]
url = "https://blog.example.org"
username = "bob"
max_connections = 2

[sites.blog.drafts]
tags = ["guides"]
author = 7

[sites.blog.rewrite]
language = "en"

[sites.shop-fr]
url = "https://shop.example.fr/"
username = "sam"
transport = "xmlrpc"

[sites.shop-fr.quality]
min_seo_rating = "good"
max_repairs = 0
"""

PASSWORDS = {"WP_SEO_BRIDGE_SITES_BLOG_WP_APP_PASSWORD": "blog pass word",
             "WP_SEO_BRIDGE_SITES_SHOP_FR_WP_APP_PASSWORD": "shop pass word"}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refused(tmp_path: Path, text: str, env: dict[str, str] | None = None, **options) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text), env=env or {}, **options)
    return caught.value


def test_a_file_with_sites_only_is_valid_and_each_site_is_complete(tmp_path):
    settings = load_config(write(tmp_path, TWO_SITES), env=PASSWORDS)
    assert settings.wordpress is None
    sites = site_settings(settings)
    assert [name for name, _ in sites] == ["blog", "shop-fr"]
    blog, shop = (site for _, site in sites)
    assert isinstance(blog, Settings) and blog.sites == {} and shop.sites == {}
    assert blog.wordpress.url == "https://blog.example.org" and blog.wordpress.username == "bob"
    assert blog.wordpress.max_connections == 2 and blog.wordpress.transport == "rest"
    assert shop.wordpress.url == "https://shop.example.fr" and shop.wordpress.transport == "xmlrpc"
    assert shop.wordpress.max_connections == 4 and shop.wordpress.timeout == 30
    # Key-level overrides: the site's keys replace the global ones, the others are the global ones.
    assert blog.drafts.tags == ["guides"] and blog.drafts.author == 7 and blog.drafts.post_types == ["post", "page"]
    assert shop.drafts.tags == ["news"] and shop.drafts.author is None
    assert blog.rewrite.language == "en" and blog.rewrite.min_words == 800
    assert shop.rewrite.language == "fr" and shop.rewrite.min_words == 800
    assert blog.quality.min_seo_rating == "ok" and blog.quality.max_repairs == 2
    assert shop.quality.min_seo_rating == "good" and shop.quality.max_repairs == 0
    # The global sections are unchanged.
    assert settings.drafts.tags == ["news"] and settings.rewrite.language == "fr" and settings.quality.max_repairs == 2


def test_each_site_has_its_own_password_never_shown(tmp_path):
    settings = load_config(write(tmp_path, TWO_SITES), env=PASSWORDS)
    (_, blog), (_, shop) = site_settings(settings)
    assert blog.wordpress.app_password.get_secret_value() == "blog pass word"
    assert shop.wordpress.app_password.get_secret_value() == "shop pass word"
    assert blog.wordpress.password_variable == "WP_SEO_BRIDGE_SITES_BLOG_WP_APP_PASSWORD"
    assert shop.wordpress.password_variable == "WP_SEO_BRIDGE_SITES_SHOP_FR_WP_APP_PASSWORD"
    shown = repr(settings) + settings.model_dump_json() + repr(blog) + blog.model_dump_json() + shop.model_dump_json()
    assert "pass word" not in shown


def test_a_site_without_its_password_has_none(tmp_path):
    env = {"WP_SEO_BRIDGE_SITES_BLOG_WP_APP_PASSWORD": "blog pass word", "WP_SEO_BRIDGE_WP_APP_PASSWORD": "other"}
    (_, blog), (_, shop) = site_settings(load_config(write(tmp_path, TWO_SITES), env=env))
    assert blog.wordpress.app_password.get_secret_value() == "blog pass word"
    assert shop.wordpress.app_password is None  # never the [wordpress] section's password


def test_wordpress_section_is_the_default_site_first(tmp_path):
    env = {**PASSWORDS, "WP_SEO_BRIDGE_WP_APP_PASSWORD": "default pass"}
    settings = load_config(write(tmp_path, WORDPRESS + TWO_SITES), env=env)
    sites = site_settings(settings)
    assert [name for name, _ in sites] == ["default", "blog", "shop-fr"]
    default = sites[0][1]
    assert default.wordpress.url == "https://example.com" and default.sites == {}
    assert default.wordpress.app_password.get_secret_value() == "default pass"
    assert default.wordpress.password_variable == "WP_SEO_BRIDGE_WP_APP_PASSWORD"
    assert default.drafts.tags == ["news"]
    assert settings.sites and settings.wordpress is not None  # the loaded settings keep every site


def test_config_order_is_kept(tmp_path):
    text = "".join(f'[sites.{name}]\nurl = "https://{name}.test"\nusername = "u"\n' for name in ("zeta", "alpha", "m1"))
    assert [name for name, _ in site_settings(load_config(write(tmp_path, text), env={}))] == ["zeta", "alpha", "m1"]


def test_only_one_site(tmp_path):
    settings = load_config(write(tmp_path, WORDPRESS + TWO_SITES), env=PASSWORDS)
    [(name, shop)] = site_settings(settings, only="shop-fr")
    assert name == "shop-fr" and shop.wordpress.username == "sam"
    [(name, default)] = site_settings(settings, only="default")
    assert name == "default" and default.wordpress.username == "editor"


def test_an_unknown_site_is_refused_naming_the_known_ones(tmp_path):
    settings = load_config(write(tmp_path, WORDPRESS + TWO_SITES), env=PASSWORDS)
    with pytest.raises(ConfigError) as caught:
        site_settings(settings, only="shop")
    assert "'shop'" in caught.value.message and "default, blog, shop-fr" in caught.value.message
    assert "--site" in caught.value.hint


def test_no_site_at_all(tmp_path):
    settings = load_config(write(tmp_path, '[model]\nname = "m"\n'), env={}, require_site=False)
    with pytest.raises(ConfigError, match="No WordPress site is configured"):
        site_settings(settings)
    error = refused(tmp_path, '[model]\nname = "m"\n')
    assert "No WordPress site is configured" in error.message and "[sites.NAME]" in error.hint


def test_merged_sites_are_independent_copies(tmp_path):
    settings = load_config(write(tmp_path, WORDPRESS + TWO_SITES), env=PASSWORDS)
    sites = dict(site_settings(settings))
    sites["shop-fr"].drafts.tags.append("changed")
    sites["blog"].drafts.post_types.append("changed")
    assert settings.drafts.tags == ["news"] and settings.drafts.post_types == ["post", "page"]
    assert dict(site_settings(settings))["blog"].drafts.tags == ["guides"]


def test_the_environment_sets_the_global_sections_and_a_site_keeps_its_own_keys(tmp_path):
    env = {**PASSWORDS, "WP_SEO_BRIDGE_DRAFTS_TAGS": "env-tag", "WP_SEO_BRIDGE_REWRITE_LANGUAGE": "de"}
    sites = dict(site_settings(load_config(write(tmp_path, TWO_SITES), env=env)))
    assert sites["shop-fr"].drafts.tags == ["env-tag"] and sites["shop-fr"].rewrite.language == "de"
    assert sites["blog"].drafts.tags == ["guides"] and sites["blog"].rewrite.language == "en"


def test_the_password_of_an_unknown_site_is_refused_clearly(tmp_path):
    error = refused(tmp_path, WORDPRESS + TWO_SITES, env={"WP_SEO_BRIDGE_SITES_SHOP_WP_APP_PASSWORD": "secret-value"})
    assert "WP_SEO_BRIDGE_SITES_SHOP_WP_APP_PASSWORD" in error.message and "[sites.shop]" in error.message
    assert "default, blog, shop-fr" in error.message and "secret-value" not in str(error) + error.hint
    assert "WP_SEO_BRIDGE_SITES_NAME_WP_APP_PASSWORD" in error.hint
    error = refused(tmp_path, WORDPRESS, env={"WP_SEO_BRIDGE_SITES_BLOG_WP_APP_PASSWORD": "x"})
    assert "[sites.blog]" in error.message and "The configured sites: default." in error.message


def test_site_keys_are_not_set_from_the_environment(tmp_path):
    error = refused(tmp_path, TWO_SITES, env={"WP_SEO_BRIDGE_SITES_BLOG_URL": "https://x.test"})
    assert "Unknown environment variable" in error.message and "WP_SEO_BRIDGE_SITES_BLOG_URL" in error.message


@pytest.mark.parametrize("name", ["Blog", "my blog", "-blog", "blog.fr", "café", "a" * 41, '""'])
def test_site_names_are_restricted(tmp_path, name):
    table = name if name == '""' else f'"{name}"'
    error = refused(tmp_path, f'[sites.{table}]\nurl = "https://a.test"\nusername = "u"\n')
    assert "`sites`" in error.message and "is not a site name" in error.message
    assert "lower-case letters, digits, '-' and '_'" in error.message


def test_two_names_sharing_a_password_variable_are_refused(tmp_path):
    text = '[sites.my-blog]\nurl = "https://a.test"\nusername = "u"\n[sites.my_blog]\nurl = "https://b.test"\nusername = "u"\n'
    error = refused(tmp_path, text)
    assert "'my-blog' and 'my_blog'" in error.message and "WP_SEO_BRIDGE_SITES_MY_BLOG_WP_APP_PASSWORD" in error.message


def test_a_sites_default_table_beside_wordpress_is_refused(tmp_path):
    text = WORDPRESS + '[sites.default]\nurl = "https://a.test"\nusername = "u"\n'
    error = refused(tmp_path, text)
    assert "[wordpress]" in error.message and "[sites.default]" in error.message and "Rename" in error.hint
    env = {"WP_SEO_BRIDGE_WORDPRESS_URL": "https://b.test", "WP_SEO_BRIDGE_WORDPRESS_USERNAME": "u"}
    assert "[sites.default]" in refused(tmp_path, text.replace(WORDPRESS, ""), env=env).message
    # Without [wordpress], a site may be named "default" (its password is its own variable).
    settings = load_config(write(tmp_path, text.replace(WORDPRESS, "")),
                           env={"WP_SEO_BRIDGE_SITES_DEFAULT_WP_APP_PASSWORD": "p"})
    [(name, site)] = site_settings(settings)
    assert name == "default" and site.wordpress.app_password.get_secret_value() == "p"


@pytest.mark.parametrize("key", ["app_password", "password", "token"])
def test_secrets_in_a_site_table_are_refused_naming_its_variable(tmp_path, key):
    error = refused(tmp_path, TWO_SITES.replace('username = "sam"', f'username = "sam"\n{key} = "hunter2-secret"'))
    assert f"`sites.shop-fr.{key}`" in error.message and "WP_SEO_BRIDGE_SITES_SHOP_FR_WP_APP_PASSWORD" in error.hint
    assert "hunter2-secret" not in error.message + error.hint


def test_a_secret_in_a_site_override_is_refused(tmp_path):
    error = refused(tmp_path, TWO_SITES + 'api_key = "hunter2-secret"\n')
    assert "`sites.shop-fr.quality.api_key`" in error.message and "hunter2" not in error.message + error.hint


@pytest.mark.parametrize(("text", "expected"), [
    ('url = "blog.example.org"', "`sites.blog.url`: must be the site's address"),
    ('timeout = "30"', "`sites.blog.timeout` = '30' is not a number (written in quotes: remove them)"),
    ("max_connections = 0", "`sites.blog.max_connections`: Input should be greater than or equal to 1"),
    ('transport = "soap"', "`sites.blog.transport`: Input should be 'rest' or 'xmlrpc'"),
    ('urll = "x"', "`sites.blog.urll`: unknown key"),
    ("drafts = 3", "`sites.blog.drafts` must be a table of keys"),
])
def test_a_bad_site_key_is_named_where_it_is(tmp_path, text, expected):
    keys = {"url": '"https://blog.example.org"', "username": '"bob"'}
    keys.update([text.split(" = ")])
    error = refused(tmp_path, "[sites.blog]\n" + "".join(f"{key} = {value}\n" for key, value in keys.items()))
    assert expected in error.message and "config.toml" in error.message


@pytest.mark.parametrize(("table", "text", "expected"), [
    ("drafts", 'author = "7"', "`sites.blog.drafts.author` = '7' is not a whole number"),
    ("drafts", "post_types = []", "`sites.blog.drafts.post_types`"),
    ("drafts", 'post_types = ["attachment"]', "`sites.blog.drafts.post_types`: 'attachment' is not a post type"),
    ("rewrite", 'language = "xx"', "`sites.blog.rewrite.language`"),
    ("rewrite", 'status = "publish"', "`sites.blog.rewrite.status`: must be 'keep', 'draft' or 'pending'"),
    ("rewrite", "min_words = 10", "`sites.blog.rewrite.min_words`: Input should be greater than or equal to 50"),
    ("quality", 'allowed_link_domains = ["com"]', "`sites.blog.quality.allowed_link_domains`"),
    ("quality", "max_repairs = 9", "`sites.blog.quality.max_repairs`"),
    ("drafts", 'colour = "red"', "`sites.blog.drafts.colour`: unknown key"),
])
def test_a_bad_override_is_named_where_it_is(tmp_path, table, text, expected):
    error = refused(tmp_path, f'[sites.blog]\nurl = "https://a.test"\nusername = "u"\n[sites.blog.{table}]\n{text}\n')
    assert expected in error.message


def test_a_site_overrides_only_drafts_rewrite_and_quality(tmp_path):
    error = refused(tmp_path, TWO_SITES + '[sites.blog.model]\nname = "other"\n')
    assert "`sites.blog.model`: unknown key" in error.message and ".rewrite and .quality" in error.message


def test_sites_must_be_tables(tmp_path):
    assert "`sites` must be a table of keys" in refused(tmp_path, WORDPRESS.replace("[wordpress]", "sites = 3\n[wordpress]")).message
    error = refused(tmp_path, '[sites]\nurl = "https://a.test"\nusername = "u"\n')
    assert "`sites.url` must be a table of keys" in error.message and "[sites.NAME]" in error.message


def test_a_site_without_its_url_or_user(tmp_path):
    error = refused(tmp_path, '[sites.blog]\nurl = "https://a.test"\n')
    assert "`sites.blog.username`: required, but not set" in error.message


def test_the_example_site_is_valid_once_uncommented(tmp_path):
    text = (ROOT / "config.example.toml").read_text()
    start = text.index("# [sites.shop-fr]")
    uncommented = "\n".join(re.sub(r"^# ?", "", line) for line in text[start:].splitlines())
    sites = dict(site_settings(load_config(write(tmp_path, text[:start] + uncommented), env={})))
    assert list(sites) == ["default", "shop-fr"]
    assert sites["shop-fr"].wordpress.url == "https://shop.example.fr" and sites["shop-fr"].wordpress.max_connections == 2
    assert sites["shop-fr"].drafts.post_types == ["product_review"] and sites["shop-fr"].rewrite.min_words == 500
