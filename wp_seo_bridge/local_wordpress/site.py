"""A running local site: its URL and users, a PHP oracle, fixtures helpers, ``stop()``."""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Iterator

from .processes import kill_group, stop_process
from .templates import php_cli_options, php_json_literal, php_str, strip_open_tag

PHP_DEFAULT_TIMEOUT = 60

LIVE_SITES: list["LocalSite"] = []


@atexit.register
def _stop_leftover_sites() -> None:
    for site in list(LIVE_SITES):
        with contextlib.suppress(Exception):
            site.stop()


@dataclasses.dataclass(eq=False)
class LocalSite:
    """A running local WordPress site (used by the tests and by ``wp-seo-bridge demo``);
    see :func:`~wp_seo_bridge.local_wordpress.start_site`.

    ``stop()`` kills both servers; a temporary site's folder is deleted, a kept
    site's folder (``kept``) stays, for a later ``start_site(keep_dir=...)``.
    """

    url: str
    root: Path  # the document root (the site's copy of WordPress)
    mu_plugins: Path
    admin_user: str
    admin_password: str  # also the admin's login password in a browser
    editor_user: str
    editor_app_password: str
    subscriber_user: str
    subscriber_app_password: str
    admin_app_password: str = ""
    admin_id: int = 0
    editor_id: int = 0
    subscriber_id: int = 0
    base_dir: Path | None = None  # the site's folder: site/, db/, php/ and the logs
    server_log: Path | None = None  # php -S stderr (one line per request + PHP errors)
    db_log: Path | None = None
    php_binary: str = "php"
    title: str = ""
    kept: bool = False  # True: stop() leaves base_dir in place (start_site(keep_dir=...))
    restarted: bool = False  # True: an existing kept site started again (nothing installed)
    timings: dict[str, float] = dataclasses.field(default_factory=dict)  # start-up phases (s)

    _web: subprocess.Popen | None = dataclasses.field(default=None, repr=False)
    _db: subprocess.Popen | None = dataclasses.field(default=None, repr=False)
    _prelude: Path | None = dataclasses.field(default=None, repr=False)
    _scripts: Path | None = dataclasses.field(default=None, repr=False)
    _opcache: Path | None = dataclasses.field(default=None, repr=False)
    _helpers: list[subprocess.Popen] = dataclasses.field(default_factory=list, repr=False)
    _watchdog: subprocess.Popen | None = dataclasses.field(default=None, repr=False)
    _delete_on_stop: list[Path] = dataclasses.field(default_factory=list, repr=False)
    _stopped: bool = dataclasses.field(default=False, repr=False)

    # -- PHP oracle --------------------------------------------------------- #

    def php(self, code: str, *, timeout: float = PHP_DEFAULT_TIMEOUT) -> str:
        """Run ``code`` in a PHP CLI process with WordPress loaded; return its stdout.

        ``code`` may start with ``<?php`` or not.  Raises RuntimeError (with
        stdout and stderr) on a non-zero exit code or a PHP fatal error.
        """
        if self._stopped or self._prelude is None or self._scripts is None:
            raise RuntimeError("the local WordPress site is stopped")
        fd, script_name = tempfile.mkstemp(suffix=".php", dir=self._scripts)
        script = Path(script_name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(f"<?php\nrequire {php_str(self._prelude)};\n")
                handle.write(strip_open_tag(code))
                handle.write("\n")
            try:
                result = subprocess.run(
                    [self.php_binary, *php_cli_options(self._opcache), os.fspath(script)],
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
            f"$__defaults = {php_json_literal(defaults)};\n"
            f"$__posts = {php_json_literal(posts)};\n" + self._INSERT_POST_PHP
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
        """Stop both servers (process groups) and delete the temporary files. Idempotent.

        A kept site's folder stays; only its runtime folder (socket, pid) goes."""
        if self._stopped:
            return
        self._stopped = True
        for helper in self._helpers:  # e.g. the opcache warm-up, if still running
            if helper.poll() is None:
                kill_group(helper)
        kill_group(self._web)
        kill_group(self._db, timeout=20)
        for path in self._delete_on_stop:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    path.unlink()
        stop_process(self._watchdog)
        with contextlib.suppress(ValueError):
            LIVE_SITES.remove(self)

    def __enter__(self) -> "LocalSite":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
