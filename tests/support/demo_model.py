"""A fake model for the demo's sample drafts (wp_seo_bridge/demo/samples.py): each sample's draft gets its answer,
``tests/fixtures/demo/<sample>.json``, which passes the bridge's real gate on that draft.

The draft is recognised by a phrase of its text, in the request's first user message (the draft's data block);
a draft that is none of the samples gets a 400 naming the phrases looked for. Every call is counted by sample.

For :attr:`FakeOpenAI.responder` (tests/support/fake_openai.py). These answers are test data: the demo itself never
shows them as if a model had written them.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.fake_openai import RecordedRequest, Reply, answer, error
from tests.support.in_flight import InFlightCounter

ANSWERS = Path(__file__).parents[1] / "fixtures" / "demo"
#: The fake model server's API key.
DEMO_MODEL_KEY = "sk-test-demo-model"
#: A phrase of each sample's draft (found in no other sample), by sample name.
PHRASES = {
    "short-news": "Second Souffle",
    "block-editor": "Roue Libre",
    "english": "Tidemill Materials",
}


def demo_answer(name: str) -> str:
    """The answer to the sample called ``name``, as the model sends it (JSON text)."""
    return (ANSWERS / f"{name}.json").read_text(encoding="utf-8")


def sample_of(request: RecordedRequest) -> str | None:
    """The name of the sample whose draft ``request`` asks about, or None."""
    messages = request.body.get("messages", []) if isinstance(request.body, dict) else []
    users = [m.get("content", "") for m in messages if m.get("role") == "user"]
    draft = users[0] if users else ""
    found = [name for name, phrase in PHRASES.items() if phrase in draft]
    return found[0] if len(found) == 1 else None


@dataclass
class DemoModel(InFlightCounter):
    #: Each answer's latency in seconds (the benchmark's fixed delay).
    delay: float = 0.0
    #: Calls answered, by sample name (``None`` for a draft that is none of the samples).
    calls: Counter = field(default_factory=Counter)

    def __call__(self, request: RecordedRequest) -> Reply:
        name = sample_of(request)
        with self.answering(lambda: self.calls.update([name])):
            if name is None:
                looked_for = ", ".join(f'"{phrase}"' for phrase in PHRASES.values())
                return error(400, f"the demo's fake model only knows the sample drafts (one of {looked_for})")
            time.sleep(self.delay)
            return answer(demo_answer(name))
