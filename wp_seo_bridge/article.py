"""The article: what the model proposes (validated JSON), and the markup the bridge builds from it.

The model never writes markup. It returns sections of typed blocks; the bridge turns them into
Gutenberg blocks (or classic HTML), sanitises every piece of inline markup, and puts each
placeholder back byte for byte: one the model placed goes where it placed it, one it lost goes
back near its original position, and none is ever dropped or duplicated.

Shortcodes inside sentences travel as tokens (``[[SC-1]]``) and get the same care: each stands
exactly once, a lost or mangled one goes back into the text near its original position, a
repeated one is kept once, and a shortcode the model wrote itself is shown as text, never run.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from . import shortcodes
from .content import Block, Document, Placeholder, TextBlock, count_words, render, sanitize_inline
from .html_text import html_to_text
from .link_attributes import DraftLinks, draft_links, with_draft_attributes
from .safe_text import text_for_wordpress

log = logging.getLogger(__name__)


class _Answer(BaseModel):
    """A piece of the model's answer. Its text is cleaned as it is read of what is never written to a post
    (control characters, escape sequences, invisible format characters such as bidirectional overrides), so
    that the gate judges exactly the text that would be written."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _written_text(cls, value: object) -> object:
        if isinstance(value, str):
            return text_for_wordpress(value, multiline=True)
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return [text_for_wordpress(item, multiline=True) for item in value]
        return value


class ProposedBlock(_Answer):
    """One block of the model's answer. Unused fields are null."""

    type: Literal["paragraph", "list", "quote", "placeholder"]
    #: Paragraph or quote text; inline <strong>, <em> and the source's <a href> only (the bridge sets
    #: a link's other attributes from the draft).
    text: str | None = None
    items: list[str] | None = None
    ordered: bool | None = None
    citation: str | None = None
    #: For a placeholder: its reference, e.g. "KEEP-3".
    ref: str | None = None


class ProposedSection(_Answer):
    #: None only for the introduction (the first section).
    heading: str | None = None
    level: Literal[2, 3] = 2
    blocks: list[ProposedBlock] = Field(default_factory=list)


class ArticleProposal(_Answer):
    """The model's answer for one draft."""

    title: str
    seo_title: str
    meta_description: str
    focus_keyphrase: str
    slug: str
    excerpt: str
    sections: list[ProposedSection]


class MetadataProposal(_Answer):
    """The model's answer for the fields describing a long draft rewritten in parts."""

    title: str
    seo_title: str
    meta_description: str
    focus_keyphrase: str
    slug: str
    excerpt: str


class PartProposal(_Answer):
    """The model's answer for one part of a long draft: its sections, in order."""

    sections: list[ProposedSection]


@dataclass(frozen=True)
class Article:
    """The rewrite, ready to write back."""

    title: str
    blocks: tuple[Block, ...]
    seo_title: str
    meta_description: str
    focus_keyphrase: str
    slug_suggestion: str
    excerpt: str
    #: Placeholders the model lost and the bridge put back near their original position.
    restored_placeholders: tuple[str, ...] = ()
    #: Placeholder references the model invented (ignored).
    unknown_placeholders: tuple[str, ...] = ()
    #: The draft's shortcodes inside sentences, by token reference; ``markup()`` puts them back.
    shortcodes: Mapping[str, str] = field(default_factory=dict)
    #: Shortcode tokens the model lost or mangled, put back by the bridge near their original position.
    restored_shortcodes: tuple[str, ...] = ()
    #: Shortcode tokens the model wrote more than once (kept once).
    duplicated_shortcodes: tuple[str, ...] = ()
    #: Shortcode tokens the model invented (removed).
    unknown_shortcodes: tuple[str, ...] = ()
    #: Shortcodes the model wrote itself (shown as text, never run).
    model_shortcodes: tuple[str, ...] = ()

    def markup(self, output: Literal["blocks", "classic"]) -> str:
        return render(self.blocks, output, self.shortcodes)

    def word_count(self) -> int:
        return sum(count_words(b.text) for b in self.blocks if isinstance(b, TextBlock) and b.kind != "heading")

    def outline(self) -> list[tuple[int, str]]:
        return [(b.level, b.text) for b in self.blocks if isinstance(b, TextBlock) and b.kind == "heading"]


_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


def plain(text: str) -> str:
    """Text without any markup, whitespace folded (titles, meta description, excerpt).

    Entities are decoded, so a ``<`` that would open a tag (``&lt;img onerror=…&gt;``) is written
    back as ``&lt;``: WordPress prints titles and excerpts as HTML, and text must stay text.
    """
    return _TAG_START.sub("&lt;", html_to_text(text))


def assemble(proposal: ArticleProposal, source: Document, *, links: DraftLinks | None = None) -> Article:
    """Build the article from the model's proposal, with every placeholder of ``source`` exactly once.

    ``links``: the draft links whose attributes the article's links get (default: ``source``'s; a part
    of a long draft passes the whole draft's).
    """
    available = source.placeholders
    links = draft_links(source) if links is None else links
    placed: set[str] = set()
    unknown: list[str] = []
    blocks: list[Block] = []
    for section in proposal.sections:
        if section.heading and plain(section.heading):
            blocks.append(TextBlock("heading", _inline(section.heading, links), level=section.level))
        for proposed in section.blocks:
            block = _block(proposed, available, placed, unknown, links)
            if block is not None:
                blocks.append(block)
    restored = [ref for ref in available if ref not in placed]
    for ref in restored:
        _put_back(blocks, available[ref], source)
    if restored:
        log.warning("The model lost %s; put back near the original position.", ", ".join(restored))
    tokens = _Tokens(source.shortcodes)
    blocks = [tokens.checked(block) for block in blocks]
    lost_tokens = [ref for ref in source.shortcodes if ref not in tokens.placed]
    for ref in lost_tokens:
        _put_back_token(blocks, ref, source)
    if lost_tokens:
        log.warning("The model lost the shortcode tokens %s; put back in the text.", ", ".join(lost_tokens))
    return Article(
        title=plain(proposal.title),
        blocks=tuple(blocks),
        seo_title=plain(proposal.seo_title),
        meta_description=plain(proposal.meta_description),
        focus_keyphrase=plain(proposal.focus_keyphrase).lower(),
        slug_suggestion=plain(proposal.slug),
        excerpt=plain(proposal.excerpt),
        restored_placeholders=tuple(restored),
        unknown_placeholders=tuple(unknown),
        shortcodes=dict(source.shortcodes),
        restored_shortcodes=tuple(lost_tokens),
        duplicated_shortcodes=tuple(dict.fromkeys(tokens.duplicated)),
        unknown_shortcodes=tuple(dict.fromkeys(tokens.unknown)),
        model_shortcodes=tuple(dict.fromkeys(tokens.written)),
    )


def _inline(text: str, links: DraftLinks) -> str:
    """The model's inline markup, sanitised, its links carrying the draft's attributes."""
    return with_draft_attributes(sanitize_inline(text), links)


def _block(
    proposed: ProposedBlock, available: dict[str, Placeholder], placed: set[str], unknown: list[str], links: DraftLinks
) -> Block | None:
    if proposed.type == "placeholder":
        ref = (proposed.ref or proposed.text or "").strip().strip("[]")
        if ref not in available:
            unknown.append(ref)
            return None
        if ref in placed:
            return None  # a duplicate: each placeholder stands once
        placed.add(ref)
        return available[ref]
    if proposed.type == "list":
        items = tuple(_inline(item, links) for item in proposed.items or () if plain(item))
        return TextBlock("list", items=items, ordered=bool(proposed.ordered)) if items else None
    text = _inline(proposed.text or "", links)
    if not plain(text):
        return None
    if proposed.type == "quote":
        return TextBlock("quote", text, citation=_inline(proposed.citation or "", links))
    return TextBlock("paragraph", text)


def _put_back(blocks: list[Block], placeholder: Placeholder, source: Document) -> None:
    """Insert a lost placeholder at the same relative position it had in the source, after a text block."""
    position = source.blocks.index(placeholder) / max(1, len(source.blocks) - 1)
    index = round(position * len(blocks))
    # Never between a heading and its first paragraph.
    while 0 < index < len(blocks) and isinstance(blocks[index - 1], TextBlock) and blocks[index - 1].kind == "heading":
        index += 1
    # Kept elements stay in the draft's order: after every earlier one, before every later one.
    order = {b.ref: i for i, b in enumerate(source.blocks) if isinstance(b, Placeholder)}
    mine = order[placeholder.ref]
    kept = [(i, order.get(b.ref, -1)) for i, b in enumerate(blocks) if isinstance(b, Placeholder)]
    low = max((i + 1 for i, o in kept if o < mine), default=0)
    high = min((i for i, o in kept if o > mine), default=len(blocks))
    if low <= high:
        index = min(max(index, low), high)
    blocks.insert(min(index, len(blocks)), placeholder)


class _Tokens:
    """Checks the shortcode tokens of the model's text blocks, in order: each known one kept once."""

    def __init__(self, known: Mapping[str, str]) -> None:
        self.known = known
        self.placed: set[str] = set()
        self.duplicated: list[str] = []
        self.unknown: list[str] = []
        self.written: list[str] = []

    def checked(self, block: Block) -> Block:
        if isinstance(block, Placeholder):
            return block
        return replace(
            block, html=self._text(block.html), items=tuple(self._text(i) for i in block.items),
            citation=self._text(block.citation),
        )

    def _text(self, html: str) -> str:
        if "[" not in html:
            return html
        # Inside a tag, brackets are never a shortcode nor a token: an attribute cannot hold one.
        html = _TAG.sub(lambda tag: tag.group(0).replace("[", "&#91;"), html)
        parts, cursor = [], 0
        for match in shortcodes.in_text(shortcodes.SHORTCODE, html):
            parts += [html[cursor : match.start()], self._one(match.group(0))]
            cursor = match.end()
        if not parts:
            return html
        return re.sub(r" +(?=[.,])", "", re.sub(r"  +", " ", "".join(parts) + html[cursor:])).strip()

    def _one(self, found: str) -> str:
        exact = shortcodes.TOKEN.fullmatch(found)
        mangled = shortcodes.MANGLED_TOKEN.fullmatch(found)
        if exact and exact.group(1) in self.known:
            ref = exact.group(1)
            if ref in self.placed:
                self.duplicated.append(ref)
                return ""
            self.placed.add(ref)
            return found
        if exact or mangled:
            ref = (exact or mangled).group(1)
            if ref not in self.known:
                self.unknown.append(shortcodes.token(ref))
            return ""  # a mangled or misplaced token: the shortcode goes back where it belongs
        # A shortcode of the model's own: shown as text, never run by WordPress.
        self.written.append(found[:60])
        return "&#91;" + found[1:]


_TAG = re.compile(r"<[a-zA-Z/](?:[^>\"']|\"[^\"]*\"|'[^']*')*>")


def _put_back_token(blocks: list[Block], ref: str, source: Document) -> None:
    """Put a lost token back into the text block nearest its original position, before final punctuation."""
    token = shortcodes.token(ref)
    origin = next(
        (i for i, b in enumerate(source.blocks) if isinstance(b, TextBlock) and token in " ".join((b.html, *b.items, b.citation))),
        0,
    )
    position = origin / max(1, len(source.blocks) - 1)
    candidates = [i for i, b in enumerate(blocks) if isinstance(b, TextBlock) and b.kind != "heading"]
    if not candidates:
        blocks.append(TextBlock("paragraph", token))
        return
    index = min(candidates, key=lambda i: abs(i / max(1, len(blocks) - 1) - position))
    block = blocks[index]
    if block.kind == "list":
        blocks[index] = replace(block, items=(*block.items[:-1], _before_final_stop(block.items[-1], token)))
    else:
        blocks[index] = replace(block, html=_before_final_stop(block.html, token))


def _before_final_stop(html: str, token: str) -> str:
    stripped = html.rstrip()
    if stripped.endswith((".", "!", "?", "…")) and not stripped.endswith(".."):
        return f"{stripped[:-1]} {token}{stripped[-1]}"
    return f"{stripped} {token}"
