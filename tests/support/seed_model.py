"""A fake model for many drafts at once: each draft made from one of the two seed articles gets that
seed's rewrite (tests/fixtures/rewrites/article-N.json, which passes the gate), whatever the order in
which concurrent requests arrive. A marker in the draft's title asks for a fault on that post only:

- ``[500]`` a server error, ``[429]`` a rate limit (with ``Retry-After: 1``) on every call;
- ``[bad]`` an answer that is not the JSON asked for, ``[cut]`` one cut off at its length limit;
- ``[slow]`` an answer after 3 s (more than a test's ``model.timeout`` of 1 s);
- ``[attention]`` an answer adding a figure the draft lacks (the gate refuses it every time).

For :attr:`FakeOpenAI.responder`; ``delay`` is each answer's latency (the benchmark's fixed delay).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.in_flight import InFlightCounter
from tests.support.fake_openai import RecordedRequest, Reply, answer, error

FIXTURES = Path(__file__).parents[1] / "fixtures"
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
#: The fake model server's API key (tests/conftest.py's ``model`` fixture).
SEED_MODEL_KEY = "sk-test-seed-model"
#: The first words of seed article 1 (the other drafts are made from seed article 2).
SEED_1_OPENING = "Les États-Unis ont mis en garde leurs alliés"


def new_category(wordpress) -> int:
    """A category of its own on the test site, shared by the whole suite: a sync filtered on it sees only the
    drafts put in it."""
    import uuid

    name = f"sync-{uuid.uuid4().hex[:12]}"
    return int(wordpress.php_json(f"echo json_encode(wp_insert_term('{name}', 'category'));")["term_id"])


def seed_text(n: int) -> str:
    return (SEEDS / f"article-{n}.txt").read_text(encoding="utf-8")


def seed_answer(n: int) -> str:
    return (FIXTURES / "rewrites" / f"article-{n}.json").read_text(encoding="utf-8")


@dataclass
class SeedModel(InFlightCounter):
    delay: float = 0.0
    #: Titles of the drafts asked about, one per call, in the order the calls arrived.
    titles: list[str] = field(default_factory=list)

    def __call__(self, request: RecordedRequest) -> Reply:
        messages = request.body["messages"]
        user = messages[1]["content"]
        draft = json.loads("\n".join(user.splitlines()[1:-1]))
        title = str(draft.get("title", ""))
        with self.answering(lambda: self.titles.append(title)):
            time.sleep(self.delay)
            if "[500]" in title:
                return error(500, "upstream failure")
            if "[429]" in title:
                return error(429, "Rate limit reached", {"Retry-After": "1"})
            if "[bad]" in title:
                return answer("this is not JSON")
            if "[cut]" in title:
                return answer('{"title": "Coup', finish_reason="length")
            if "[slow]" in title:
                time.sleep(3)
            n = 1 if SEED_1_OPENING in json.dumps(draft, ensure_ascii=False) else 2
            content = seed_answer(n)
            if "[attention]" in title:
                body = json.loads(content)
                body["sections"][0]["blocks"].insert(0, {
                    "type": "paragraph", "text": "Selon un rapport, 4 812 entreprises seraient concernées.",
                    "items": None, "ordered": None, "citation": None, "ref": None,
                })
                content = json.dumps(body, ensure_ascii=False)
            return answer(content)

    def calls_for(self, marker: str) -> int:
        with self._lock:
            return sum(1 for title in self.titles if marker in title)
