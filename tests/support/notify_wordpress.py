"""Helpers for the tests of what WordPress sends to the bridge when a draft is saved: the companion
plugin's constants set for a while, an author with an application password, REST saves as a person
makes them (without the bridge's header), and the signature check the bridge's receiver makes."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import secrets
from collections.abc import Iterator
from typing import Any

import requests

SECRET = "s3cret-for-the-notify-tests-9f2c"

#: The mu-plugin holding the constants (as wp-config.php would).
CONFIG_PLUGIN = "wp-seo-bridge-notify-config"


@contextlib.contextmanager
def notify_config(wordpress, url: str | None, secret: str | None = SECRET, post_types: str | None = None) -> Iterator[None]:
    """The site with ``WP_SEO_BRIDGE_NOTIFY_*`` defined (a None value: not defined) for the with-block."""
    lines = []
    for name, value in (("URL", url), ("SECRET", secret), ("POST_TYPES", post_types)):
        if value is not None:
            lines.append(f"define('WP_SEO_BRIDGE_NOTIFY_{name}', {value!r});")
    with wordpress.mu_plugin(CONFIG_PLUGIN, "\n".join(lines) + "\n"):
        yield


def make_user(wordpress, role: str) -> dict[str, Any]:
    """A new user with that role, a login password and an application password."""
    login = f"{role}-{secrets.token_hex(3)}"
    password = secrets.token_urlsafe(16)
    return wordpress.php_json(f"""
        $id = wp_insert_user(array('user_login' => '{login}', 'user_pass' => '{password}',
                                   'user_email' => '{login}@example.org', 'role' => '{role}'));
        $created = WP_Application_Passwords::create_new_application_password($id, array('name' => 'tests'));
        echo json_encode(array('id' => $id, 'login' => '{login}', 'password' => '{password}', 'app' => $created[0]));
    """)


def rest(wordpress, user: dict[str, Any], method: str, path: str, *, bridge_header: bool = False,
         **kwargs: Any) -> requests.Response:
    """One REST request as ``user`` (application password), as a person's client makes it."""
    headers = {"X-WP-SEO-Bridge": "1"} if bridge_header else {}
    return requests.request(method, f"{wordpress.url}/wp-json/wp/v2/{path}", auth=(user["login"], user["app"]),
                            headers=headers, timeout=30, **kwargs)


def signature_ok(received, secret: str = SECRET) -> bool:
    """The check the bridge makes: HMAC-SHA256 of "<timestamp>.<raw body>" with the shared secret."""
    timestamp = received.headers["x-wp-seo-bridge-timestamp"]
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + received.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(received.headers["x-wp-seo-bridge-signature"], f"sha256={expected}")


def notified_at(wordpress, post_id: int) -> str:
    """The post's ``_wp_seo_bridge_notified`` meta ("" when unset)."""
    return wordpress.php_json(f"echo json_encode((string) get_post_meta({post_id}, '_wp_seo_bridge_notified', true));")


def post_ids(received) -> list[int]:
    import json

    return [json.loads(r.body)["post_id"] for r in received]
