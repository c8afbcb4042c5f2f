"""Where the gate's objections to a long draft's article go back to: which part, or the metadata call.

The gate judges the assembled article; a repair re-asks only the calls its reasons point to:

- a guard's finding in the title, SEO title, meta description or excerpt goes to the metadata call;
- a finding located in the body (``section "X", paragraph 2``), or whose item is in a part's
  rewritten text, goes to that part; a missing fact (``fact:missing``), or any item found only in
  the draft, goes to the first part whose draft text holds it;
- a reason about kept elements (``KEEP-3``) or shortcode tokens (``[[SC-2]]``) goes to the part
  holding them;
- a reason about a numbered paragraph goes to the part holding it; one quoting text (a section's
  heading, the SEO title or the slug) goes to the part, or the metadata call, holding that text;
- a Yoast check behind a low rating goes to the metadata call when it judges the title, meta
  description, slug or keyphrase; otherwise to the parts that fail that check on their own text
  (the keyphrase in the introduction: the first part), with the part's own figures;
- anything else concerns the whole body and goes to every part.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .analysis import Analysis, Assessment, Paper, analyze
from .article import Article
from .content import TextBlock, render
from .gate import Verdict
from .guards import Finding
from .guards._common import body_blocks, html_text, normalize_spaces, source_parts
from .parts import Part

#: Where a guard locates a finding in the fields the metadata call writes.
METADATA_PLACES = {"title", "SEO title", "meta description", "excerpt", "focus keyphrase", "slug"}
#: Yoast checks of the fields the metadata call writes.
METADATA_CHECKS = {
    "keyphrase_length", "keyphrase_function_words", "keyphrase_in_meta_description", "meta_description_length",
    "keyphrase_in_title", "title_width", "keyphrase_in_slug",
}
_REF = re.compile(r"\b(?:KEEP|SC)-\d+\b")
_QUOTED = re.compile(r'"([^"]{3,})"')
#: The gate numbers paragraphs over the whole article: "Paragraph 26 (...) has 240 words".
_PARAGRAPH = re.compile(r"Paragraph (\d+) \(")


@dataclass
class Routes:
    """The points to fix, per call: the metadata call, and parts by index."""

    metadata: list[str] = field(default_factory=list)
    parts: dict[int, list[str]] = field(default_factory=dict)

    def to_metadata(self, *reasons: str) -> None:
        self.metadata += [r for r in reasons if r not in self.metadata]

    def to_part(self, index: int, *reasons: str) -> None:
        points = self.parts.setdefault(index, [])
        points += [r for r in reasons if r not in points]

    def __bool__(self) -> bool:
        return bool(self.metadata or self.parts)


def route_reasons(verdict: Verdict, article: Article, pieces: tuple[Article, ...], parts: list[Part]) -> Routes:
    """Each reason of ``verdict`` sent to the call(s) that can fix it."""
    locate = _Locator(article, pieces, parts)
    routes = Routes()
    for finding in verdict.findings:
        targets = locate.finding(finding)
        for index in targets:
            if index is None:
                routes.to_metadata(finding.message)
            else:
                routes.to_part(index, finding.message)
    from_findings = Counter(f.message for f in verdict.findings)
    reasons = list(verdict.reasons)
    checks = {f"- {a.text}": a for a in verdict.analysis.assessments}
    header = ""
    for position, reason in enumerate(reasons):
        if from_findings[reason]:
            from_findings[reason] -= 1
            continue
        if reason.startswith("- ") and reason in checks:
            _route_check(routes, locate, header, checks[reason])
            continue
        if position + 1 < len(reasons) and reasons[position + 1].startswith("- "):
            header = reason  # "The SEO rating is bad; ... Fix these points:"
            continue
        for index, text in locate.reason(reason):
            if index is None:
                routes.to_metadata(text)
            else:
                routes.to_part(index, text)
    return routes


def _route_check(routes: Routes, locate: _Locator, header: str, check: Assessment) -> None:
    if check.id in METADATA_CHECKS:
        routes.to_metadata(header, f"- {check.text}")
        return
    if check.id == "keyphrase_in_introduction":
        routes.to_part(0, header, f"- {check.text}")
        return
    failing = [(index, own) for index, own in enumerate(locate.own_checks(check.id)) if own and own.rating != "good"]
    for index, own in failing:
        routes.to_part(index, header, f"- {own.text}")
    if not failing:
        for index in range(len(locate.parts)):
            routes.to_part(index, header, f"- {check.text}")


class _Locator:
    """Finds which part (an index) or the metadata call (None) a finding or reason is about."""

    def __init__(self, article: Article, pieces: tuple[Article, ...], parts: list[Part]) -> None:
        self.article = article
        self.pieces = pieces
        self.parts = parts
        owners = [index for index, piece in enumerate(pieces) for b in piece.blocks if isinstance(b, TextBlock)]
        self.paragraph_owners = [index for index, piece in enumerate(pieces) for b in piece.blocks
                                 if isinstance(b, TextBlock) and b.kind == "paragraph"]
        self.places = [(where, owner) for (where, _), owner in zip(body_blocks(article.blocks), owners, strict=True)]
        self.rewritten = [_norm(" ".join(html_text(b.html) + " " + " ".join(map(html_text, b.items))
                                         for b in piece.blocks if isinstance(b, TextBlock))) for piece in pieces]
        self.drafted = [_norm(" ".join(source_parts(part.document))) for part in parts]
        self._own_analyses: list[Analysis] | None = None

    @property
    def everywhere(self) -> list[int]:
        return list(range(len(self.parts)))

    def finding(self, finding: Finding) -> list[int | None]:
        if finding.where in METADATA_PLACES:
            return [None]
        item = _norm(finding.item)
        if finding.guard.startswith("fact:missing"):
            return self._in_draft(item) or self.everywhere
        placed = sorted({owner for where, owner in self.places if finding.where == where
                         or finding.where.startswith(where + ",")})
        if placed:
            return list(placed)
        return self._in_rewrite(item) or self._in_draft(item) or self.everywhere

    def reason(self, reason: str) -> list[tuple[int | None, str]]:
        refs = _REF.findall(reason)
        if refs:
            routed = []
            for index, (part, piece) in enumerate(zip(self.parts, self.pieces, strict=True)):
                own = [ref for ref in refs if ref in part.placeholders or ref in part.shortcodes
                       or ref in piece.unknown_placeholders or f"[[{ref}]]" in piece.unknown_shortcodes]
                if own and len(own) < len(set(refs)):
                    routed.append((index, f"{reason} (In your part: {', '.join(own)}.)"))
                elif own:
                    routed.append((index, reason))
            if routed:
                return routed
        numbered = _PARAGRAPH.match(reason)
        if numbered and int(numbered.group(1)) <= len(self.paragraph_owners):
            return [(self.paragraph_owners[int(numbered.group(1)) - 1], reason)]
        metadata = {_norm(text) for text in (self.article.title, self.article.seo_title,
                                              self.article.meta_description, self.article.slug_suggestion,
                                              self.article.excerpt) if text}
        for quoted in _QUOTED.findall(reason):
            text = _norm(quoted.removesuffix("...").removesuffix("…"))
            if text in metadata:
                return [(None, reason)]
            found = self._in_rewrite(text)
            if found:
                return [(index, reason) for index in found]
        return [(index, reason) for index in self.everywhere]

    def own_checks(self, check_id: str) -> list[Assessment | None]:
        """Each part's own result for a Yoast check, on its own text."""
        if self._own_analyses is None:
            keyphrase = self.article.focus_keyphrase
            self._own_analyses = [analyze(Paper(render(p.blocks, "blocks"), keyphrase)) for p in self.pieces]
        return [analysis.get(check_id) for analysis in self._own_analyses]

    def _in_rewrite(self, item: str) -> list[int]:
        return [index for index, text in enumerate(self.rewritten) if item and item in text]

    def _in_draft(self, item: str) -> list[int]:
        return [index for index, text in enumerate(self.drafted) if item and item in text][:1]


def _norm(text: str) -> str:
    return " ".join(normalize_spaces(text).lower().split())
