"""The file ``rewrite --output`` writes the article's markup to: checked before anything is spent, and
written without ever losing a file.

- :func:`check_output` runs before any model call: the path must be a file in an existing, writable
  folder; never the draft it was read from; and not an existing file unless ``--overwrite``.
- :func:`write_output` writes a new file only if none appeared meanwhile, and replaces an existing
  one (``--overwrite``) in one step, so that an interruption leaves it whole.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .errors import InputError


def check_output(output: str | Path, *, source: Path | None = None, overwrite: bool = False) -> Path:
    """``output`` made absolute, or an :class:`InputError` saying why the article cannot be written there."""
    path = Path(output).expanduser()
    shown = repr(str(output))
    if str(output).endswith(("/", os.sep)) or path.is_dir():
        raise InputError(f"--output {shown} is a folder; it must be the path of the file to write.",
                         hint=f"Name the file, e.g. --output {os.path.join(str(output), 'article.html')!r}.")
    folder = path.parent
    if not folder.is_dir():
        raise InputError(f"--output {shown}: the folder {str(folder)!r} does not exist.",
                         hint="Create the folder first, or choose a file in an existing folder.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"--output {shown}: the folder {str(folder)!r} is not writable.",
                         hint="Choose a file in a folder you may write to.")
    if source is not None and _same_file(path, source.expanduser()):
        raise InputError(f"--output {shown} is the draft file itself; writing there would replace the draft.",
                         hint="Choose another file name for the article, e.g. article.html.")
    if path.exists() or path.is_symlink():
        if not path.is_file():
            raise InputError(f"--output {shown} exists and is not a regular file.",
                             hint="Choose the path of a new file.")
        if not overwrite:
            raise InputError(f"--output {shown} already exists; it was not replaced.",
                             hint="Choose a new file name, or add --overwrite to replace that file.")
    return path.absolute()


def write_output(output: str | Path, text: str, *, overwrite: bool = False) -> Path:
    """Write ``text`` (UTF-8) to ``output``; an :class:`InputError` if it cannot be done."""
    path = Path(output).expanduser()
    data = text.encode("utf-8")
    try:
        if not overwrite:
            with open(path, "xb") as handle:  # fails if a file appeared since the check
                handle.write(data)
            return path.absolute()
        _replace(path.resolve(), data)
    except FileExistsError:
        raise InputError(f"--output {str(output)!r} appeared while the article was being written; it was not "
                         "replaced.", hint="Choose a new file name, or add --overwrite to replace that file.") from None
    except OSError as exc:
        raise InputError(f"Cannot write --output {str(output)!r}: {exc.strerror or exc}.",
                         hint="Choose a writable path.") from None
    return path.absolute()


def _replace(path: Path, data: bytes) -> None:
    """Replace ``path`` by a file holding ``data`` at once (a temporary file renamed over it), keeping its mode."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == other.resolve() or (one.exists() and other.exists() and os.path.samefile(one, other))
    except OSError:
        return False
