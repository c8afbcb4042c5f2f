"""A post's body as the bridge sees it: text blocks (for the model) and kept elements (never shown to it).

A :class:`TextBlock` holds sanitised inline markup; a shortcode inside its text stands there as a
token (``[[SC-1]]``, see :mod:`.shortcodes`). A :class:`Placeholder` holds the exact markup of an
element the bridge keeps (images, galleries, embeds, tables, shortcodes, custom blocks), which is
put back byte for byte, or sanitised when the draft's markup held something executable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from .draft_markup import Removed
from .html_text import html_to_text
from .shortcodes import without_tokens

Format = Literal["blocks", "classic", "plain"]


@dataclass(frozen=True)
class Layouts:
    """The layout containers whose text became the article's own blocks: ``str()`` gives "2 group blocks"."""

    counts: tuple[tuple[str, int], ...] = ()

    def add(self, label: str) -> Layouts:
        counts = dict(self.counts)
        counts[label] = counts.get(label, 0) + 1
        return Layouts(tuple(counts.items()))

    def __bool__(self) -> bool:
        return bool(self.counts)

    def __len__(self) -> int:
        return sum(count for _, count in self.counts)

    def __str__(self) -> str:
        return ", ".join(f"{count} {name}s" if count > 1 else f"1 {name}" for name, count in self.counts)

    def as_dict(self) -> dict[str, int]:
        return dict(self.counts)

    def notice(self, where: str) -> str:
        """What the person running the bridge is told; ``where`` says where the original layout stays."""
        its = "its" if len(self) == 1 else "their"
        return (
            f"The layout of {self} was not kept: {its} text was rewritten, {its} images and other elements kept in "
            f"order. The original, layout included, stays {where}."
        )


@dataclass(frozen=True)
class TextBlock:
    """Text the model rewrites. ``html`` is sanitised inline markup (links, emphasis)."""

    kind: Literal["paragraph", "heading", "list", "quote"]
    html: str = ""
    level: int = 0
    items: tuple[str, ...] = ()
    ordered: bool = False
    citation: str = ""

    @property
    def text(self) -> str:
        """The words, without markup or shortcode tokens."""
        parts = [self.html, *self.items, self.citation]
        return " ".join(" ".join(without_tokens(html_to_text(p)).split()) for p in parts if p).strip()


@dataclass(frozen=True)
class Placeholder:
    """Markup the model never sees or changes; ``render()`` puts it back exactly."""

    ref: str
    markup: str
    label: str

    @property
    def token(self) -> str:
        return f"[[{self.ref}]]"


Block = TextBlock | Placeholder


@dataclass(frozen=True)
class Document:
    format: Format
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    #: The shortcodes inside sentences, by token reference ("SC-1" -> ``[footnote]…[/footnote]``).
    shortcodes: Mapping[str, str] = field(default_factory=dict)
    #: What was removed from the draft's markup because it could run in a browser.
    removed: Removed = Removed()
    #: The layout containers gone into: their text is text blocks here, their markup is not kept.
    layouts: Layouts = Layouts()

    @property
    def placeholders(self) -> dict[str, Placeholder]:
        return {b.ref: b for b in self.blocks if isinstance(b, Placeholder)}

    @property
    def text_blocks(self) -> list[TextBlock]:
        return [b for b in self.blocks if isinstance(b, TextBlock)]

    def word_count(self) -> int:
        return sum(count_words(b.text) for b in self.text_blocks)

    def body_word_count(self) -> int:
        """Words of the text, headings aside: what :meth:`Article.word_count` counts of a rewrite, so that a
        draft's words and its rewrite's compare."""
        return sum(count_words(b.text) for b in self.text_blocks if b.kind != "heading")

    def plain_text(self) -> str:
        return "\n".join(b.text for b in self.text_blocks)


def count_words(text: str) -> int:
    """Words as an editor counts them: tokens with a letter or a digit (``l’Ukraine`` is one)."""
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))
