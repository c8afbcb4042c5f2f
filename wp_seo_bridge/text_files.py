"""Reading the text files a user gives the bridge: a draft (``--file``), the configuration, a prompt template.

Each must be UTF-8 text. Anything else (Latin-1 or Windows-1252 text, a binary file, a folder, a
file that cannot be read) is an error that names the file and what is wrong with it, raised as
the caller's error class: :class:`~wp_seo_bridge.errors.InputError` for a draft,
:class:`~wp_seo_bridge.errors.ConfigError` for the configuration and templates.
"""

from __future__ import annotations

from pathlib import Path

from .errors import BridgeError, InputError

#: Bytes that never occur in a text file; one of them means a binary file (an image, a PDF, an archive...).
_BINARY_MARKERS = (b"\x00",)


#: Byte-order marks of the Unicode encodings other than UTF-8, longest first (UTF-32's begins like UTF-16's).
_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32", "utf-32"), (b"\x00\x00\xfe\xff", "UTF-32", "utf-32"),
    (b"\xff\xfe", "UTF-16", "utf-16"), (b"\xfe\xff", "UTF-16", "utf-16"),
)


def read_text(
    path: Path | str, *, what: str = "File", error: type[BridgeError] = InputError, expected: str = "a UTF-8 text file"
) -> str:
    """The UTF-8 text of ``path`` (a leading byte-order mark is dropped).

    ``what`` names the file in messages ("Draft file", "Configuration file"...); ``expected`` says what
    it should be ("a UTF-8 text file: .txt or .html").
    """
    shown = repr(str(path))
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise error(f"{what} {shown} is a folder, not a file.", hint="Give the path of a file.") from None
    except OSError as exc:
        raise error(f"Cannot read {what.lower()} {shown}: {exc.strerror or exc}.",
                    hint="Check the path and the file's permissions.") from None
    for bom, name, codec in _OTHER_BOMS:
        if data.startswith(bom):
            raise error(
                f"{what} {shown} is {name} text (it starts with a {name} byte-order mark); the bridge reads UTF-8 only.",
                hint=f"Save it as UTF-8 (in an editor: Save as, encoding UTF-8), or convert it: "
                f"iconv -f {codec} -t utf-8 {shown} > converted-file",
            )
    if any(marker in data for marker in _BINARY_MARKERS):
        raise error(
            f"{what} {shown} is not a text file (it contains binary data).",
            hint=f"Give {expected}, not a word-processor document, PDF or image.",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise error(
            f"{what} {shown} is not UTF-8 text: byte 0x{data[exc.start]:02x} at line {line}, column {column} "
            "is not valid UTF-8 (the file is probably Latin-1 or Windows-1252).",
            hint=f"Save it as UTF-8 (in an editor: Save as, encoding UTF-8), or convert it: "
            f"iconv -f latin1 -t utf-8 {shown} > converted-file",
        ) from None
