"""How long the fact guard takes on the two seed articles and their rewrites (and on the English draft).

    .venv/bin/python bench/facts_speed.py [--runs 30]

For each pair (draft, the fake model's rewrite from the test fixtures) it runs the whole fact check
as the gate does (invented and lost figures, dates, quotations and names, the draft's language
detected) and prints:

- first: the first check in this process, which also loads CLDR's data for the two languages and
  the offline language detector's model;
- warm: the median, min and max of the next runs (what each repair attempt costs);
- detection: the part of a warm run spent detecting the draft's language.

The seeds are read from ../shared/seeds, relative to the checkout. Prints figures only; no target.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wp_seo_bridge.article import ArticleProposal, assemble  # noqa: E402
from wp_seo_bridge.content import parse  # noqa: E402
from wp_seo_bridge.guards.facts import check_facts, draft_language  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
FIXTURES = ROOT / "tests" / "fixtures"
PAIRS = {
    "seed article 1 (fr)": (SEEDS / "article-1.txt", FIXTURES / "rewrites" / "article-1.json"),
    "seed article 2 (fr)": (SEEDS / "article-2.txt", FIXTURES / "rewrites" / "article-2.json"),
    "English draft (en -> fr)": (FIXTURES / "drafts" / "english.txt", FIXTURES / "rewrites" / "english-draft.json"),
}


def timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return (time.perf_counter() - start) * 1000, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    for label, (draft_path, rewrite_path) in PAIRS.items():
        document = parse(draft_path.read_text(encoding="utf-8"))
        article = assemble(ArticleProposal.model_validate_json(rewrite_path.read_text(encoding="utf-8")), document)

        def check():
            return check_facts(document, article, language="fr", require_all=True)

        first, findings = timed(check)
        warm = [timed(check)[0] for _ in range(args.runs)]
        detection = statistics.median(timed(lambda: draft_language(document, "fr"))[0] for _ in range(args.runs))
        print(f"{label}: {document.word_count()} draft words, {article.word_count()} article words, "
              f"{len(findings)} finding(s)")
        print(f"  first {first:7.1f} ms | warm median {statistics.median(warm):6.1f} ms, min {min(warm):6.1f} ms, "
              f"max {max(warm):6.1f} ms over {args.runs} runs | detection {detection:5.1f} ms of it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
