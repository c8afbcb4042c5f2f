"""The companion must-use plugin that makes SEO meta fields writable over REST and XML-RPC."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

FILENAME = "wp-seo-bridge-companion.php"


def plugin_source() -> str:
    """The plugin's PHP source, as shipped with this package."""
    return files(__package__).joinpath(FILENAME).read_text(encoding="utf-8")


def write_plugin(path: Path) -> Path:
    """Write the plugin to ``path`` (a file, or a folder such as wp-content/mu-plugins)."""
    target = path / FILENAME if path.is_dir() else path
    target.write_text(plugin_source(), encoding="utf-8")
    return target
