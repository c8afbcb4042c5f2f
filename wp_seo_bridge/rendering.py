"""Markup for a list of blocks: Gutenberg blocks (valid for WordPress 6.1+) or classic HTML.

Kept elements go back as they are; the shortcode tokens in text are replaced by their shortcodes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from .document import Block, Placeholder, TextBlock
from .shortcodes import restore


def render(
    blocks: list[Block] | tuple[Block, ...], output: Literal["blocks", "classic"], shortcodes: Mapping[str, str] | None = None
) -> str:
    """Markup for ``blocks``; ``shortcodes`` (token reference -> shortcode) puts back the shortcodes in text."""
    codes = shortcodes or {}
    parts = [(_render_block if output == "blocks" else _render_classic)(_restored(block, codes)) for block in blocks]
    return "\n\n".join(parts) + ("\n" if output == "classic" else "")


def _restored(block: Block, codes: Mapping[str, str]) -> Block:
    if isinstance(block, Placeholder) or not codes:
        return block
    return TextBlock(
        block.kind, restore(block.html, codes), block.level, tuple(restore(i, codes) for i in block.items),
        block.ordered, restore(block.citation, codes),
    )


def _render_block(block: Block) -> str:
    if isinstance(block, Placeholder):
        return block.markup
    if block.kind == "paragraph":
        return f"<!-- wp:paragraph -->\n<p>{block.html}</p>\n<!-- /wp:paragraph -->"
    if block.kind == "heading":
        attrs = "" if block.level == 2 else f' {{"level":{block.level}}}'
        return f"<!-- wp:heading{attrs} -->\n<h{block.level}>{block.html}</h{block.level}>\n<!-- /wp:heading -->"
    if block.kind == "list":
        tag = "ol" if block.ordered else "ul"
        attrs = ' {"ordered":true}' if block.ordered else ""
        # Since WordPress 6.1 a list holds one core/list-item block per item.
        items = "\n\n".join(f"<!-- wp:list-item -->\n<li>{item}</li>\n<!-- /wp:list-item -->" for item in block.items)
        return f"<!-- wp:list{attrs} -->\n<{tag}>{items}</{tag}>\n<!-- /wp:list -->"
    cite = f"<cite>{block.citation}</cite>" if block.citation else ""
    return (
        '<!-- wp:quote -->\n<blockquote class="wp-block-quote"><!-- wp:paragraph -->\n'
        f"<p>{block.html}</p>\n<!-- /wp:paragraph -->{cite}</blockquote>\n<!-- /wp:quote -->"
    )


def _render_classic(block: Block) -> str:
    if isinstance(block, Placeholder):
        return block.markup
    if block.kind == "paragraph":
        return f"<p>{block.html}</p>"
    if block.kind == "heading":
        return f"<h{block.level}>{block.html}</h{block.level}>"
    if block.kind == "list":
        tag = "ol" if block.ordered else "ul"
        return f"<{tag}>\n" + "\n".join(f"<li>{item}</li>" for item in block.items) + f"\n</{tag}>"
    cite = f"<cite>{block.citation}</cite>" if block.citation else ""
    return f"<blockquote><p>{block.html}</p>{cite}</blockquote>"
