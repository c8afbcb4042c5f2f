"""The ``wp-seo-bridge`` command: a thin layer over the library, holding no business logic."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape
from rich.table import Table

from . import __version__
from .companion import plugin_source, write_plugin
from .config import Settings, load_config
from .doctor import Status, all_passed, run_checks
from .errors import BridgeError, ConfigError
from .wordpress.site import connect

app = typer.Typer(
    help="Rewrite WordPress drafts into review-ready French SEO articles. Never publishes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True)


class State:
    config_path: Optional[Path] = None


state = State()


def _version(value: bool) -> None:
    if value:
        console.print(f"wp-seo-bridge {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    config: Annotated[
        Optional[Path],
        typer.Option("--config", "-c", help="Configuration file (default: $WP_SEO_BRIDGE_CONFIG, then "
                     "~/.config/wp-seo-bridge/config.toml).", show_default=False),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log each request.")] = False,
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = None,
) -> None:
    state.config_path = config
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(console=errors, show_path=False)],
    )
    if not verbose:
        logging.getLogger("wp_seo_bridge").setLevel(logging.INFO)


def _settings() -> Settings:
    try:
        return load_config(state.config_path)
    except ConfigError as exc:
        _fail(exc, code=2)


def _fail(error: BridgeError, code: int = 1) -> None:
    errors.print(f"[bold red]Error:[/] {escape(error.message)}", highlight=False)
    if error.hint:
        errors.print(f"[bold]Fix:[/] {escape(error.hint)}", highlight=False)
    raise typer.Exit(code)


_STYLE = {Status.OK: "green", Status.WARN: "yellow", Status.FAIL: "bold red", Status.SKIPPED: "dim"}


@app.command()
def doctor() -> None:
    """Check the site, the credentials, the companion plugin, the SEO plugin and the model endpoint."""
    try:
        settings, config_error = load_config(state.config_path), None
    except ConfigError as exc:
        settings, config_error = None, exc
    results = []
    for result in run_checks(settings, config_error):
        results.append(result)
        style = _STYLE[result.status]
        console.print(f"[{style}]{result.status.value:>7}[/]  {result.name}: {escape(result.detail)}", highlight=False)
        if result.hint and result.status in (Status.FAIL, Status.WARN):
            console.print(f"         [bold]Fix:[/] {escape(result.hint)}", highlight=False)
    if all_passed(results):
        console.print("[green]All checks passed.[/]")
    else:
        failed = sum(r.status is Status.FAIL for r in results)
        console.print(f"[bold red]{failed} check(s) failed.[/]")
        raise typer.Exit(1)


@app.command("companion-plugin")
def companion_plugin(
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", help="Write the plugin to this file or folder (e.g. wp-content/mu-plugins).",
                     show_default=False),
    ] = None,
) -> None:
    """Print (or write) the companion must-use plugin that makes SEO fields writable."""
    if output is None:
        typer.echo(plugin_source(), nl=False)
        return
    try:
        target = write_plugin(output)
    except OSError as exc:
        _fail(BridgeError(f"Cannot write {output}: {exc.strerror}.", hint="Choose a writable path."))
    errors.print(f"Wrote {target}. Copy it into the site's wp-content/mu-plugins/ folder.", highlight=False)


@app.command()
def drafts(
    limit: Annotated[int, typer.Option(help="Show at most this many.", min=1)] = 50,
) -> None:
    """List the drafts the bridge would work on (the configured filters apply)."""
    settings = _settings()
    table = Table("ID", "Type", "Modified (UTC)", "Title", "SEO keyphrase")
    shown = 0
    try:
        with connect(settings) as site:
            for post in site.list_drafts():
                if shown == limit:
                    break
                table.add_row(str(post.id), post.type, f"{post.modified_gmt:%Y-%m-%d %H:%M}", escape(post.title),
                              escape(post.seo.focus_keyphrase or ""))
                shown += 1
    except BridgeError as exc:
        _fail(exc)
    console.print(table)
    console.print(f"{shown} draft(s) shown.")
