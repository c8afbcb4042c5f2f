"""How the ``wp-seo-bridge`` command ends: errors, ``--json`` error documents, interruptions, exit codes.

The commands in :mod:`wp_seo_bridge.cli` report the errors they expect with :func:`fail`;
:func:`run_app` is the last resort around them, for a mistyped command line (exit code 2), an
interruption (130) and an error nobody expected (70, its traceback in a log file). With ``--json``,
stdout holds exactly one JSON document whatever happens, an error's included.

Only light modules are imported here: the command line imports this one before any command runs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn, Optional

import typer
from rich.console import Console

from .errors import BridgeError, ConfigError, InputError
from .output import print_error
from .safe_text import text_for_terminal

#: Where the commands print errors and progress, apart from their result.
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


def run_app(app: typer.Typer) -> NoReturn:
    """Run ``app`` on the command line's arguments and exit. An error nobody expected prints one line,
    never a traceback: the traceback goes to a log file, whose path is printed (see :mod:`.error_log`).

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
        from .report_json import error_dict

        ctx = getattr(exc, "ctx", None)
        command = ctx.command_path if ctx is not None else "wp-seo-bridge"
        print_json(error_dict(InputError(exc.format_message(), hint=f"See `{command} --help`.")))
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
        from .report_json import error_dict

        print_json(error_dict(BridgeError(message, hint=hint), type="Interrupted"))
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
        print_json({"error": {"type": "UnexpectedError", "message": summary, "hint": where,
                              "log": str(log_path) if log_path else None}})
    else:
        errors.print(f"[bold red]Error:[/] {text_for_terminal(summary)} {text_for_terminal(where)}", highlight=False)
    sys.exit(UNEXPECTED_EXIT_CODE)


def print_json(data: dict) -> None:
    """Print ``data`` as the command's one JSON document."""
    from .report_json import to_json

    typer.echo(to_json(data))
    state.printed_json = True


def fail(error: BridgeError, code: int | None = None) -> NoReturn:
    """Report ``error`` (as JSON with ``--json``) and exit with ``code``: by default 2 for bad input or
    configuration, 1 for anything else."""
    if code is None:
        code = 2 if isinstance(error, (ConfigError, InputError)) else 1
    if state.as_json:
        if not state.printed_json:
            from .report_json import error_dict

            print_json(error_dict(error))
    else:
        print_error(errors, error.message, error.hint)
    raise typer.Exit(code)
