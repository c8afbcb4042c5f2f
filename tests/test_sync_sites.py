"""Sync over several sites of one configuration, and sites that fail as a whole (real WordPress, fake model)."""

from __future__ import annotations

from tests.support.seed_model import new_category, seed_text
from wp_seo_bridge.config import load_config
from wp_seo_bridge.sync.options import SyncOptions
from wp_seo_bridge.sync.runner import run_sync
from tests.support.seed_model import SEED_MODEL_KEY as API_KEY


def load(tmp_path, text: str, env: dict[str, str]):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, env={"XDG_CONFIG_HOME": str(tmp_path), **env})


def site_table(name: str, url: str, user: str, category: int) -> str:
    return (f'[sites.{name}]\nurl = "{url}"\nusername = "{user}"\nseo_plugin = "yoast"\n\n'
            f"[sites.{name}.drafts]\ncategories = [{category}]\n\n")


def common(model, tmp_path) -> str:
    return (f'[model]\nbase_url = "{model.base_url}"\nmax_retries = 0\n\n[sync]\nmin_age_minutes = 0\n\n'
            f'[journal]\npath = "{tmp_path / "journal.sqlite3"}"\n\n')


def test_every_site_is_synced_in_turn_each_with_its_own_drafts(wordpress, model, tmp_path):
    news, blog = new_category(wordpress), new_category(wordpress)
    news_post = wordpress.create_post(post_title="Actualité", post_content=seed_text(1), post_category=[news])
    blog_post = wordpress.create_post(post_title="Billet", post_content=seed_text(2), post_category=[blog])
    password = wordpress.editor_app_password
    settings = load(tmp_path, common(model, tmp_path) + site_table("news", wordpress.url, wordpress.editor_user, news)
                    + site_table("blog", wordpress.url, wordpress.editor_user, blog),
                    {"OPENAI_API_KEY": API_KEY, "WP_SEO_BRIDGE_SITES_NEWS_WP_APP_PASSWORD": password,
                     "WP_SEO_BRIDGE_SITES_BLOG_WP_APP_PASSWORD": password})
    (blog_only,) = run_sync(settings, SyncOptions(site="blog", dry_run=True))
    assert blog_only.site == "blog" and [p.id for p in blog_only.posts] == [blog_post]
    results = run_sync(settings, SyncOptions())
    assert [r.site for r in results] == ["news", "blog"]
    assert [[(p.id, p.outcome) for p in r.posts] for r in results] == [[(news_post, "rewritten")],
                                                                       [(blog_post, "rewritten")]]


def test_a_site_that_fails_as_a_whole_is_reported_and_the_next_is_still_synced(wordpress, model, tmp_path):
    category = new_category(wordpress)
    post_id = wordpress.create_post(post_title="Ailleurs", post_content=seed_text(1), post_category=[category])
    settings = load(tmp_path, common(model, tmp_path) + site_table("down", "http://127.0.0.1:9", "editor", category)
                    + site_table("up", wordpress.url, wordpress.editor_user, category),
                    {"OPENAI_API_KEY": API_KEY, "WP_SEO_BRIDGE_SITES_DOWN_WP_APP_PASSWORD": "x",
                     "WP_SEO_BRIDGE_SITES_UP_WP_APP_PASSWORD": wordpress.editor_app_password})
    down, up = run_sync(settings, SyncOptions())
    assert "Cannot connect" in down.error and down.posts == () and down.exit_code == 2
    assert [(p.id, p.outcome) for p in up.posts] == [(post_id, "rewritten")] and up.exit_code == 0


def test_without_the_companion_plugin_a_sync_refuses_the_site_and_touches_nothing(
    wordpress, model, tmp_path, without_companion
):
    category = new_category(wordpress)
    post_id = wordpress.create_post(post_title="Sans compagnon", post_content=seed_text(1), post_category=[category])
    before = wordpress.php_json(f"echo json_encode(get_post({post_id}, ARRAY_A));")
    settings = load(tmp_path, common(model, tmp_path) + site_table("solo", wordpress.url, wordpress.editor_user, category),
                    {"OPENAI_API_KEY": API_KEY, "WP_SEO_BRIDGE_SITES_SOLO_WP_APP_PASSWORD": wordpress.editor_app_password})
    (result,) = run_sync(settings, SyncOptions())
    assert "companion plugin" in result.error and "open in an editor" in result.error
    assert "companion-plugin --output" in result.hint and result.exit_code == 2
    assert not [r for r in model.requests if r.path.endswith("/chat/completions")]
    assert wordpress.php_json(f"echo json_encode(get_post({post_id}, ARRAY_A));") == before


def test_a_site_that_changes_the_status_of_saved_posts_is_stopped_for_good(wordpress, model, tmp_path):
    category = new_category(wordpress)
    ids = [wordpress.create_post(post_title=f"Publié malgré nous {i}", post_content=seed_text(1),
                                 post_category=[category]) for i in range(3)]
    plugin = f"""<?php
add_action('rest_after_insert_post', function ($post) {{
    if (has_category({category}, $post) && $post->post_status !== 'publish') {{
        wp_update_post(array('ID' => $post->ID, 'post_status' => 'publish'));
    }}
}}, 20);
"""
    settings = load(tmp_path, common(model, tmp_path) + site_table("risky", wordpress.url, wordpress.editor_user, category),
                    {"OPENAI_API_KEY": API_KEY, "WP_SEO_BRIDGE_SITES_RISKY_WP_APP_PASSWORD": wordpress.editor_app_password})

    def published() -> list[int]:
        return wordpress.php_json(
            f"echo json_encode(array_map('intval', get_posts(array('category' => {category}, 'post_status' => "
            "'publish', 'fields' => 'ids', 'numberposts' => -1))));"
        )

    with wordpress.mu_plugin("publish-on-save.php", plugin):
        (first,) = run_sync(settings, SyncOptions(concurrency=1))
        assert [p.outcome for p in first.posts] == ["failed"] and "changed its status" in first.error
        assert len(published()) == 1  # the site published one draft on the bridge's first save, and no other
        calls = sum(1 for r in model.requests if r.path.endswith("/chat/completions"))
        (second,) = run_sync(settings, SyncOptions())
    assert second.posts == () and "writes nothing more" in second.error and ".blocked" in second.hint
    assert sum(1 for r in model.requests if r.path.endswith("/chat/completions")) == calls
    assert len(published()) == 1 and len(ids) == 3
