"""Several sites in one configuration: ``[sites.NAME]`` tables beside (or instead of) ``[wordpress]``.

A site table holds the ``[wordpress]`` keys, and optional ``[sites.NAME.drafts]``, ``[sites.NAME.rewrite]`` and
``[sites.NAME.quality]`` tables whose keys replace the global sections' keys for that site only. The
``[wordpress]`` section is the site named ``default``. Each site's application password comes from its own
environment variable, ``WP_SEO_BRIDGE_SITES_<NAME>_WP_APP_PASSWORD`` (the name upper-cased, ``-`` as ``_``), and
the secret its notifications are signed with (``watch --listen``) from ``WP_SEO_BRIDGE_SITES_<NAME>_NOTIFY_SECRET``,
else ``WP_SEO_BRIDGE_NOTIFY_SECRET`` (the ``[wordpress]`` section's from the latter).

:func:`site_settings` gives one complete :class:`~wp_seo_bridge.config.Settings` per site, as the commands that
work on a site take it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from .config_env import APP_PASSWORD_ENV, ENV_PREFIX, NOTIFY_SECRET_ENV
from .errors import ConfigError

if TYPE_CHECKING:
    from .config import Settings

#: The name of the site of the ``[wordpress]`` section.
DEFAULT_SITE = "default"
#: The sections a site may override, key by key.
OVERRIDABLE_SECTIONS = ("drafts", "rewrite", "quality")

_SITE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_SITE_PASSWORD = re.compile(rf"^{ENV_PREFIX}SITES_(.+)_WP_APP_PASSWORD$")
_SITE_NOTIFY_SECRET = re.compile(rf"^{ENV_PREFIX}SITES_(.+)_NOTIFY_SECRET$")


def password_variable(name: str) -> str:
    """The environment variable holding the application password of the ``[sites.NAME]`` site ``name`` (the
    ``[wordpress]`` section's is ``WP_SEO_BRIDGE_WP_APP_PASSWORD``: ``settings.wordpress.password_variable``)."""
    return f"{ENV_PREFIX}SITES_{name.upper().replace('-', '_')}_WP_APP_PASSWORD"


def notify_secret_variable(name: str) -> str:
    """The environment variable holding the notification secret of the ``[sites.NAME]`` site ``name`` (when it is
    not set, the site's secret is ``WP_SEO_BRIDGE_NOTIFY_SECRET``'s, as is the ``[wordpress]`` section's)."""
    return f"{ENV_PREFIX}SITES_{name.upper().replace('-', '_')}_NOTIFY_SECRET"


def refuse_unknown_site_notify_secrets(env: Mapping[str, str], data: Mapping[str, object]) -> list[str]:
    """The configured sites' notification secret variables; one naming a site the configuration does not have is
    refused (a typo would leave the site with the shared secret, or none)."""
    sites = data.get("sites")
    known = {notify_secret_variable(str(name)) for name in sites} if isinstance(sites, Mapping) else set()
    strays = sorted(name for name in env if _SITE_NOTIFY_SECRET.match(name) and name not in known)
    if strays:
        lines = "\n".join(f"  - {name}: no [sites.{_SITE_NOTIFY_SECRET.match(name).group(1).lower()}] table"
                          for name in strays)
        raise ConfigError(
            f"Notification secret(s) set for sites that are not configured:\n{lines}",
            hint=f"Correct or unset the variable(s). The secret of site NAME is {ENV_PREFIX}SITES_NAME_NOTIFY_SECRET, "
            f"NAME in capitals with '-' as '_'; {NOTIFY_SECRET_ENV} is the secret of every other site (and of the "
            "[wordpress] section's).",
        )
    return sorted(known)


def is_site_password_variable(name: str) -> bool:
    """Whether ``name`` is the form of a ``[sites.NAME]`` site's password variable (configured or not)."""
    return bool(_SITE_PASSWORD.match(name))


def site_names(names: Iterable[str]) -> None:
    """Refuse, naming it, a site name that is not lower-case letters, digits, ``-`` and ``_`` (it is typed after
    ``--site``, shown in logs and part of an environment variable's name), or two names sharing one variable."""
    seen: dict[str, str] = {}
    for name in names:
        if not _SITE_NAME.match(name):
            raise ValueError(
                f"{name!r} is not a site name: use lower-case letters, digits, '-' and '_' (starting with a letter "
                "or digit, at most 40 characters), e.g. [sites.blog] or [sites.shop-fr]"
            )
        variable = password_variable(name)
        if variable in seen:
            raise ValueError(
                f"the sites {seen[variable]!r} and {name!r} would both take their password from {variable}: "
                "rename one of them"
            )
        seen[variable] = name


def site_password_variables(data: Mapping[str, object]) -> dict[str, str]:
    """For each ``[sites.NAME]`` table of the file: its password variable and the site's name."""
    sites = data.get("sites")
    if not isinstance(sites, Mapping):
        return {}
    return {password_variable(str(name)): str(name) for name in sites}


def refuse_unknown_site_passwords(env: Mapping[str, str], data: Mapping[str, object]) -> list[str]:
    """The configured sites' password variables; a ``WP_SEO_BRIDGE_SITES_..._WP_APP_PASSWORD`` variable naming a
    site the configuration does not have is refused (a typo would leave a site without its password)."""
    known = site_password_variables(data)
    strays = sorted(name for name in env if _SITE_PASSWORD.match(name) and name not in known)
    if strays:
        sites = [DEFAULT_SITE] if isinstance(data.get("wordpress"), Mapping) else []
        sites += list(known.values())
        listed = ", ".join(sites) if sites else "none"
        lines = "\n".join(f"  - {name}: no [sites.{_SITE_PASSWORD.match(name).group(1).lower()}] table"
                           for name in strays)
        raise ConfigError(
            f"Application password(s) set for sites that are not configured:\n{lines}\nThe configured sites: {listed}.",
            hint="Correct or unset the variable(s), or add the site as a [sites.NAME] table (config.example.toml "
            f"shows one). The password of site NAME is {ENV_PREFIX}SITES_NAME_WP_APP_PASSWORD, NAME in capitals "
            f"with '-' as '_'; the [wordpress] section's is {APP_PASSWORD_ENV}.",
        )
    return list(known)


def refuse_two_defaults(data: Mapping[str, object]) -> None:
    """``[wordpress]`` is the site named ``default``: a ``[sites.default]`` table beside it is refused."""
    sites = data.get("sites")
    if isinstance(data.get("wordpress"), Mapping) and isinstance(sites, Mapping) and DEFAULT_SITE in sites:
        raise ConfigError(
            "Both [wordpress] and [sites.default] are in the configuration: the [wordpress] section is the site "
            "named 'default', so there would be two sites of that name.",
            hint="Rename [sites.default] (e.g. [sites.main]), or move the [wordpress] keys into it and remove "
            "[wordpress] (and any WP_SEO_BRIDGE_WORDPRESS_... variable).",
        )


def site_settings(settings: Settings, only: str | None = None) -> list[tuple[str, Settings]]:
    """One complete :class:`~wp_seo_bridge.config.Settings` per site, in the configuration's order (``default``,
    the ``[wordpress]`` section, first): its ``wordpress`` filled, the site's ``drafts``, ``rewrite`` and
    ``quality`` keys merged over the global ones, its password set, its ``sites`` empty.

    ``only``: that site alone; a name the configuration does not have is a :class:`ConfigError` naming the known
    sites, as is a configuration without any site.
    """
    from .config import WordPressSettings

    names = ([DEFAULT_SITE] if settings.wordpress is not None else []) + list(settings.sites)
    if not names:
        raise ConfigError(
            "No WordPress site is configured.",
            hint="Fill in [wordpress] url and username (or add [sites.NAME] tables, one per site) in the "
            "configuration file; config.example.toml shows both.",
        )
    if only is not None and only not in names:
        raise ConfigError(
            f"No site named {only!r} in the configuration; its sites: {', '.join(names)}.",
            hint="Give one of those names (e.g. --site " + names[0] + "), or add the site as a [sites.NAME] table.",
        )
    found = []
    for name in names:
        if only is not None and name != only:
            continue
        if name == DEFAULT_SITE and settings.wordpress is not None:
            found.append((name, settings.model_copy(update={"sites": {}}, deep=True)))
            continue
        site = settings.sites[name]
        fields = {key: getattr(site, key) for key in WordPressSettings.model_fields}
        wordpress = WordPressSettings.model_construct(
            _fields_set=site.model_fields_set & set(fields), **fields
        )
        wordpress._password_variable = site.password_variable
        wordpress._notify_secret_variable = site.notify_secret_variable
        update: dict[str, object] = {"wordpress": wordpress, "sites": {}}
        for section in OVERRIDABLE_SECTIONS:
            override = getattr(site, section)
            if override is not None:
                base = getattr(settings, section)
                update[section] = base.model_copy(
                    update={key: copy.deepcopy(getattr(override, key)) for key in override.model_fields_set}, deep=True
                )
        found.append((name, settings.model_copy(update=update, deep=True)))
    return found
