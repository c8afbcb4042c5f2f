"""The ``wp-seo-bridge`` command: a thin layer over the library, holding no business logic.

Each command imports the parts of the library it uses when it runs, so that commands that need
no model (``--version``, ``companion-plugin``, ``analyze --file``, ``drafts``) start without
loading the ``openai`` SDK or the rewrite pipeline.
"""

from __future__ import annotations

import logging
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.logging import RichHandler

from . import __version__
from .cli_errors import errors, fail, print_json, run_app, state
from .cli_inputs import OneSiteOption, post_id_argument, read_draft, settings_or_exit, text_option
from .errors import BridgeError, ConfigError, InputError
from .output import print_error
from .safe_text import text_for_terminal

app = typer.Typer(
    help="Rewrite WordPress drafts into review-ready French SEO articles. Never publishes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text (errors too).")]


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
    from .safe_text import EscapedControlsFilter
    from .urls import RedactedUrlsFilter

    state.config_path = config
    state.verbose = verbose
    handler = RichHandler(console=errors, show_path=False)
    handler.addFilter(RedactedUrlsFilter())
    handler.addFilter(EscapedControlsFilter())
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(message)s", handlers=[handler])
    if not verbose:
        logging.getLogger("wp_seo_bridge").setLevel(logging.INFO)


def run() -> None:
    """The ``wp-seo-bridge`` command; how it ends on an error is :func:`.cli_errors.run_app`'s."""
    run_app(app)


@app.command()
def doctor(site_name: OneSiteOption = None, as_json: JsonOption = False) -> None:
    """Check the site, the credentials, the companion plugin, the SEO plugin and the model endpoint.

    With several sites configured and no --site, every site is checked in turn.
    """
    from .config import load_config
    from .doctor import Status, all_passed, run_checks
    from .output import print_check

    state.as_json = as_json
    try:
        settings, config_error = load_config(state.config_path), None
    except ConfigError as exc:
        settings, config_error = None, exc
    results = []
    for result in run_checks(settings, config_error, site=text_option(site_name, "--site")):
        if not as_json:
            print_check(console, result, results[-1] if results else None)
        results.append(result)
    passed = all_passed(results)
    if as_json:
        from .report_json import checks_dict

        print_json(checks_dict(results, passed))
    elif passed:
        console.print("[green]All checks passed.[/]")
    else:
        failed = sum(r.status is Status.FAIL for r in results)
        console.print(f"[bold red]{failed} check(s) failed.[/]")
    if not passed:
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
        fail(BridgeError(f"Cannot write {output}: {exc.strerror}.", hint="Choose a writable path."))
    errors.print(f"Wrote {text_for_terminal(target)}. Copy it into the site's wp-content/mu-plugins/ folder.",
                 highlight=False)


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
    site_name: OneSiteOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the drafts and pending posts the bridge would work on (the configured filters apply)."""
    from itertools import islice

    from .output import print_drafts
    from .wordpress.site import connect

    state.as_json = as_json
    settings = settings_or_exit(site=site_name)
    try:
        with connect(settings) as site:
            query = site.draft_query([s.value for s in status] if status else None)
            posts = list(islice(site.list_drafts(query), limit))
    except BridgeError as exc:
        fail(exc)
    if as_json:
        from .report_json import drafts_dict

        print_json(drafts_dict(posts))
        return
    print_drafts(console, posts)


@app.command()
def rewrite(
    post_id: Annotated[Optional[str], typer.Argument(help="The ID of the draft to rewrite.", show_default=False)] = None,
    file: Annotated[
        Optional[Path],
        typer.Option("--file", "-f", help="Rewrite a local draft instead (.html, or .txt of plain paragraphs, in "
                     "UTF-8); no WordPress needed.", show_default=False),
    ] = None,
    title: Annotated[Optional[str], typer.Option(help="With --file: the draft's title (default: the file name).",
                                                 show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Call the model and show the result; write nothing "
                                          "to WordPress.")] = False,
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Also write the article's markup to "
                                                   "this file (a new file, unless --overwrite).",
                                                   show_default=False)] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="With --output: replace the file if it exists "
                                            "(never the draft file itself).")] = False,
    site_name: OneSiteOption = None,
    as_json: JsonOption = False,
) -> None:
    """Rewrite one draft into an SEO article and save it back as a draft (or try it on a --file)."""
    from .bridge import rewrite_post, rewrite_source
    from .journal import Journal, default_journal_path
    from .wordpress.site import connect

    state.as_json = as_json
    if (post_id is None) == (file is None):
        fail(BridgeError("Give either a POST_ID or --file, not both or neither.",
                         hint="`wp-seo-bridge rewrite 42` or `wp-seo-bridge rewrite --file draft.txt`."), code=2)
    post_id = post_id_argument(post_id)
    title = text_option(title, "--title")
    if output is not None:  # before anything is spent: the article must have somewhere to go
        from .output_file import check_output

        try:
            check_output(output, source=file, overwrite=overwrite)
        except InputError as exc:
            fail(exc, code=2)
    try:
        if file is not None:
            settings = settings_or_exit(require_site=False, site=site_name)
            text = read_draft(file)
            report = rewrite_source(text, title or file.stem.replace("-", " ").replace("_", " "), settings,
                                    source_name=f"The file {file}")
        else:
            settings = settings_or_exit(site=site_name)
            with connect(settings) as site, Journal(settings.journal.path or default_journal_path()) as journal:
                if as_json:
                    report = rewrite_post(site, post_id, journal=journal, dry_run=dry_run)
                else:
                    with console.status(f"Rewriting post {post_id} with {text_for_terminal(settings.model.name)}..."):
                        report = rewrite_post(site, post_id, journal=journal, dry_run=dry_run)
    except BridgeError as exc:
        fail(exc)
    written_to, output_error = None, None
    if output is not None and report.accepted:
        from .output_file import write_output

        try:
            written_to = write_output(output, report.content, overwrite=overwrite)
        except InputError as exc:
            output_error = exc
    if as_json:
        from .report_json import error_dict, report_dict

        data = report_dict(report)
        data["output_file"] = str(written_to) if written_to is not None else None
        if output_error is not None:  # one document: the rewrite's report, with the error that followed it
            data.update(error_dict(output_error))
        print_json(data)
    else:
        from .output import print_report

        print_report(console, report, diff=dry_run or file is not None, dry_run=dry_run)
        if written_to is not None:
            errors.print(f"Wrote the article's markup to {text_for_terminal(written_to)}.", highlight=False)
        elif output_error is not None:
            print_error(errors, output_error.message, output_error.hint)
    if not report.accepted or output_error is not None:
        raise typer.Exit(1)


LimitOption = Annotated[Optional[int], typer.Option("--limit", min=1, metavar="N", show_default=False,
                                                    help="Process at most N posts (in each round, for watch).")]
ConcurrencyOption = Annotated[Optional[int], typer.Option("--concurrency", min=1, max=32, show_default=False,
                                                          help="Posts in flight, 1 to 32 (default: sync.concurrency).")]
MaxCostOption = Annotated[Optional[float], typer.Option("--max-cost", min=0, show_default=False,
                                                        help="Start no new post once the run's cost reaches this "
                                                        "amount (default: sync.max_cost_per_run).")]
SiteOption = Annotated[Optional[str], typer.Option("--site", show_default=False,
                                                   help="Only this site of the configuration (default: every one, "
                                                   "in turn).")]


@app.command()
def sync(
    limit: LimitOption = None,
    post: Annotated[Optional[list[str]], typer.Option("--post", metavar="ID", show_default=False,
                                                      help="Only this post (repeat for several).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what would be processed and what is skipped, "
                                          "and why; no model call, nothing written.")] = False,
    force: Annotated[bool, typer.Option("--force", help="With --post: rewrite it even if the bridge already "
                                        "rewrote it.")] = False,
    concurrency: ConcurrencyOption = None,
    max_cost: MaxCostOption = None,
    site: SiteOption = None,
    as_json: JsonOption = False,
) -> None:
    """Rewrite every draft that needs it, once, several at a time, within a budget (for cron).

    Exit codes: 0 all fine or nothing to do (also when another sync of the site is running), 1 some \
posts failed or need attention, 2 a configuration or connection error before any post.
    """
    from .cli_sync import run_sync_command, sync_options

    state.as_json = as_json
    options = sync_options(limit=limit, posts=post, dry_run=dry_run, force=force, concurrency=concurrency,
                           max_cost=max_cost, site=site)
    run_sync_command(console, options, as_json=as_json)


@app.command()
def watch(
    interval: Annotated[Optional[float], typer.Option("--interval", show_default=False,
                                                      help="Seconds from the start of one sync to the next "
                                                      "(default: sync.interval_seconds, 300).")] = None,
    limit: LimitOption = None,
    concurrency: ConcurrencyOption = None,
    max_cost: MaxCostOption = None,
    site: SiteOption = None,
    listen: Annotated[Optional[str], typer.Option("--listen", metavar="[HOST:]PORT", show_default=False,
                                                  help="Also receive WordPress's notifications of saved drafts at "
                                                  "POST /notify on this address (HOST default 127.0.0.1), and "
                                                  "process each draft once it has been quiet for "
                                                  "sync.min_age_minutes.")] = None,
) -> None:
    """Sync again and again (a service), until SIGTERM or Ctrl-C: posts in flight are finished first.

    With --listen, drafts are also processed as they are saved: the secret WordPress signs its notifications \
with comes from WP_SEO_BRIDGE_NOTIFY_SECRET (or WP_SEO_BRIDGE_SITES_<NAME>_NOTIFY_SECRET for one site).
    """
    from .cli_sync import run_watch_command, sync_options

    options = sync_options(limit=limit, concurrency=concurrency, max_cost=max_cost, site=site, trigger="watch")
    if listen is not None:
        from .cli_notify import run_listen_command

        run_listen_command(console, options, interval=interval, listen=listen)
    run_watch_command(console, options, interval=interval)


@app.command()
def analyze(
    post_id: Annotated[Optional[str], typer.Argument(help="The ID of a post to analyse.", show_default=False)] = None,
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="Analyse a local draft instead (UTF-8).",
                                                 show_default=False)] = None,
    keyphrase: Annotated[Optional[str], typer.Option("--keyphrase", "-k", help="Focus keyphrase (default: the post's "
                                                     "SEO field).", show_default=False)] = None,
    site_name: OneSiteOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show Yoast's SEO and readability checks for a post or a file, with the overall lights."""
    from .draft_analysis import analyze_post, analyze_text

    state.as_json = as_json
    if (post_id is None) == (file is None):
        fail(BridgeError("Give either a POST_ID or --file, not both or neither.",
                         hint="`wp-seo-bridge analyze 42` or `wp-seo-bridge analyze --file draft.html`."), code=2)
    post_id = post_id_argument(post_id)
    keyphrase = text_option(keyphrase, "--keyphrase")
    try:
        if file is not None:
            analysis = analyze_text(read_draft(file), keyphrase=keyphrase or "")
        else:
            from .wordpress.site import connect  # not for a local file: it starts faster without the client

            with connect(settings_or_exit(site=site_name)) as site:
                analysis = analyze_post(site, post_id, keyphrase)
    except BridgeError as exc:
        fail(exc)
    if as_json:
        from .report_json import analysis_dict

        print_json(analysis_dict(analysis))
        return
    from .output import print_analysis

    print_analysis(console, analysis)


@app.command()
def restore(
    post_id: Annotated[str, typer.Argument(help="The ID of a post the bridge rewrote.")],
    force: Annotated[bool, typer.Option("--force", help="Restore even if the post was changed after the bridge's "
                                        "rewrite, replacing those changes.")] = False,
    site_name: OneSiteOption = None,
) -> None:
    """Put a rewritten post back as it was before its latest saved rewrite (text, slug, status, SEO fields).

    Refused when the post was changed after that rewrite (the changed fields are named), unless --force.
    """
    from .journal import Journal, default_journal_path
    from .restore import restore_post
    from .wordpress.site import connect

    post_id = post_id_argument(post_id)
    settings = settings_or_exit(site=site_name)
    try:
        with connect(settings) as site, Journal(settings.journal.path or default_journal_path()) as journal:
            post = restore_post(site, post_id, journal, force=force)
    except BridgeError as exc:
        fail(exc)
    console.print(f"[green]Restored post {post.id} ({text_for_terminal(post.title)}) as {post.status!r}.[/]",
                  highlight=False)


@app.command()
def history(
    post: Annotated[Optional[str], typer.Option("--post", help="What the bridge did to this post over time: its "
                                                "runs, model calls and kept originals.", show_default=False)] = None,
    run: Annotated[Optional[str], typer.Option("--run", help="The posts of this sync run.", show_default=False)] = None,
    site: Annotated[Optional[str], typer.Option("--site", help="Only this site (its name in the configuration).",
                                                show_default=False)] = None,
    limit: Annotated[Optional[str], typer.Option("--limit", help="Show at most this many runs (with --post: rows of "
                                                 "each kind). \\[default: 20]", show_default=False)] = None,
    as_json: JsonOption = False,
) -> None:
    """Show what the bridge did, when, and at what cost: the latest sync runs, a run's posts, or a post's history.

    Reads the journal only (never WordPress or the model). A cost is "unknown" when the model's prices are not \
configured (\\[model] input_price_per_million, output_price_per_million).
    """
    from .history_output import DEFAULT_LIMIT, history_dict, positive_option, print_history, read_history, site_keys
    from .journal import default_journal_path

    state.as_json = as_json
    post_id = post_id_argument(post)
    try:
        run_id = positive_option(run, "--run")
        limit_n = positive_option(limit, "--limit") or DEFAULT_LIMIT
        if post_id is not None and run_id is not None:
            raise InputError("Give --post or --run, not both.",
                             hint="`history --run N` lists the run's posts; `history --post ID` a post's history.")
        site = text_option(site, "--site")
        settings = settings_or_exit(require_site=False)
        found = read_history(settings.journal.path or default_journal_path(), sites=site_keys(settings, site),
                             post_id=post_id, run_id=run_id, limit=limit_n)
    except BridgeError as exc:
        fail(exc, code=2)
    if as_json:
        print_json(history_dict(found))
    else:
        print_history(console, found)


@app.command()
def demo(
    keep: Annotated[Optional[Path], typer.Option("--keep", metavar="DIR", show_default=False,
                                                 help="Build the site in DIR and keep it when the demo stops; the "
                                                 "same command starts it again, with its posts.")] = None,
    max_cost: MaxCostOption = None,
) -> None:
    """Try the bridge on a private, throwaway WordPress: sample drafts, doctor, and a real sync with your model.

    The site runs on 127.0.0.1 from the Debian packages `bash scripts/install.sh --demo` installs, under a \
temporary folder, until Ctrl-C; then everything is removed. Without a model configured (OPENAI_API_KEY, or \
OPENAI_BASE_URL for a local server such as Ollama), the demo does everything that needs no model and says \
what to set.
    """
    from .cli_demo import run_demo_command

    run_demo_command(console, keep=keep, max_cost=max_cost)
