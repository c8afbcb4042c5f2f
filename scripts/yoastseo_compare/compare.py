"""Side-by-side comparison of wp_seo_bridge.analysis with yoastseo (the Yoast SEO analysis library).

Development check, not part of the test suite. It needs Node.js and, once, ``npm install`` in
this folder (it installs the pinned ``yoastseo`` from the npm registry). Then, from the
project root::

    .venv/bin/python scripts/yoastseo_compare/compare.py            # summary + differences
    .venv/bin/python scripts/yoastseo_compare/compare.py --all      # every check of every paper
    .venv/bin/python scripts/yoastseo_compare/compare.py --only seed-1 --debug

Papers: the two model-answer rewrites of the test fixtures (block and classic markup), the two
raw seed drafts, the content-model draft fixtures, a French prose sample (texts/prose-fr.txt,
written for this check: passives and transition words), and every threshold paper the tests build (``tests/test_analysis.py: threshold_papers()``). yoastseo cannot
measure the title in Node (it renders it in a DOM element), so it is given our measured width.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from wp_seo_bridge.analysis import Paper, analyze  # noqa: E402
from wp_seo_bridge.analysis import checks, width  # noqa: E402

#: yoastseo assessment identifier -> our check id
IDS = {
    "introductionKeyword": "keyphrase_in_introduction",
    "keyphraseLength": "keyphrase_length",
    "keyphraseDensity": "keyphrase_density",
    "metaDescriptionKeyword": "keyphrase_in_meta_description",
    "metaDescriptionLength": "meta_description_length",
    "subheadingsKeyword": "keyphrase_in_subheadings",
    "textCompetingLinks": "competing_links",
    "imageKeyphrase": "image_alt_keyphrase",
    "images": "images",
    "textLength": "text_length",
    "externalLinks": "outbound_links",
    "keyphraseInSEOTitle": "keyphrase_in_title",
    "internalLinks": "internal_links",
    "titleWidth": "title_width",
    "slugKeyword": "keyphrase_in_slug",
    "functionWordsInKeyphrase": "keyphrase_function_words",
    "singleH1": "single_h1",
    "subheadingsTooLong": "subheading_distribution",
    "textParagraphTooLong": "paragraph_length",
    "textSentenceLength": "sentence_length",
    "textTransitionWords": "transition_words",
    "passiveVoice": "passive_voice",
    "textPresence": "text_presence",
    "sentenceBeginnings": "consecutive_sentences",
}
#: (check, paper) pairs where we differ from yoastseo on purpose
DELIBERATE = {
    ("single_h1", "h1-one"): "one H1 in the body is flagged here (the theme prints the title as the H1)",
}
SLUGS = {1: "aide-chinoise-russie-images-satellitaires", 2: "materiel-non-letal-chine-russie"}
SITE = "https://example.org"


def colour(score: int) -> str:
    if score >= 8:
        return "green"
    if score >= 5:
        return "orange"
    if score == 0:
        return "grey"
    return "red"


def fixture_papers() -> dict[str, Paper]:
    from wp_seo_bridge.article import ArticleProposal, assemble
    from wp_seo_bridge.content import parse

    papers = {}
    seeds = Path("/work/shared/seeds")
    if not seeds.exists():
        seeds = ROOT.parent / "shared" / "seeds"
    for n in (1, 2):
        proposal = ArticleProposal.model_validate_json((ROOT / f"tests/fixtures/rewrites/article-{n}.json").read_text())
        seed_text = (seeds / f"article-{n}.txt").read_text(encoding="utf-8")
        article = assemble(proposal, parse(seed_text))
        papers[f"rewrite-{n}"] = Paper(article.markup("blocks"), article.focus_keyphrase, article.seo_title,
                                       article.meta_description, SLUGS[n], SITE)
        papers[f"rewrite-{n}-classic"] = Paper(article.markup("classic"), article.focus_keyphrase, article.seo_title,
                                               article.meta_description, SLUGS[n], SITE)
        body = "\n".join(f"<p>{line.strip()}</p>" for line in seed_text.splitlines() if line.strip())
        papers[f"seed-{n}"] = Paper(body, article.focus_keyphrase, "", "", "", SITE)
    # The content-model fixtures: short drafts with links, images, captions, lists, tables, quotes.
    for name in ("blocks", "classic"):
        html = (ROOT / f"tests/fixtures/drafts/{name}.html").read_text(encoding="utf-8")
        papers[f"draft-{name}"] = Paper(html, "imagerie satellitaire", "L’imagerie satellitaire au service de Moscou",
                                        "", "imagerie-satellitaire", "http://example.test")
    # French prose written to exercise passive voice and transition words (one paragraph per line)
    lines = (HERE / "texts" / "prose-fr.txt").read_text(encoding="utf-8").splitlines()
    papers["prose-fr"] = Paper("".join(f"<p>{line}</p>" for line in lines if line.strip()), "", "", "", "", SITE)
    return papers


def threshold_papers() -> dict[str, Paper]:
    sys.path.insert(0, str(ROOT))
    from tests.test_analysis import threshold_papers as build

    return build()


def run_yoastseo(papers: dict[str, Paper]) -> dict[str, dict]:
    inputs = [{"id": key, "text": p.text, "keyphrase": p.keyphrase, "title": p.title, "description": p.description,
               "slug": p.slug, "site_url": p.site_url, "title_width": width.title_width(p.title)}
              for key, p in papers.items()]
    if not (HERE / "node_modules" / "yoastseo").exists():
        sys.exit(f"yoastseo is not installed: cd {HERE} && npm install")
    proc = subprocess.run(["node", str(HERE / "run_yoastseo.js")], input=json.dumps(inputs), capture_output=True,
                          text=True, cwd=HERE, check=False)
    if proc.returncode:
        sys.exit(proc.stderr)
    return {r["id"]: r for r in json.loads(proc.stdout)}


def sentence_level(paper: Paper, debug: dict, stats: dict[str, list[int]]) -> None:
    """Print the sentences where our passive voice or transition word verdict differs from yoastseo's."""
    from wp_seo_bridge.analysis import passive, text

    ctx = checks.Context(paper)
    flat = [text.strip_tags(s) for s in ctx.flat_sentences]
    ours = {s for s in flat if passive.is_passive(s)}
    theirs = set(debug.get("passives", []))
    st = stats["passive"]
    st[0] += len(flat)
    st[1] += len(ours & theirs)
    st[2] += len(ours - theirs)
    st[3] += len(theirs - ours)
    for s in sorted(ours ^ theirs):
        print(f"    passive    {'ours    ' if s in ours else 'yoastseo'} only: {s[:140]}")
    ours_t = {s.text.strip() for s in ctx.sentences if checks.sentence_has_transition(s.tokens)}
    theirs_t = {t[0]: t[1] for t in debug.get("transition_sentences", [])}
    st = stats["transition"]
    st[0] += len(ctx.sentences)
    st[1] += len(ours_t & set(theirs_t))
    st[2] += len(ours_t - set(theirs_t))
    st[3] += len(set(theirs_t) - ours_t)
    for s in sorted(ours_t ^ set(theirs_t)):
        words = f" {theirs_t[s]}" if s in theirs_t else ""
        print(f"    transition {'ours    ' if s in ours_t else 'yoastseo'} only: {s[:120]}{words}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="print every check, not only the differences")
    parser.add_argument("--only", help="only papers whose name contains this")
    parser.add_argument("--debug", action="store_true", help="print yoastseo's research details")
    parser.add_argument("--no-thresholds", action="store_true", help="only the fixture and seed papers")
    parser.add_argument("--sentences", action="store_true",
                        help="compare sentence by sentence: passive voice and transition words")
    parser.add_argument("--json", type=Path, help="write the comparison as JSON")
    args = parser.parse_args()

    papers = fixture_papers()
    if not args.no_thresholds:
        papers.update(threshold_papers())
    if args.only:
        papers = {k: v for k, v in papers.items() if args.only in k}
    yoast = run_yoastseo(papers)

    per_check: dict[str, list[int]] = {}  # id -> [papers, same colour, same score]
    sentence_stats = {"passive": [0, 0, 0, 0], "transition": [0, 0, 0, 0]}  # sentences, both, ours only, yoastseo only
    rows = []
    for key, paper in papers.items():
        ours = analyze(paper)
        ctx = checks.Context(paper)
        raw = {r.id: r for r in checks.seo_results(ctx) + checks.readability_results(ctx)}
        theirs = {IDS.get(r["id"], r["id"]): r for r in yoast[key]["seo"] + yoast[key]["readability"]}
        print(f"\n== {key}: ours SEO {ours.seo_score} ({ours.seo_rating}), readability {ours.readability_score} "
              f"({ours.readability_rating}) | yoastseo SEO {yoast[key]['seo_score']} (valid-only "
              f"{yoast[key]['seo_score_valid']}), readability {yoast[key]['readability_score']}")
        for check in list(dict.fromkeys(list(raw) + list(theirs))):
            mine, their = raw.get(check), theirs.get(check)
            if their is not None and their["score"] == 0 and not their["text"]:
                their = None  # yoastseo's silent results (function words: keyphrase fine; text presence: enough text)
            if mine is None and their is None:
                continue
            if mine is None and not paper.keyphrase:
                note = "skipped here (no keyphrase)"
                same_colour = same_score = None
            elif (check, key) in DELIBERATE:
                note = "deliberate: " + DELIBERATE[(check, key)]
                same_colour = same_score = None
            else:
                same_colour = mine is not None and their is not None and colour(mine.score) == colour(their["score"])
                same_score = same_colour and mine.score == their["score"]
                note = ""
            if same_colour is not None:
                stats = per_check.setdefault(check, [0, 0, 0])
                stats[0] += 1
                stats[1] += bool(same_colour)
                stats[2] += bool(same_score)
            rows.append({"paper": key, "check": check, "ours": mine and mine.score, "yoastseo": their and their["score"],
                         "same_colour": same_colour, "same_score": same_score})
            if args.all or same_colour is False or (same_colour and not same_score):
                flag = "ok " if same_score else ("~  " if same_colour else ("   " if same_colour is None else "!! "))
                print(f"  {flag}{check:30} ours {mine.score if mine else '-':>4} {colour(mine.score) if mine else '':7}"
                      f"yoastseo {their['score'] if their else '-':>4} {colour(their['score']) if their else '':7}{note}")
                if same_colour is False or args.debug:
                    if mine:
                        print(f"       ours: {mine.text}")
                    if their:
                        print(f"       yoastseo: {their['text']}")
        if args.debug:
            print("  debug:", json.dumps(yoast[key]["debug"], ensure_ascii=False)[:4000])
        if args.sentences:
            sentence_level(paper, yoast[key]["debug"], sentence_stats)

    print("\nAgreement per check (papers compared, same colour, same score):")
    total = [0, 0, 0]
    for check, (n, c, s) in sorted(per_check.items()):
        print(f"  {check:32} {n:3}  colour {c:3}/{n:<3}  score {s:3}/{n:<3}")
        total = [total[0] + n, total[1] + c, total[2] + s]
    print(f"  {'all':32} {total[0]:3}  colour {total[1]:3}/{total[0]:<3}  score {total[2]:3}/{total[0]:<3}")
    if args.sentences:
        print("\nSentence by sentence (sentences, flagged by both, by us only, by yoastseo only):")
        for name, (n, both, ours_only, theirs_only) in sentence_stats.items():
            print(f"  {name:12} {n:5} sentences: both {both}, ours only {ours_only}, yoastseo only {theirs_only}")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "per_check": per_check}, indent=1, ensure_ascii=False))
    return 0 if total[1] == total[0] else 1


if __name__ == "__main__":
    sys.exit(main())
