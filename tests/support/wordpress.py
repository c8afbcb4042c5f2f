"""A real, throw-away WordPress site for the test suite.

Everything runs on loopback from the Debian packages installed on the machine
(``wordpress``, ``php-cli``, ``php-mysql``, ``mariadb-server``):

* a private MariaDB server (own datadir, unix socket only, no TCP);
* a private copy of ``/usr/share/wordpress`` with its own ``wp-config.php``
  and ``wp-content`` (Debian's ``wp-config.php`` is never used);
* a non-interactive install done by a small PHP CLI script (users, roles,
  application passwords, ``/%postname%/`` permalinks so ``/wp-json/`` works);
* PHP's built-in web server (``php -S``, 4 workers) in its own process group.

``start_site()`` returns a :class:`TestSite`; ``TestSite.stop()`` kills both
servers (whole process groups) and deletes every temporary file.  If the test
process dies without teardown, a small watchdog process (and, failing that, the
next ``start_site()``) does the same.

Everything lives in one temporary directory, on /dev/shm when it has room
(override: env ``WP_TEST_TMPDIR``): ``site/`` (document root), ``db/``
(datadir), ``run/`` (socket, ``mysqld.err``), ``php-server.log`` (php -S:
one line per request, plus PHP errors/warnings of the web requests).

Start-up takes ~1.0 s on tmpfs, ~1.7-2.8 s on a journaled disk (see
``TestSite.timings``).  ``TestSite.php()`` takes ~60 ms.

Only the standard library is used here.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import dataclasses
import functools
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Iterator

__all__ = [
    "MISSING_HINT",
    "WordPressUnavailable",
    "TestSite",
    "missing_packages",
    "start_site",
]

MISSING_HINT = (
    "The WordPress test site needs Debian packages that are not installed: "
    "run `sudo bash scripts/install.sh --test` (it installs wordpress php-cli "
    "php-mysql php-xml php-mbstring php-curl mariadb-server)."
)

WORDPRESS_DIR = Path("/usr/share/wordpress")
# Themes shipped by Debian packages (none are needed for the REST API).
THEME_DIRS = (
    WORDPRESS_DIR / "wp-content" / "themes",
    Path("/var/lib/wordpress/wp-content/themes"),
)

# Bounded waits (seconds).
INSTALL_DB_TIMEOUT = 60
DB_READY_TIMEOUT = 30
PHP_INSTALL_TIMEOUT = 60
HTTP_READY_TIMEOUT = 20
STOP_TIMEOUT = 10
COPY_TIMEOUT = 120
PHP_DEFAULT_TIMEOUT = 60

# Pick /dev/shm (tmpfs) when it has room: creating ~2,800 files on a journaled
# disk costs ~1-2 s here, on tmpfs ~0.1 s.  Docker's default /dev/shm (64 MB)
# is too small, hence the free-space check.  Override with WP_TEST_TMPDIR.
_SHM = Path("/dev/shm")
_SHM_MIN_FREE = 512 * 1024 * 1024

_SBIN_DIRS = ("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/sbin", "/bin")

_MARIADB_TUNING = (
    # A throw-away database: durability is irrelevant, speed is not.
    "--innodb-flush-log-at-trx-commit=0",
    "--innodb-doublewrite=0",
    "--innodb-buffer-pool-size=32M",
    "--innodb-log-file-size=8M",
)


class WordPressUnavailable(Exception):
    """The WordPress test site cannot be provided (packages missing, start failure)."""


# --------------------------------------------------------------------------- #
# Package / binary detection
# --------------------------------------------------------------------------- #


def _find_binary(name: str) -> str | None:
    """Like shutil.which, but also looks in the sbin dirs (a non-root PATH often lacks /usr/sbin)."""
    found = shutil.which(name)
    if found:
        return found
    for directory in _SBIN_DIRS:
        candidate = os.path.join(directory, name)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


@functools.lru_cache(maxsize=None)
def _php_modules(php: str) -> frozenset[str]:
    try:
        out = subprocess.run(
            [php, "-m"], capture_output=True, text=True, timeout=20, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip().lower() for line in out.splitlines() if line.strip())


def _missing() -> list[tuple[str, str]]:
    """(Debian package, what is missing) pairs."""
    missing: list[tuple[str, str]] = []
    if not (WORDPRESS_DIR / "wp-load.php").is_file():
        missing.append(("wordpress", f"{WORDPRESS_DIR / 'wp-load.php'} not found"))
    php = _find_binary("php")
    if php is None:
        missing.append(("php-cli", "`php` not found"))
    elif "mysqli" not in _php_modules(php):
        missing.append(("php-mysql", "the `mysqli` extension is not in `php -m`"))
    for binary in ("mariadbd", "mariadb-install-db"):
        if _find_binary(binary) is None:
            missing.append(("mariadb-server", f"`{binary}` not found"))
    return missing


def missing_packages() -> list[str]:
    """Names of the missing Debian packages, e.g. ``["wordpress", "mariadb-server"]``."""
    return list(dict.fromkeys(package for package, _ in _missing()))


# --------------------------------------------------------------------------- #
# Small helpers
# --------------------------------------------------------------------------- #


def _php_str(value: str | os.PathLike[str]) -> str:
    """A PHP single-quoted string literal."""
    text = os.fspath(value)
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _php_json_literal(value: Any) -> str:
    """PHP expression decoding ``value`` (JSON round trip through base64: no quoting issues)."""
    payload = base64.b64encode(json.dumps(value).encode("utf-8")).decode("ascii")
    return f"json_decode(base64_decode('{payload}'), true)"


def _strip_open_tag(code: str) -> str:
    stripped = code.lstrip()
    if stripped.startswith("<?php"):
        return stripped[len("<?php"):]
    return code


def _tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"(cannot read {path}: {exc})"
    return "\n".join(text.splitlines()[-lines:]) or "(empty)"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _choose_tmp_root() -> Path:
    override = os.environ.get("WP_TEST_TMPDIR")
    if override:
        return Path(override)
    try:
        if _SHM.is_dir() and os.access(_SHM, os.W_OK | os.X_OK):
            stats = os.statvfs(_SHM)
            if stats.f_bavail * stats.f_frsize >= _SHM_MIN_FREE:
                return _SHM
    except OSError:
        pass
    return Path(tempfile.gettempdir())


def _php_cli_options(opcache_dir: Path | None) -> list[str]:
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


def _group_alive(pgid: int) -> bool:
    """Does process group ``pgid`` still have a live (non-zombie) member?

    php -S workers are reparented to init when the master exits, and stay
    zombies until init reaps them (about 1 s here): they no longer listen, so
    they do not count.
    """
    try:
        entries = os.listdir("/proc")
    except OSError:
        entries = None
    if entries is None or not os.path.exists("/proc/self/stat"):
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return False
        return True
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat.rpartition(")")[2].split()
        if len(fields) >= 3 and fields[2] == str(pgid) and fields[0] not in ("Z", "X"):
            return True
    return False


def _kill_group(proc: subprocess.Popen | None, timeout: float = STOP_TIMEOUT) -> None:
    """SIGTERM the process group led by ``proc`` (start_new_session=True), then SIGKILL."""
    if proc is None:
        return
    pgid = proc.pid
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=timeout)
    # The leader is gone; its children (php -S workers) may still be running.
    deadline = time.monotonic() + timeout
    killed = False
    while _group_alive(pgid):
        if time.monotonic() > deadline:
            break
        if not killed and time.monotonic() > deadline - timeout / 2:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pgid, signal.SIGKILL)
            killed = True
        time.sleep(0.01)


_SITE_PREFIX = "wp-seo-bridge-site-"
_OWNER_FILE = "owner.pid"


def _proc_state(pid: int) -> str | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return handle.read().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return None


def _pid_alive(pid: int) -> bool:
    """Is ``pid`` running (zombies count as dead)?"""
    state = _proc_state(pid)
    if state is not None:
        return state not in ("Z", "X")
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _destroy_site(base: Path | str) -> None:
    """SIGKILL every process whose command line names ``base`` (mariadbd, php -S
    and its workers), then delete ``base``.  For sites whose owner died."""
    marker = os.fspath(base).rstrip("/") + "/"
    with contextlib.suppress(OSError):
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or int(entry) == os.getpid():
                continue
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    cmdline = handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                continue
            if marker in cmdline:
                with contextlib.suppress(OSError):
                    os.kill(int(entry), signal.SIGKILL)
    shutil.rmtree(base, ignore_errors=True)


def _watchdog_main() -> None:
    """Body of the watchdog process (see _start_watchdog)."""
    owner = int(os.environ["WP_TEST_SITE_OWNER"])
    base = os.environ["WP_TEST_SITE_DIR"]
    while _pid_alive(owner):
        time.sleep(0.5)
    _destroy_site(base)


_WATCHDOG_LAUNCHER = (
    "import importlib.util, sys\n"
    "spec = importlib.util.spec_from_file_location('wp_test_site_watchdog', sys.argv[1])\n"
    "module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)\n"
    "spec.loader.exec_module(module)\n"
    "module._watchdog_main()\n"
)


def _start_watchdog(base: Path) -> subprocess.Popen | None:
    """A small separate process per site: if the test process dies without
    teardown (SIGKILL; or SIGTERM, which skips atexit), it kills the site's
    servers and deletes its files.  The site directory is passed through the
    environment so that the watchdog's own command line does not name it."""
    env = dict(os.environ, WP_TEST_SITE_OWNER=str(os.getpid()), WP_TEST_SITE_DIR=os.fspath(base))
    try:
        return subprocess.Popen(
            [sys.executable, "-I", "-c", _WATCHDOG_LAUNCHER, os.path.abspath(__file__)],
            env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,  # survives a Ctrl-C sent to the terminal's process group
        )
    except OSError:
        return None


def _stop_watchdog(watchdog: subprocess.Popen | None) -> None:
    if watchdog is not None and watchdog.poll() is None:
        with contextlib.suppress(OSError):
            watchdog.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            watchdog.wait(timeout=STOP_TIMEOUT)


def _reap_stale_sites(parent: Path) -> None:
    """Remove sites whose test process died without teardown and without a watchdog."""
    my_uid = os.geteuid() if hasattr(os, "geteuid") else None
    for base in parent.glob(f"{_SITE_PREFIX}*"):
        try:
            if my_uid not in (0, None) and base.stat().st_uid != my_uid:
                continue
            owner = int((base / _OWNER_FILE).read_text(encoding="ascii"))
        except (OSError, ValueError):
            continue
        if not _pid_alive(owner):
            _destroy_site(base)


def _mariadb_is_ready(sock_path: Path) -> bool:
    """True once the server sends its handshake packet on the unix socket."""
    if not sock_path.exists():
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        try:
            sock.connect(os.fspath(sock_path))
            return bool(sock.recv(5))
        except OSError:
            return False


# urllib without any proxy from the environment: the site is on loopback.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _http_get(url: str, timeout: float = 3.0) -> tuple[int, bytes]:
    try:
        with _OPENER.open(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


# --------------------------------------------------------------------------- #
# The site
# --------------------------------------------------------------------------- #

_LIVE_SITES: list["TestSite"] = []


@atexit.register
def _stop_leftover_sites() -> None:
    for site in list(_LIVE_SITES):
        with contextlib.suppress(Exception):
            site.stop()


@dataclasses.dataclass(eq=False)
class TestSite:
    """A running WordPress site; see :func:`start_site`."""

    __test__ = False  # not a pytest test class despite its name

    url: str
    root: Path
    mu_plugins: Path
    admin_user: str
    admin_password: str
    editor_user: str
    editor_app_password: str
    subscriber_user: str
    subscriber_app_password: str
    # Additions (not required by the documented API, but handy):
    admin_app_password: str = ""
    admin_id: int = 0
    editor_id: int = 0
    subscriber_id: int = 0
    base_dir: Path | None = None  # temporary dir holding site/, db/, run/ and the logs
    server_log: Path | None = None  # php -S stderr (one line per request + PHP errors)
    db_log: Path | None = None
    php_binary: str = "php"
    timings: dict[str, float] = dataclasses.field(default_factory=dict)  # start-up phases (s)

    _web: subprocess.Popen | None = dataclasses.field(default=None, repr=False)
    _db: subprocess.Popen | None = dataclasses.field(default=None, repr=False)
    _prelude: Path | None = dataclasses.field(default=None, repr=False)
    _scripts: Path | None = dataclasses.field(default=None, repr=False)
    _opcache: Path | None = dataclasses.field(default=None, repr=False)
    _helpers: list[subprocess.Popen] = dataclasses.field(default_factory=list, repr=False)
    _watchdog: subprocess.Popen | None = dataclasses.field(default=None, repr=False)
    _stopped: bool = dataclasses.field(default=False, repr=False)

    # -- PHP oracle --------------------------------------------------------- #

    def php(self, code: str, *, timeout: float = PHP_DEFAULT_TIMEOUT) -> str:
        """Run ``code`` in a PHP CLI process with WordPress loaded; return its stdout.

        ``code`` may start with ``<?php`` or not.  Raises RuntimeError (with
        stdout and stderr) on a non-zero exit code or a PHP fatal error.
        """
        if self._stopped or self._prelude is None or self._scripts is None:
            raise RuntimeError("the WordPress test site is stopped")
        fd, script_name = tempfile.mkstemp(suffix=".php", dir=self._scripts)
        script = Path(script_name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(f"<?php\nrequire {_php_str(self._prelude)};\n")
                handle.write(_strip_open_tag(code))
                handle.write("\n")
            try:
                result = subprocess.run(
                    [self.php_binary, *_php_cli_options(self._opcache), os.fspath(script)],
                    cwd=self.root,
                    capture_output=True,
                    text=True,
                    timeout=timeout,
                    check=False,
                )
            except subprocess.TimeoutExpired as exc:
                raise RuntimeError(
                    f"PHP code timed out after {timeout}s\n--- code ---\n{code}\n"
                    f"--- stdout ---\n{exc.stdout or ''}\n--- stderr ---\n{exc.stderr or ''}"
                ) from None
        finally:
            with contextlib.suppress(OSError):
                script.unlink()
        output = result.stdout + result.stderr
        if result.returncode != 0 or "PHP Fatal error" in output:
            raise RuntimeError(
                f"PHP code failed (exit code {result.returncode})\n--- code ---\n{code}\n"
                f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
            )
        return result.stdout

    def php_json(self, code: str, *, timeout: float = PHP_DEFAULT_TIMEOUT) -> Any:
        """``php(code)`` where ``code`` echoes ``json_encode(...)``; returns the decoded value."""
        out = self.php(code, timeout=timeout)
        try:
            return json.loads(out)
        except json.JSONDecodeError as exc:
            raise RuntimeError(f"PHP output is not JSON ({exc})\n--- code ---\n{code}\n--- stdout ---\n{out}") from None

    # -- fixtures helpers --------------------------------------------------- #

    @contextlib.contextmanager
    def mu_plugin(self, name: str, source: str) -> Iterator[Path]:
        """Install ``mu-plugins/<name>.php`` for the duration of the with-block.

        ``source`` may omit the ``<?php`` tag.  A file that already had that
        name (e.g. the companion plugin) is restored afterwards.  Yields the path.
        """
        stem = name[:-4] if name.endswith(".php") else name
        if not stem or "/" in stem or "\\" in stem or stem.startswith("."):
            raise ValueError(f"invalid mu-plugin name: {name!r}")
        path = self.mu_plugins / f"{stem}.php"
        previous = path.read_bytes() if path.exists() else None
        text = source if source.lstrip().startswith("<?php") else "<?php\n" + source
        tmp = path.with_name(f".{stem}.php.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)  # atomic: a concurrent request never sees half a file
        try:
            yield path
        finally:
            if previous is None:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
            else:
                tmp.write_bytes(previous)
                os.replace(tmp, path)

    _INSERT_POST_PHP = r"""
kses_remove_filters();  // store the content exactly as given
$__ids = array();
foreach ( $__posts as $__post ) {
    $__post += $__defaults;
    wp_set_current_user( (int) $__post['post_author'] );
    $__id = wp_insert_post( wp_slash( $__post ), true );
    if ( is_wp_error( $__id ) || ! $__id ) {
        fwrite( STDERR, 'wp_insert_post failed: ' . ( is_wp_error( $__id ) ? implode( '; ', $__id->get_error_messages() ) : 'returned 0' ) . "\n" );
        exit( 3 );
    }
    $__ids[] = (int) $__id;
}
echo json_encode( $__ids );
"""

    def _insert_posts(self, posts: list[dict[str, Any]]) -> list[int]:
        defaults = {"post_status": "draft", "post_type": "post", "post_author": self.editor_id}
        code = (
            f"$__defaults = {_php_json_literal(defaults)};\n"
            f"$__posts = {_php_json_literal(posts)};\n" + self._INSERT_POST_PHP
        )
        ids = self.php_json(code)
        if not isinstance(ids, list) or len(ids) != len(posts):
            raise RuntimeError(f"unexpected answer from wp_insert_post: {ids!r}")
        return [int(i) for i in ids]

    def create_post(self, **fields: Any) -> int:
        """``wp_insert_post(fields)``: draft ``post`` by the editor unless told otherwise.

        Content is stored verbatim (kses filters removed); ``meta_input`` is a
        dict of post meta.  The title defaults to "Brouillon de test" (WordPress
        refuses a post whose title, content and excerpt are all empty).
        Raises RuntimeError on WP_Error.
        """
        fields.setdefault("post_title", "Brouillon de test")
        return self._insert_posts([fields])[0]

    def create_posts(self, n: int, **fields: Any) -> list[int]:
        """Create ``n`` posts in one PHP process; titles are ``"<post_title> <i>"`` (i = 1..n)."""
        if n <= 0:
            return []
        title = fields.pop("post_title", "Brouillon de test")
        posts = [dict(fields, post_title=f"{title} {i}") for i in range(1, n + 1)]
        return self._insert_posts(posts)

    # -- lifecycle ---------------------------------------------------------- #

    def stop(self) -> None:
        """Stop both servers (process groups) and delete the temporary files. Idempotent."""
        if self._stopped:
            return
        self._stopped = True
        for helper in self._helpers:  # e.g. the opcache warm-up, if still running
            if helper.poll() is None:
                _kill_group(helper)
        _kill_group(self._web)
        _kill_group(self._db, timeout=20)
        if self.base_dir is not None:
            shutil.rmtree(self.base_dir, ignore_errors=True)
        _stop_watchdog(self._watchdog)
        with contextlib.suppress(ValueError):
            _LIVE_SITES.remove(self)

    def __enter__(self) -> "TestSite":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


# --------------------------------------------------------------------------- #
# start_site
# --------------------------------------------------------------------------- #

_WP_CONFIG = """<?php
// Written by tests/support/wordpress.py for a throw-away test site.
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
define( 'WP_HTTP_BLOCK_EXTERNAL', true );   // never call api.wordpress.org from tests
define( 'FS_METHOD', 'direct' );
define( 'WP_DEBUG', false );

if ( ! defined( 'ABSPATH' ) ) {{
    define( 'ABSPATH', __DIR__ . '/' );
}}
require_once ABSPATH . 'wp-settings.php';
"""

_PRELUDE = """<?php
// Loads WordPress for a PHP CLI script (tests/support/wordpress.py).
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
// Non-interactive WordPress install (tests/support/wordpress.py).
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
$installed = wp_install( 'WP SEO Bridge tests', $args['admin_user'], 'admin@example.org', false, '', wp_slash( $args['admin_password'] ) );
if ( is_wp_error( $installed ) ) {{
    harness_fail( $installed->get_error_message() );
}}
$admin_id = (int) $installed['user_id'];
remove_filter( 'pre_option_permalink_structure', $harness_permalinks );

global $wp_rewrite;
$wp_rewrite->set_permalink_structure( '/%postname%/' );
update_option( 'permalink_structure', '/%postname%/' );
flush_rewrite_rules( false );

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
    $created = WP_Application_Passwords::create_new_application_password( $out[ $key . '_id' ], array( 'name' => 'tests' ) );
    if ( is_wp_error( $created ) ) {{
        harness_fail( $key . ' application password: ' . $created->get_error_message() );
    }}
    $out[ $key . '_app_password' ] = $created[0];
}}
echo json_encode( $out );
"""


def _host_values(port: int, site_root: Path) -> dict[str, str]:
    return {
        "host": _php_str(f"127.0.0.1:{port}"),
        "port": _php_str(str(port)),
        "wp_load": _php_str(site_root / "wp-load.php"),
    }


_COPY_EXCLUDE = frozenset({"wp-config.php", ".htaccess", "wp-content"})
_COPY_PROCESSES = 4


def _start_copy(destination: Path, log_path: Path) -> list[subprocess.Popen]:
    """Copy WordPress into ``destination`` (following Debian's symlinks, keeping mtimes
    so opcache may cache the files at once) with a few ``cp`` processes in parallel.

    File creation dominates on a journaled disk (~0.35 ms per file here) and
    overlaps well: 4 processes halve the time.  Returns the running processes
    ([] when the copy was done synchronously because ``cp`` is missing).
    """
    cp = shutil.which("cp")
    if cp is None:
        _copy_tree_fallback(destination)
        return []
    files: list[str] = []
    for dirpath, dirnames, filenames in os.walk(WORDPRESS_DIR, followlinks=True):
        rel = os.path.relpath(dirpath, WORDPRESS_DIR)
        if rel == ".":
            dirnames[:] = [d for d in dirnames if d not in _COPY_EXCLUDE]
            filenames = [f for f in filenames if f not in _COPY_EXCLUDE]
        else:
            (destination / rel).mkdir(parents=True, exist_ok=True)
        for name in filenames:
            if os.path.exists(os.path.join(dirpath, name)):  # skip dangling symlinks
                files.append(os.path.normpath(os.path.join(rel, name)))
    processes = []
    with open(log_path, "wb") as log:
        for i in range(_COPY_PROCESSES):
            chunk = files[i::_COPY_PROCESSES]
            if chunk:
                processes.append(subprocess.Popen(
                    [cp, "-L", "--preserve=timestamps", "--parents",
                     "-t", os.fspath(destination), "--", *chunk],
                    cwd=WORDPRESS_DIR, stdin=subprocess.DEVNULL,
                    stdout=log, stderr=subprocess.STDOUT,
                ))
    return processes


def _copy_tree_fallback(destination: Path) -> None:
    def ignore(directory: str, names: list[str]) -> set[str]:
        if Path(directory) == WORDPRESS_DIR:
            return {"wp-config.php", ".htaccess", "wp-content"} & set(names)
        return set()

    shutil.copytree(
        WORDPRESS_DIR, destination, symlinks=False, ignore=ignore,
        ignore_dangling_symlinks=True, dirs_exist_ok=True,
    )


def start_site(workdir: Path | None = None) -> TestSite:
    """Start a fresh WordPress site on 127.0.0.1 (typically 1-2 s).

    ``workdir``: parent directory for the site's temporary directory (default:
    /dev/shm when it has room, else the system temp dir; env WP_TEST_TMPDIR
    overrides).  When running as root it must be traversable by the ``mysql``
    user.  Raises WordPressUnavailable when packages are missing or something
    does not start (the message includes the relevant log tail).
    """
    missing = _missing()
    if missing:
        details = "; ".join(f"{package} ({what})" for package, what in missing)
        raise WordPressUnavailable(f"{MISSING_HINT} Missing: {details}.")

    php = _find_binary("php")
    mariadbd = _find_binary("mariadbd")
    install_db = _find_binary("mariadb-install-db")
    assert php and mariadbd and install_db  # checked by _missing()

    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    parent = (Path(workdir) if workdir is not None else _choose_tmp_root()).resolve()
    if len(os.fspath(parent)) > 60:  # unix socket paths are limited to 107 bytes
        raise WordPressUnavailable(
            f"workdir {parent} is too long for MariaDB's unix socket path; use a shorter one"
        )
    parent.mkdir(parents=True, exist_ok=True)
    if is_root:
        # mariadbd runs as `mysql` and must reach db/ and run/ (pytest's tmp dirs are 0700).
        closed = [str(d) for d in (parent, *parent.parents) if not os.stat(d).st_mode & 0o001]
        if closed:
            raise WordPressUnavailable(
                f"workdir {parent} is not reachable by the mysql user (no o+x on {', '.join(closed)})"
            )
    _reap_stale_sites(parent)
    base = Path(tempfile.mkdtemp(prefix=_SITE_PREFIX, dir=parent))
    if is_root:
        os.chmod(base, 0o755)
    (base / _OWNER_FILE).write_text(str(os.getpid()), encoding="ascii")
    watchdog = _start_watchdog(base)

    web: subprocess.Popen | None = None
    db: subprocess.Popen | None = None
    site: TestSite | None = None
    helpers: list[subprocess.Popen] = []  # short-lived: mariadb-install-db, cp
    started = time.perf_counter()
    timings: dict[str, float] = {}

    def mark(phase: str) -> None:
        timings[phase] = round(time.perf_counter() - started, 3)

    try:
        site_root = base / "site"
        datadir = base / "db"
        rundir = base / "run"  # socket, pid file, error log: written by mariadbd
        scripts = base / "php"
        opcache_dir = base / "opcache"
        for directory in (site_root, datadir, rundir, scripts, opcache_dir):
            directory.mkdir()
        if is_root:
            for directory in (datadir, rundir):
                shutil.chown(directory, "mysql", "mysql")

        # 1. Initialise the MariaDB datadir and copy WordPress at the same time.
        user_args = ["--user=mysql"] if is_root else []
        install_log = base / "mariadb-install-db.log"
        with open(install_log, "wb") as log:
            installer = subprocess.Popen(
                [
                    install_db, "--no-defaults", *user_args,
                    f"--datadir={datadir}",
                    "--auth-root-authentication-method=normal",
                    "--skip-test-db", "--skip-name-resolve",
                    *_MARIADB_TUNING,
                ],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        helpers.append(installer)
        copy_log = base / "copy.log"
        copiers = _start_copy(site_root, copy_log)
        helpers.extend(copiers)

        try:
            rc: int | str = installer.wait(timeout=INSTALL_DB_TIMEOUT)
        except subprocess.TimeoutExpired:
            rc = f"timeout after {INSTALL_DB_TIMEOUT}s"
        if rc != 0:
            raise WordPressUnavailable(
                f"mariadb-install-db failed ({rc}); its log ends with:\n{_tail(install_log)}"
            )

        mark('mariadb-install-db')

        # 2. Start mariadbd; an init file creates the database and WordPress' user.
        db_user = "wordpress"
        db_password = secrets.token_hex(12)
        init_sql = rundir / "init.sql"
        init_sql.write_text(
            "CREATE DATABASE IF NOT EXISTS wordpress CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n"
            f"CREATE USER '{db_user}'@'localhost' IDENTIFIED BY '{db_password}';\n"
            f"GRANT ALL PRIVILEGES ON wordpress.* TO '{db_user}'@'localhost';\n",
            encoding="utf-8",
        )
        if is_root:
            shutil.chown(init_sql, "mysql", "mysql")
        db_socket = rundir / "mysqld.sock"
        db_log = rundir / "mysqld.err"
        db_out = base / "mariadbd.out"
        with open(db_out, "wb") as out:
            db = subprocess.Popen(
                [
                    mariadbd, "--no-defaults", *user_args,
                    f"--datadir={datadir}",
                    f"--socket={db_socket}",
                    f"--pid-file={rundir / 'mysqld.pid'}",
                    f"--log-error={db_log}",
                    f"--init-file={init_sql}",
                    "--skip-networking", "--skip-name-resolve",
                    *_MARIADB_TUNING,
                ],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )

        # 3. Finish the copy, give the site its own wp-content and wp-config.php.
        copy_deadline = time.monotonic() + COPY_TIMEOUT
        failed = False
        for copier in copiers:
            try:
                failed |= copier.wait(timeout=max(0.1, copy_deadline - time.monotonic())) != 0
            except subprocess.TimeoutExpired:
                raise WordPressUnavailable(f"copying {WORDPRESS_DIR} timed out") from None
        if failed:
            raise WordPressUnavailable(
                f"copying {WORDPRESS_DIR} to {site_root} failed:\n{_tail(copy_log)}"
            )
        if not (site_root / "wp-load.php").is_file():
            raise WordPressUnavailable(f"copying {WORDPRESS_DIR} to {site_root} failed")

        mark('copy')

        content = site_root / "wp-content"
        for sub in ("mu-plugins", "plugins", "themes", "uploads"):
            (content / sub).mkdir(parents=True, exist_ok=True)
        (content / "index.php").write_text("<?php\n// Silence is golden.\n")
        for themes in THEME_DIRS:
            if themes.is_dir():
                for theme in themes.iterdir():
                    target = content / "themes" / theme.name
                    if theme.is_dir() and not target.exists():
                        target.symlink_to(theme.resolve(), target_is_directory=True)

        server_log = base / "php-server.log"
        prelude = scripts / "prelude.php"

        def configure_and_serve(port: int) -> subprocess.Popen:
            """Write wp-config.php and the CLI prelude for ``port``; start ``php -S`` on it."""
            url = f"http://127.0.0.1:{port}"
            salts = "\n".join(
                f"define( '{key}', '{secrets.token_hex(32)}' );"
                for key in (
                    "AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY",
                    "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT",
                )
            )
            (site_root / "wp-config.php").write_text(
                _WP_CONFIG.format(
                    db_user=_php_str(db_user),
                    db_password=_php_str(db_password),
                    db_host=_php_str(f"localhost:{db_socket}"),
                    salts=salts,
                    url=_php_str(url),
                ),
                encoding="utf-8",
            )
            prelude.write_text(_PRELUDE.format(**_host_values(port, site_root)), encoding="utf-8")
            env = dict(os.environ, PHP_CLI_SERVER_WORKERS="4")
            with open(server_log, "ab") as log:
                return subprocess.Popen(
                    [
                        php,
                        "-d", "display_errors=0",
                        "-d", "log_errors=1",
                        "-d", "memory_limit=512M",
                        # Re-check file mtimes on every request so mu-plugins
                        # written by tests are picked up (files younger than 2 s
                        # are never cached: opcache.file_update_protection).
                        "-d", "opcache.validate_timestamps=1",
                        "-d", "opcache.revalidate_freq=0",
                        "-S", f"127.0.0.1:{port}",
                        "-t", os.fspath(site_root),
                    ],
                    cwd=site_root, env=env,
                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True,
                )

        # 4. Start the web server now (it needs only the files); check it later.
        port = _free_port()
        web = configure_and_serve(port)

        # 5. Wait for MariaDB.
        deadline = time.monotonic() + DB_READY_TIMEOUT
        while not _mariadb_is_ready(db_socket):
            if db.poll() is not None:
                raise WordPressUnavailable(
                    f"mariadbd exited with code {db.returncode}; its log ends with:\n"
                    f"{_tail(db_log)}\n{_tail(db_out, 10)}"
                )
            if time.monotonic() > deadline:
                raise WordPressUnavailable(
                    f"mariadbd not ready after {DB_READY_TIMEOUT}s; its log ends with:\n{_tail(db_log)}"
                )
            time.sleep(0.01)

        mark('mariadb ready')

        # 6. Install WordPress, create the users and application passwords.
        admin_password = secrets.token_urlsafe(18)
        args = {
            "admin_user": "admin",
            "admin_password": admin_password,
            "editor_user": "redaction",
            "subscriber_user": "abonne",
        }
        install_script = scripts / "install.php"
        install_script.write_text(
            _INSTALL_PHP.format(args=_php_json_literal(args), **_host_values(port, site_root)),
            encoding="utf-8",
        )
        try:
            result = subprocess.run(
                # No opcache file cache here: writing it costs ~0.2 s; it is
                # filled by a background run below instead.
                [php, *_php_cli_options(None), os.fspath(install_script)],
                cwd=site_root, capture_output=True, text=True,
                timeout=PHP_INSTALL_TIMEOUT, check=False,
            )
        except subprocess.TimeoutExpired:
            raise WordPressUnavailable(
                f"WordPress install script timed out after {PHP_INSTALL_TIMEOUT}s; "
                f"MariaDB log:\n{_tail(db_log)}"
            ) from None
        try:
            installed = json.loads(result.stdout) if result.returncode == 0 else None
        except json.JSONDecodeError:
            installed = None
        if not isinstance(installed, dict):
            raise WordPressUnavailable(
                f"WordPress install failed (exit code {result.returncode}):\n"
                f"--- stdout ---\n{result.stdout[-3000:]}\n--- stderr ---\n{result.stderr[-3000:]}\n"
                f"--- MariaDB log ---\n{_tail(db_log, 15)}"
            )

        mark('wp install')

        # Fill the CLI opcache file cache in the background, so that php() takes
        # ~60 ms instead of ~130 ms (a concurrent php() call is merely slower).
        warmup_script = scripts / "warmup.php"
        warmup_script.write_text(f"<?php\nrequire {_php_str(prelude)};\n", encoding="utf-8")
        warmup = subprocess.Popen(
            [php, *_php_cli_options(opcache_dir), os.fspath(warmup_script)],
            cwd=site_root, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        helpers.append(warmup)
        site = TestSite(
            url=f"http://127.0.0.1:{port}",
            root=site_root,
            mu_plugins=content / "mu-plugins",
            admin_user="admin",
            admin_password=admin_password,
            editor_user="redaction",
            editor_app_password=installed["editor_app_password"],
            subscriber_user="abonne",
            subscriber_app_password=installed["subscriber_app_password"],
            admin_app_password=installed["admin_app_password"],
            admin_id=installed["admin_id"],
            editor_id=installed["editor_id"],
            subscriber_id=installed["subscriber_id"],
            base_dir=base,
            server_log=server_log,
            db_log=db_log,
            php_binary=php,
            _web=web,
            _db=db,
            _prelude=prelude,
            _scripts=scripts,
            _opcache=opcache_dir,
            _helpers=helpers,
            _watchdog=watchdog,
            timings=timings,
        )
        _LIVE_SITES.append(site)

        # 7. Wait until the REST API answers over HTTP.
        deadline = time.monotonic() + HTTP_READY_TIMEOUT
        last = "no answer"
        port_attempts = 1
        while True:
            if web.poll() is not None:
                log_tail = _tail(server_log)
                if "Failed to listen" in log_tail and port_attempts < 3:
                    # Lost the race for the port we picked: try another one.
                    port_attempts += 1
                    port = _free_port()
                    web = site._web = configure_and_serve(port)
                    site.url = f"http://127.0.0.1:{port}"
                    continue
                raise WordPressUnavailable(
                    f"php -S exited with code {web.returncode}; its log ends with:\n{log_tail}"
                )
            try:
                status, body = _http_get(f"{site.url}/wp-json/")
                if status == 200 and b'"namespaces"' in body:
                    break
                last = f"HTTP {status}: {body[:300]!r}"
            except OSError as exc:
                last = repr(exc)
            if time.monotonic() > deadline:
                raise WordPressUnavailable(
                    f"WordPress did not answer {site.url}/wp-json/ within {HTTP_READY_TIMEOUT}s "
                    f"(last: {last}); php -S log ends with:\n{_tail(server_log)}"
                )
            time.sleep(0.02)
        mark('http ready')
        return site
    except BaseException:
        if site is not None:
            site.stop()
        else:
            _kill_group(web)
            _kill_group(db, timeout=20)
        for helper in helpers:
            if helper.poll() is None:
                with contextlib.suppress(OSError):
                    helper.kill()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    helper.wait(timeout=STOP_TIMEOUT)
        shutil.rmtree(base, ignore_errors=True)
        _stop_watchdog(watchdog)
        raise
