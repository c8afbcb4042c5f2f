"""The quality gate: a rewrite is accepted only if all of its checks pass.

It checks the language, the length and structure, that the model placed every kept element
itself, the Yoast-style SEO and readability ratings, the facts (nothing the draft lacks), the
links, and what markup the model tried to write. Each failure is a sentence in plain words,
precise enough to send back to the model as a repair request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .analysis import Analysis, Paper, analyze
from .article import Article, ArticleProposal
from .config import Settings
from .content import Document, TextBlock, count_words
from .guards import Finding, check_facts, check_fields, check_language, check_links, check_model_markup
from .shortcodes import label as shortcode_label
from .slug import content_words

RATING_ORDER = {"bad": 0, "ok": 1, "good": 2}
#: Yoast checks the model cannot fix without adding links or images the draft does not have.
_NEEDS_NEW_MATERIAL = {"outbound_links", "internal_links", "images", "image_alt_keyphrase"}
_SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+){2,5}$")
MAX_SEO_TITLE_CHARS = 60


@dataclass(frozen=True)
class Verdict:
    passed: bool
    #: Each failure in plain words, as sent back to the model.
    reasons: tuple[str, ...]
    analysis: Analysis
    findings: tuple[Finding, ...] = ()
    #: True when the only failures are kept elements or shortcode tokens the model lost or
    #: repeated, which the bridge put right itself: worth a repair, but acceptable as a last resort.
    only_restored_placeholders: bool = False


def analyze_article(article: Article, markup: str, slug: str, site_url: str) -> Analysis:
    return analyze(
        Paper(
            text=markup,
            keyphrase=article.focus_keyphrase,
            title=article.seo_title,
            description=article.meta_description,
            slug=slug,
            site_url=site_url,
        )
    )


def sections(article: Article) -> list[tuple[str, int]]:
    """(heading, words) for each section; the introduction's heading is ""."""
    result: list[tuple[str, int]] = [("", 0)]
    for block in article.blocks:
        if isinstance(block, TextBlock) and block.kind == "heading":
            result.append((block.text, 0))
        elif isinstance(block, TextBlock):
            heading, words = result[-1]
            result[-1] = (heading, words + count_words(block.text))
    return [s for s in result if s[0] or s[1]]


def judge(
    article: Article,
    proposal: ArticleProposal,
    source: Document,
    settings: Settings,
    *,
    markup: str,
    slug: str,
    site_url: str = "",
    source_title: str = "",
) -> Verdict:
    """Everything that keeps ``article`` from being written, or nothing."""
    rewrite, quality = settings.rewrite, settings.quality
    reasons: list[str] = []

    findings: list[Finding] = []
    if quality.check_language:
        findings += check_language(article, rewrite.language)

    words = article.word_count()
    if words < rewrite.min_words:
        reasons.append(
            f"The article has {words} words of body text; it needs at least {rewrite.min_words}. Expand it with "
            "explanation and context drawn from the draft, never with new facts."
        )
    outline = article.outline()
    if not outline:
        reasons.append("The article has no subheadings: divide it into sections with informative level-2 subheadings.")
    for heading, section_words in sections(article):
        if section_words > rewrite.max_section_words:
            where = f'The section "{heading}"' if heading else "The introduction"
            reasons.append(
                f"{where} has {section_words} words; keep every section under {rewrite.max_section_words} words "
                "by splitting it with a subheading."
            )
    for index, block in enumerate(b for b in article.blocks if isinstance(b, TextBlock) and b.kind == "paragraph"):
        paragraph_words = count_words(block.text)
        if paragraph_words > rewrite.max_paragraph_words:
            reasons.append(
                f'Paragraph {index + 1} ("{block.text[:60]}...") has {paragraph_words} words; keep paragraphs '
                f"under {rewrite.max_paragraph_words} words."
            )

    restorable: list[str] = []
    if article.restored_placeholders:
        lost = ", ".join(f"{ref} ({source.placeholders[ref].label})" for ref in article.restored_placeholders)
        restorable.append(f"These placeholders are missing from your answer: {lost}. Place each one exactly once.")
        reasons += restorable
    if article.unknown_placeholders:
        reasons.append(
            f"These placeholders do not exist in the draft: {', '.join(article.unknown_placeholders)}. Use only the "
            "draft's placeholders."
        )
    restorable += _shortcode_reasons(article, restored_only=True)
    reasons += _shortcode_reasons(article, restored_only=True) + _shortcode_reasons(article, restored_only=False)

    if len(article.seo_title) > MAX_SEO_TITLE_CHARS:
        reasons.append(
            f'The SEO title "{article.seo_title}" has {len(article.seo_title)} characters; keep it to '
            f"{MAX_SEO_TITLE_CHARS} at most."
        )
    suggestion = article.slug_suggestion
    key_words = content_words(article.focus_keyphrase)
    if not _SLUG_PATTERN.match(suggestion) or not all(word in suggestion.split("-") for word in key_words):
        reasons.append(
            f'The slug "{suggestion}" must be 3 to 6 lower-case ASCII words separated by hyphens, without accents '
            f"or stop words, containing the keyphrase's words ({'-'.join(key_words)})."
        )

    analysis = analyze_article(article, markup, slug, site_url)
    reasons += _rating_reasons(analysis, settings, source)

    findings += check_facts(
        source, article, source_title=source_title, language=rewrite.language, require_all=quality.require_all_facts
    )
    allowed = set(quality.allowed_link_domains)
    site_host = urlsplit(site_url).hostname if site_url else None
    if site_host:
        allowed.add(site_host)
    findings += check_links(source, article, frozenset(allowed))
    findings += check_fields(proposal, source, allowed, source_title=source_title)
    findings += check_model_markup(proposal)
    reasons += [finding.message for finding in findings]
    return Verdict(
        not reasons, tuple(reasons), analysis, tuple(findings),
        only_restored_placeholders=bool(reasons) and reasons == restorable,
    )


def _shortcode_reasons(article: Article, *, restored_only: bool) -> list[str]:
    """The shortcode tokens the model lost, repeated (both put right by the bridge), invented or wrote itself."""
    reasons = []
    if restored_only:
        if article.restored_shortcodes:
            lost = ", ".join(
                f"[[{ref}]] ({shortcode_label(article.shortcodes[ref])})" for ref in article.restored_shortcodes
            )
            reasons.append(
                f"These shortcode tokens are missing from your answer: {lost}. Copy each one exactly once, unchanged, "
                "in the sentence where it belongs."
            )
        if article.duplicated_shortcodes:
            repeated = ", ".join(f"[[{ref}]]" for ref in article.duplicated_shortcodes)
            reasons.append(
                f"These shortcode tokens appear more than once in your answer: {repeated}. Write each one exactly once."
            )
        return reasons
    if article.unknown_shortcodes:
        reasons.append(
            f"These shortcode tokens do not exist in the draft: {', '.join(article.unknown_shortcodes)}. Use only the "
            "draft's tokens."
        )
    if article.model_shortcodes:
        written = ", ".join(f'"{code}"' for code in article.model_shortcodes)
        reasons.append(
            f"Your answer writes shortcodes of its own: {written}. Write no shortcode: copy the draft's tokens such "
            "as [[SC-1]] unchanged, and nothing else in square brackets."
        )
    return reasons


def _rating_reasons(analysis: Analysis, settings: Settings, source: Document) -> list[str]:
    """Yoast checks to fix when an overall rating is below the minimum (only those the model can fix)."""
    quality = settings.quality
    source_has = _source_material(source)
    reasons = []
    for group, rating, minimum in (
        ("seo", analysis.seo_rating, quality.min_seo_rating),
        ("readability", analysis.readability_rating, quality.min_readability_rating),
    ):
        if RATING_ORDER[rating] >= RATING_ORDER[minimum]:
            continue
        fixable = [
            a for a in analysis.by_group(group)
            if a.rating != "good" and (a.id not in _NEEDS_NEW_MATERIAL or a.id in source_has)
        ]
        label = "SEO" if group == "seo" else "readability"
        if fixable:
            reasons.append(f"The {label} rating is {rating}; it must be at least {minimum}. Fix these points:")
            reasons += [f"- {a.text}" for a in fixable]
    return reasons


def _source_material(source: Document) -> set[str]:
    """The Yoast link checks the model can satisfy by keeping the draft's links."""
    markup = " ".join(p.markup for p in source.placeholders.values()) + " ".join(
        b.html for b in source.text_blocks
    )
    found = set()
    if "<a " in markup:
        found |= {"outbound_links", "internal_links"}
    return found  # images come from kept elements, whose alt text the model cannot change
