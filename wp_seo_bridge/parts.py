"""A long draft split into parts, each rewritten by one model call; and the article put back together.

The draft is cut only between blocks, never inside one: a kept element (a
:class:`~wp_seo_bridge.content.Placeholder`) or a token inside a text block stays in the part
whose blocks hold it. Cuts go before the highest-level headings first; a section still over the
budget is cut before its subheadings, then between paragraphs (a heading always stays with the
block that follows it). Pieces are then packed into parts of similar size, each within the budget
unless a single block is longer than the budget on its own.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from .article import Article, ArticleProposal, MetadataProposal, PartProposal, assemble
from .content import Block, Document, Format, Placeholder, TextBlock, count_words
from .link_attributes import draft_links
from .shortcodes import TOKEN


@dataclass(frozen=True)
class Part:
    """A run of consecutive blocks of the draft."""

    #: 0 for the first part (the one holding the introduction).
    index: int
    blocks: tuple[Block, ...]
    format: Format
    #: The draft's shortcodes whose tokens are in this part's text, by token reference.
    shortcodes: Mapping[str, str] = field(default_factory=dict)

    @property
    def document(self) -> Document:
        return Document(self.format, self.blocks, self.shortcodes)

    @property
    def words(self) -> int:
        return _words(self.blocks)

    @property
    def placeholders(self) -> dict[str, Placeholder]:
        return self.document.placeholders

    @property
    def starts_with_heading(self) -> bool:
        return bool(self.blocks) and _is_heading(self.blocks[0])


def split_document(document: Document, max_words: int) -> list[Part]:
    """The parts of ``document``, each of at most ``max_words`` words where block boundaries allow."""
    blocks = list(document.blocks)
    if _words(blocks) <= max_words:
        return [Part(0, tuple(blocks), document.format, dict(document.shortcodes))]
    pieces = _pieces(blocks, max_words)
    remaining = _words(blocks)
    count = math.ceil(remaining / max_words)
    packed: list[list[Block]] = []
    current: list[Block] = []
    for piece in pieces:
        words, piece_words = _words(current), _words(piece)
        # The size that shares what is left evenly among the parts still to fill.
        target = remaining / max(1, count - len(packed))
        # Close the part when the piece would not fit, or would take it further from that size.
        if words and piece_words and (
            words + piece_words > max_words or abs(words + piece_words - target) > abs(words - target)
        ):
            packed.append(current)
            remaining -= words
            current = []
        current = current + piece
    if current:
        packed.append(current)
    return [
        Part(index, tuple(part), document.format, _shortcodes_in(part, document.shortcodes))
        for index, part in enumerate(packed)
    ]


def _pieces(blocks: list[Block], budget: int) -> list[list[Block]]:
    """``blocks`` cut into pieces within ``budget``: at headings, highest level first, else between blocks."""
    if _words(blocks) <= budget:
        return [blocks]
    for level in sorted({b.level for b in blocks[1:] if _is_heading(b)}):
        cuts = [i for i, b in enumerate(blocks) if i > 0 and _is_heading(b) and b.level <= level]
        if cuts:
            bounds = [0, *cuts, len(blocks)]
            return [
                piece
                for start, end in zip(bounds, bounds[1:])
                for piece in _pieces(blocks[start:end], budget)
            ]
    # No heading left to cut at: one piece per block, each heading glued to the block after it.
    pieces: list[list[Block]] = []
    for block in blocks:
        if pieces and _is_heading(pieces[-1][-1]):
            pieces[-1].append(block)
        else:
            pieces.append([block])
    return pieces


def _shortcodes_in(blocks: list[Block], shortcodes: Mapping[str, str]) -> dict[str, str]:
    """The shortcodes whose tokens stand in these blocks' text."""
    refs = {
        match.group(1)
        for b in blocks if isinstance(b, TextBlock)
        for text in (b.html, *b.items, b.citation)
        for match in TOKEN.finditer(text)
    }
    return {ref: code for ref, code in shortcodes.items() if ref in refs}


def _is_heading(block: Block) -> bool:
    return isinstance(block, TextBlock) and block.kind == "heading"


def _words(blocks) -> int:
    return sum(count_words(b.text) for b in blocks if isinstance(b, TextBlock))


# -- the article put back together ----------------------------------------------------------------


#: What each part's article reports about its own placeholders and tokens; the article has them all.
_PER_PART = (
    "restored_placeholders", "unknown_placeholders", "restored_shortcodes", "duplicated_shortcodes",
    "unknown_shortcodes", "model_shortcodes",
)


@dataclass(frozen=True)
class AssembledParts:
    article: Article
    proposal: ArticleProposal
    #: Each part's own article: its blocks, with its lost placeholders put back within the part.
    pieces: tuple[Article, ...]


def assemble_parts(
    metadata: MetadataProposal, answers: list[PartProposal], parts: list[Part], document: Document
) -> AssembledParts:
    """One article from the metadata answer and each part's answer, in order.

    Each part keeps its own placeholders and shortcode tokens: one the model lost goes back near
    its place in the part, and one of another part is ignored (reported as unknown). Links get the
    attributes of the whole draft's links.
    """
    links = draft_links(document)
    fields = metadata.model_dump()
    pieces = tuple(
        assemble(ArticleProposal(**fields, sections=answer.sections), part.document, links=links)
        for part, answer in zip(parts, answers, strict=True)
    )
    article = replace(
        pieces[0],
        blocks=tuple(block for piece in pieces for block in piece.blocks),
        shortcodes=dict(document.shortcodes),
        **{name: tuple(ref for piece in pieces for ref in getattr(piece, name)) for name in _PER_PART},
    )
    proposal = ArticleProposal(**fields, sections=[section for answer in answers for section in answer.sections])
    return AssembledParts(article, proposal, pieces)
