"""How a ~9,000-word dossier is rewritten in parts, and what parallel part calls save.

    .venv/bin/python bench/long_draft.py [--sections 30] [--delay 2.0] [--concurrency 1 4] [--max-words-per-call 2500]

The dossier is the generated French dossier of the tests (tests/support/dossier.py): many
sections and subsections, about a hundred figures, an image and a shortcode. The model is the
fake OpenAI-compatible server of the tests on loopback, through the real ``openai`` SDK, with a
fixed delay per call standing for the model's writing time; its answers keep the draft's text,
so the quality gate runs on a full-size article. Printed:

- the draft's size, and the size of the single request the draft would need in one call;
- the parts: their words, and each request's size (metadata call first);
- for each concurrency: the model calls, the wall time of the whole rewrite (calls, assembly and
  gate), and its ratio to the first concurrency's.

Every figure of the draft is checked to be in the article; exit status 1 if one is missing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.dossier import make_dossier  # noqa: E402
from tests.support.factories import settings_for  # noqa: E402
from tests.support.fake_openai import CHAT, FakeOpenAI  # noqa: E402
from tests.support.fake_rewriter import PartRewriter  # noqa: E402
from wp_seo_bridge.bridge import rewrite_source  # noqa: E402
from wp_seo_bridge.content import parse  # noqa: E402
from wp_seo_bridge.prompt import build_messages  # noqa: E402


def request_chars(body: dict) -> int:
    return len(json.dumps(body["messages"], ensure_ascii=False))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", type=int, default=30, help="level-2 sections of the dossier")
    parser.add_argument("--delay", type=float, default=2.0, help="seconds each model call takes")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4], help="model.max_concurrent_calls values")
    parser.add_argument("--max-words-per-call", type=int, default=2500, help="rewrite.max_words_per_call")
    args = parser.parse_args()

    dossier = make_dossier(args.sections)
    document = parse(dossier.content)
    base = settings_for("https://example.org", "ed", None, model_base_url="http://127.0.0.1:9/v1", api_key="sk-bench")
    whole = build_messages(base.rewrite, dossier.title, document)
    print(f"Draft: {document.word_count():,} words, {len(dossier.headings)} headings, {len(dossier.figures)} figures, "
          f"{len(dossier.content):,} characters of markup")
    print(f"In one call, the request would be {len(json.dumps(whole, ensure_ascii=False)):,} characters")

    first_wall = None
    for concurrency in args.concurrency:
        with FakeOpenAI() as server:
            server.responder = PartRewriter(delay=args.delay)
            settings = settings_for(
                "https://example.org", "ed", None, model_base_url=server.base_url, api_key="sk-bench",
                model__max_retries=0, model__timeout=60, model__max_concurrent_calls=concurrency,
                rewrite__max_words_per_call=args.max_words_per_call,
            )
            started = time.perf_counter()
            report = rewrite_source(dossier.content, dossier.title, settings)
            wall = time.perf_counter() - started
            requests = [r for r in server.requests if r.path == CHAT]
        if first_wall is None:
            first_wall = wall
            sizes = [request_chars(r.body) for r in requests]
            print(f"Rewritten in {report.parts} parts of {', '.join(str(w) for w in _part_words(requests))} words")
            print(f"Requests (characters): metadata {sizes[0]:,}; parts {', '.join(f'{s:,}' for s in sizes[1:])}; "
                  f"largest {max(sizes):,}")
        missing = [figure for figure in dossier.figures if figure not in report.content]
        print(f"Concurrency {concurrency}: {len(report.calls)} calls of {args.delay:.1f} s, wall time {wall:.2f} s "
              f"({wall / first_wall:.2f}x of concurrency {args.concurrency[0]}); accepted: {report.accepted}; "
              f"figures missing: {len(missing)}")
        if missing:
            return 1
    return 0


def _part_words(requests) -> list[int]:
    from wp_seo_bridge.content import count_words

    words = []
    for request in requests[1:]:
        data = json.loads("\n".join(request.body["messages"][1]["content"].splitlines()[1:-1]))
        words.append((data["part"], sum(count_words(b.get("text") or " ".join(b.get("items") or []))
                                        for b in data["blocks"] if b["type"] != "placeholder")))
    return [w for _, w in sorted(words)]


if __name__ == "__main__":
    sys.exit(main())
