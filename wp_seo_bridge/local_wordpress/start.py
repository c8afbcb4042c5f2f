"""``start_site()``: build a local site (or start a kept one again) and wait until it answers."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from . import kept, servers
from .layout import RUN_PREFIX, SITE_PREFIX, Layout, is_root, prepare_tmp_root
from .packages import WORDPRESS_DIR, Binaries, WordPressUnavailable, require_binaries
from .processes import OWNER_FILE, kill_group, reap_stale_sites, start_watchdog, stop_process, write_owner
from .site import LIVE_SITES, LocalSite
from .templates import install_script, new_salts, php_cli_options, php_str, prelude, wp_config
from .wp_files import prepare_content, start_copy, tail

DEFAULT_TITLE = "WP SEO Bridge tests"

COPY_TIMEOUT = 120
PHP_INSTALL_TIMEOUT = 60
HTTP_READY_TIMEOUT = 20


def new_state(title: str) -> dict[str, Any]:
    """What a site needs that does not depend on its URL: database credentials,
    salts, users and passwords (ids and application passwords are added by the install)."""
    return {
        "title": title,
        "db_user": "wordpress",
        "db_password": secrets.token_hex(12),
        "salts": new_salts(),
        "admin_user": "admin",
        "admin_password": secrets.token_urlsafe(18),
        "editor_user": "redaction",
        "subscriber_user": "abonne",
    }


class _Start:
    """One start of a site: the processes started so far (stopped by ``abort()``) and the timings."""

    def __init__(self, binaries: Binaries, layout: Layout, as_root: bool) -> None:
        self.binaries = binaries
        self.layout = layout
        self.as_root = as_root
        self.helpers: list[subprocess.Popen] = []  # short-lived: mariadb-install-db, cp, warm-up
        self.web: subprocess.Popen | None = None
        self.db: subprocess.Popen | None = None
        self.site: LocalSite | None = None
        self.port = 0
        self.timings: dict[str, float] = {}
        self._started = time.perf_counter()

    def mark(self, phase: str) -> None:
        self.timings[phase] = round(time.perf_counter() - self._started, 3)

    # -- a new site ----------------------------------------------------------- #

    def build(self, state: dict[str, Any]) -> None:
        """Create the database and the copy of WordPress, start both servers and
        install WordPress; adds the users' ids and application passwords to ``state``."""
        layout = self.layout
        for directory in (layout.site_root, layout.datadir, layout.rundir, layout.scripts, layout.opcache):
            directory.mkdir(exist_ok=directory == layout.rundir)
        if self.as_root:
            for directory in (layout.datadir, layout.rundir):
                shutil.chown(directory, "mysql", "mysql")

        # 1. Initialise the MariaDB datadir and copy WordPress at the same time.
        installer = servers.start_install_db(self.binaries, layout, self.as_root)
        self.helpers.append(installer)
        copiers = start_copy(layout.site_root, layout.copy_log)
        self.helpers.extend(copiers)
        servers.wait_install_db(installer, layout)
        self.mark("mariadb-install-db")

        # 2. Start mariadbd; an init file creates the database and WordPress' user.
        init_sql = servers.write_init_sql(layout, state["db_user"], state["db_password"], self.as_root)
        self.db = servers.start_mariadbd(self.binaries, layout, self.as_root, init_sql)

        # 3. Finish the copy, give the site its own wp-content.
        self._wait_copy(copiers)
        self.mark("copy")
        prepare_content(layout.site_root)

        # 4. Start the web server now (it needs only the files); check it later.
        self.serve(servers.free_port(), state)

        # 5. Wait for MariaDB.
        servers.wait_mariadb(self.db, layout)
        self.mark("mariadb ready")

        # 6. Install WordPress, create the users and application passwords.
        state.update(self._install(state))
        self.mark("wp install")

    def _wait_copy(self, copiers: list[subprocess.Popen]) -> None:
        site_root = self.layout.site_root
        deadline = time.monotonic() + COPY_TIMEOUT
        failed = False
        for copier in copiers:
            try:
                failed |= copier.wait(timeout=max(0.1, deadline - time.monotonic())) != 0
            except subprocess.TimeoutExpired:
                raise WordPressUnavailable(f"copying {WORDPRESS_DIR} timed out") from None
        if failed:
            raise WordPressUnavailable(
                f"copying {WORDPRESS_DIR} to {site_root} failed:\n{tail(self.layout.copy_log)}"
            )
        if not (site_root / "wp-load.php").is_file():
            raise WordPressUnavailable(f"copying {WORDPRESS_DIR} to {site_root} failed")

    def _install(self, state: dict[str, Any]) -> dict[str, Any]:
        layout = self.layout
        script = layout.scripts / "install.php"
        args = {key: state[key] for key in ("title", "admin_user", "admin_password", "editor_user", "subscriber_user")}
        script.write_text(install_script(self.port, layout.site_root, args), encoding="utf-8")
        try:
            result = subprocess.run(
                # No opcache file cache here: writing it costs ~0.2 s; it is
                # filled by a background run (warm_up) instead.
                [self.binaries.php, *php_cli_options(None), os.fspath(script)],
                cwd=layout.site_root, capture_output=True, text=True,
                timeout=PHP_INSTALL_TIMEOUT, check=False,
            )
        except subprocess.TimeoutExpired:
            raise WordPressUnavailable(
                f"WordPress install script timed out after {PHP_INSTALL_TIMEOUT}s; "
                f"MariaDB log:\n{tail(layout.db_log)}"
            ) from None
        try:
            installed = json.loads(result.stdout) if result.returncode == 0 else None
        except json.JSONDecodeError:
            installed = None
        if not isinstance(installed, dict):
            raise WordPressUnavailable(
                f"WordPress install failed (exit code {result.returncode}):\n"
                f"--- stdout ---\n{result.stdout[-3000:]}\n--- stderr ---\n{result.stderr[-3000:]}\n"
                f"--- MariaDB log ---\n{tail(layout.db_log, 15)}"
            )
        return installed

    # -- a kept site, again ------------------------------------------------------ #

    def resume(self, state: dict[str, Any]) -> None:
        """Start both servers on the existing datadir and copy of WordPress
        (wp-config.php and the CLI prelude are rewritten for the new port)."""
        if self.as_root:
            shutil.chown(self.layout.rundir, "mysql", "mysql")
        self.db = servers.start_mariadbd(self.binaries, self.layout, self.as_root, None)
        # The previous port when it is free (the posts' links and images name it).
        self.serve(servers.free_port(state.get("port")), state)
        servers.wait_mariadb(self.db, self.layout)
        self.mark("mariadb ready")

    # -- both ------------------------------------------------------------------ #

    def serve(self, port: int, state: dict[str, Any]) -> subprocess.Popen:
        """Write wp-config.php and the CLI prelude for ``port``; start ``php -S`` on it."""
        layout = self.layout
        self.port = port
        (layout.site_root / "wp-config.php").write_text(
            wp_config(
                db_user=state["db_user"], db_password=state["db_password"],
                db_socket=layout.db_socket, salts=state["salts"], url=f"http://127.0.0.1:{port}",
            ),
            encoding="utf-8",
        )
        (layout.scripts / "prelude.php").write_text(prelude(port, layout.site_root), encoding="utf-8")
        self.web = servers.start_php_server(self.binaries.php, port, layout)
        return self.web

    def warm_up(self) -> None:
        """Fill the CLI opcache file cache in the background, so that php() takes
        ~60 ms instead of ~130 ms (a concurrent php() call is merely slower)."""
        layout = self.layout
        script = layout.scripts / "warmup.php"
        script.write_text(f"<?php\nrequire {php_str(layout.scripts / 'prelude.php')};\n", encoding="utf-8")
        self.helpers.append(subprocess.Popen(
            [self.binaries.php, *php_cli_options(layout.opcache), os.fspath(script)],
            cwd=layout.site_root, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        ))

    def make_site(self, state: dict[str, Any], **extra: Any) -> LocalSite:
        layout = self.layout
        self.site = LocalSite(
            url=f"http://127.0.0.1:{self.port}",
            root=layout.site_root,
            mu_plugins=layout.site_root / "wp-content" / "mu-plugins",
            admin_user=state["admin_user"],
            admin_password=state["admin_password"],
            editor_user=state["editor_user"],
            editor_app_password=state["editor_app_password"],
            subscriber_user=state["subscriber_user"],
            subscriber_app_password=state["subscriber_app_password"],
            admin_app_password=state["admin_app_password"],
            admin_id=state["admin_id"],
            editor_id=state["editor_id"],
            subscriber_id=state["subscriber_id"],
            base_dir=layout.base,
            server_log=layout.server_log,
            db_log=layout.db_log,
            php_binary=self.binaries.php,
            title=state["title"],
            kept=layout.kept,
            _web=self.web,
            _db=self.db,
            _prelude=layout.scripts / "prelude.php",
            _scripts=layout.scripts,
            _opcache=layout.opcache,
            _helpers=self.helpers,
            timings=self.timings,
            **extra,
        )
        LIVE_SITES.append(self.site)
        return self.site

    def wait_http(self, state: dict[str, Any]) -> None:
        """Wait until the REST API answers over HTTP (on another port if php -S lost the race for it)."""
        site = self.site
        assert site is not None and self.web is not None
        deadline = time.monotonic() + HTTP_READY_TIMEOUT
        last = "no answer"
        port_attempts = 1
        while True:
            if self.web.poll() is not None:
                log_tail = tail(self.layout.server_log)
                if "Failed to listen" in log_tail and port_attempts < 3:
                    # Lost the race for the port we picked: try another one.
                    port_attempts += 1
                    site._web = self.serve(servers.free_port(), state)
                    site.url = f"http://127.0.0.1:{self.port}"
                    continue
                raise WordPressUnavailable(
                    f"php -S exited with code {self.web.returncode}; its log ends with:\n{log_tail}"
                )
            try:
                status, body = servers.http_get(f"{site.url}/wp-json/")
                if status == 200 and b'"namespaces"' in body:
                    break
                last = f"HTTP {status}: {body[:300]!r}"
            except OSError as exc:
                last = repr(exc)
            if time.monotonic() > deadline:
                raise WordPressUnavailable(
                    f"WordPress did not answer {site.url}/wp-json/ within {HTTP_READY_TIMEOUT}s "
                    f"(last: {last}); php -S log ends with:\n{tail(self.layout.server_log)}"
                )
            time.sleep(0.02)
        self.mark("http ready")

    def abort(self) -> None:
        """Stop every process started so far (the site's own stop() when it exists)."""
        if self.site is not None:
            self.site.stop()
        else:
            kill_group(self.web)
            kill_group(self.db, timeout=20)
        for helper in self.helpers:
            stop_process(helper)


def start_site(workdir: Path | str | None = None, *, title: str = DEFAULT_TITLE,
               keep_dir: Path | str | None = None) -> LocalSite:
    """Start a local WordPress site on 127.0.0.1 (about 1 s on tmpfs for a new temporary site).

    ``workdir``: parent of the site's temporary folder (default: env WP_TEST_TMPDIR,
    else env TMPDIR, else /dev/shm when it has room, else the system's temporary
    folder).  When running as root it must be traversable by the ``mysql`` user.

    ``title``: the site's title (a kept site keeps the one it was built with).

    ``keep_dir``: a folder for a kept site (``wp-seo-bridge demo --keep DIR``),
    created if missing; it must be empty or hold a kept site already.  ``stop()``
    then stops the servers and leaves the folder, and a later start with the same
    folder starts that same site again (same database, posts, users and passwords;
    the previous port when it is free, else another one).  Only a short runtime
    folder (MariaDB's socket) goes in the temporary parent above.  If the owning
    process dies, the watchdog stops the servers and keeps the folder; servers
    left running by an owner that died are stopped by the next start.

    Raises WordPressUnavailable when packages are missing, the folder cannot be
    used, or something does not start (the message includes the relevant log tail).
    """
    binaries = require_binaries()
    as_root = is_root()
    folder = kept.open_folder(keep_dir) if keep_dir is not None else None
    try:
        parent = prepare_tmp_root(workdir)
    except BaseException:
        if folder is not None and folder.created:
            shutil.rmtree(folder.path, ignore_errors=True)
        raise
    reap_stale_sites(parent, (SITE_PREFIX, RUN_PREFIX))
    if folder is None:
        return _start_temporary(binaries, as_root, parent, title)
    return _start_kept(binaries, as_root, parent, title, folder)


def _start_temporary(binaries: Binaries, as_root: bool, parent: Path, title: str) -> LocalSite:
    base = Path(tempfile.mkdtemp(prefix=SITE_PREFIX, dir=parent))
    if as_root:
        os.chmod(base, 0o755)
    write_owner(base)
    watchdog = start_watchdog(kill=[base], delete=[base])
    run = _Start(binaries, Layout(base=base, rundir=base / "run"), as_root)
    try:
        state = new_state(title)
        run.build(state)
        run.warm_up()
        run.make_site(state, _watchdog=watchdog, _delete_on_stop=[base])
        run.wait_http(state)
        return run.site
    except BaseException:
        run.abort()
        shutil.rmtree(base, ignore_errors=True)
        stop_process(watchdog)
        raise


def _start_kept(binaries: Binaries, as_root: bool, parent: Path, title: str, folder: kept.KeptFolder) -> LocalSite:
    base = folder.path
    rundir = Path(tempfile.mkdtemp(prefix=RUN_PREFIX, dir=parent))
    if as_root:
        os.chmod(rundir, 0o755)
    write_owner(rundir)  # reaped with its processes by a later start_site() if we die
    write_owner(base)
    watchdog = start_watchdog(kill=[base, rundir], delete=[rundir], servers_only=True, grace=kept.LEFTOVER_GRACE)
    run = _Start(binaries, Layout(base=base, rundir=rundir, kept=True), as_root)
    delete_on_stop = [rundir, base / OWNER_FILE]
    try:
        if folder.state is None:
            state = dict(new_state(title), complete=False)
            kept.save_state(base, state)  # from now on the folder holds a (partial) kept site
            run.build(state)
            state["complete"] = True
        else:
            state = folder.state
            run.resume(state)
        run.warm_up()
        run.make_site(state, _watchdog=watchdog, _delete_on_stop=delete_on_stop,
                      restarted=folder.state is not None)
        run.wait_http(state)
        state["port"] = run.port
        kept.save_state(base, state)
        return run.site
    except BaseException:
        run.abort()
        for path in delete_on_stop:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        if folder.state is None:  # a failed first build: remove what it wrote, and nothing else
            kept.remove_entries(base)
            if folder.created:
                with contextlib.suppress(OSError):
                    base.rmdir()
        stop_process(watchdog)
        raise
