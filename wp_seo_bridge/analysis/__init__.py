"""Yoast SEO's analysis (free version) for French text: the same checks, scores and lights.

    from wp_seo_bridge.analysis import Paper, analyze

    result = analyze(Paper(text=html, keyphrase="aide chinoise", title="Aide chinoise à la Russie",
                           description="...", slug="aide-chinoise-russie", site_url="https://example.org"))
    result.seo_rating, result.readability_rating          # "good" / "ok" / "bad"
    for check in result.problems():                        # the orange and red checks
        print(check.id, check.text)

Each check reproduces an assessment of the ``yoastseo`` library (the analysis inside the Yoast
SEO plugin) with its thresholds and scores, for the French researcher: keyphrase matching
without word forms and with French function words ignored, French sentence splitting, French
transition words and passive voice. ``checks.py`` lists the checks and the few deliberate
differences from yoastseo; ``data/`` holds the French word lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Rating = Literal["good", "ok", "bad"]  # green / orange / red; score >= 8 good, 5-7 ok, <= 4 bad
Group = Literal["seo", "readability"]

_ORDER = {"bad": 0, "ok": 1, "good": 2}


@dataclass(frozen=True)
class Paper:
    """What is analysed (like yoastseo's Paper)."""

    #: The post body as HTML: Gutenberg block markup (its <!-- wp:... --> comments are ignored) or classic HTML.
    text: str
    keyphrase: str = ""
    #: The SEO title (as shown in search results).
    title: str = ""
    #: The meta description.
    description: str = ""
    slug: str = ""
    #: To tell internal links from outbound ones (same host = internal).
    site_url: str = ""


@dataclass(frozen=True)
class Assessment:
    #: Stable snake_case id, e.g. "keyphrase_density", "passive_voice".
    id: str
    group: Group
    #: Yoast's score for the check, 0..9 (negative Yoast scores shown as 0).
    score: int
    rating: Rating
    #: Plain English: what was found, with figures, and what to do.
    text: str


@dataclass(frozen=True)
class Analysis:
    assessments: tuple[Assessment, ...]
    #: 0..100: the sum of the SEO check scores over (checks x 9), as Yoast computes it.
    seo_score: int
    #: > 70 good, 41-70 ok, <= 40 bad.
    seo_rating: Rating
    #: 30, 60 or 90 (penalty 2 per orange readability check, 3 per red one).
    readability_score: int
    readability_rating: Rating
    #: Kandel & Moles (French Flesch), 0..100; -1 for a text too short to score. An insight only.
    flesch_reading_ease: float
    #: Words in the body (Yoast's text length).
    words: int

    def by_group(self, group: Group) -> tuple[Assessment, ...]:
        return tuple(a for a in self.assessments if a.group == group)

    def problems(self, minimum: Rating = "good") -> tuple[Assessment, ...]:
        """The assessments rated below ``minimum`` (by default: the orange and red ones)."""
        floor = _ORDER[minimum]
        return tuple(a for a in self.assessments if _ORDER[a.rating] < floor)

    def get(self, check_id: str) -> Assessment | None:
        return next((a for a in self.assessments if a.id == check_id), None)


def analyze(paper: Paper) -> Analysis:
    """Run every check on the paper and compute the overall SEO and readability scores."""
    from .checks import run

    return run(paper)


def clear_caches() -> None:
    """Forget the memoised sentence splits, syllable counts and keyphrase patterns (for cold-start timing)."""
    from .flesch import syllables
    from .match import clear_cache as clear_match_cache
    from .text import clear_cache as clear_text_cache

    clear_text_cache()
    syllables.cache_clear()
    clear_match_cache()


__all__ = ["Analysis", "Assessment", "Group", "Paper", "Rating", "analyze", "clear_caches"]
