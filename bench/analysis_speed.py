"""How long the French Yoast analysis takes on a ~1,000-word article (target: under 20 ms).

    .venv/bin/python bench/analysis_speed.py [--runs 50]

The article is built from the two model-answer rewrites of the test fixtures (all of the first,
then sections of the second until about 1,000 words), with its keyphrase, SEO title, meta
description and slug. Two figures are printed:

- cold: the analyzer's caches (sentence splitting, syllables, keyphrase regexes) are cleared
  before every run, as for an article never seen before;
- warm: caches kept, as when the repair loop analyses a revision of the same article.

Exit status 1 when the cold median is over the target.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wp_seo_bridge.analysis import Paper, analyze, clear_caches  # noqa: E402

TARGET_MS = 20.0
SEEDS = ROOT.parent / "shared" / "seeds"


def build_article(target_words: int = 1000) -> Paper:
    from wp_seo_bridge.article import ArticleProposal, assemble
    from wp_seo_bridge.content import parse

    articles = []
    for n in (1, 2):
        proposal = ArticleProposal.model_validate_json((ROOT / f"tests/fixtures/rewrites/article-{n}.json").read_text())
        articles.append(assemble(proposal, parse((SEEDS / f"article-{n}.txt").read_text(encoding="utf-8"))))
    first, second = articles
    html = first.markup("blocks")
    # Add whole sections (a heading and its blocks) of the second article up to the target length.
    sections = second.markup("blocks").split("<!-- wp:heading")
    extra = ""
    for section in sections[1:]:
        candidate = html + extra + "<!-- wp:heading" + section
        if analyze(Paper(candidate)).words > target_words + 60:
            break
        extra += "<!-- wp:heading" + section
    html += extra
    return Paper(html, first.focus_keyphrase, first.seo_title, first.meta_description,
                 "aide-chinoise-russie-images-satellitaires", "https://example.org")




def measure(paper: Paper, runs: int, cold: bool) -> list[float]:
    times = []
    for _ in range(runs):
        if cold:
            clear_caches()
        start = time.perf_counter()
        analyze(paper)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    paper = build_article()
    result = analyze(paper)  # warm-up: imports, word lists, regexes
    print(f"article: {result.words} words, {len(paper.text)} characters of block markup, "
          f"{len(result.assessments)} checks (SEO {result.seo_score}, readability {result.readability_score})")
    status = 0
    for label, cold in (("cold", True), ("warm", False)):
        times = measure(paper, args.runs, cold)
        median, best = statistics.median(times), min(times)
        ratio = median / TARGET_MS
        verdict = "within target" if median <= TARGET_MS else "OVER TARGET"
        print(f"{label}: median {median:6.2f} ms, min {best:6.2f} ms, max {max(times):6.2f} ms over {args.runs} runs; "
              f"median / {TARGET_MS:.0f} ms target = {ratio:.2f} ({verdict})")
        if cold and median > TARGET_MS:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
