"""The PHP texts of a local site: wp-config.php, the CLI prelude, the install script."""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path
from typing import Any

SALT_KEYS = (
    "AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY",
    "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT",
)


def php_str(value: str | os.PathLike[str]) -> str:
    """A PHP single-quoted string literal."""
    text = os.fspath(value)
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def php_json_literal(value: Any) -> str:
    """PHP expression decoding ``value`` (JSON round trip through base64: no quoting issues)."""
    payload = base64.b64encode(json.dumps(value).encode("utf-8")).decode("ascii")
    return f"json_decode(base64_decode('{payload}'), true)"


def strip_open_tag(code: str) -> str:
    stripped = code.lstrip()
    if stripped.startswith("<?php"):
        return stripped[len("<?php"):]
    return code


def php_cli_options(opcache_dir: Path | None) -> list[str]:
    """php CLI options: errors logged to stderr as "PHP Fatal error: ..." (stdout
    stays clean), and an opcache file cache shared by all CLI runs of a site
    (halves the time of php())."""
    options = ["-d", "display_errors=0", "-d", "log_errors=1", "-d", "error_log=",
               "-d", "html_errors=0", "-d", "memory_limit=512M"]
    if opcache_dir is not None:
        options += [
            "-d", "opcache.enable_cli=1",
            "-d", f"opcache.file_cache={opcache_dir}",
            "-d", "opcache.file_cache_only=1",
            "-d", "opcache.validate_timestamps=1",
        ]
    return options


def new_salts() -> dict[str, str]:
    return {key: secrets.token_hex(32) for key in SALT_KEYS}


def host_values(port: int, site_root: Path) -> dict[str, str]:
    return {
        "host": php_str(f"127.0.0.1:{port}"),
        "port": php_str(str(port)),
        "wp_load": php_str(site_root / "wp-load.php"),
    }


def wp_config(*, db_user: str, db_password: str, db_socket: Path, salts: dict[str, str], url: str) -> str:
    """wp-config.php of a site served at ``url`` (WP_HOME and WP_SITEURL are constants)."""
    return _WP_CONFIG.format(
        db_user=php_str(db_user),
        db_password=php_str(db_password),
        db_host=php_str(f"localhost:{db_socket}"),
        salts="\n".join(f"define( '{key}', {php_str(salts[key])} );" for key in SALT_KEYS),
        url=php_str(url),
    )


def prelude(port: int, site_root: Path) -> str:
    """A PHP file that loads WordPress for a CLI script, as if requested on ``port``."""
    return _PRELUDE.format(**host_values(port, site_root))


def install_script(port: int, site_root: Path, args: dict[str, Any]) -> str:
    """The non-interactive install: ``args`` has title, admin_user, admin_password,
    editor_user, subscriber_user.  Prints the users' ids and application passwords as JSON."""
    return _INSTALL_PHP.format(args=php_json_literal(args), **host_values(port, site_root))


_WP_CONFIG = """<?php
// Written by wp_seo_bridge.local_wordpress for a local site (tests, `wp-seo-bridge demo`).
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', {db_user} );
define( 'DB_PASSWORD', {db_password} );
define( 'DB_HOST', {db_host} );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
{salts}
$table_prefix = 'wp_';

define( 'WP_ENVIRONMENT_TYPE', 'local' );   // Application Passwords over plain http
define( 'WP_HOME', {url} );
define( 'WP_SITEURL', {url} );
define( 'WP_CONTENT_DIR', __DIR__ . '/wp-content' );
define( 'WP_CONTENT_URL', {url} . '/wp-content' );
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_AUTO_UPDATE_CORE', false );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );   // a local site never calls api.wordpress.org
define( 'FS_METHOD', 'direct' );
define( 'WP_DEBUG', false );

if ( ! defined( 'ABSPATH' ) ) {{
    define( 'ABSPATH', __DIR__ . '/' );
}}
require_once ABSPATH . 'wp-settings.php';
"""

_PRELUDE = """<?php
// Loads WordPress for a PHP CLI script (wp_seo_bridge.local_wordpress).
$_SERVER['HTTP_HOST']       = {host};
$_SERVER['SERVER_NAME']     = '127.0.0.1';
$_SERVER['SERVER_PORT']     = {port};
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REQUEST_METHOD']  = 'GET';
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['REMOTE_ADDR']     = '127.0.0.1';
require_once {wp_load};
"""

_INSTALL_PHP = """<?php
// Non-interactive WordPress install (wp_seo_bridge.local_wordpress).
define( 'WP_INSTALLING', true );
$_SERVER['HTTP_HOST']       = {host};
$_SERVER['SERVER_NAME']     = '127.0.0.1';
$_SERVER['SERVER_PORT']     = {port};
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REQUEST_METHOD']  = 'GET';
$_SERVER['REQUEST_URI']     = '/';
require_once {wp_load};
// No e-mail about the new site (there is no MTA).
function wp_new_blog_notification( $blog_title, $blog_url, $user_id, $password ) {{}}
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

function harness_fail( $what ) {{
    fwrite( STDERR, "install failed: $what\\n" );
    exit( 2 );
}}

$args = {args};
// wp_install() would probe pretty permalinks with an HTTP request to the site
// itself; a permalink structure that already "exists" skips that.
$harness_permalinks = function () {{ return '/%postname%/'; }};
add_filter( 'pre_option_permalink_structure', $harness_permalinks );
$installed = wp_install( $args['title'], $args['admin_user'], 'admin@example.org', false, '', wp_slash( $args['admin_password'] ) );
if ( is_wp_error( $installed ) ) {{
    harness_fail( $installed->get_error_message() );
}}
$admin_id = (int) $installed['user_id'];
remove_filter( 'pre_option_permalink_structure', $harness_permalinks );

global $wp_rewrite;
$wp_rewrite->set_permalink_structure( '/%postname%/' );
update_option( 'permalink_structure', '/%postname%/' );
flush_rewrite_rules( false );
// No avatars: they come from gravatar.com, and the site is for this machine only (pages would show broken
// images offline).
update_option( 'show_avatars', 0 );

$out = array( 'admin_id' => $admin_id );
$users = array(
    'editor'     => array( $args['editor_user'], 'editor' ),
    'subscriber' => array( $args['subscriber_user'], 'subscriber' ),
);
foreach ( $users as $key => $spec ) {{
    $id = wp_insert_user( array(
        'user_login' => $spec[0],
        'user_pass'  => wp_generate_password( 24, false ),
        'user_email' => $spec[0] . '@example.org',
        'role'       => $spec[1],
    ) );
    if ( is_wp_error( $id ) ) {{
        harness_fail( $spec[0] . ': ' . $id->get_error_message() );
    }}
    $out[ $key . '_id' ] = (int) $id;
}}
foreach ( array( 'admin', 'editor', 'subscriber' ) as $key ) {{
    $created = WP_Application_Passwords::create_new_application_password( $out[ $key . '_id' ], array( 'name' => 'wp-seo-bridge' ) );
    if ( is_wp_error( $created ) ) {{
        harness_fail( $key . ' application password: ' . $created->get_error_message() );
    }}
    $out[ $key . '_app_password' ] = $created[0];
}}
echo json_encode( $out );
"""
