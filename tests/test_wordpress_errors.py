"""Every failure a site owner meets gets its own error, with a message and a fix they can act on.

The failing parties are real: loopback servers, and must-use plugins that behave like the
security plugins and hosts that cause these failures in the field.
"""

from __future__ import annotations

import time

import pytest

from wp_seo_bridge.errors import (
    ApiUnavailable,
    AuthenticationFailed,
    BridgeError,
    NotWordPress,
    PermissionDenied,
    SiteBusy,
    SiteUnreachable,
    TLSFailure,
    UnexpectedResponse,
    WordPressError,
    WordPressTimeout,
)
from wp_seo_bridge.wordpress.models import PostUpdate, SeoFields
from tests.support.servers import closed_port, plain_site, silent_server, untrusted_tls_site

TRANSPORTS = ["rest", "xmlrpc"]

FIREWALL_PAGE = """<?php
$uri = isset($_SERVER['REQUEST_URI']) ? $_SERVER['REQUEST_URI'] : '';
if (strpos($uri, 'wp-json') !== false || strpos($uri, 'rest_route') !== false || strpos($uri, 'xmlrpc.php') !== false) {
    status_header(403);
    header('Content-Type: text/html; charset=utf-8');
    echo '<html><body><h1>Access denied</h1><p>Blocked by the site firewall.</p></body></html>';
    exit;
}
"""

REST_DISABLED = """<?php
add_filter('rest_authentication_errors', function () {
    return new WP_Error('rest_disabled', 'The REST API is disabled on this site.', array('status' => 403));
});
"""

XMLRPC_DISABLED = "<?php add_filter('xmlrpc_enabled', '__return_false');\n"

# What some Apache/CGI hosts do: the Authorization header never reaches PHP.
HOST_STRIPS_AUTHORIZATION = "<?php unset($_SERVER['PHP_AUTH_USER'], $_SERVER['PHP_AUTH_PW'], $_SERVER['HTTP_AUTHORIZATION']);\n"

# Answers 503 to the next N matching requests (count kept in an option), like an overloaded host.
BUSY_PLUGIN = """<?php
$uri = isset($_SERVER['REQUEST_URI']) ? $_SERVER['REQUEST_URI'] : '';
$method = isset($_SERVER['REQUEST_METHOD']) ? $_SERVER['REQUEST_METHOD'] : 'GET';
if (strpos($uri, '/wp/v2/') !== false && (get_option('wpsb_busy_method') === $method)) {
    $left = (int) get_option('wpsb_busy_left', 0);
    if ($left > 0) {
        update_option('wpsb_busy_left', $left - 1);
        status_header(503);
        header('Retry-After: 0');
        header('Content-Type: text/html');
        echo 'Service temporarily unavailable';
        exit;
    }
}
"""


def test_wrong_url_nothing_listening(make_site):
    with make_site(url=f"http://127.0.0.1:{closed_port()}") as site:
        with pytest.raises(SiteUnreachable) as caught:
            site.get_post(1)
    assert "Cannot connect" in str(caught.value) and "wordpress.url" in str(caught.value)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_not_a_wordpress_site(make_site, transport):
    with plain_site() as url, make_site(url=url, transport=transport) as site:
        with pytest.raises(NotWordPress) as caught:
            site.transport.site_info()
    assert "not WordPress" in str(caught.value) or "not a WordPress site" in str(caught.value)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_timeout(make_site, transport):
    with silent_server() as url, make_site(url=url, transport=transport, wordpress__timeout=0.3,
                                           wordpress__max_attempts=1) as site:
        started = time.monotonic()
        with pytest.raises(WordPressTimeout, match="did not answer within 0.3 s"):
            site.get_post(1)
    assert time.monotonic() - started < 5


def test_untrusted_certificate_then_trusted_with_ca_bundle(make_site):
    with untrusted_tls_site() as (url, ca_file):
        with make_site(url=url) as site:
            with pytest.raises(TLSFailure) as caught:
                site.transport.site_info()
        assert "certificate" in str(caught.value) and "ca_bundle" in str(caught.value)
        # With the private CA named, TLS succeeds and the real problem shows: it is not WordPress.
        with make_site(url=url, wordpress__ca_bundle=ca_file) as site:
            with pytest.raises(NotWordPress):
                site.transport.site_info()


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_wrong_application_password(wordpress, make_site, transport):
    with make_site(transport=transport, password="wxyz wxyz wxyz wxyz wxyz wxyz") as site:
        with pytest.raises(AuthenticationFailed) as caught:
            site.transport.current_user()
    assert "Application Password" in str(caught.value)
    assert "wxyz" not in str(caught.value)


def test_authorization_header_stripped_by_host(wordpress, make_site):
    with wordpress.mu_plugin("strip-auth", HOST_STRIPS_AUTHORIZATION), make_site() as site:
        with pytest.raises(AuthenticationFailed) as caught:
            site.transport.current_user()
    assert "Authorization" in caught.value.hint and "HTTP_AUTHORIZATION" in caught.value.hint


def test_doctor_tells_a_stripped_header_from_a_wrong_password(wordpress):
    from tests.support.factories import settings_for
    from wp_seo_bridge.doctor import run_checks

    def credentials_check(password):
        settings = settings_for(wordpress.url, wordpress.editor_user, password, model_base_url="http://127.0.0.1:9/v1")
        return {r.name: r for r in run_checks(settings)}["credentials accepted"]

    with wordpress.mu_plugin("strip-auth", HOST_STRIPS_AUTHORIZATION):
        stripped = credentials_check(wordpress.editor_app_password)
        wrong = credentials_check("aaaa bbbb cccc dddd eeee ffff")
    assert "XML-RPC accepts them" in stripped.detail and "HTTP_AUTHORIZATION" in stripped.hint
    assert "refused the Application Password" in wrong.detail and "Users > Profile" in wrong.hint


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_subscriber_is_denied(wordpress, make_site, transport):
    with make_site(transport=transport, username=wordpress.subscriber_user,
                   password=wordpress.subscriber_app_password) as site:
        with pytest.raises(PermissionDenied) as caught:
            list(site.list_drafts())
    # Logged in, but a Subscriber may not edit posts: a permission error, never "wrong password".
    assert "not allowed to edit posts" in caught.value.message
    assert "Editor" in caught.value.hint


def test_security_plugin_answers_html(wordpress, make_site):
    with wordpress.mu_plugin("firewall", FIREWALL_PAGE), make_site() as site:
        with pytest.raises(UnexpectedResponse) as caught:
            site.transport.site_info()
    message = str(caught.value)
    assert "expected JSON" in message and "403" in message and "Access denied" in message
    assert "security plugin" in caught.value.hint


def test_security_plugin_blocks_xmlrpc_with_html(wordpress, make_site):
    with wordpress.mu_plugin("firewall", FIREWALL_PAGE), make_site(transport="xmlrpc") as site:
        with pytest.raises(UnexpectedResponse, match="expected an XML-RPC answer.*403"):
            site.get_post(1)


def test_rest_api_disabled(wordpress, make_site):
    with wordpress.mu_plugin("no-rest", REST_DISABLED), make_site() as site:
        with pytest.raises(ApiUnavailable) as caught:
            site.get_post(1)
    assert "disabled" in str(caught.value) and "xmlrpc" in caught.value.hint


def test_xmlrpc_disabled(wordpress, make_site):
    with wordpress.mu_plugin("no-xmlrpc", XMLRPC_DISABLED), make_site(transport="xmlrpc") as site:
        with pytest.raises(ApiUnavailable) as caught:
            site.get_post(1)
    assert "XML-RPC" in str(caught.value) and "rest" in caught.value.hint


def set_busy(wordpress, method: str, count: int) -> None:
    wordpress.php(f"update_option('wpsb_busy_method', '{method}'); update_option('wpsb_busy_left', {count});")


def busy_left(wordpress) -> int:
    return int(wordpress.php("echo (int) get_option('wpsb_busy_left', 0);"))


def test_reads_are_retried_when_the_site_is_busy(wordpress, make_site):
    post_id = wordpress.create_post(post_title="Réessai")
    with wordpress.mu_plugin("busy", BUSY_PLUGIN), make_site() as site:
        site.transport.api_root()
        set_busy(wordpress, "GET", 2)
        assert site.get_post(post_id).title == "Réessai"
        assert busy_left(wordpress) == 0
        set_busy(wordpress, "GET", 5)
        with pytest.raises(SiteBusy, match="503"):
            site.get_post(post_id)
        assert busy_left(wordpress) == 2, "three tries, then give up"


def test_writes_are_not_retried_on_503(wordpress, make_site):
    post_id = wordpress.create_post(post_title="Pas de double écriture")
    with wordpress.mu_plugin("busy", BUSY_PLUGIN), make_site() as site:
        post = site.get_post(post_id)
        set_busy(wordpress, "POST", 1)
        with pytest.raises(SiteBusy):
            site.update_post(post, PostUpdate(title="Modifié", seo=SeoFields(title="T")))
        assert busy_left(wordpress) == 0
        set_busy(wordpress, "POST", 0)
    assert wordpress.php(f"echo get_post({post_id})->post_title;") == "Pas de double écriture"


def test_every_error_is_a_bridge_error_with_a_hint():
    import inspect

    from wp_seo_bridge import errors

    for name, cls in inspect.getmembers(errors, inspect.isclass):
        if issubclass(cls, WordPressError) and cls not in (WordPressError, errors.WriteRefused, ApiUnavailable):
            assert cls.hint, f"{name} has no default hint"
        if cls.__module__ == errors.__name__:
            assert issubclass(cls, BridgeError)
