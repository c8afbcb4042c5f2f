"""The article: what the model proposes (validated JSON), and the markup the bridge builds from it.

The model never writes markup. It returns sections of typed blocks; the bridge turns them into
Gutenberg blocks (or classic HTML), sanitises every piece of inline markup, and puts each
placeholder back byte for byte: one the model placed goes where it placed it, one it lost goes
back near its original position, and none is ever dropped or duplicated.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

from bs4 import BeautifulSoup
from pydantic import BaseModel, ConfigDict, Field

from .content import Block, Document, Placeholder, TextBlock, count_words, render, sanitize_inline
from .link_attributes import DraftLinks, draft_links, with_draft_attributes

log = logging.getLogger(__name__)


class ProposedBlock(BaseModel):
    """One block of the model's answer. Unused fields are null."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["paragraph", "list", "quote", "placeholder"]
    #: Paragraph or quote text; inline <strong>, <em> and the source's <a href> only (the bridge sets
    #: a link's other attributes from the draft).
    text: str | None = None
    items: list[str] | None = None
    ordered: bool | None = None
    citation: str | None = None
    #: For a placeholder: its reference, e.g. "KEEP-3".
    ref: str | None = None


class ProposedSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: None only for the introduction (the first section).
    heading: str | None = None
    level: Literal[2, 3] = 2
    blocks: list[ProposedBlock] = Field(default_factory=list)


class ArticleProposal(BaseModel):
    """The model's answer for one draft."""

    model_config = ConfigDict(extra="forbid")

    title: str
    seo_title: str
    meta_description: str
    focus_keyphrase: str
    slug: str
    excerpt: str
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

    def markup(self, output: Literal["blocks", "classic"]) -> str:
        return render(self.blocks, output)

    def word_count(self) -> int:
        return sum(count_words(b.text) for b in self.blocks if isinstance(b, TextBlock) and b.kind != "heading")

    def outline(self) -> list[tuple[int, str]]:
        return [(b.level, b.text) for b in self.blocks if isinstance(b, TextBlock) and b.kind == "heading"]


def plain(text: str) -> str:
    """Text without any markup, whitespace folded (titles, meta description, excerpt)."""
    return " ".join(BeautifulSoup(text, "html.parser").get_text(" ").split())


def assemble(proposal: ArticleProposal, source: Document) -> Article:
    """Build the article from the model's proposal, with every placeholder of ``source`` exactly once."""
    available = source.placeholders
    links = draft_links(source)
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
    blocks.insert(min(index, len(blocks)), placeholder)
