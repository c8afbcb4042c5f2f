"""What the guards share: the finding, the article's text units with their locations, normalisers."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from dataclasses import dataclass

from ..article import Article
from ..content import Document, Placeholder, TextBlock
from ..html_text import html_to_text
from ..shortcodes import without_tokens


@dataclass(frozen=True)
class Finding:
    """One problem in a rewrite, worded for a person and for a repair request to the model."""

    #: "fact:number", "fact:quote", "fact:name", "link", "markup" or "language".
    guard: str
    #: The offending item: "45 %", "« nous gagnerons »", "Emmanuel Macron", "https://evil.test/x", "<script>", "en".
    item: str
    #: Where it is: 'section "Une aide qui change de nature", paragraph 2', "SEO title", "meta description"...
    where: str
    #: Plain English, for the repair request.
    message: str


@dataclass(frozen=True)
class Unit:
    """A piece of the article's text, with its location."""

    where: str
    #: Plain text (no markup), entities decoded.
    text: str
    #: "title", "seo_title", "meta_description", "excerpt", "heading", "paragraph", "item", "quote", "citation".
    kind: str
    #: The inline markup the text came from ("" for the plain fields).
    html: str = ""


SPACES = re.compile(r"[\u00a0\u202f\u2007\u2008\u2009\u200a\u2002\u2003\u3000]")
APOSTROPHES = re.compile(r"[’‘ʼ`´]")


def normalize_spaces(text: str) -> str:
    """No-break and thin spaces as plain spaces, typographic apostrophes as ``'``."""
    return APOSTROPHES.sub("'", SPACES.sub(" ", text))


def strip_accents(text: str) -> str:
    """Without accents, case kept (``États`` -> ``Etats``); ligatures spelt out.

    Not the analyzer's ``match_key`` (which also lowers the case and straightens apostrophes).
    """
    if text.isascii():
        return text
    return _strip_accents(text)


@lru_cache(maxsize=16384)
def _strip_accents(text: str) -> str:
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def html_text(markup: str) -> str:
    """The words of a text block's markup, without shortcode tokens (they stand for kept shortcodes)."""
    return " ".join(without_tokens(html_to_text(markup)).split())


def shorten(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def article_units(article: Article) -> list[Unit]:
    """Every piece of text of the article the guards check: title fields, then the body in order.

    Placeholders (kept byte for byte from the draft) are skipped.
    """
    units = [
        Unit("title", article.title, "title"),
        Unit("SEO title", article.seo_title, "seo_title"),
        Unit("meta description", article.meta_description, "meta_description"),
        Unit("excerpt", article.excerpt, "excerpt"),
    ]
    units = [u for u in units if u.text.strip()]
    return units + text_units(article.blocks)


def text_units(blocks) -> list[Unit]:
    """The text of ``blocks`` (an article's or a draft's), one unit per paragraph, heading, list item, quote, citation.

    Placeholders (kept byte for byte) are skipped.
    """
    units: list[Unit] = []
    for where, block in body_blocks(blocks):
        if block.kind == "heading":
            units.append(Unit(where, html_text(block.html), "heading", block.html))
        elif block.kind == "paragraph":
            units.append(Unit(where, html_text(block.html), "paragraph", block.html))
        elif block.kind == "list":
            for index, item in enumerate(block.items, 1):
                units.append(Unit(f"{where}, item {index}", html_text(item), "item", item))
        else:
            units.append(Unit(where, html_text(block.html), "quote", block.html))
            if block.citation:
                units.append(Unit(f"{where}, citation", html_text(block.citation), "citation", block.citation))
    return [u for u in units if u.text]


def body_blocks(blocks) -> list[tuple[str, TextBlock]]:
    """The text blocks with their location: 'heading "..."', 'section "...", paragraph 2', 'introduction, list 1'."""
    located: list[tuple[str, TextBlock]] = []
    section: str | None = None
    counts: dict[str, int] = {}
    for block in blocks:
        if isinstance(block, Placeholder) or not isinstance(block, TextBlock):
            continue
        if block.kind == "heading":
            section = html_text(block.html)
            counts = {}
            located.append((f'heading "{section}"', block))
            continue
        counts[block.kind] = counts.get(block.kind, 0) + 1
        prefix = f'section "{section}"' if section is not None else "introduction"
        located.append((f"{prefix}, {block.kind} {counts[block.kind]}", block))
    return located


def source_parts(source: Document, source_title: str = "") -> list[str]:
    """The draft's text, one string per block (title first), placeholders' visible text included."""
    parts = [" ".join(source_title.split())] if source_title.strip() else []
    for block in source.blocks:
        if isinstance(block, Placeholder):
            text = html_to_text(block.markup)
        else:
            text = " ".join(
                p for p in (html_text(block.html), *(html_text(i) for i in block.items), html_text(block.citation)) if p
            )
        if text:
            parts.append(text)
    return parts
