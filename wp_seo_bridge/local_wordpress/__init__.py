"""A real, local WordPress site, used by the test suite and by ``wp-seo-bridge demo``.

Everything runs on loopback from the Debian packages installed on the machine
(``wordpress``, ``php-cli``, ``php-mysql``, ``mariadb-server``):

* a private MariaDB server (own datadir, unix socket only, no TCP);
* a private copy of ``/usr/share/wordpress`` with its own ``wp-config.php``
  and ``wp-content`` (Debian's ``wp-config.php`` is never used);
* a non-interactive install done by a small PHP CLI script (users, roles,
  application passwords, ``/%postname%/`` permalinks so ``/wp-json/`` works);
* PHP's built-in web server (``php -S``, 4 workers) in its own process group.

``start_site()`` returns a :class:`LocalSite`; ``LocalSite.stop()`` kills both
servers (whole process groups) and deletes every temporary file.  If the owning
process dies without stopping it, a small watchdog process (and, failing that,
the next ``start_site()``) does the same.

A temporary site lives in one folder (see :func:`start_site` for where):
``site/`` (document root), ``db/`` (datadir), ``run/`` (socket, ``mysqld.err``),
``php/`` (CLI scripts), ``php-server.log`` (php -S: one line per request, plus
PHP errors and warnings of the web requests).

A kept site (``start_site(keep_dir=DIR)``, for ``wp-seo-bridge demo --keep DIR``)
lives in DIR, which ``stop()`` leaves in place: starting with the same DIR again
starts the same site (database, posts, users, passwords) in ~0.4 s.  Its state
is in ``DIR/local-site.json`` (mode 0600); only MariaDB's socket goes in a short
temporary folder.  Its watchdog stops its servers but never deletes DIR.

Start-up takes ~1.2 s on tmpfs, ~1.7-2.8 s on a journaled disk (see
``LocalSite.timings``).  ``LocalSite.php()`` takes ~60 ms.

Modules: ``packages`` (what is needed, where the programs are), ``layout``
(where the files live), ``wp_files`` (the copy of WordPress), ``templates``
(PHP texts), ``servers`` (MariaDB and ``php -S``), ``processes`` (process
groups, the watchdog; stand-alone), ``site`` (:class:`LocalSite`), ``kept``
(kept folders: checks, state, leftovers), ``start`` (:func:`start_site`).
Only the standard library is used.
"""

from __future__ import annotations

from .packages import MISSING_HINT, WordPressUnavailable, missing_packages
from .site import LocalSite
from .start import DEFAULT_TITLE, start_site

__all__ = [
    "DEFAULT_TITLE",
    "MISSING_HINT",
    "LocalSite",
    "WordPressUnavailable",
    "missing_packages",
    "start_site",
]
