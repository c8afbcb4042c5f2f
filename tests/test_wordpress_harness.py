"""Smoke tests of the local WordPress site (wp_seo_bridge/local_wordpress/) the tests run on."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
import requests

from wp_seo_bridge.local_wordpress import LocalSite

pytestmark = pytest.mark.wordpress

TIMEOUT = 15


@pytest.fixture(scope="module")
def http() -> Iterator[requests.Session]:
    session = requests.Session()
    session.trust_env = False  # loopback: no proxy, no .netrc
    yield session
    session.close()


def rest_index(http: requests.Session, site: LocalSite) -> dict:
    response = http.get(f"{site.url}/wp-json/", timeout=TIMEOUT)
    assert response.status_code == 200, response.text[:500]
    return response.json()


def test_rest_index_has_wp_v2_and_application_passwords(wordpress: LocalSite, http: requests.Session) -> None:
    index = rest_index(http, wordpress)
    assert "wp/v2" in index["namespaces"]
    assert "application-passwords" in index["authentication"]
    assert index["url"] == wordpress.url


@pytest.mark.parametrize(
    ("user_attr", "password_attr", "role"),
    [
        ("editor_user", "editor_app_password", "editor"),
        ("subscriber_user", "subscriber_app_password", "subscriber"),
    ],
)
def test_basic_auth_with_application_password(
    wordpress: LocalSite, http: requests.Session, user_attr: str, password_attr: str, role: str
) -> None:
    user = getattr(wordpress, user_attr)
    response = http.get(
        f"{wordpress.url}/wp-json/wp/v2/users/me",
        params={"context": "edit"},
        auth=(user, getattr(wordpress, password_attr)),
        timeout=TIMEOUT,
    )
    assert response.status_code == 200, response.text[:500]
    me = response.json()
    assert me["username"] == user
    assert me["roles"] == [role]


def test_wrong_application_password_is_401(wordpress: LocalSite, http: requests.Session) -> None:
    response = http.get(
        f"{wordpress.url}/wp-json/wp/v2/users/me",
        auth=(wordpress.editor_user, "wrong wrong wrong wrong wrong wrong"),
        timeout=TIMEOUT,
    )
    assert response.status_code == 401, response.text[:500]
    # WordPress 6.1 determines the current user only after its application
    # password error check has run, so a wrong password makes the request
    # anonymous ("rest_not_logged_in") instead of failing with "incorrect_password".
    assert response.json()["code"] in {"incorrect_password", "rest_not_logged_in"}


def test_create_posts_are_seen_by_the_php_oracle(wordpress: LocalSite) -> None:
    count_drafts = "echo json_encode( (int) wp_count_posts( 'post' )->draft );"
    before = wordpress.php_json(count_drafts)
    ids = wordpress.create_posts(5, post_title="Lot")
    assert len(set(ids)) == 5
    assert wordpress.php_json(count_drafts) == before + 5
    titles = wordpress.php_json(
        f"echo json_encode( array_map( 'get_the_title', {ids!r} ) );".replace("[", "array(").replace("]", ")")
    )
    assert titles == [f"Lot {i}" for i in range(1, 6)]


def test_create_post_stores_fields_verbatim(wordpress: LocalSite, http: requests.Session) -> None:
    content = '<p>Caf\u00e9 "cr\u00e8me" \\ backslash</p>'
    post_id = wordpress.create_post(
        post_title="Brouillon unique", post_content=content, meta_input={"_harness_meta": "a\\b"}
    )
    stored = wordpress.php_json(
        f"$p = get_post( {post_id} );"
        f"echo json_encode( array( $p->post_status, $p->post_type, (int) $p->post_author,"
        f" $p->post_content, get_post_meta( {post_id}, '_harness_meta', true ) ) );"
    )
    assert stored == ["draft", "post", wordpress.editor_id, content, "a\\b"]
    # ...and the editor sees the draft over the REST API.
    response = http.get(
        f"{wordpress.url}/wp-json/wp/v2/posts/{post_id}",
        params={"context": "edit"},
        auth=(wordpress.editor_user, wordpress.editor_app_password),
        timeout=TIMEOUT,
    )
    assert response.status_code == 200, response.text[:500]
    assert response.json()["content"]["raw"] == content


def test_php_failure_raises(wordpress: LocalSite) -> None:
    with pytest.raises(RuntimeError, match="harness_no_such_function"):
        wordpress.php("harness_no_such_function();")


def test_mu_plugin_is_active_only_inside_the_with_block(wordpress: LocalSite, http: requests.Session) -> None:
    source = """<?php
add_action( 'rest_api_init', function () {
    register_rest_route( 'harness-test/v1', '/ping', array(
        'methods'             => 'GET',
        'callback'            => function () { return array( 'pong' => true ); },
        'permission_callback' => '__return_true',
    ) );
} );
"""
    assert "harness-test/v1" not in rest_index(http, wordpress)["namespaces"]
    with wordpress.mu_plugin("harness-test", source) as path:
        assert path == wordpress.mu_plugins / "harness-test.php"
        assert "harness-test/v1" in rest_index(http, wordpress)["namespaces"]
        ping = http.get(f"{wordpress.url}/wp-json/harness-test/v1/ping", timeout=TIMEOUT)
        assert ping.json() == {"pong": True}
    assert not path.exists()
    assert "harness-test/v1" not in rest_index(http, wordpress)["namespaces"]


def test_mu_plugin_is_removed_on_error(wordpress: LocalSite) -> None:
    with pytest.raises(ZeroDivisionError):
        with wordpress.mu_plugin("harness-broken", "// nothing\n") as path:
            assert path.exists()
            1 / 0
    assert not path.exists()


def test_companion_plugin_is_installed_when_shipped(wordpress: LocalSite) -> None:
    name = "wp-seo-bridge-companion.php"
    if not (Path(__file__).parents[1] / "wp_seo_bridge" / "companion" / name).is_file():
        pytest.skip(f"{name} is not in the package yet")
    assert (wordpress.mu_plugins / name).is_file()
    loaded = wordpress.php_json("echo json_encode( array_map( 'basename', wp_get_mu_plugins() ) );")
    assert name in loaded
