"""The text of a piece of HTML: the one conversion every part of the bridge uses.

Inline markup joins its text without a space (``l’<strong>aide</strong>`` reads ``l’aide``);
block-level elements and ``<br>`` separate words; scripts, styles, ``noscript`` and templates
have no text. Entities are decoded and whitespace is folded to single spaces.
"""

from __future__ import annotations

from bs4 import BeautifulSoup

#: Elements whose content is never text a reader sees.
_INVISIBLE = ("script", "style", "noscript", "template")
#: Elements that end a run of words: their text never runs on into the next element's.
_SEPARATING = (
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "img", "li", "main", "nav", "ol", "p",
    "pre", "section", "summary", "table", "td", "th", "tr", "ul",
)


def html_to_text(markup: str) -> str:
    """The visible words of ``markup``, whitespace folded (titles, paragraphs, captions, whole kept elements)."""
    if "<" not in markup and "&" not in markup:
        return " ".join(markup.split())
    soup = BeautifulSoup(markup, "html.parser")
    if "<" in markup:
        for element in soup.find_all(_INVISIBLE):
            element.decompose()
        for element in soup.find_all(_SEPARATING):
            element.insert_before(" ")
            element.insert_after(" ")
    return " ".join(soup.get_text("").split())
