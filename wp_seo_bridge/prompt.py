"""The prompt: the editorial rules as a system message, and the draft as delimited data.

The draft travels as JSON between two markers carrying a random nonce, so that text inside a
draft cannot close the data block and pass itself off as instructions. So do the editor's focus
keyphrase and the post's tags, which authors set too: the system message only refers to them. A site may replace the
built-in rules with its own template file (``rewrite.prompt_template``), using the same
``$variables``.
"""

from __future__ import annotations

import json
import secrets
from importlib.resources import files
from pathlib import Path
from string import Template

from .config import RewriteSettings
from .content import Document, Placeholder, count_words
from .errors import ConfigError
from .shortcodes import label as shortcode_label
from .text_files import read_text

LANGUAGE_NAMES = {
    "fr": "French", "en": "English", "es": "Spanish", "de": "German", "it": "Italian", "pt": "Portuguese",
    "nl": "Dutch", "pl": "Polish", "sv": "Swedish", "da": "Danish", "nb": "Norwegian", "fi": "Finnish",
}


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code.split("-")[0], code)


def template_text(settings: RewriteSettings) -> str:
    if settings.prompt_template is None:
        return _builtin("system.txt")
    return read_text(Path(settings.prompt_template), what="Prompt template", error=ConfigError,
                     expected="a UTF-8 text file (.txt)")


def build_messages(
    settings: RewriteSettings,
    title: str,
    document: Document,
    keyphrase: str | None = None,
    tags: tuple[str, ...] = (),
) -> list[dict[str, str]]:
    """The chat messages for one rewrite. ``keyphrase`` (the editor's) is imposed; ``tags`` guide the choice.

    Both go into the data block with the draft, never into the system message: check them first
    (:func:`wp_seo_bridge.keyphrase.editor_guidance`).
    """
    begin, end = _markers()
    values = {
        **_common_values(settings),
        "min_words": settings.min_words,
        "keyphrase_rule": keyphrase_rule(keyphrase, tags),
        "begin_marker": begin,
        "end_marker": end,
    }
    system = _fill(template_text(settings), values)
    draft: dict[str, object] = {"title": title, **_guidance(keyphrase, tags)}
    draft["blocks"] = [_describe(block) for block in document.blocks]
    draft.update(_tokens(document))
    return _messages(system, draft, begin, end)


def build_part_messages(
    settings: RewriteSettings,
    title: str,
    part: Document,
    *,
    number: int,
    count: int,
    outline: list[tuple[int, str]],
    keyphrase: str,
    starts_with_heading: bool,
) -> list[dict[str, str]]:
    """The chat messages for part ``number`` (from 1) of ``count`` of a long draft, with its keyphrase.

    The keyphrase travels in the data block, like the draft (it may be the editor's).
    """
    begin, end = _markers()
    if number == 1:
        position = (
            "Your part is the beginning of the article: its first section is the introduction, without a heading "
            "(heading null), and the focus keyphrase appears in its first paragraph."
        )
    elif starts_with_heading:
        position = "Your part continues the article: no introduction; start with the part's first heading."
    else:
        position = (
            "Your part continues a section of the previous part: its first section has no heading (heading null); "
            "then follow the part's own headings."
        )
    values = {
        **_common_values(settings),
        "part_number": number,
        "part_count": count,
        "part_words": part.word_count(),
        "position_rule": position,
        "begin_marker": begin,
        "end_marker": end,
    }
    system = _fill(_builtin("part.txt"), values)
    data = {
        "title": title,
        "part": number,
        "parts": count,
        "focus_keyphrase": keyphrase,
        "outline": [{"level": level, "text": text} for level, text in outline],
        "blocks": [_describe(block) for block in part.blocks],
        **_tokens(part),
    }
    return _messages(system, data, begin, end)


def build_metadata_messages(
    settings: RewriteSettings,
    title: str,
    document: Document,
    keyphrase: str | None = None,
    tags: tuple[str, ...] = (),
    *,
    opening_words: int = 300,
) -> list[dict[str, str]]:
    """The short call for a long draft's title, SEO title, meta description, keyphrase, slug and excerpt.

    It sends the draft's outline and its opening (the first ``opening_words`` words), not the whole
    draft; the editor's keyphrase or the post's tags go with them, in the data block.
    """
    begin, end = _markers()
    values = {
        **_common_values(settings),
        "keyphrase_rule": keyphrase_rule(keyphrase, tags),
        "begin_marker": begin,
        "end_marker": end,
    }
    system = _fill(_builtin("metadata.txt"), values)
    opening, words = [], 0
    for block in document.blocks:
        if words >= opening_words:
            break
        if not isinstance(block, Placeholder):
            opening.append(_describe(block))
            words += count_words(block.text)
    data = {
        "title": title,
        **_guidance(keyphrase, tags),
        "words": document.word_count(),
        "outline": [{"level": b.level, "text": b.html} for b in document.text_blocks if b.kind == "heading"],
        "opening": opening,
    }
    return _messages(system, data, begin, end)


def keyphrase_rule(keyphrase: str | None, tags: tuple[str, ...]) -> str:
    """The keyphrase rule of the system message; it only refers to the data block's keyphrase or tags."""
    if keyphrase:
        return ' Use exactly the "focus_keyphrase" given with the draft: it is the editor\'s choice.'
    if tags:
        return ' Take it from one of the "tags" given with the draft when one fits the article; else from its main topic.'
    return " Choose it from the draft's main topic."


def _guidance(keyphrase: str | None, tags: tuple[str, ...]) -> dict[str, object]:
    if keyphrase:
        return {"focus_keyphrase": keyphrase}
    if tags:
        return {"tags": list(tags)}
    return {}


def _tokens(document: Document) -> dict[str, object]:
    """What each shortcode token stands for, by name only: the model never sees a shortcode itself."""
    if not document.shortcodes:
        return {}
    return {"tokens": {f"[[{ref}]]": shortcode_label(code) for ref, code in document.shortcodes.items()}}


def _markers() -> tuple[str, str]:
    nonce = secrets.token_hex(6)
    return f"<<<DRAFT {nonce}>>>", f"<<<END OF DRAFT {nonce}>>>"


def _common_values(settings: RewriteSettings) -> dict[str, object]:
    return {
        "language_name": language_name(settings.language),
        "max_section_words": settings.max_section_words,
        "max_paragraph_words": settings.max_paragraph_words,
        "tone": settings.tone,
        "instructions": f"Editorial instructions from the site: {settings.instructions}\n" if settings.instructions else "",
    }


def _builtin(name: str) -> str:
    return files("wp_seo_bridge").joinpath(f"prompts/{name}").read_text(encoding="utf-8")


def _fill(template: str, values: dict[str, object]) -> str:
    try:
        return Template(template).substitute(values)
    except (KeyError, ValueError) as exc:
        raise ConfigError(
            f"The prompt template has an unknown or malformed variable: {exc}.",
            hint=f"Variables: {', '.join('$' + k for k in values)}; write $$ for a literal $.",
        ) from None


def _messages(system: str, data: dict, begin: str, end: str) -> list[dict[str, str]]:
    user = f"{begin}\n{json.dumps(data, ensure_ascii=False, indent=1)}\n{end}"
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def _describe(block) -> dict:
    if isinstance(block, Placeholder):
        return {"type": "placeholder", "ref": block.ref, "what": block.label}
    if block.kind == "heading":
        return {"type": "heading", "level": block.level, "text": block.html}
    if block.kind == "list":
        return {"type": "list", "ordered": block.ordered, "items": list(block.items)}
    if block.kind == "quote":
        return {"type": "quote", "text": block.html, "citation": block.citation}
    return {"type": "paragraph", "text": block.html}


def repair_request(reasons: tuple[str, ...] | list[str], subject: str = "the whole article") -> str:
    """The follow-up message asking the model to fix what the gate found in ``subject``."""
    points = "\n".join(reason if reason.startswith("- ") else f"{n}. {reason}" for n, reason in _numbered(reasons))
    return (
        "Your article does not meet these requirements:\n"
        f"{points}\n\n"
        f"Write {subject} again as JSON in the same schema, fixing every point above and keeping "
        "everything else. The rules of the first message still apply: no fact, link or quote that the draft "
        "does not contain."
    )


def _numbered(reasons):
    number = 0
    for reason in reasons:
        if not reason.startswith("- "):
            number += 1
        yield number, reason
