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
from .content import Document, Placeholder
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
        return files("wp_seo_bridge").joinpath("prompts/system.txt").read_text(encoding="utf-8")
    return read_text(Path(settings.prompt_template), what="Prompt template", error=ConfigError)


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
    nonce = secrets.token_hex(6)
    begin, end = f"<<<DRAFT {nonce}>>>", f"<<<END OF DRAFT {nonce}>>>"
    if keyphrase:
        keyphrase_rule = ' Use exactly the "focus_keyphrase" given with the draft: it is the editor\'s choice.'
    elif tags:
        keyphrase_rule = ' Take it from one of the "tags" given with the draft when one fits the article; else from its main topic.'
    else:
        keyphrase_rule = " Choose it from the draft's main topic."
    values = {
        "language_name": language_name(settings.language),
        "min_words": settings.min_words,
        "max_section_words": settings.max_section_words,
        "max_paragraph_words": settings.max_paragraph_words,
        "tone": settings.tone,
        "instructions": f"Editorial instructions from the site: {settings.instructions}\n" if settings.instructions else "",
        "keyphrase_rule": keyphrase_rule,
        "begin_marker": begin,
        "end_marker": end,
    }
    try:
        system = Template(template_text(settings)).substitute(values)
    except (KeyError, ValueError) as exc:
        raise ConfigError(
            f"The prompt template has an unknown or malformed variable: {exc}.",
            hint=f"Variables: {', '.join('$' + k for k in values)}; write $$ for a literal $.",
        ) from None
    draft: dict[str, object] = {"title": title}
    if keyphrase:
        draft["focus_keyphrase"] = keyphrase
    elif tags:
        draft["tags"] = list(tags)
    draft["blocks"] = [_describe(block) for block in document.blocks]
    if document.shortcodes:
        # What each token stands for, by name only: the model never sees a shortcode itself.
        draft["tokens"] = {f"[[{ref}]]": shortcode_label(code) for ref, code in document.shortcodes.items()}
    user = f"{begin}\n{json.dumps(draft, ensure_ascii=False, indent=1)}\n{end}"
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


def repair_request(reasons: tuple[str, ...] | list[str]) -> str:
    """The follow-up message asking the model to fix what the gate found."""
    points = "\n".join(reason if reason.startswith("- ") else f"{n}. {reason}" for n, reason in _numbered(reasons))
    return (
        "Your article does not meet these requirements:\n"
        f"{points}\n\n"
        "Write the whole article again as JSON in the same schema, fixing every point above and keeping "
        "everything else. The rules of the first message still apply: no fact, link or quote that the draft "
        "does not contain."
    )


def _numbered(reasons):
    number = 0
    for reason in reasons:
        if not reason.startswith("- "):
            number += 1
        yield number, reason
