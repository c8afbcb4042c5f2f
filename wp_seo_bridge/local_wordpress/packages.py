"""Which Debian packages the local site needs, and where their programs are."""

from __future__ import annotations

import dataclasses
import functools
import os
import shutil
import subprocess
from pathlib import Path

#: What ``scripts/install.sh --demo`` installs; the theme only serves the site's pages (previews), not the APIs.
PACKAGES = ("wordpress", "wordpress-theme-twentytwentythree", "php-cli", "php-mysql", "php-xml", "php-mbstring",
            "php-curl", "mariadb-server")

MISSING_HINT = (
    "The local WordPress site needs Debian packages that are not installed: "
    "run `bash scripts/install.sh --demo` (the test suite's `--test` installs them too; "
    f"they are {' '.join(PACKAGES)})."
)

WORDPRESS_DIR = Path("/usr/share/wordpress")
# Themes shipped by Debian packages (none are needed for the REST API).
THEME_DIRS = (
    WORDPRESS_DIR / "wp-content" / "themes",
    Path("/var/lib/wordpress/wp-content/themes"),
)

_SBIN_DIRS = ("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/sbin", "/bin")


class WordPressUnavailable(Exception):
    """The local WordPress site cannot be provided (packages missing, start failure, unusable folder)."""


@dataclasses.dataclass(frozen=True)
class Binaries:
    php: str
    mariadbd: str
    install_db: str


def find_binary(name: str) -> str | None:
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
    php = find_binary("php")
    if php is None:
        missing.append(("php-cli", "`php` not found"))
    elif "mysqli" not in _php_modules(php):
        missing.append(("php-mysql", "the `mysqli` extension is not in `php -m`"))
    for binary in ("mariadbd", "mariadb-install-db"):
        if find_binary(binary) is None:
            missing.append(("mariadb-server", f"`{binary}` not found"))
    return missing


def missing_packages() -> list[str]:
    """Names of the missing Debian packages, e.g. ``["wordpress", "mariadb-server"]``."""
    return list(dict.fromkeys(package for package, _ in _missing()))


def require_binaries() -> Binaries:
    """The programs the site runs; WordPressUnavailable (with MISSING_HINT) when a package is missing."""
    missing = _missing()
    if missing:
        details = "; ".join(f"{package} ({what})" for package, what in missing)
        raise WordPressUnavailable(f"{MISSING_HINT} Missing: {details}.")
    php, mariadbd, install_db = (find_binary(name) for name in ("php", "mariadbd", "mariadb-install-db"))
    assert php and mariadbd and install_db  # checked by _missing()
    return Binaries(php=php, mariadbd=mariadbd, install_db=install_db)
