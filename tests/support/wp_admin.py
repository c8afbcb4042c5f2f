"""WordPress's admin screens over HTTP, as a person uses them: users with a known password, logged in with a
cookie through wp-login.php (``requests``), and the hidden fields of a screen's forms.

``admin_session(wordpress, "author")`` gives a :class:`requests.Session` logged in as a user of that role
(created once per test site, its password known), with ``.user_id``.
"""

from __future__ import annotations

import json
import secrets

import requests
from selectolax.lexbor import LexborHTMLParser

#: One user per role, per test site: {(site url, role): (user id, login, password)}.
_USERS: dict[tuple[str, str], tuple[int, str, str]] = {}


def user_with_password(wordpress, role: str) -> tuple[int, str, str]:
    """A user of ``role`` ("editor", "author", "contributor"...) whose password is known: (id, login, password)."""
    key = (wordpress.url, role)
    if key not in _USERS:
        login, password = f"box-{role}", secrets.token_urlsafe(16)
        user_id = wordpress.php_json(f"""
$login = {json.dumps(login)};
$id = username_exists( $login );
if ( ! $id ) {{
    $id = wp_insert_user( array( 'user_login' => $login, 'user_pass' => {json.dumps(password)},
        'user_email' => $login . '@example.org', 'role' => {json.dumps(role)} ) );
}} else {{
    wp_set_password( {json.dumps(password)}, $id );
}}
echo json_encode( (int) $id );
""")
        _USERS[key] = (int(user_id), login, password)
    return _USERS[key]


class AdminSession(requests.Session):
    user_id: int = 0


def admin_session(wordpress, role: str) -> AdminSession:
    """A browser-like session logged in to wp-admin as the user of ``role`` (cookies from wp-login.php)."""
    user_id, login, password = user_with_password(wordpress, role)
    session = AdminSession()
    session.user_id = user_id
    base = wordpress.url.rstrip("/")
    session.get(f"{base}/wp-login.php", timeout=20)  # sets WordPress's test cookie, as a browser would get it
    answer = session.post(
        f"{base}/wp-login.php",
        data={"log": login, "pwd": password, "wp-submit": "Log In", "redirect_to": f"{base}/wp-admin/",
              "testcookie": "1"},
        allow_redirects=False, timeout=20,
    )
    if answer.status_code != 302 or not any(c.name.startswith("wordpress_logged_in") for c in session.cookies):
        raise AssertionError(f"logging in as {login} failed: HTTP {answer.status_code}\n{answer.text[:500]}")
    return session


def admin_url(wordpress, path: str) -> str:
    return f"{wordpress.url.rstrip('/')}/wp-admin/{path}"


def edit_screen(session: requests.Session, wordpress, post_id: int) -> requests.Response:
    return session.get(admin_url(wordpress, f"post.php?post={post_id}&action=edit"), timeout=30)


def parse(html: str) -> LexborHTMLParser:
    return LexborHTMLParser(html)


def hidden_fields(html: str) -> dict[str, str]:
    """The hidden inputs of a page (nonces, post ID, action...), the first of each name."""
    fields: dict[str, str] = {}
    for node in parse(html).css("input[type=hidden]"):
        name = node.attributes.get("name")
        if name and name not in fields:
            fields[name] = node.attributes.get("value") or ""
    return fields
