"""The ``wp-seo-bridge`` command: a thin layer over the library, holding no business logic.

Each command imports the parts of the library it uses when it runs, so that commands that need
no model (``--version``, ``companion-plugin``, ``analyze --file``, ``drafts``) start without
loading the ``openai`` SDK or the rewrite pipeline.
"""

from __future__ import annotations

import logging
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional

import typer
from rich.console import Console
from rich.logging import RichHandler

from . import __version__
from .errors import BridgeError, ConfigError, InputError
from .output import print_error
from .safe_text import text_for_terminal

if TYPE_CHECKING:
    from .config import Settings

app = typer.Typer(
    help="Rewrite WordPress drafts into review-ready French SEO articles. Never publishes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True)

#: Exit code for an error the bridge did not expect (a bug, or something it does not handle yet).
UNEXPECTED_EXIT_CODE = 70
#: Exit code when the command was interrupted (Ctrl-C), as shells use for SIGINT.
INTERRUPTED_EXIT_CODE = 130


class State:
    config_path: Optional[Path] = None
    verbose: bool = False
    #: The running command prints JSON (``--json``): errors are printed as JSON too.
    as_json: bool = False
    #: A JSON document was printed: with ``--json``, stdout holds exactly one, so no other may follow.
    printed_json: bool = False


state = State()

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
    """The ``wp-seo-bridge`` command. An error nobody expected prints one line, never a traceback:
    the traceback goes to a log file, whose path is printed (see :mod:`.error_log`).

    With ``--json`` anywhere on the command line, every error is one JSON document on stdout, a
    mistyped option or value included (exit code 2), and so is an interruption (exit code 130).
    """
    args = sys.argv[1:]
    # Before the command has parsed its own options (a usage error), the command line says it all.
    state.as_json = "--json" in args
    exceptions = _click_exceptions()
    try:
        code = app(args=args, prog_name="wp-seo-bridge", standalone_mode=False)
    except exceptions.ClickException as exc:
        _usage_error(exc)
    except (KeyboardInterrupt, typer.Abort):
        code = INTERRUPTED_EXIT_CODE
    except Exception as exc:  # the last resort: everything expected is a BridgeError, handled in the commands
        _unexpected(exc)
    if code == INTERRUPTED_EXIT_CODE:  # typer turns Ctrl-C into an exit with this code
        _interrupted()
    sys.exit(code if isinstance(code, int) else 0)


def _click_exceptions():
    """Click's exceptions module: typer's own copy of click where it ships one, else click."""
    try:
        from typer._click import exceptions
    except ImportError:  # typer releases that depend on click
        from click import exceptions  # type: ignore[no-redef]
    return exceptions


def _usage_error(exc: Exception) -> NoReturn:
    """A mistyped command, option or value: click's message, as JSON with ``--json``."""
    code = getattr(exc, "exit_code", 2)
    if type(exc).__name__ == "NoArgsIsHelpError":  # the help was printed
        sys.exit(code)
    if state.as_json:
        ctx = getattr(exc, "ctx", None)
        command = ctx.command_path if ctx is not None else "wp-seo-bridge"
        _print_json(error_json(InputError(exc.format_message(), hint=f"See `{command} --help`.")))
    else:
        try:
            from typer.rich_utils import rich_format_error

            rich_format_error(exc)
        except ImportError:
            exc.show()
    sys.exit(code)


def _interrupted() -> NoReturn:
    message = "Interrupted before the command finished."
    hint = ("Run the command again. A rewrite that was interrupted may have been saved or not: "
            "`wp-seo-bridge drafts` and the post's revisions in WordPress show its state.")
    if state.as_json and not state.printed_json:
        _print_json(error_json(BridgeError(message, hint=hint), type="Interrupted"))
    elif not state.as_json:
        errors.print(f"[bold red]{message}[/]", highlight=False)
    sys.exit(INTERRUPTED_EXIT_CODE)


def _unexpected(exc: Exception) -> NoReturn:
    from .error_log import one_line, write_error_log

    log_path = write_error_log(exc)
    summary = f"Unexpected error ({one_line(exc)})."
    where = (f"Details are in {log_path}; please report it with that file." if log_path else
             "Run the command again with --verbose to see what it was doing.")
    if state.as_json and not state.printed_json:
        _print_json({"error": {"type": "UnexpectedError", "message": summary, "hint": where,
                               "log": str(log_path) if log_path else None}})
    else:
        errors.print(f"[bold red]Error:[/] {text_for_terminal(summary)} {text_for_terminal(where)}", highlight=False)
    sys.exit(UNEXPECTED_EXIT_CODE)


def error_json(error: BridgeError, **changes: object) -> dict:
    from .report_json import error_dict

    data = error_dict(error)
    data["error"].update(changes)
    return data


def _print_json(data: dict) -> None:
    """Print ``data`` as the command's one JSON document."""
    from .report_json import to_json

    typer.echo(to_json(data))
    state.printed_json = True


def _settings(*, require_site: bool = True) -> Settings:
    from .config import load_config

    try:
        return load_config(state.config_path, require_site=require_site)
    except ConfigError as exc:
        _fail(exc, code=2)


def _fail(error: BridgeError, code: int | None = None) -> NoReturn:
    """Report ``error`` (as JSON with ``--json``) and exit with ``code``: by default 2 for bad input or
    configuration, 1 for anything else."""
    if code is None:
        code = 2 if isinstance(error, (ConfigError, InputError)) else 1
    if state.as_json:
        if not state.printed_json:
            _print_json(error_json(error))
    else:
        print_error(errors, error.message, error.hint)
    raise typer.Exit(code)


def _read_draft(file: Path) -> str:
    from .text_files import read_text

    try:
        return read_text(file, what="Draft file", error=InputError, expected="a draft as a UTF-8 text file: .txt or .html")
    except InputError as exc:
        _fail(exc, code=2)


def _post_id(value: str | None) -> int | None:
    """A post ID from the command line: a positive whole number, or a bad-input error (exit code 2)."""
    if value is None:
        return None
    text = value.strip()
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        _fail(InputError(f"The post ID must be a positive whole number (got {text_for_terminal(value)!r}).",
                         hint="Post IDs are shown by `wp-seo-bridge drafts`, or in WordPress's address bar "
                         "when editing a post (post=42)."), code=2)
    return int(text)


def _text_option(value: str | None, option: str) -> str | None:
    """A text given on the command line; one that is not valid UTF-8 is refused, naming the option."""
    if value is not None:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            _fail(InputError(f"The value of {option} is not valid UTF-8 text.",
                             hint="Type it again in a UTF-8 terminal."), code=2)
    return value


@app.command()
def doctor(as_json: JsonOption = False) -> None:
    """Check the site, the credentials, the companion plugin, the SEO plugin and the model endpoint."""
    from .config import load_config
    from .doctor import Status, all_passed, run_checks
    from .output import print_check

    state.as_json = as_json
    try:
        settings, config_error = load_config(state.config_path), None
    except ConfigError as exc:
        settings, config_error = None, exc
    results = []
    for result in run_checks(settings, config_error):
        results.append(result)
        if not as_json:
            print_check(console, result)
    passed = all_passed(results)
    if as_json:
        from .report_json import checks_dict

        _print_json(checks_dict(results, passed))
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
        _fail(BridgeError(f"Cannot write {output}: {exc.strerror}.", hint="Choose a writable path."))
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
    as_json: JsonOption = False,
) -> None:
    """List the drafts and pending posts the bridge would work on (the configured filters apply)."""
    from itertools import islice

    from .output import print_drafts
    from .wordpress.site import connect

    state.as_json = as_json
    settings = _settings()
    try:
        with connect(settings) as site:
            query = site.draft_query([s.value for s in status] if status else None)
            posts = list(islice(site.list_drafts(query), limit))
    except BridgeError as exc:
        _fail(exc)
    if as_json:
        from .report_json import drafts_dict

        _print_json(drafts_dict(posts))
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
    as_json: JsonOption = False,
) -> None:
    """Rewrite one draft into an SEO article and save it back as a draft (or try it on a --file)."""
    from .bridge import rewrite_post, rewrite_source
    from .journal import Journal, default_journal_path
    from .wordpress.site import connect

    state.as_json = as_json
    if (post_id is None) == (file is None):
        _fail(BridgeError("Give either a POST_ID or --file, not both or neither.",
                          hint="`wp-seo-bridge rewrite 42` or `wp-seo-bridge rewrite --file draft.txt`."), code=2)
    post_id = _post_id(post_id)
    title = _text_option(title, "--title")
    if output is not None:  # before anything is spent: the article must have somewhere to go
        from .output_file import check_output

        try:
            check_output(output, source=file, overwrite=overwrite)
        except InputError as exc:
            _fail(exc, code=2)
    try:
        if file is not None:
            settings = _settings(require_site=False)
            text = _read_draft(file)
            report = rewrite_source(text, title or file.stem.replace("-", " ").replace("_", " "), settings,
                                    source_name=f"The file {file}")
        else:
            settings = _settings()
            with connect(settings) as site, Journal(settings.journal.path or default_journal_path()) as journal:
                if as_json:
                    report = rewrite_post(site, post_id, journal=journal, dry_run=dry_run)
                else:
                    with console.status(f"Rewriting post {post_id} with {text_for_terminal(settings.model.name)}..."):
                        report = rewrite_post(site, post_id, journal=journal, dry_run=dry_run)
    except BridgeError as exc:
        _fail(exc)
    written_to, output_error = None, None
    if output is not None and report.accepted:
        from .output_file import write_output

        try:
            written_to = write_output(output, report.content, overwrite=overwrite)
        except InputError as exc:
            output_error = exc
    if as_json:
        from .report_json import report_dict

        data = report_dict(report)
        data["output_file"] = str(written_to) if written_to is not None else None
        if output_error is not None:  # one document: the rewrite's report, with the error that followed it
            data.update(error_json(output_error))
        _print_json(data)
    else:
        from .output import print_report

        print_report(console, report, diff=dry_run or file is not None, dry_run=dry_run)
        if written_to is not None:
            errors.print(f"Wrote the article's markup to {text_for_terminal(written_to)}.", highlight=False)
        elif output_error is not None:
            print_error(errors, output_error.message, output_error.hint)
    if not report.accepted or output_error is not None:
        raise typer.Exit(1)


@app.command()
def analyze(
    post_id: Annotated[Optional[str], typer.Argument(help="The ID of a post to analyse.", show_default=False)] = None,
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="Analyse a local draft instead (UTF-8).",
                                                 show_default=False)] = None,
    keyphrase: Annotated[Optional[str], typer.Option("--keyphrase", "-k", help="Focus keyphrase (default: the post's "
                                                     "SEO field).", show_default=False)] = None,
    as_json: JsonOption = False,
) -> None:
    """Show Yoast's SEO and readability checks for a post or a file, with the overall lights."""
    from .draft_analysis import analyze_post, analyze_text

    state.as_json = as_json
    if (post_id is None) == (file is None):
        _fail(BridgeError("Give either a POST_ID or --file, not both or neither.",
                          hint="`wp-seo-bridge analyze 42` or `wp-seo-bridge analyze --file draft.html`."), code=2)
    post_id = _post_id(post_id)
    keyphrase = _text_option(keyphrase, "--keyphrase")
    try:
        if file is not None:
            analysis = analyze_text(_read_draft(file), keyphrase=keyphrase or "")
        else:
            from .wordpress.site import connect  # not for a local file: it starts faster without the client

            with connect(_settings()) as site:
                analysis = analyze_post(site, post_id, keyphrase)
    except BridgeError as exc:
        _fail(exc)
    if as_json:
        from .report_json import analysis_dict

        _print_json(analysis_dict(analysis))
        return
    from .output import print_analysis

    print_analysis(console, analysis)


@app.command()
def restore(
    post_id: Annotated[str, typer.Argument(help="The ID of a post the bridge rewrote.")],
    force: Annotated[bool, typer.Option("--force", help="Restore even if the post was changed after the bridge's "
                                        "rewrite, replacing those changes.")] = False,
) -> None:
    """Put a rewritten post back as it was before its latest saved rewrite (text, slug, status, SEO fields).

    Refused when the post was changed after that rewrite (the changed fields are named), unless --force.
    """
    from .journal import Journal, default_journal_path
    from .restore import restore_post
    from .wordpress.site import connect

    post_id = _post_id(post_id)
    settings = _settings()
    try:
        with connect(settings) as site, Journal(settings.journal.path or default_journal_path()) as journal:
            post = restore_post(site, post_id, journal, force=force)
    except BridgeError as exc:
        _fail(exc)
    console.print(f"[green]Restored post {post.id} ({text_for_terminal(post.title)}) as {post.status!r}.[/]",
                  highlight=False)
