"""The ``wp-seo-bridge`` command: a thin layer over the library, holding no business logic.

Each command imports the parts of the library it uses when it runs, so that commands that need
no model (``--version``, ``companion-plugin``, ``analyze --file``, ``drafts``) start without
loading the ``openai`` SDK or the rewrite pipeline.
"""

from __future__ import annotations

import json
import logging
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape
from rich.table import Table

from . import __version__
from .errors import BridgeError, ConfigError

if TYPE_CHECKING:
    from .analysis import Analysis
    from .bridge import RewriteReport
    from .config import Settings

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


def _settings(*, require_site: bool = True) -> Settings:
    from .config import load_config

    try:
        return load_config(state.config_path, require_site=require_site)
    except ConfigError as exc:
        _fail(exc, code=2)


def _fail(error: BridgeError, code: int = 1) -> None:
    errors.print(f"[bold red]Error:[/] {escape(error.message)}", highlight=False)
    if error.hint:
        errors.print(f"[bold]Fix:[/] {escape(error.hint)}", highlight=False)
    raise typer.Exit(code)


_STYLE = {"ok": "green", "warn": "yellow", "fail": "bold red", "skipped": "dim"}


@app.command()
def doctor() -> None:
    """Check the site, the credentials, the companion plugin, the SEO plugin and the model endpoint."""
    from .config import load_config
    from .doctor import Status, all_passed, run_checks

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
    from .companion import plugin_source, write_plugin

    if output is None:
        typer.echo(plugin_source(), nl=False)
        return
    try:
        target = write_plugin(output)
    except OSError as exc:
        _fail(BridgeError(f"Cannot write {output}: {exc.strerror}.", hint="Choose a writable path."))
    errors.print(f"Wrote {target}. Copy it into the site's wp-content/mu-plugins/ folder.", highlight=False)


class ListedStatus(str, Enum):
    draft = "draft"
    pending = "pending"


@app.command()
def drafts(
    limit: Annotated[int, typer.Option(help="Show at most this many.", min=1)] = 50,
    status: Annotated[
        Optional[list[ListedStatus]],
        typer.Option("--status", "-s", help="Only posts with this status (repeat for both). Default: draft and "
                     "pending, the posts `rewrite` accepts.", show_default=False),
    ] = None,
) -> None:
    """List the drafts and pending posts the bridge would work on (the configured filters apply)."""
    from .wordpress.site import connect

    settings = _settings()
    table = Table("ID", "Type", "Status", "Modified (UTC)", "Title", "SEO keyphrase")
    shown = 0
    try:
        with connect(settings) as site:
            query = site.draft_query([s.value for s in status] if status else None)
            for post in site.list_drafts(query):
                if shown == limit:
                    break
                table.add_row(str(post.id), post.type, post.status, f"{post.modified_gmt:%Y-%m-%d %H:%M}",
                              escape(post.title), escape(post.seo.focus_keyphrase or ""))
                shown += 1
    except BridgeError as exc:
        _fail(exc)
    console.print(table)
    console.print(f"{shown} post(s) shown.")


@app.command()
def rewrite(
    post_id: Annotated[Optional[int], typer.Argument(help="The ID of the draft to rewrite.", show_default=False)] = None,
    file: Annotated[
        Optional[Path],
        typer.Option("--file", "-f", help="Rewrite a local draft instead (.html, or .txt of plain paragraphs); "
                     "no WordPress needed.", show_default=False, exists=True, dir_okay=False, readable=True),
    ] = None,
    title: Annotated[Optional[str], typer.Option(help="With --file: the draft's title (default: the file name).",
                                                 show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Call the model and show the result; write nothing "
                                          "to WordPress.")] = False,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Also write the article's markup to "
                                                   "this file.", show_default=False)] = None,
) -> None:
    """Rewrite one draft into an SEO article and save it back as a draft (or try it on a --file)."""
    from .bridge import rewrite_post, rewrite_source
    from .journal import Journal, default_journal_path
    from .wordpress.site import connect

    if (post_id is None) == (file is None):
        _fail(BridgeError("Give either a POST_ID or --file, not both or neither.",
                          hint="`wp-seo-bridge rewrite 42` or `wp-seo-bridge rewrite --file draft.txt`."), code=2)
    try:
        if file is not None:
            settings = _settings(require_site=False)
            text = file.read_text(encoding="utf-8")
            report = rewrite_source(text, title or file.stem.replace("-", " ").replace("_", " "), settings,
                                    source_name=f"The file {file}")
        else:
            settings = _settings()
            with connect(settings) as site, Journal(settings.journal.path or default_journal_path()) as journal:
                with console.status(f"Rewriting post {post_id} with {settings.model.name}..."):
                    report = rewrite_post(site, post_id, journal=journal, dry_run=dry_run)
    except BridgeError as exc:
        _fail(exc)
    except OSError as exc:
        _fail(BridgeError(f"Cannot read {file}: {exc.strerror}."))
    _show(report, diff=dry_run or file is not None, dry_run=dry_run)
    if not report.accepted:
        raise typer.Exit(1)
    if output is not None:
        try:
            output.write_text(report.content, encoding="utf-8")
        except OSError as exc:
            _fail(BridgeError(f"Cannot write {output}: {exc.strerror}.", hint="Choose a writable path."))
        errors.print(f"Wrote the article's markup to {output}.", highlight=False)


_LIGHT = {"good": "[green]●[/] good", "ok": "[yellow]●[/] ok", "bad": "[red]●[/] bad"}


@app.command()
def analyze(
    post_id: Annotated[Optional[int], typer.Argument(help="The ID of a post to analyse.", show_default=False)] = None,
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="Analyse a local draft instead.",
                                                 show_default=False, exists=True, dir_okay=False, readable=True)] = None,
    keyphrase: Annotated[Optional[str], typer.Option("--keyphrase", "-k", help="Focus keyphrase (default: the post's "
                                                     "SEO field).", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Show Yoast's SEO and readability checks for a post or a file, with the overall lights."""
    from .bridge import analyze_post, analyze_text
    from .wordpress.site import connect

    if (post_id is None) == (file is None):
        _fail(BridgeError("Give either a POST_ID or --file, not both or neither.",
                          hint="`wp-seo-bridge analyze 42` or `wp-seo-bridge analyze --file draft.html`."), code=2)
    try:
        if file is not None:
            analysis = analyze_text(file.read_text(encoding="utf-8"), keyphrase=keyphrase or "")
        else:
            with connect(_settings()) as site:
                analysis = analyze_post(site, post_id, keyphrase)
    except BridgeError as exc:
        _fail(exc)
    except OSError as exc:
        _fail(BridgeError(f"Cannot read {file}: {exc.strerror}."))
    if as_json:
        typer.echo(json.dumps(analysis_dict(analysis), ensure_ascii=False, indent=2))
        return
    _show_analysis(analysis)


def analysis_dict(analysis: Analysis) -> dict:
    return {
        "seo": {"score": analysis.seo_score, "rating": analysis.seo_rating},
        "readability": {"score": analysis.readability_score, "rating": analysis.readability_rating},
        "flesch_reading_ease": round(analysis.flesch_reading_ease, 1),
        "words": analysis.words,
        "checks": [
            {"id": a.id, "group": a.group, "score": a.score, "rating": a.rating, "text": a.text}
            for a in analysis.assessments
        ],
    }


def _show_analysis(analysis: Analysis, title: str = "") -> None:
    table = Table("Group", "Check", "Score", "Rating", "Details", title=title or None, title_justify="left")
    for a in sorted(analysis.assessments, key=lambda a: (a.group, a.rating != "bad", a.rating != "ok")):
        table.add_row(a.group, a.id.replace("_", " "), str(a.score), _LIGHT[a.rating], escape(a.text))
    console.print(table)
    console.print(
        f"SEO: {_LIGHT[analysis.seo_rating]} ({analysis.seo_score}/100)   Readability: "
        f"{_LIGHT[analysis.readability_rating]} ({analysis.readability_score}/100)   Flesch (French): "
        f"{analysis.flesch_reading_ease:.0f}   Words: {analysis.words}"
    )


@app.command()
def restore(
    post_id: Annotated[int, typer.Argument(help="The ID of a post the bridge rewrote.")],
    force: Annotated[bool, typer.Option("--force", help="Restore even if the post was changed after the bridge's "
                                        "rewrite, replacing those changes.")] = False,
) -> None:
    """Put a rewritten post back as it was before its latest saved rewrite (text, slug, status, SEO fields).

    Refused when the post was changed after that rewrite (the changed fields are named), unless --force.
    """
    from .journal import Journal, default_journal_path
    from .restore import restore_post
    from .wordpress.site import connect

    settings = _settings()
    try:
        with connect(settings) as site, Journal(settings.journal.path or default_journal_path()) as journal:
            post = restore_post(site, post_id, journal, force=force)
    except BridgeError as exc:
        _fail(exc)
    console.print(f"[green]Restored post {post.id} ({escape(post.title)}) as {post.status!r}.[/]", highlight=False)


def _show(report: RewriteReport, *, diff: bool, dry_run: bool = False) -> None:
    article = report.article
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_row("Title", escape(article.title))
    table.add_row("SEO title", f"{escape(article.seo_title)} [dim]({len(article.seo_title)} characters)[/]")
    table.add_row("Meta description",
                  f"{escape(article.meta_description)} [dim]({len(article.meta_description)} characters)[/]")
    table.add_row("Focus keyphrase", escape(article.focus_keyphrase))
    table.add_row("Slug", escape(report.slug))
    table.add_row("Words", f"{report.source_words} -> {report.words}")
    table.add_row("Output", f"{report.output} markup; model answer as {report.mode}; "
                  f"{sum(c.usage.total_tokens for c in report.calls)} tokens")
    if article.restored_placeholders:
        table.add_row("Put back", ", ".join(article.restored_placeholders) + " (the model had lost them)")
    if article.restored_shortcodes:
        table.add_row("Put back", ", ".join(f"[[{ref}]]" for ref in article.restored_shortcodes)
                      + " (shortcodes the model had lost)")
    if report.removed_from_draft:
        table.add_row("Removed", f"removed from the draft: {report.removed_from_draft} (executable markup is never "
                      "written to WordPress)")
    console.print(table)
    console.print("[bold]Outline[/]")
    for level, heading in article.outline():
        console.print(f"{'  ' * (level - 1)}H{level} {escape(heading)}", highlight=False)
    if diff:
        console.print("[bold]Diff (text)[/]")
        console.print(escape(report.diff()), highlight=False)
    if report.before is not None and report.after is not None:
        before, after = report.before, report.after
        console.print(
            f"[bold]Lights[/]  SEO: {_LIGHT[before.seo_rating]} -> {_LIGHT[after.seo_rating]}   Readability: "
            f"{_LIGHT[before.readability_rating]} -> {_LIGHT[after.readability_rating]}   "
            f"(attempts: {report.attempts})"
        )
    if not report.accepted:
        console.print("[bold red]The rewrite did not pass the quality gate; it was not written.[/]")
        for reason in report.verdict.reasons:
            console.print(f"  {escape(reason)}", highlight=False)
        if report.post_id is not None and not dry_run:
            console.print("The post keeps its text; its record says \"needs attention\" with these reasons.")
    elif report.written and report.stored is not None:
        console.print(f"[green]Saved post {report.stored.id} as {report.stored.status!r} for review.[/]")
    elif report.post_id is not None:
        console.print("[yellow]Dry run: nothing was written to WordPress.[/]")
